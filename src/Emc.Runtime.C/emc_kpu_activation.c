/* KPU batch-norm and activation stage (spec 6.2-6.4), as the simulator's int64 reference computes it. */
#include "emc_internal.h"

int64_t emc_carry_shift(int64_t v, int shift)
{
    if (shift <= 0) {
        return v;
    }
    v = emc_sar(v, shift - 1);
    if (v & 1) {
        return v < 0 ? emc_sar(v, 1) - 1 : emc_sar(v, 1) + 1;
    }
    return emc_sar(v, 1);
}

int64_t emc_shift_half_even(int64_t v, int shift)
{
    int64_t q, f, half;
    if (shift <= 0) {
        return v;
    }
    if (shift >= 64) {
        return 0;
    }
    q = emc_sar(v, shift);
    /* f = v - q * 2^shift is exact in [0, 2^shift). */
    f = (int64_t)((uint64_t)v - ((uint64_t)q << shift));
    half = (int64_t)((uint64_t)1 << (shift - 1));
    return (f > half || (f == half && (q & 1))) ? q + 1 : q;
}

uint8_t emc_saturate_u8(int64_t v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

void emc_activation_decode(const uint8_t *table, emc_rounding rounding, emc_activation *a)
{
    int i;
    for (i = 0; i < 16; i++) {
        uint64_t word = emc_u64(table + 8 * i);
        a->shift[i] = (int)(word & 0xFFu);
        a->mul[i] = (int64_t)((word >> 8) & 0xFFFFu);
        a->start[i] = emc_sign_extend(word >> 24, 36);
        a->bias[i] = table[128 + i];
    }
    a->half_even = rounding == EMC_ROUNDING_HALF_EVEN;
}

/* The highest segment whose start satisfies the condition, else segment 0 (a priority encoder's default). */
uint8_t emc_activation_apply(const emc_activation *a, int64_t t)
{
    int j = 15;
    int64_t v, r;
    while (j > 0 && !(a->half_even ? a->start[j] < t : a->start[j] <= t)) {
        j--;
    }
    v = emc_wrap_mul(emc_wrap_sub(t, a->start[j]), a->mul[j]);
    r = a->half_even ? emc_shift_half_even(v, a->shift[j]) : emc_carry_shift(v, a->shift[j]);
    return emc_saturate_u8(emc_wrap_add(r, a->bias[j]));
}
