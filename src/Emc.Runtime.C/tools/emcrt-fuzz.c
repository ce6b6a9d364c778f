/*
 * emcrt-fuzz SEED COUNT MODEL...
 * Mutates the given kmodels in process (seeded, deterministic) and sends each mutant through load and, when it
 * loads and is cheap enough, run. Built with ASan+UBSan: any out-of-bounds access or undefined behaviour aborts
 * the process; otherwise it prints how many mutants ended in each status. Every buffer is allocated at its exact
 * size so the sanitizers see any overrun.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emc_runtime.h"

#define MAX_MODELS 16
#define MAX_WORK 20000000u         /* run only mutants this cheap: the point is memory safety, not speed */
#define MAX_MEMORY (16u << 20)

typedef struct seed_model {
    unsigned char *bytes;
    size_t size;
} seed_model;

static uint64_t rng_state;

static uint64_t next_random(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static size_t below(size_t n)
{
    return n ? (size_t)(next_random() % n) : 0;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); p[2] = (unsigned char)(v >> 16); p[3] = (unsigned char)(v >> 24);
}

/* A position worth mutating: header and tables, the start of a body, or a conv's register block. */
static size_t interesting_position(const unsigned char *m, size_t size)
{
    uint32_t outputs, layers, i, pick;
    size_t start;
    if (size < 28 || below(8) == 0) {
        return below(size);
    }
    outputs = le32(m + 24);
    layers = le32(m + 12);
    start = 28 + 8 * (size_t)outputs + 8 * (size_t)layers;
    if (outputs > 64 || layers > 4096 || start > size || below(3) == 0) {
        return below(start < size ? start : size);
    }
    pick = (uint32_t)below(layers);
    for (i = 0; i < pick && start < size; i++) {
        start += le32(m + 28 + 8 * (size_t)outputs + 8 * (size_t)i + 4);
    }
    if (start + 24 > size) {
        return below(size);
    }
    if (le32(m + 28 + 8 * (size_t)outputs + 8 * (size_t)pick) == 10240 && below(2) == 0) {
        size_t regs = le32(m + start + 8);
        if (regs + 96 <= size) {
            return regs + below(96);
        }
    }
    return start + below(64);
}

static void mutate(unsigned char *m, size_t size)
{
    static const uint32_t words[] = { 0, 1, 2, 3, 4, 7, 8, 16, 63, 64, 255, 256, 1023, 1024, 32767, 32768, 65535, 65536,
                                      0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0xFFFFFFFEu, 10240, 10241, 10242, 10243 };
    size_t n = 1 + below(6), k;
    for (k = 0; k < n; k++) {
        size_t at = interesting_position(m, size) % size;
        switch (below(5)) {
        case 0: m[at] ^= (unsigned char)(1u << below(8)); break;
        case 1: m[at] = (unsigned char)next_random(); break;
        case 2: if (at + 4 <= size) { put32(m + (at & ~(size_t)3), words[below(sizeof words / sizeof words[0])]); } break;
        case 3: if (at + 4 <= size) { put32(m + (at & ~(size_t)3), le32(m + (at & ~(size_t)3)) + (uint32_t)below(17) - 8u); } break;
        default: if (at + 8 <= size) { m[at + below(8)] ^= 0xFF; } break;
        }
    }
}

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data;
    long length;
    if (!f || fseek(f, 0, SEEK_END) != 0 || (length = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        if (f) {
            fclose(f);
        }
        return NULL;
    }
    data = (unsigned char *)malloc((size_t)length + 1);
    if (data && fread(data, 1, (size_t)length, f) != (size_t)length) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = (size_t)length;
    return data;
}

static emc_status run_once(const emc_model *model, unsigned long *ran)
{
    emc_tensor_info in;
    unsigned char *input, *main_memory, *arena;
    size_t main_size = emc_model_main_memory_size(model), arena_size = emc_model_arena_size(model), i;
    emc_status s;
    if (emc_model_work(model) > MAX_WORK || main_size > MAX_MEMORY || arena_size > MAX_MEMORY) {
        return EMC_OK;
    }
    if ((s = emc_model_input_info(model, &in)) != EMC_OK || in.bytes > MAX_MEMORY) {
        return s;
    }
    input = (unsigned char *)malloc(in.bytes ? in.bytes : 1);
    main_memory = (unsigned char *)malloc(main_size ? main_size : 1);
    arena = (unsigned char *)malloc(arena_size ? arena_size : 1);
    if (!input || !main_memory || !arena) {
        fprintf(stderr, "emcrt-fuzz: out of memory\n");
        exit(2);
    }
    for (i = 0; i < in.bytes; i++) {
        input[i] = (unsigned char)next_random();
    }
    s = emc_model_run(model, input, in.bytes, main_memory, main_size, arena, arena_size);
    for (i = 0; s == EMC_OK && i < emc_model_output_count(model); i++) {
        const uint8_t *data;
        size_t size;
        emc_tensor_info info;
        s = emc_model_output(model, (uint32_t)i, main_memory, &data, &size);
        if (s == EMC_OK) {
            s = emc_model_output_info(model, (uint32_t)i, &info);
        }
    }
    free(input);
    free(main_memory);
    free(arena);
    ++*ran;
    return s;
}

int main(int argc, char **argv)
{
    seed_model seeds[MAX_MODELS];
    unsigned long count, i, loaded = 0, ran = 0, by_status[32] = { 0 };
    int models = 0, k;
    if (argc < 4) {
        fprintf(stderr, "usage: emcrt-fuzz SEED COUNT MODEL...\n");
        return 2;
    }
    rng_state = strtoull(argv[1], NULL, 10) * 0x9E3779B97F4A7C15ULL + 1;
    count = strtoul(argv[2], NULL, 10);
    for (k = 3; k < argc && models < MAX_MODELS; k++) {
        seeds[models].bytes = read_file(argv[k], &seeds[models].size);
        if (!seeds[models].bytes) {
            fprintf(stderr, "emcrt-fuzz: cannot read %s\n", argv[k]);
            return 2;
        }
        models++;
    }
    for (i = 0; i < count; i++) {
        const seed_model *seed = &seeds[below((size_t)models)];
        size_t size = seed->size;
        unsigned char *mutant;
        emc_model model;
        emc_options options;
        emc_status s;
        if (below(16) == 0) {
            size = below(seed->size + 1); /* truncated */
        }
        mutant = (unsigned char *)malloc(size ? size : 1);
        if (!mutant) {
            return 2;
        }
        memcpy(mutant, seed->bytes, size);
        if (size) {
            mutate(mutant, size);
        }
        emc_default_options(&options);
        options.rounding = below(2) ? EMC_ROUNDING_SDK : EMC_ROUNDING_HALF_EVEN;
        s = emc_model_load(&model, mutant, size, &options);
        if (s == EMC_OK) {
            loaded++;
            s = run_once(&model, &ran);
        }
        by_status[(unsigned)s < 32 ? (unsigned)s : 31]++;
        free(mutant);
    }
    printf("mutants %lu loaded %lu ran %lu\n", count, loaded, ran);
    for (k = 0; k < 32; k++) {
        if (by_status[k]) {
            printf("  %-45s %lu\n", emc_status_name((emc_status)k), by_status[k]);
        }
    }
    for (k = 0; k < models; k++) {
        free(seeds[k].bytes);
    }
    return 0;
}
