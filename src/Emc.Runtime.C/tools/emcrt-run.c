/*
 * emcrt-run MODEL.kmodel INPUT OUTPUT [--rounding sdk|half-even] [--repeat N]
 * emcrt-run --info MODEL.kmodel
 * Runs one inference with the C runtime (--repeat: N inferences, CPU ms per inference on stderr), or prints the
 * model's input, outputs and memory needs. INPUT holds the bytes the device takes (uint8 planar CHW, or float32
 * for a FULLY_CONNECTED first layer); OUTPUT receives every model output's bytes concatenated in output order.
 * The only file I/O of the runtime's tools; memory comes from malloc here, never inside the runtime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

static const char *element_name(emc_element e)
{
    return e == EMC_ELEMENT_UINT8 ? "uint8" : "float32";
}

static void print_tensor(const char *what, const emc_tensor_info *t)
{
    printf("%s: %s [%u,%u,%u,%u] %u bytes at %u", what, element_name(t->element), (unsigned)t->shape[0],
           (unsigned)t->shape[1], (unsigned)t->shape[2], (unsigned)t->shape[3], (unsigned)t->bytes, (unsigned)t->address);
    if (t->has_quantization) {
        printf(", dequantized from uint8 with scale %g bias %g (zero point %d)", (double)t->scale, (double)t->bias,
               (int)t->zero_point);
    } else if (t->element == EMC_ELEMENT_UINT8) {
        printf(", zero point %d", (int)t->zero_point);
    }
    printf("\n");
}

static int info(const char *path)
{
    size_t size = 0;
    unsigned char *blob = read_file(path, &size);
    emc_model model;
    emc_tensor_info t;
    emc_status status;
    uint32_t i;
    if (!blob) {
        fprintf(stderr, "emcrt-run: cannot read %s\n", path);
        return 2;
    }
    status = emc_model_load(&model, blob, size, NULL);
    if (status != EMC_OK) {
        fprintf(stderr, "emcrt-run: %s: %s\n", path, emc_status_name(status));
        free(blob);
        return 1;
    }
    emc_model_input_info(&model, &t);
    print_tensor("input", &t);
    for (i = 0; i < emc_model_output_count(&model); i++) {
        char name[32];
        sprintf(name, "output %u", (unsigned)i);
        emc_model_output_info(&model, i, &t);
        print_tensor(name, &t);
    }
    printf("main memory %lu bytes, KPU arena %lu bytes, %llu multiply-accumulates per inference\n",
           (unsigned long)emc_model_main_memory_size(&model), (unsigned long)emc_model_arena_size(&model),
           (unsigned long long)emc_model_work(&model));
    free(blob);
    return 0;
}

/* Loads, runs and writes; every path frees what it allocated (the ASan build also checks for leaks). */
static int run(char **argv, const emc_options *options, long repeat)
{
    emc_model model;
    emc_status status = EMC_OK;
    unsigned char *blob = NULL, *input = NULL, *main_memory = NULL, *arena = NULL;
    size_t blob_size = 0, input_size = 0;
    uint32_t i;
    long r;
    clock_t started;
    FILE *out;
    int code = 0;

    blob = read_file(argv[1], &blob_size);
    input = read_file(argv[2], &input_size);
    if (!blob || !input) {
        fprintf(stderr, "emcrt-run: cannot read %s\n", blob ? argv[2] : argv[1]);
        code = 2;
    } else if ((status = emc_model_load(&model, blob, blob_size, options)) != EMC_OK) {
        fprintf(stderr, "emcrt-run: %s: %s\n", argv[1], emc_status_name(status));
        code = 1;
    } else if (!(main_memory = (unsigned char *)malloc(emc_model_main_memory_size(&model) + 1))
               || !(arena = (unsigned char *)malloc(emc_model_arena_size(&model) + 1))) {
        fprintf(stderr, "emcrt-run: out of memory\n");
        code = 2;
    } else {
        started = clock();
        for (r = 0; r < repeat && status == EMC_OK; r++) {
            status = emc_model_run(&model, input, input_size, main_memory, emc_model_main_memory_size(&model),
                                   arena, emc_model_arena_size(&model));
        }
        if (repeat > 1) {
            fprintf(stderr, "emcrt-run: %.3f ms per inference (CPU, %ld runs)\n",
                    1000.0 * (double)(clock() - started) / CLOCKS_PER_SEC / (double)repeat, repeat);
        }
        if (status != EMC_OK) {
            fprintf(stderr, "emcrt-run: run: %s\n", emc_status_name(status));
            code = 1;
        } else if (!(out = fopen(argv[3], "wb"))) {
            fprintf(stderr, "emcrt-run: cannot write %s\n", argv[3]);
            code = 2;
        } else {
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
        }
    }
    free(main_memory);
    free(arena);
    free(blob);
    free(input);
    return code;
}

int main(int argc, char **argv)
{
    emc_options options;
    int code, a;
    long repeat = 1;

    emc_default_options(&options);
    if (argc == 3 && strcmp(argv[1], "--info") == 0) {
        return info(argv[2]);
    }
    for (a = 4; a < argc; a += 2) {
        if (a + 1 < argc && strcmp(argv[a], "--rounding") == 0 && strcmp(argv[a + 1], "half-even") == 0) {
            options.rounding = EMC_ROUNDING_HALF_EVEN;
        } else if (a + 1 < argc && strcmp(argv[a], "--rounding") == 0 && strcmp(argv[a + 1], "sdk") == 0) {
            options.rounding = EMC_ROUNDING_SDK;
        } else if (a + 1 < argc && strcmp(argv[a], "--repeat") == 0 && (repeat = strtol(argv[a + 1], NULL, 10)) > 0) {
            continue;
        } else {
            argc = 0;
        }
    }
    if (argc < 4) {
        fprintf(stderr, "usage: emcrt-run MODEL.kmodel INPUT OUTPUT [--rounding sdk|half-even] [--repeat N]\n"
                        "       emcrt-run --info MODEL.kmodel\n");
        return 2;
    }
    code = run(argv, &options, repeat);
    return code;
}
