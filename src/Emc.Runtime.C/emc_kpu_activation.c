/* KPU batch-norm and activation stage (spec 6.2-6.4), as the simulator's int64 reference computes it. */
#include "emc_internal.h"

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
    a->monotone = 1;
    for (i = 2; i < 16; i++) {
        a->monotone &= a->start[i - 1] <= a->start[i];
    }
}
