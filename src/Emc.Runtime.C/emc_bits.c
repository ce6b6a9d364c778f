/* Byte-order-independent reads and int64 arithmetic with the simulator's wrap-around semantics. */
#include <string.h>
#include "emc_internal.h"

uint32_t emc_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

uint64_t emc_u64(const uint8_t *p)
{
    return (uint64_t)emc_u32(p) | ((uint64_t)emc_u32(p + 4) << 32);
}

float emc_f32(const uint8_t *p)
{
    uint32_t bits = emc_u32(p);
    float v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

void emc_put_f32(uint8_t *p, float v)
{
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    p[0] = (uint8_t)bits;
    p[1] = (uint8_t)(bits >> 8);
    p[2] = (uint8_t)(bits >> 16);
    p[3] = (uint8_t)(bits >> 24);
}

int64_t emc_sign_extend(uint64_t raw, unsigned width)
{
    uint64_t sign = (uint64_t)1 << (width - 1);
    raw &= (sign << 1) - 1;
    return emc_as_signed((raw ^ sign) - sign);
}

uint64_t emc_sat_mul(uint64_t a, uint64_t b)
{
    if (a != 0 && b > UINT64_MAX / a) {
        return UINT64_MAX;
    }
    return a * b;
}

uint64_t emc_sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}
