/*
 * Bare-metal start for the Cortex-M builds of the tools under QEMU's MPS2 boards: a vector table whose reset
 * handler enables the FPU and enters newlib's semihosting crt0 (_start), which sets up the C library, reads
 * argv through semihosting, runs main and exits through semihosting.
 */
#include <stdint.h>

extern void _start(void);
extern uint32_t __stack;

void emc_reset(void);
void emc_fault(void);

void emc_reset(void)
{
#if defined(__ARM_FP)
    volatile uint32_t *cpacr = (volatile uint32_t *)0xE000ED88u;
    *cpacr |= 0xFu << 20; /* full access to CP10 and CP11 */
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    _start();
    for (;;) {
    }
}

void emc_fault(void)
{
    for (;;) {
    }
}

__attribute__((section(".isr_vector"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))(uintptr_t)&__stack, emc_reset, emc_fault, emc_fault, emc_fault, emc_fault, emc_fault,
    0, 0, 0, 0, emc_fault, emc_fault, 0, emc_fault, emc_fault
};
