/* uint8 CPU layers and the K210 data-movement layers (spec 4.1): exact integer semantics of the simulator. */
#include <string.h>
#include "emc_internal.h"

static void quantized_add(const emc_layer *l, uint8_t *main)
{
    uint32_t a = emc_field(l, 1), b = emc_field(l, 2), out = emc_field(l, 3);
    size_t n = ((size_t)emc_field(l, 4) + 7) / 8 * 8, i;
    int64_t off_a = (int32_t)emc_field(l, 5), mul_a = (int32_t)emc_field(l, 6);
    int64_t off_b = (int32_t)emc_field(l, 8), mul_b = (int32_t)emc_field(l, 9);
    int64_t off_o = (int32_t)emc_field(l, 11), mul_o = (int32_t)emc_field(l, 12);
    int sh_a = (int)emc_field(l, 7), sh_b = (int)emc_field(l, 10), sh_o = (int)emc_field(l, 13);
    for (i = 0; i < n; i++) {
        int64_t va = (main[a + i] + off_a) * mul_a;
        int64_t vb = (main[b + i] + off_b) * mul_b;
        int64_t v = sh_a == sh_b ? emc_sar(emc_wrap_add(va, vb), sh_a) : emc_wrap_add(emc_sar(va, sh_a), emc_sar(vb, sh_b));
        v = emc_wrap_add(emc_carry_shift(emc_wrap_mul(v, mul_o), sh_o), off_o);
        main[out + i] = emc_saturate_u8(v);
    }
}

static void quantized_max_pool(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2);
    uint32_t iw = emc_field(l, 3), ih = emc_field(l, 4), ow = emc_field(l, 6), oh = emc_field(l, 7), oc = emc_field(l, 8);
    int64_t kw = emc_field(l, 9), kh = emc_field(l, 10), sw = emc_field(l, 11), sh = emc_field(l, 12);
    int64_t pw = emc_field(l, 13), ph = emc_field(l, 14);
    size_t d = 0;
    uint32_t c;
    int64_t oy, ox, y, x;
    if (ow == 0 || oh == 0) {
        return;
    }
    for (c = 0; c < oc; c++) {
        size_t channel = (size_t)iw * ih * c;
        for (oy = 0; oy < oh; oy++) {
            for (ox = 0; ox < ow; ox++) {
                int64_t x0, x1, y0, y1;
                emc_pool_window(ox * sw - pw, kw, iw, &x0, &x1);
                emc_pool_window(oy * sh - ph, kh, ih, &y0, &y1);
                uint8_t m = 0;
                for (y = y0; y < y1; y++) {
                    for (x = x0; x < x1; x++) {
                        uint8_t v = main[(size_t)in + channel + (size_t)(y * iw + x)];
                        m = v > m ? v : m;
                    }
                }
                main[(size_t)out + d++] = m;
            }
        }
    }
}

static void requantize(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), n = emc_field(l, 3), i;
    for (i = 0; i < n; i++) {
        main[(size_t)out + i] = l->body[16 + main[(size_t)in + i]];
    }
}

static void add_padding(const emc_layer *l, uint8_t *main, emc_kpu_ram *kpu)
{
    uint32_t in = emc_field(l, 1), channels = emc_field(l, 3), c;
    emc_kpu_map map = emc_kpu_map_for_width(emc_field(l, 2), channels, 4, 4);
    uint8_t *origin;
    if (channels == 0) {
        return;
    }
    origin = emc_kpu_origin(kpu, &map);
    for (c = 0; c < channels; c++) {
        origin[emc_kpu_offset(&map, c, 0, 0) - (uint64_t)map.base_unit * EMC_KPU_UNIT] = main[(size_t)in + c];
    }
}

static void remove_padding(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), channels = emc_field(l, 3), c;
    for (c = 0; c < channels; c++) {
        main[(size_t)out + c] = main[(size_t)in + (size_t)c * 16];
    }
}

static void upload(const emc_layer *l, uint8_t *main, emc_kpu_ram *kpu)
{
    emc_kpu_map map = emc_kpu_map_for_width(emc_field(l, 2), emc_field(l, 5), emc_field(l, 4), emc_field(l, 3));
    emc_kpu_scatter(&map, main + emc_field(l, 1), kpu);
}

void emc_run_cpu_quantized(const emc_layer *l, uint8_t *main, emc_kpu_ram *kpu)
{
    switch (l->type) {
    case EMC_QUANTIZED_ADD: quantized_add(l, main); break;
    case EMC_QUANTIZED_MAX_POOL2D: quantized_max_pool(l, main); break;
    case EMC_REQUANTIZE: requantize(l, main); break;
    case EMC_K210_ADD_PADDING: add_padding(l, main, kpu); break;
    case EMC_K210_REMOVE_PADDING: remove_padding(l, main); break;
    case EMC_K210_UPLOAD: upload(l, main, kpu); break;
    default: break;
    }
}
