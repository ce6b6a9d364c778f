/* Data-movement CPU layers that work on any element size: concat, TF flatten, nearest-neighbour resize. */
#include <math.h>
#include <string.h>
#include "emc_internal.h"

static void concat(const emc_layer *l, uint8_t *main)
{
    uint32_t count = emc_field(l, 2), i;
    size_t at = emc_field(l, 1);
    for (i = 0; i < count; i++) {
        uint32_t start = emc_field(l, 3 + 2 * i), size = emc_field(l, 4 + 2 * i);
        memmove(main + at, main + start, size);
        at += size;
    }
}

/* TENSORFLOW_FLATTEN (float32) and its uint8 form: CHW -> HWC, element by element. */
static void flatten(const emc_layer *l, uint8_t *main, size_t element)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), w = emc_field(l, 3), h = emc_field(l, 4), ch = emc_field(l, 5);
    uint32_t y, x, c;
    size_t d = 0;
    if (w == 0 || h == 0 || ch == 0) {
        return; /* nothing to copy; without this an empty inner loop could still spin 2^64 times */
    }
    for (y = 0; y < h; y++) {
        for (x = 0; x < w; x++) {
            for (c = 0; c < ch; c++) {
                size_t from = (((size_t)c * h + y) * w + x) * element;
                memmove(main + out + d, main + in + from, element);
                d += element;
            }
        }
    }
}

static void resize_nearest(const emc_layer *l, uint8_t *main, size_t element)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), iw = emc_field(l, 3), ih = emc_field(l, 4), ic = emc_field(l, 5);
    uint32_t ow = emc_field(l, 6), oh = emc_field(l, 7), c, oy, ox;
    float hs = (float)ih / (float)oh, ws = (float)iw / (float)ow;
    size_t d = 0;
    if (ow == 0 || oh == 0 || ic == 0) {
        return;
    }
    for (c = 0; c < ic; c++) {
        size_t channel = (size_t)iw * ih * c;
        for (oy = 0; oy < oh; oy++) {
            float fy = floorf((float)oy * hs), ly = (float)(ih - 1);
            uint32_t iy = (uint32_t)(fy < ly ? fy : ly);
            iy = iy < ih ? iy : ih - 1;
            for (ox = 0; ox < ow; ox++) {
                float fx = floorf((float)ox * ws), lx = (float)(iw - 1);
                uint32_t ix = (uint32_t)(fx < lx ? fx : lx);
                ix = ix < iw ? ix : iw - 1;
                memmove(main + out + d * element, main + in + (channel + (size_t)iy * iw + ix) * element, element);
                d++;
            }
        }
    }
}

void emc_run_cpu_shape(const emc_layer *l, uint8_t *main)
{
    switch (l->type) {
    case EMC_CONCAT: case EMC_QUANTIZED_CONCAT: concat(l, main); break;
    case EMC_TENSORFLOW_FLATTEN: flatten(l, main, 4); break;
    case EMC_QUANTIZED_TENSORFLOW_FLATTEN: flatten(l, main, 1); break;
    case EMC_RESIZE_NEAREST_NEIGHBOR: resize_nearest(l, main, 4); break;
    case EMC_QUANTIZED_RESIZE_NEAREST_NEIGHBOR: resize_nearest(l, main, 1); break;
    default: break;
    }
}
