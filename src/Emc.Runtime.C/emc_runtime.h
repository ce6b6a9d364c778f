/*
 * Emc.Runtime.C: a portable C99 runtime for Kendryte K210 kmodel v3 files.
 *
 * The model blob is used in place and never written. Loading validates every table, body, offset and memory
 * range the model names, so running a loaded model cannot read or write outside the blob, the caller's main
 * memory or the caller's KPU arena. No dynamic allocation, no global state; the integer (KPU and uint8) layers
 * are bit-exact with the Emc.Kmodel simulator, float layers follow its single-precision order of operations
 * (build with -ffp-contract=off so the compiler does not fuse multiply-adds).
 */
#ifndef EMC_RUNTIME_H
#define EMC_RUNTIME_H

#ifdef EMC_MODEL_COMMON_DEFINED
#error "include emc_runtime.h before generated model headers (they reuse EMC_ELEMENT_* when it is present)"
#endif

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum emc_status {
    EMC_OK = 0,
    EMC_ERR_ARGUMENT,          /* a null pointer or an option out of range */
    EMC_ERR_NOT_KMODEL_V3,     /* version is not 3 or arch is not 0 */
    EMC_ERR_TRUNCATED,         /* the header, tables or a body run past the end of the blob */
    EMC_ERR_BODY,              /* a body is misaligned or too small for its layout */
    EMC_ERR_LAYER_TYPE,        /* unknown type code, or a type the SDK does not run */
    EMC_ERR_FIRST_LAYER,       /* the first layer is neither K210_CONV nor FULLY_CONNECTED */
    EMC_ERR_LAST_LAYER,        /* the last layer is a conv that keeps its output in KPU RAM */
    EMC_ERR_CONV_REGISTERS,    /* conv registers, offsets or parameters are inconsistent */
    EMC_ERR_LAYER_PARAMETERS,  /* a CPU layer parameter is out of range (e.g. a shift) */
    EMC_ERR_MAIN_RANGE,        /* a main-memory range (or an output) ends past main_mem_usage */
    EMC_ERR_KPU_RANGE,         /* a KPU-RAM feature map ends past the 2 MiB KPU RAM */
    EMC_ERR_NO_LAYERS,         /* layers_length is 0 */
    EMC_ERR_MEMORY_TOO_SMALL,  /* the caller's main memory or arena is smaller than the model needs */
    EMC_ERR_INPUT_SIZE         /* the input does not have the size the first layer takes */
} emc_status;

/* Activation rounding of the KPU (spec 6.3). SDK: kpu_carry_shift and x_start <= T (default). */
typedef enum emc_rounding {
    EMC_ROUNDING_SDK = 0,
    EMC_ROUNDING_HALF_EVEN = 1
} emc_rounding;

typedef enum emc_element {
    EMC_ELEMENT_UINT8 = 0,
    EMC_ELEMENT_FLOAT32 = 1
} emc_element;

/* At most this many disjoint KPU-RAM ranges are kept apart in the arena; more are merged with their nearest. */
#define EMC_KPU_RANGES 16

typedef struct emc_options {
    emc_rounding rounding;
    /* Run QUANTIZED_TENSORFLOW_FLATTEN (21) as Maix-EMC's patched kpu.c does; 0 rejects it like the stock SDK. */
    int run_quantized_flatten;
} emc_options;

/* A loaded model: a view of the blob plus what loading derived. Treat the fields as private. */
typedef struct emc_model {
    const uint8_t *blob;
    size_t blob_size;
    emc_options options;
    uint32_t flags;
    uint32_t layer_count;
    uint32_t output_count;
    uint32_t main_mem_usage;
    size_t body_start;
    /* KPU-RAM byte ranges the layers touch, merged, sorted and packed one after another into the arena. */
    uint32_t kpu_range_count;
    uint32_t kpu_range_low[EMC_KPU_RANGES];
    uint32_t kpu_range_high[EMC_KPU_RANGES];
    size_t scratch_bytes;      /* conv working area placed after the KPU span in the arena */
    uint64_t work;             /* multiply-accumulates (and window taps) of one inference */
} emc_model;

typedef struct emc_tensor_info {
    emc_element element;
    uint32_t shape[4];         /* N, C, H, W (unused trailing dimensions are 1) */
    uint32_t bytes;
    uint32_t address;          /* main-buffer offset (outputs, float inputs); KPU unit for a uint8 input */
    int has_quantization;      /* 1 when scale/bias below are known */
    float scale;               /* real = q * scale + bias */
    float bias;
    int32_t zero_point;        /* the uint8 value that means real 0 (input: the first conv's pad_value) */
} emc_tensor_info;

void emc_default_options(emc_options *options);

/* Validates the whole blob; on success *model describes it. options may be NULL (defaults). */
emc_status emc_model_load(emc_model *model, const void *blob, size_t blob_size, const emc_options *options);

/* Bytes of main memory emc_model_run needs (the header's main_mem_usage). */
size_t emc_model_main_memory_size(const emc_model *model);

/* Bytes of the KPU arena emc_model_run needs: the KPU-RAM ranges the model addresses, packed, plus the conv working area. */
size_t emc_model_arena_size(const emc_model *model);

/* Multiply-accumulates (plus pool window taps) of one inference: a cost estimate before running. */
uint64_t emc_model_work(const emc_model *model);

emc_status emc_model_input_info(const emc_model *model, emc_tensor_info *info);
uint32_t emc_model_output_count(const emc_model *model);
emc_status emc_model_output_info(const emc_model *model, uint32_t index, emc_tensor_info *info);

/*
 * Runs one inference. input: uint8 planar CHW for a K210_CONV first layer, float32 (little-endian host order)
 * for a FULLY_CONNECTED first layer. main_memory and arena are zeroed first (the device leaves them
 * uninitialised; zero keeps runs deterministic). Outputs are read with emc_model_output.
 */
emc_status emc_model_run(const emc_model *model, const void *input, size_t input_size,
                         uint8_t *main_memory, size_t main_memory_size, uint8_t *arena, size_t arena_size);

/* Output `index` after a run: a pointer into main_memory and its size in bytes. */
emc_status emc_model_output(const emc_model *model, uint32_t index, const uint8_t *main_memory,
                            const uint8_t **data, size_t *size);

const char *emc_status_name(emc_status status);

#ifdef __cplusplus
}
#endif

#endif
