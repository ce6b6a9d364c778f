/* Firmware-style use of a generated header with the Emc C runtime: the same code runs on a K210, a Cortex-M or
 * (here) the host. It prints what the header says about the model, then classifies a 16x16 BMP with shapes_run.
 * Usage: firmware-host IMAGE.bmp */
#include <stdio.h>
#include <string.h>

#include "emc_runtime.h" /* first: enables the header's shapes_run helper */
#include "shapes.h"
#include "bmp.h"

#define IMAGE_SIZE 16u
#define ARENA_CAPACITY (64u * 1024u)

static uint8_t main_memory[SHAPES_MAIN_MEMORY_USAGE];
static uint8_t kpu_arena[ARENA_CAPACITY];
static uint8_t image[3u * IMAGE_SIZE * IMAGE_SIZE];

static void print_model(void)
{
    unsigned i;
    printf("shapes.kmodel: %u bytes, %u layers, main memory %u bytes, KPU arena %u bytes, sha256 %s\n",
           (unsigned)SHAPES_KMODEL_SIZE, (unsigned)SHAPES_LAYER_COUNT, (unsigned)SHAPES_MAIN_MEMORY_USAGE,
           (unsigned)shapes_kpu_arena_size(), SHAPES_SHA256);
    for (i = 0; i < SHAPES_LAYER_COUNT; i++)
        printf("  layer %2u %-22s %s %s\n", (unsigned)shapes_layers[i].index, shapes_layers[i].type,
               shapes_layers[i].on_kpu ? "KPU" : "CPU", shapes_layers[i].placement);
}

int main(int argc, char **argv)
{
    float scores[SHAPES_OUTPUT_FLOAT_COUNT];
    unsigned i, best = 0;
    int status;

    print_model();
    if (argc != 2 || shapes_inputs[0].shape[1] != 3u || shapes_inputs[0].shape[2] != IMAGE_SIZE || shapes_inputs[0].shape[3] != IMAGE_SIZE)
    {
        fprintf(stderr, "usage: firmware-host IMAGE.bmp (a %ux%u image for a 3x%ux%u input)\n", IMAGE_SIZE, IMAGE_SIZE, IMAGE_SIZE, IMAGE_SIZE);
        return 2;
    }
    if (shapes_kpu_arena_size() > sizeof kpu_arena)
    {
        fprintf(stderr, "the model needs a %u-byte KPU arena\n", (unsigned)shapes_kpu_arena_size());
        return 1;
    }
    if (bmp_read_rgb_chw(argv[1], IMAGE_SIZE, IMAGE_SIZE, image) != 0)
        return 1;

    status = shapes_run(image, scores, main_memory, kpu_arena);
    if (status != EMC_OK)
    {
        fprintf(stderr, "shapes_run: %s\n", emc_status_name((emc_status)status));
        return 1;
    }
    printf("image %s:\n", argv[1]);
    for (i = 0; i < SHAPES_OUTPUT_FLOAT_COUNT; i++)
    {
        uint32_t bits;
        memcpy(&bits, &scores[i], sizeof bits);
        printf("  score[%u] = %.9g (0x%08lx)\n", i, (double)scores[i], (unsigned long)bits);
        if (scores[i] > scores[best])
            best = i;
    }
    printf("class %u\n", best);
    return 0;
}
