/*
 * KPU pool stage (spec 5.6) on one uint8 activation plane. Pick types (0, 5, 6, 7) select conv outputs, so the
 * conv computes only the picked pixels; the reducing types run here. Edge policy of the stride-1 types (the
 * simulator's choice, spec [U]): max ignores taps past the plane, mean replicates the edge pixel.
 */
#include "emc_internal.h"

unsigned emc_pool_stride(unsigned pool)
{
    switch (pool) {
    case 0: case 8: case 9: return 1;
    case 1: case 2: case 5: case 6: return 2;
    case 3: case 4: case 7: return 4;
    default: return 0;
    }
}

int emc_pool_pick(unsigned pool, unsigned *y, unsigned *x)
{
    switch (pool) {
    case 0: case 5: case 7: *y = 0; *x = 0; return 1;
    case 6: *y = 0; *x = 1; return 1;
    default: return 0;
    }
}

static uint8_t max_u8(uint8_t a, uint8_t b) { return a > b ? a : b; }

static void max_window(const uint8_t *src, uint32_t ih, uint32_t iw, uint8_t *dst, uint32_t oh, uint32_t ow,
                       uint32_t k, uint32_t stride)
{
    uint32_t oy, ox, y, x;
    for (oy = 0; oy < oh; oy++) {
        uint32_t y0 = oy * stride, y1 = y0 + k < ih ? y0 + k : ih;
        for (ox = 0; ox < ow; ox++) {
            uint32_t x0 = ox * stride, x1 = x0 + k < iw ? x0 + k : iw;
            uint8_t m = 0;
            for (y = y0; y < y1; y++) {
                for (x = x0; x < x1; x++) {
                    m = max_u8(m, src[(size_t)y * iw + x]);
                }
            }
            dst[(size_t)oy * ow + ox] = m;
        }
    }
}

static void max_2x2_stride1(const uint8_t *src, uint32_t ih, uint32_t iw, uint8_t *dst, uint32_t oh, uint32_t ow)
{
    uint32_t oy, ox;
    for (oy = 0; oy < oh; oy++) {
        const uint8_t *r0 = src + (size_t)oy * iw;
        const uint8_t *r1 = oy + 1 < ih ? r0 + iw : r0;
        for (ox = 0; ox < ow; ox++) {
            uint32_t x1 = ox + 1 < iw ? ox + 1 : ox;
            dst[(size_t)oy * ow + ox] = max_u8(max_u8(r0[ox], r0[x1]), max_u8(r1[ox], r1[x1]));
        }
    }
}

static void mean_window(const uint8_t *src, uint32_t ih, uint32_t iw, uint8_t *dst, uint32_t oh, uint32_t ow,
                        uint32_t k, uint32_t stride)
{
    uint32_t oy, ox, ky, kx;
    for (oy = 0; oy < oh; oy++) {
        for (ox = 0; ox < ow; ox++) {
            uint32_t sum = 0;
            for (ky = 0; ky < k; ky++) {
                uint32_t y = oy * stride + ky < ih - 1 ? oy * stride + ky : ih - 1;
                for (kx = 0; kx < k; kx++) {
                    uint32_t x = ox * stride + kx < iw - 1 ? ox * stride + kx : iw - 1;
                    sum += src[(size_t)y * iw + x];
                }
            }
            dst[(size_t)oy * ow + ox] = (uint8_t)(sum / (k * k));
        }
    }
}

void emc_pool_reduce(unsigned pool, const uint8_t *src, uint32_t ih, uint32_t iw, uint8_t *dst, uint32_t oh, uint32_t ow)
{
    switch (pool) {
    case 1: max_window(src, ih, iw, dst, oh, ow, 2, 2); break;
    case 3: max_window(src, ih, iw, dst, oh, ow, 4, 4); break;
    case 9: max_2x2_stride1(src, ih, iw, dst, oh, ow); break;
    case 2: mean_window(src, ih, iw, dst, oh, ow, 2, 2); break;
    case 4: mean_window(src, ih, iw, dst, oh, ow, 4, 4); break;
    case 8: mean_window(src, ih, iw, dst, oh, ow, 2, 1); break;
    default: break;
    }
}
