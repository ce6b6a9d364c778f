/* Shared declarations of the runtime's translation units (not part of the public API). */
#ifndef EMC_INTERNAL_H
#define EMC_INTERNAL_H

#include "emc_runtime.h"

#define EMC_HEADER_SIZE 28u
#define EMC_KPU_RAM_BYTES (2u * 1024u * 1024u)
#define EMC_KPU_UNIT 64u
#define EMC_MAX_LAYERS 65536u

enum emc_layer_type {
    EMC_ADD = 1,
    EMC_QUANTIZED_ADD = 2,
    EMC_GLOBAL_AVERAGE_POOL2D = 5,
    EMC_QUANTIZED_MAX_POOL2D = 8,
    EMC_AVERAGE_POOL2D = 9,
    EMC_QUANTIZE = 11,
    EMC_DEQUANTIZE = 12,
    EMC_REQUANTIZE = 13,
    EMC_L2_NORMALIZATION = 14,
    EMC_SOFTMAX = 15,
    EMC_CONCAT = 16,
    EMC_QUANTIZED_CONCAT = 17,
    EMC_FULLY_CONNECTED = 18,
    EMC_TENSORFLOW_FLATTEN = 20,
    EMC_QUANTIZED_TENSORFLOW_FLATTEN = 21,
    EMC_RESIZE_NEAREST_NEIGHBOR = 22,
    EMC_QUANTIZED_RESIZE_NEAREST_NEIGHBOR = 23,
    EMC_CHANNELWISE_DEQUANTIZE = 24,
    EMC_LOGISTIC = 25,
    EMC_K210_CONV = 10240,
    EMC_K210_ADD_PADDING = 10241,
    EMC_K210_REMOVE_PADDING = 10242,
    EMC_K210_UPLOAD = 10243
};

/* Little-endian reads (alignment-free). */
uint32_t emc_u32(const uint8_t *p);
uint64_t emc_u64(const uint8_t *p);
float emc_f32(const uint8_t *p);
void emc_put_f32(uint8_t *p, float v);
int64_t emc_sign_extend(uint64_t raw, unsigned width);

/* Two's-complement int64 arithmetic without undefined behaviour (the simulator's `unchecked`); inline for the conv loops. */
static inline int64_t emc_as_signed(uint64_t u)
{
    return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

static inline int64_t emc_wrap_add(int64_t a, int64_t b) { return emc_as_signed((uint64_t)a + (uint64_t)b); }
static inline int64_t emc_wrap_sub(int64_t a, int64_t b) { return emc_as_signed((uint64_t)a - (uint64_t)b); }
static inline int64_t emc_wrap_mul(int64_t a, int64_t b) { return emc_as_signed((uint64_t)a * (uint64_t)b); }

/* Floor shift; counts >= 63 give the sign fill (never shifts a negative value, which C leaves implementation-defined). */
static inline int64_t emc_sar(int64_t v, int s)
{
    if (s >= 63) {
        return v < 0 ? -1 : 0;
    }
    if (s <= 0) {
        return v;
    }
    return v < 0 ? -1 - ((-1 - v) >> s) : v >> s;
}

uint64_t emc_sat_mul(uint64_t a, uint64_t b);
uint64_t emc_sat_add(uint64_t a, uint64_t b);

/* A uint8 C x H x W feature map in KPU RAM (spec 3.2), addressed through register values. */
typedef struct emc_kpu_map {
    uint32_t base_unit, channels, height, width, channel_switch, row_switch, group;
} emc_kpu_map;

emc_kpu_map emc_kpu_map_for_width(uint32_t base_unit, uint32_t channels, uint32_t height, uint32_t width);
int emc_kpu_map_valid_group(const emc_kpu_map *m);
uint64_t emc_kpu_offset(const emc_kpu_map *m, uint32_t c, uint32_t y, uint32_t x);
uint64_t emc_kpu_end(const emc_kpu_map *m); /* one past the highest byte touched */

/* KPU RAM as the caller's arena holds it: the model's ranges packed one after another from mem. */
typedef struct emc_kpu_ram {
    uint8_t *mem;
    const emc_model *model;
} emc_kpu_ram;

/* Where the map's first byte (unit base_unit) lives in the arena; loading guaranteed one range holds the whole map. */
uint8_t *emc_kpu_origin(const emc_kpu_ram *ram, const emc_kpu_map *map);

void emc_kpu_scatter(const emc_kpu_map *m, const uint8_t *planar, emc_kpu_ram *ram);

/* A K210_CONV decoded from its body and registers. */
typedef struct emc_conv {
    int main_out;
    uint32_t main_out_address;
    unsigned kernel, pool;
    int depthwise, eight_bit;
    uint8_t pad_value;
    emc_kpu_map in, out;
    int64_t arg_x, arg_w, arg_add;
    int shr_x, shr_w;
    const uint8_t *weights, *batch_norm, *activation;
} emc_conv;

/* One layer located in the blob and checked. */
typedef struct emc_layer {
    uint32_t type;
    const uint8_t *body;
    uint32_t body_bytes;   /* bytes of the body present in the blob (>= the layout's size) */
    emc_conv conv;         /* K210_CONV only */
    emc_kpu_map kpu[2];    /* KPU maps the layer touches */
    unsigned kpu_count;
    uint64_t work;
    size_t scratch;        /* conv working bytes */
} emc_layer;

uint32_t emc_field(const emc_layer *l, unsigned i);

/* A located CPU-layer body / conv body: checks everything the run relies on. */
emc_status emc_layer_check(const emc_model *model, const uint8_t *body, uint32_t present, uint32_t type, emc_layer *layer);
emc_status emc_conv_decode(const emc_model *model, const uint8_t *body, uint32_t present, size_t body_offset,
                           uint32_t declared, emc_layer *layer);

/* Execution. */
void emc_run_cpu_float(const emc_layer *l, uint8_t *main);
void emc_run_cpu_shape(const emc_layer *l, uint8_t *main);
void emc_run_cpu_quantized(const emc_layer *l, uint8_t *main, emc_kpu_ram *kpu);
void emc_run_conv(const emc_conv *c, emc_rounding rounding, uint8_t *main, emc_kpu_ram *kpu, uint8_t *scratch);
size_t emc_conv_scratch_bytes(const emc_conv *c);

/* KPU output stage (spec 6.2-6.4). */
typedef struct emc_activation {
    int64_t start[16], mul[16], bias[16];
    int shift[16];
    int half_even;
    int monotone; /* starts 1..15 non-decreasing: the condition holds on a prefix, so bisection finds the segment */
} emc_activation;

void emc_activation_decode(const uint8_t *table, emc_rounding rounding, emc_activation *a);

/* The SDK's kpu_carry_shift, including its result for negative odd intermediates (-1.5 -> -3 for shift 1). */
static inline int64_t emc_carry_shift(int64_t v, int shift)
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

static inline int64_t emc_shift_half_even(int64_t v, int shift)
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

/* A pool window [origin, origin + k) clipped to [0, n): the taps both pool layers visit. */
static inline void emc_pool_window(int64_t origin, int64_t k, uint32_t n, int64_t *lo, int64_t *hi)
{
    *lo = origin > 0 ? origin : 0;
    *hi = origin + k < (int64_t)n ? origin + k : (int64_t)n;
}

static inline uint8_t emc_saturate_u8(int64_t v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

static inline int emc_activation_holds(const emc_activation *a, int j, int64_t t)
{
    return a->half_even ? a->start[j] < t : a->start[j] <= t;
}

/* The highest segment whose start satisfies the condition, else segment 0 (a priority encoder's default). */
static inline uint8_t emc_activation_apply(const emc_activation *a, int64_t t)
{
    int j = 15;
    int64_t v, r;
    if (a->monotone) {
        j = 0;
        j += emc_activation_holds(a, j + 8, t) ? 8 : 0;
        j += emc_activation_holds(a, j + 4, t) ? 4 : 0;
        j += emc_activation_holds(a, j + 2, t) ? 2 : 0;
        j += emc_activation_holds(a, j + 1, t) ? 1 : 0;
    } else {
        while (j > 0 && !emc_activation_holds(a, j, t)) {
            j--;
        }
    }
    v = emc_wrap_mul(emc_wrap_sub(t, a->start[j]), a->mul[j]);
    r = a->half_even ? emc_shift_half_even(v, a->shift[j]) : emc_carry_shift(v, a->shift[j]);
    return emc_saturate_u8(emc_wrap_add(r, a->bias[j]));
}

/* KPU pool stage (spec 5.6). */
unsigned emc_pool_stride(unsigned pool);
int emc_pool_pick(unsigned pool, unsigned *y, unsigned *x);
void emc_pool_reduce(unsigned pool, const uint8_t *src, uint32_t ih, uint32_t iw, uint8_t *dst, uint32_t oh, uint32_t ow);

#endif
