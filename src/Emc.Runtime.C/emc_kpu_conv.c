/*
 * K210_CONV (spec 6): per output pixel of the conv grid
 *   ACC = P + ((arg_x * SX) >> shr_x) + ((arg_w * SW) >> shr_w) + arg_add * G
 * (3x3 taps outside the image read pad_value), then batch-norm, activation, pooling, and the write-back to
 * KPU RAM and optionally main memory. The input is read straight from KPU RAM; results go to the scratch area
 * first because the output map may overlap the input map.
 */
#include <string.h>
#include "emc_internal.h"

#define PIXEL_BLOCK 8u

typedef struct conv_shape {
    uint32_t ic, oc, ih, iw, oh, ow, gh, gw, y0, x0, step, per, taps, pad, channels_per_output;
    int pick;
} conv_shape;

typedef struct conv_scratch {
    int64_t *sw_term, *bn_mul, *bn_add, *bn_shift;
    uint8_t *patch, *plane, *planar;
} conv_scratch;

static size_t align8(size_t n) { return (n + 7u) & ~(size_t)7u; }

static conv_shape shape_of(const emc_conv *c)
{
    conv_shape s;
    unsigned py = 0, px = 0;
    s.ic = c->in.channels; s.oc = c->out.channels;
    s.ih = c->in.height; s.iw = c->in.width;
    s.oh = c->out.height; s.ow = c->out.width;
    s.taps = c->kernel * c->kernel;
    s.pad = c->kernel / 2;
    s.channels_per_output = c->depthwise ? 1 : s.ic;
    s.per = s.channels_per_output * s.taps;
    s.pick = emc_pool_pick(c->pool, &py, &px);
    if (s.pick) {
        s.y0 = py; s.x0 = px; s.step = emc_pool_stride(c->pool); s.gh = s.oh; s.gw = s.ow;
    } else {
        s.y0 = 0; s.x0 = 0; s.step = 1; s.gh = s.ih; s.gw = s.iw;
    }
    return s;
}

size_t emc_conv_scratch_bytes(const emc_conv *c)
{
    conv_shape s = shape_of(c);
    size_t n = (size_t)s.gh * s.gw;
    size_t bytes = 4 * align8((size_t)s.oc * sizeof(int64_t));
    bytes += align8((size_t)PIXEL_BLOCK * s.per);
    bytes += align8((size_t)s.oc * n);
    if (!s.pick) {
        bytes += align8((size_t)s.oc * s.oh * s.ow);
    }
    return bytes;
}

static conv_scratch carve(const conv_shape *s, uint8_t *at)
{
    conv_scratch k;
    size_t words = align8((size_t)s->oc * sizeof(int64_t));
    size_t n = (size_t)s->gh * s->gw;
    k.sw_term = (int64_t *)(void *)at; at += words;
    k.bn_mul = (int64_t *)(void *)at; at += words;
    k.bn_add = (int64_t *)(void *)at; at += words;
    k.bn_shift = (int64_t *)(void *)at; at += words;
    k.patch = at; at += align8((size_t)PIXEL_BLOCK * s->per);
    k.plane = at; at += align8((size_t)s->oc * n);
    k.planar = s->pick ? k.plane : at;
    return k;
}

static uint32_t weight_at(const emc_conv *c, size_t i)
{
    return c->eight_bit ? c->weights[i] : (uint32_t)c->weights[2 * i] | ((uint32_t)c->weights[2 * i + 1] << 8);
}

static uint8_t finish(const conv_scratch *k, const emc_activation *a, uint32_t o, int64_t acc)
{
    int64_t t = emc_wrap_add(emc_sar(emc_wrap_mul(acc, k->bn_mul[o]), (int)k->bn_shift[o]), k->bn_add[o]);
    return emc_activation_apply(a, t);
}

static void prepare(const emc_conv *c, const conv_shape *s, const conv_scratch *k)
{
    uint32_t o;
    size_t i;
    for (o = 0; o < s->oc; o++) {
        int64_t sw = 0;
        uint64_t word = emc_u64(c->batch_norm + 8u * o);
        for (i = 0; i < s->per; i++) {
            sw += weight_at(c, (size_t)o * s->per + i);
        }
        k->sw_term[o] = emc_wrap_add(emc_sar(emc_wrap_mul(c->arg_w, sw), c->shr_w),
                                     emc_wrap_mul(c->arg_add, (int64_t)s->channels_per_output));
        k->bn_mul[o] = emc_sign_extend(word, 24);
        k->bn_add[o] = emc_sign_extend(word >> 24, 32);
        k->bn_shift[o] = (int64_t)((word >> 56) & 0xFu);
    }
}

/* The input value of tap (channel, y + dy, x + dx), pad_value outside the image. */
static uint8_t tap(const emc_conv *c, const emc_kpu_ram *ram, uint32_t channel, int64_t y, int64_t x)
{
    if (y < 0 || x < 0 || y >= (int64_t)c->in.height || x >= (int64_t)c->in.width) {
        return c->pad_value;
    }
    return ram->mem[emc_kpu_offset(&c->in, channel, (uint32_t)y, (uint32_t)x) - ram->low];
}

static uint32_t dot8(const uint8_t *w, const uint8_t *x, uint32_t n)
{
    uint32_t i, sum = 0;
    for (i = 0; i < n; i++) {
        sum += (uint32_t)w[i] * x[i];
    }
    return sum;
}

static int64_t dot16(const uint8_t *w, const uint8_t *x, uint32_t n)
{
    uint32_t i;
    int64_t sum = 0;
    for (i = 0; i < n; i++) {
        sum += (int64_t)((uint32_t)w[2 * i] | ((uint32_t)w[2 * i + 1] << 8)) * x[i];
    }
    return sum;
}

static void regular(const emc_conv *c, const conv_shape *s, const conv_scratch *k, const emc_activation *a,
                    const emc_kpu_ram *ram)
{
    size_t n = (size_t)s->gh * s->gw, first, j;
    int64_t sx_term[PIXEL_BLOCK];
    size_t bytes_per_weight = c->eight_bit ? 1 : 2;
    for (first = 0; first < n; first += PIXEL_BLOCK) {
        size_t count = n - first < PIXEL_BLOCK ? n - first : PIXEL_BLOCK;
        uint32_t o;
        for (j = 0; j < count; j++) {
            size_t pixel = first + j;
            int64_t y = (int64_t)s->y0 + (int64_t)(pixel / s->gw) * s->step;
            int64_t x = (int64_t)s->x0 + (int64_t)(pixel % s->gw) * s->step;
            uint8_t *patch = k->patch + j * s->per;
            int64_t sx = 0;
            uint32_t ch, t;
            for (ch = 0; ch < s->ic; ch++) {
                for (t = 0; t < s->taps; t++) {
                    uint8_t v = tap(c, ram, ch, y + (int64_t)(t / c->kernel) - s->pad, x + (int64_t)(t % c->kernel) - s->pad);
                    patch[ch * s->taps + t] = v;
                    sx += v;
                }
            }
            sx_term[j] = emc_sar(emc_wrap_mul(c->arg_x, sx), c->shr_x);
        }
        for (o = 0; o < s->oc; o++) {
            const uint8_t *w = c->weights + (size_t)o * s->per * bytes_per_weight;
            for (j = 0; j < count; j++) {
                const uint8_t *patch = k->patch + j * s->per;
                int64_t p = c->eight_bit ? (int64_t)dot8(w, patch, s->per) : dot16(w, patch, s->per);
                int64_t acc = emc_wrap_add(emc_wrap_add(p, sx_term[j]), k->sw_term[o]);
                k->plane[(size_t)o * n + first + j] = finish(k, a, o, acc);
            }
        }
    }
}

static void depthwise(const emc_conv *c, const conv_shape *s, const conv_scratch *k, const emc_activation *a,
                      const emc_kpu_ram *ram)
{
    size_t n = (size_t)s->gh * s->gw;
    uint32_t ch, gy, gx, t;
    for (ch = 0; ch < s->oc; ch++) {
        uint32_t w[9];
        for (t = 0; t < s->taps; t++) {
            w[t] = weight_at(c, (size_t)ch * s->taps + t);
        }
        for (gy = 0; gy < s->gh; gy++) {
            int64_t y = (int64_t)s->y0 + (int64_t)gy * s->step;
            for (gx = 0; gx < s->gw; gx++) {
                int64_t x = (int64_t)s->x0 + (int64_t)gx * s->step;
                int64_t p = 0, sx = 0, acc;
                for (t = 0; t < s->taps; t++) {
                    uint8_t v = tap(c, ram, ch, y + (int64_t)(t / c->kernel) - s->pad, x + (int64_t)(t % c->kernel) - s->pad);
                    p += (int64_t)w[t] * v;
                    sx += v;
                }
                acc = emc_wrap_add(emc_wrap_add(p, emc_sar(emc_wrap_mul(c->arg_x, sx), c->shr_x)), k->sw_term[ch]);
                k->plane[(size_t)ch * n + (size_t)gy * s->gw + gx] = finish(k, a, ch, acc);
            }
        }
    }
}

void emc_run_conv(const emc_conv *c, emc_rounding rounding, uint8_t *main, emc_kpu_ram *kpu, uint8_t *scratch)
{
    conv_shape s = shape_of(c);
    conv_scratch k = carve(&s, scratch);
    emc_activation a;
    size_t out_plane = (size_t)s.oh * s.ow;
    emc_activation_decode(c->activation, rounding, &a);
    prepare(c, &s, &k);
    if (c->depthwise) {
        depthwise(c, &s, &k, &a, kpu);
    } else {
        regular(c, &s, &k, &a, kpu);
    }
    if (!s.pick) {
        uint32_t o;
        size_t n = (size_t)s.gh * s.gw;
        for (o = 0; o < s.oc; o++) {
            emc_pool_reduce(c->pool, k.plane + o * n, s.gh, s.gw, k.planar + o * out_plane, s.oh, s.ow);
        }
    }
    emc_kpu_scatter(&c->out, k.planar, kpu);
    if (c->main_out) {
        memcpy(main + c->main_out_address, k.planar, (size_t)s.oc * out_plane);
    }
}
