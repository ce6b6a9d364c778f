/*
 * K210_CONV (spec 6): per output pixel of the conv grid
 *   ACC = P + ((arg_x * SX) >> shr_x) + ((arg_w * SW) >> shr_w) + arg_add * G
 * (3x3 taps outside the image read pad_value), then batch-norm, activation, pooling, and the write-back to
 * KPU RAM and optionally main memory. The input is first gathered from KPU RAM into a planar copy bordered with
 * pad_value (as the simulator gathers it), so the output may overlap the input map; regular convs then run over
 * tiles of pixels as im2col columns so that the inner loops are contiguous.
 */
#include <string.h>
#include "emc_internal.h"

#define TILE 64u

typedef struct conv_shape {
    uint32_t ic, oc, ih, iw, oh, ow, gh, gw, y0, x0, step, per, taps, pad, ph, pw, channels_per_output;
    int pick, depthwise;
} conv_shape;

typedef struct conv_scratch {
    int64_t *sw_term, *bn_mul, *bn_add, *bn_shift;
    uint32_t *acc, *sx, *origin;
    uint64_t *acc16;
    uint8_t *padded, *cols, *plane, *planar;
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
    s.ph = s.ih + 2 * s.pad;
    s.pw = s.iw + 2 * s.pad;
    s.depthwise = c->depthwise;
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

/* Carves the scratch area; with at == NULL it only measures it. */
static size_t carve(const conv_shape *s, uint8_t *at, conv_scratch *k)
{
    size_t words = align8((size_t)s->oc * sizeof(int64_t)), n = (size_t)s->gh * s->gw, used = 0;
    conv_scratch local;
    if (!k) {
        k = &local;
    }
#define TAKE(field, type, bytes) (k->field = (type)(void *)(at ? at + used : NULL), used += align8(bytes))
    TAKE(sw_term, int64_t *, words);
    TAKE(bn_mul, int64_t *, words);
    TAKE(bn_add, int64_t *, words);
    TAKE(bn_shift, int64_t *, words);
    TAKE(acc, uint32_t *, TILE * sizeof(uint32_t));
    TAKE(sx, uint32_t *, TILE * sizeof(uint32_t));
    TAKE(origin, uint32_t *, TILE * sizeof(uint32_t));
    TAKE(acc16, uint64_t *, TILE * sizeof(uint64_t));
    TAKE(padded, uint8_t *, (size_t)s->ic * s->ph * s->pw);
    TAKE(cols, uint8_t *, s->depthwise ? 0 : (size_t)s->per * TILE);
    TAKE(plane, uint8_t *, (size_t)s->oc * n);
    if (s->pick) {
        k->planar = k->plane;
    } else {
        TAKE(planar, uint8_t *, (size_t)s->oc * s->oh * s->ow);
    }
#undef TAKE
    return used;
}

size_t emc_conv_scratch_bytes(const emc_conv *c)
{
    conv_shape s = shape_of(c);
    return carve(&s, NULL, NULL);
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

/* Planar copy of the input map with a border of pad_value (3x3 kernels). */
static void gather_padded(const emc_conv *c, const conv_shape *s, const conv_scratch *k, const emc_kpu_ram *ram)
{
    uint32_t ch, y;
    size_t plane = (size_t)s->ph * s->pw;
    const uint8_t *origin = emc_kpu_origin(ram, &c->in);
    uint64_t base = (uint64_t)c->in.base_unit * EMC_KPU_UNIT;
    if (s->pad) {
        memset(k->padded, c->pad_value, (size_t)s->ic * plane);
    }
    for (ch = 0; ch < s->ic; ch++) {
        for (y = 0; y < s->ih; y++) {
            memcpy(k->padded + ch * plane + (size_t)(y + s->pad) * s->pw + s->pad,
                   origin + (emc_kpu_offset(&c->in, ch, y, 0) - base), s->iw);
        }
    }
}

/* im2col columns of a tile of grid pixels: cols[tap * TILE + j], tap = channel * k^2 + ky * k + kx. */
static void tile_columns(const emc_conv *c, const conv_shape *s, const conv_scratch *k, size_t first, uint32_t count)
{
    size_t plane = (size_t)s->ph * s->pw;
    uint32_t j, ch, t;
    for (j = 0; j < count; j++) {
        size_t pixel = first + j;
        k->origin[j] = (uint32_t)((s->y0 + (pixel / s->gw) * s->step) * s->pw + s->x0 + (pixel % s->gw) * s->step);
        k->sx[j] = 0;
    }
    for (ch = 0; ch < s->ic; ch++) {
        for (t = 0; t < s->taps; t++) {
            const uint8_t *src = k->padded + ch * plane + (t / c->kernel) * s->pw + t % c->kernel;
            uint8_t *col = k->cols + ((size_t)ch * s->taps + t) * TILE;
            for (j = 0; j < count; j++) {
                col[j] = src[k->origin[j]];
                k->sx[j] += col[j];
            }
        }
    }
}

/* acc[j] += w * col[j] over a whole tile: a fixed trip count the compiler vectorizes (columns past `count` are ignored). */
static void accumulate8(uint32_t *restrict acc, const uint8_t *restrict weights, const uint8_t *restrict cols, uint32_t per)
{
    uint32_t q, j;
    for (j = 0; j < TILE; j++) {
        acc[j] = 0;
    }
    /* 8-bit: P <= 9216 * 255 * 255 < 2^32. Four rows per pass halve the traffic on acc. */
    for (q = 0; q + 4 <= per; q += 4) {
        const uint8_t *restrict c0 = cols + (size_t)q * TILE;
        uint32_t w0 = weights[q], w1 = weights[q + 1], w2 = weights[q + 2], w3 = weights[q + 3];
        for (j = 0; j < TILE; j++) {
            acc[j] += w0 * c0[j] + w1 * c0[TILE + j] + w2 * c0[2 * TILE + j] + w3 * c0[3 * TILE + j];
        }
    }
    for (; q < per; q++) {
        const uint8_t *restrict col = cols + (size_t)q * TILE;
        uint32_t w = weights[q];
        for (j = 0; j < TILE; j++) {
            acc[j] += w * col[j];
        }
    }
}

static void accumulate16(uint64_t *restrict acc, const uint8_t *restrict weights, const uint8_t *restrict cols, uint32_t per)
{
    uint32_t q, j;
    for (j = 0; j < TILE; j++) {
        acc[j] = 0;
    }
    for (q = 0; q < per; q++) {
        const uint8_t *restrict col = cols + (size_t)q * TILE;
        uint64_t w = (uint64_t)weights[2 * q] | ((uint64_t)weights[2 * q + 1] << 8);
        for (j = 0; j < TILE; j++) {
            acc[j] += w * col[j];
        }
    }
}

static void regular(const emc_conv *c, const conv_shape *s, const conv_scratch *k, const emc_activation *a)
{
    size_t n = (size_t)s->gh * s->gw, first;
    for (first = 0; first < n; first += TILE) {
        uint32_t count = (uint32_t)(n - first < TILE ? n - first : TILE), o, j;
        int64_t sx_term[TILE];
        tile_columns(c, s, k, first, count);
        for (j = 0; j < count; j++) {
            sx_term[j] = emc_sar(emc_wrap_mul(c->arg_x, (int64_t)k->sx[j]), c->shr_x);
        }
        for (o = 0; o < s->oc; o++) {
            uint8_t *dst = k->plane + (size_t)o * n + first;
            if (c->eight_bit) {
                accumulate8(k->acc, c->weights + (size_t)o * s->per, k->cols, s->per);
                for (j = 0; j < count; j++) {
                    dst[j] = finish(k, a, o, emc_wrap_add(emc_wrap_add((int64_t)k->acc[j], sx_term[j]), k->sw_term[o]));
                }
            } else {
                accumulate16(k->acc16, c->weights + (size_t)o * s->per * 2, k->cols, s->per);
                for (j = 0; j < count; j++) {
                    dst[j] = finish(k, a, o, emc_wrap_add(emc_wrap_add((int64_t)k->acc16[j], sx_term[j]), k->sw_term[o]));
                }
            }
        }
    }
}

/* P and SX of `count` consecutive stride-1 pixels of one depthwise row; full tiles have a fixed trip count. */
static void depthwise_row(const uint8_t *restrict at, const uint32_t *w, const uint32_t *offset, uint32_t taps,
                          uint32_t count, uint32_t *restrict p, uint32_t *restrict sx)
{
    uint32_t t, j;
    for (j = 0; j < TILE; j++) {
        p[j] = 0;
        sx[j] = 0;
    }
    for (t = 0; t < taps; t++) {
        const uint8_t *restrict src = at + offset[t];
        uint32_t wt = w[t];
        if (count == TILE) {
            for (j = 0; j < TILE; j++) {
                p[j] += wt * src[j]; /* 9 * 65535 * 255 < 2^32 */
                sx[j] += src[j];
            }
        } else {
            for (j = 0; j < count; j++) {
                p[j] += wt * src[j];
                sx[j] += src[j];
            }
        }
    }
}

static void depthwise(const emc_conv *c, const conv_shape *s, const conv_scratch *k, const emc_activation *a)
{
    size_t n = (size_t)s->gh * s->gw, plane = (size_t)s->ph * s->pw;
    uint32_t ch, gy, gx, t, j;
    for (ch = 0; ch < s->oc; ch++) {
        uint32_t w[9], offset[9];
        const uint8_t *src = k->padded + ch * plane;
        for (t = 0; t < s->taps; t++) {
            w[t] = weight_at(c, (size_t)ch * s->taps + t);
            offset[t] = (t / c->kernel) * s->pw + t % c->kernel;
        }
        for (gy = 0; gy < s->gh; gy++) {
            const uint8_t *row = src + (size_t)(s->y0 + gy * s->step) * s->pw + s->x0;
            uint8_t *dst = k->plane + (size_t)ch * n + (size_t)gy * s->gw;
            for (gx = 0; gx < s->gw; gx += TILE) {
                uint32_t count = s->gw - gx < TILE ? s->gw - gx : TILE;
                if (s->step == 1) {
                    depthwise_row(row + gx, w, offset, s->taps, count, k->acc, k->sx);
                } else {
                    for (j = 0; j < count; j++) {
                        const uint8_t *at = row + (size_t)(gx + j) * s->step;
                        k->acc[j] = 0;
                        k->sx[j] = 0;
                        for (t = 0; t < s->taps; t++) {
                            k->acc[j] += w[t] * at[offset[t]];
                            k->sx[j] += at[offset[t]];
                        }
                    }
                }
                for (j = 0; j < count; j++) {
                    int64_t sx_term = emc_sar(emc_wrap_mul(c->arg_x, (int64_t)k->sx[j]), c->shr_x);
                    dst[gx + j] = finish(k, a, ch, emc_wrap_add(emc_wrap_add((int64_t)k->acc[j], sx_term), k->sw_term[ch]));
                }
            }
        }
    }
}

void emc_run_conv(const emc_conv *c, emc_rounding rounding, uint8_t *main, emc_kpu_ram *kpu, uint8_t *scratch)
{
    conv_shape s = shape_of(c);
    conv_scratch k;
    emc_activation a;
    size_t out_plane = (size_t)s.oh * s.ow;
    carve(&s, scratch, &k);
    emc_activation_decode(c->activation, rounding, &a);
    prepare(c, &s, &k);
    gather_padded(c, &s, &k, kpu);
    if (c->depthwise) {
        depthwise(c, &s, &k, &a);
    } else {
        regular(c, &s, &k, &a);
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
