/*
 * Float32 CPU layers (spec 4.1) in the simulator's (= kpu.c's) order of operations, single precision, element by
 * element forward so that overlapping input and output ranges behave the same. Values are loaded and stored
 * through byte copies: main-memory addresses need not be 4-aligned.
 */
#include <float.h>
#include <math.h>
#include "emc_internal.h"

#define AT(base, i) (main + (size_t)(base) + 4u * (size_t)(i))

/*
 * The simulator's MathF.Exp is glibc's expf, which is correctly rounded except in rare cases. Where the C library's
 * expf is less accurate (newlib on FPUs without double precision, e.g. Cortex-M4F) define EMC_EXPF_VIA_DOUBLE: exp
 * in double rounded once to float gives the correctly rounded value, hence glibc's, in all but those rare cases.
 */
static float exp_f(float x)
{
#ifdef EMC_EXPF_VIA_DOUBLE
    return (float)exp((double)x);
#else
    return expf(x);
#endif
}

static void add(const emc_layer *l, uint8_t *main)
{
    uint32_t a = emc_field(l, 1), b = emc_field(l, 2), out = emc_field(l, 3), n = emc_field(l, 4), i;
    for (i = 0; i < n; i++) {
        emc_put_f32(AT(out, i), emc_f32(AT(a, i)) + emc_f32(AT(b, i)));
    }
}

static void global_average_pool(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), kernel = emc_field(l, 3), channels = emc_field(l, 4), c, i;
    float divisor = (float)kernel;
    for (c = 0; c < channels; c++) {
        float sum = 0.0f;
        for (i = 0; i < kernel; i++) {
            sum += emc_f32(AT(in, (size_t)c * kernel + i));
        }
        emc_put_f32(AT(out, c), sum / divisor);
    }
}

static void average_pool(const emc_layer *l, uint8_t *main)
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
                float value = 0.0f, count = 0.0f;
                for (y = y0; y < y1; y++) {
                    for (x = x0; x < x1; x++) {
                        value += emc_f32(AT(in, channel + (size_t)(y * iw + x)));
                        count++;
                    }
                }
                emc_put_f32(AT(out, d++), value / count);
            }
        }
    }
}

static void l2_normalization(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), n = emc_field(l, 3), i;
    float sum = 0.0f;
    for (i = 0; i < n; i++) {
        float v = emc_f32(AT(in, i));
        sum += v * v;
    }
    if (sum < 1e-10f) {
        sum = 1e-10f;
    }
    sum = 1.0f / sqrtf(sum);
    for (i = 0; i < n; i++) {
        emc_put_f32(AT(out, i), emc_f32(AT(in, i)) * sum);
    }
}

/* C fmaxf semantics: a NaN operand yields the other one. */
static float max_f(float a, float b)
{
    if (a != a) {
        return b;
    }
    if (b != b) {
        return a;
    }
    return b > a ? b : a;
}

static void softmax(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), n = emc_field(l, 3), i;
    float max = FLT_MIN, sum = 0.0f;
    for (i = 0; i < n; i++) {
        max = max_f(max, emc_f32(AT(in, i)));
    }
    for (i = 0; i < n; i++) {
        float v = exp_f(emc_f32(AT(in, i)) - max);
        sum += v;
        emc_put_f32(AT(out, i), v);
    }
    for (i = 0; i < n; i++) {
        emc_put_f32(AT(out, i), emc_f32(AT(out, i)) / sum);
    }
}

static void logistic(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), n = emc_field(l, 3), i;
    for (i = 0; i < n; i++) {
        emc_put_f32(AT(out, i), 1.0f / (1.0f + exp_f(-emc_f32(AT(in, i)))));
    }
}

static void fully_connected(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), ni = emc_field(l, 3), no = emc_field(l, 4);
    uint32_t activation = emc_field(l, 5), o, i;
    const uint8_t *weights = l->body + 24, *bias = weights + 4u * (size_t)ni * no;
    for (o = 0; o < no; o++) {
        const uint8_t *w = weights + 4u * (size_t)o * ni;
        float sum = 0.0f;
        for (i = 0; i < ni; i++) {
            sum += emc_f32(AT(in, i)) * emc_f32(w + 4u * (size_t)i);
        }
        emc_put_f32(AT(out, o), sum + emc_f32(bias + 4u * (size_t)o));
    }
    for (o = 0; o < no && (activation == 1 || activation == 2); o++) {
        /* kpu.c's max/min macros: a NaN compares false and becomes the constant. */
        float v = emc_f32(AT(out, o));
        v = v > 0 ? v : 0;
        if (activation == 2) {
            v = v < 6 ? v : 6;
        }
        emc_put_f32(AT(out, o), v);
    }
}

static void channelwise_dequantize(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), channels = emc_field(l, 3), size = emc_field(l, 4), c, j;
    size_t i = 0;
    for (c = 0; c < channels; c++) {
        float scale = emc_f32(l->body + 20 + 8u * (size_t)c), bias = emc_f32(l->body + 24 + 8u * (size_t)c);
        for (j = 0; j < size; j++, i++) {
            emc_put_f32(AT(out, i), (float)main[(size_t)in + i] * scale + bias);
        }
    }
}

static void dequantize(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), n = emc_field(l, 3), i;
    float scale = emc_f32(l->body + 16), bias = emc_f32(l->body + 20);
    for (i = 0; i < n; i++) {
        emc_put_f32(AT(out, i), (float)main[(size_t)in + i] * scale + bias);
    }
}

/* clamp((int)roundf((x - bias) * inv), 0, 255); NaN converts like RISC-V fcvt.w.s (to INT_MAX, so 255). */
static void quantize(const emc_layer *l, uint8_t *main)
{
    uint32_t in = emc_field(l, 1), out = emc_field(l, 2), n = emc_field(l, 3), i;
    float inverse = 1.0f / emc_f32(l->body + 16), bias = emc_f32(l->body + 20);
    for (i = 0; i < n; i++) {
        float r = roundf((emc_f32(AT(in, i)) - bias) * inverse);
        main[(size_t)out + i] = (r != r || r > 255.0f) ? 255 : r < 0.0f ? 0 : (uint8_t)r;
    }
}

void emc_run_cpu_float(const emc_layer *l, uint8_t *main)
{
    switch (l->type) {
    case EMC_ADD: add(l, main); break;
    case EMC_GLOBAL_AVERAGE_POOL2D: global_average_pool(l, main); break;
    case EMC_AVERAGE_POOL2D: average_pool(l, main); break;
    case EMC_L2_NORMALIZATION: l2_normalization(l, main); break;
    case EMC_SOFTMAX: softmax(l, main); break;
    case EMC_LOGISTIC: logistic(l, main); break;
    case EMC_FULLY_CONNECTED: fully_connected(l, main); break;
    case EMC_CHANNELWISE_DEQUANTIZE: channelwise_dequantize(l, main); break;
    case EMC_DEQUANTIZE: dequantize(l, main); break;
    case EMC_QUANTIZE: quantize(l, main); break;
    default: break;
    }
}
