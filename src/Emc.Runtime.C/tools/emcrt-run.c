/*
 * emcrt-run MODEL.kmodel INPUT OUTPUT [--rounding sdk|half-even]
 * Runs one inference with the C runtime. INPUT holds the bytes the device takes (uint8 planar CHW, or float32
 * for a FULLY_CONNECTED first layer); OUTPUT receives every model output's bytes concatenated in output order.
 * The only file I/O of the runtime's tools; memory comes from malloc here, never inside the runtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emc_runtime.h"

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t capacity = 0, used = 0;
    if (!f) {
        return NULL;
    }
    for (;;) {
        size_t got;
        if (used == capacity) {
            unsigned char *grown;
            capacity = capacity ? capacity * 2 : 65536;
            grown = (unsigned char *)realloc(data, capacity);
            if (!grown) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = grown;
        }
        got = fread(data + used, 1, capacity - used, f);
        used += got;
        if (got == 0) {
            break;
        }
    }
    fclose(f);
    *size = used;
    return data;
}

int main(int argc, char **argv)
{
    emc_options options;
    emc_model model;
    emc_status status;
    unsigned char *blob, *input, *main_memory, *arena;
    size_t blob_size = 0, input_size = 0;
    uint32_t i;
    FILE *out;
    int code = 0;

    emc_default_options(&options);
    if (argc == 6 && strcmp(argv[4], "--rounding") == 0) {
        if (strcmp(argv[5], "half-even") == 0) {
            options.rounding = EMC_ROUNDING_HALF_EVEN;
        } else if (strcmp(argv[5], "sdk") != 0) {
            fprintf(stderr, "emcrt-run: --rounding takes sdk or half-even\n");
            return 2;
        }
    } else if (argc != 4) {
        fprintf(stderr, "usage: emcrt-run MODEL.kmodel INPUT OUTPUT [--rounding sdk|half-even]\n");
        return 2;
    }
    blob = read_file(argv[1], &blob_size);
    input = read_file(argv[2], &input_size);
    if (!blob || !input) {
        fprintf(stderr, "emcrt-run: cannot read %s\n", blob ? argv[2] : argv[1]);
        return 2;
    }
    status = emc_model_load(&model, blob, blob_size, &options);
    if (status != EMC_OK) {
        fprintf(stderr, "emcrt-run: %s: %s\n", argv[1], emc_status_name(status));
        return 1;
    }
    main_memory = (unsigned char *)malloc(emc_model_main_memory_size(&model) + 1);
    arena = (unsigned char *)malloc(emc_model_arena_size(&model) + 1);
    if (!main_memory || !arena) {
        fprintf(stderr, "emcrt-run: out of memory\n");
        return 2;
    }
    status = emc_model_run(&model, input, input_size, main_memory, emc_model_main_memory_size(&model),
                           arena, emc_model_arena_size(&model));
    if (status != EMC_OK) {
        fprintf(stderr, "emcrt-run: run: %s\n", emc_status_name(status));
        return 1;
    }
    out = fopen(argv[3], "wb");
    if (!out) {
        fprintf(stderr, "emcrt-run: cannot write %s\n", argv[3]);
        return 2;
    }
    for (i = 0; i < emc_model_output_count(&model); i++) {
        const uint8_t *data;
        size_t size;
        emc_model_output(&model, i, main_memory, &data, &size);
        if (fwrite(data, 1, size, out) != size) {
            code = 2;
        }
    }
    if (fclose(out) != 0) {
        code = 2;
    }
    free(main_memory);
    free(arena);
    free(blob);
    free(input);
    return code;
}
