/* Loading (header, tables, every layer checked), queries and the layer-by-layer run. */
#include <string.h>
#include "emc_internal.h"

typedef struct layer_walk {
    uint32_t index;
    uint64_t start; /* blob offset of the current body */
} layer_walk;

void emc_default_options(emc_options *options)
{
    if (options) {
        options->rounding = EMC_ROUNDING_SDK;
        options->run_quantized_flatten = 1;
    }
}

/* Locates and checks layer w->index, then advances the walk. */
static emc_status next_layer(const emc_model *m, layer_walk *w, emc_layer *l)
{
    size_t table = EMC_HEADER_SIZE + 8u * (size_t)m->output_count + 8u * (size_t)w->index;
    uint32_t type = emc_u32(m->blob + table), declared = emc_u32(m->blob + table + 4);
    int last = w->index + 1 == m->layer_count;
    uint64_t present, missing;
    const uint8_t *body;
    emc_status s;
    if (declared % 4 != 0) {
        return EMC_ERR_BODY;
    }
    present = w->start >= m->blob_size ? 0 : m->blob_size - w->start;
    present = present < declared ? present : declared;
    missing = declared - present;
    if (missing > 0 && (!last || missing > 7)) {
        return EMC_ERR_TRUNCATED; /* only the last body may lack its (nncase) padding */
    }
    body = m->blob + (w->start < m->blob_size ? w->start : m->blob_size);
    if (type == EMC_K210_CONV) {
        s = emc_conv_decode(m, body, (uint32_t)present, (size_t)w->start, declared, l);
    } else {
        s = emc_layer_check(m, body, (uint32_t)present, type, l);
    }
    w->start += declared;
    w->index++;
    return s;
}

static emc_status check_first_layer(const emc_layer *l, emc_kpu_map *input)
{
    if (l->type == EMC_FULLY_CONNECTED) {
        return EMC_OK;
    }
    if (l->type != EMC_K210_CONV) {
        return EMC_ERR_FIRST_LAYER;
    }
    *input = emc_kpu_map_for_width(l->conv.in.base_unit, l->conv.in.channels, l->conv.in.height, l->conv.in.width);
    if (emc_kpu_end(input) > EMC_KPU_RAM_BYTES) {
        return EMC_ERR_KPU_RANGE;
    }
    /* i_w % 64 == 0: the SDK DMAs channel_switch_addr * 64 * i_ch bytes, which must be the planar input. */
    if (l->conv.in.width % 64 == 0
        && (uint64_t)l->conv.in.channel_switch * 64 != (uint64_t)l->conv.in.height * l->conv.in.width) {
        return EMC_ERR_CONV_REGISTERS;
    }
    return EMC_OK;
}

/* Adds a map's byte range to the sorted disjoint ranges, merging overlapping or touching ones. */
static void add_kpu_range(emc_model *m, const emc_kpu_map *map)
{
    uint32_t low = map->base_unit * EMC_KPU_UNIT, high = (uint32_t)emc_kpu_end(map), i, j;
    if (high <= low) {
        return;
    }
    for (i = 0; i < m->kpu_range_count && m->kpu_range_high[i] < low; i++) {
    }
    /* ranges i.. that overlap or touch [low, high) fold into one */
    for (j = i; j < m->kpu_range_count && m->kpu_range_low[j] <= high; j++) {
        low = m->kpu_range_low[j] < low ? m->kpu_range_low[j] : low;
        high = m->kpu_range_high[j] > high ? m->kpu_range_high[j] : high;
    }
    if (j == i) {
        if (m->kpu_range_count == EMC_KPU_RANGES) {
            /* full: merge the two ranges with the smallest gap, then insert */
            uint32_t best = 0, k;
            for (k = 1; k + 1 < m->kpu_range_count; k++) {
                if (m->kpu_range_low[k + 1] - m->kpu_range_high[k] < m->kpu_range_low[best + 1] - m->kpu_range_high[best]) {
                    best = k;
                }
            }
            m->kpu_range_high[best] = m->kpu_range_high[best + 1];
            memmove(&m->kpu_range_low[best + 1], &m->kpu_range_low[best + 2], (m->kpu_range_count - best - 2) * sizeof(uint32_t));
            memmove(&m->kpu_range_high[best + 1], &m->kpu_range_high[best + 2], (m->kpu_range_count - best - 2) * sizeof(uint32_t));
            m->kpu_range_count--;
            add_kpu_range(m, map);
            return;
        }
        memmove(&m->kpu_range_low[i + 1], &m->kpu_range_low[i], (m->kpu_range_count - i) * sizeof(uint32_t));
        memmove(&m->kpu_range_high[i + 1], &m->kpu_range_high[i], (m->kpu_range_count - i) * sizeof(uint32_t));
        m->kpu_range_count++;
    } else if (j > i + 1) {
        memmove(&m->kpu_range_low[i + 1], &m->kpu_range_low[j], (m->kpu_range_count - j) * sizeof(uint32_t));
        memmove(&m->kpu_range_high[i + 1], &m->kpu_range_high[j], (m->kpu_range_count - j) * sizeof(uint32_t));
        m->kpu_range_count -= j - i - 1;
    }
    m->kpu_range_low[i] = low;
    m->kpu_range_high[i] = high;
}

emc_status emc_model_load(emc_model *m, const void *blob, size_t size, const emc_options *options)
{
    const uint8_t *b = (const uint8_t *)blob;
    layer_walk w;
    uint32_t i;
    uint64_t body_start;
    emc_status s;
    if (!m || !blob) {
        return EMC_ERR_ARGUMENT;
    }
    memset(m, 0, sizeof *m);
    emc_default_options(&m->options);
    if (options) {
        if (options->rounding != EMC_ROUNDING_SDK && options->rounding != EMC_ROUNDING_HALF_EVEN) {
            return EMC_ERR_ARGUMENT;
        }
        m->options = *options;
    }
    if (size < 4 || emc_u32(b) != 3) {
        return EMC_ERR_NOT_KMODEL_V3;
    }
    if (size < EMC_HEADER_SIZE) {
        return EMC_ERR_TRUNCATED;
    }
    if (emc_u32(b + 8) != 0) {
        return EMC_ERR_NOT_KMODEL_V3;
    }
    m->blob = b;
    m->blob_size = size;
    m->flags = emc_u32(b + 4);
    m->layer_count = emc_u32(b + 12);
    m->main_mem_usage = emc_u32(b + 20);
    m->output_count = emc_u32(b + 24);
    body_start = EMC_HEADER_SIZE + 8u * (uint64_t)m->output_count + 8u * (uint64_t)m->layer_count;
    if (body_start > size) {
        return EMC_ERR_TRUNCATED;
    }
    if (m->layer_count == 0) {
        return EMC_ERR_NO_LAYERS;
    }
    m->body_start = (size_t)body_start;
    w.index = 0;
    w.start = body_start;
    for (i = 0; i < m->layer_count; i++) {
        emc_layer l;
        unsigned k;
        if ((s = next_layer(m, &w, &l)) != EMC_OK) {
            return s;
        }
        if (i == 0) {
            emc_kpu_map input;
            if ((s = check_first_layer(&l, &input)) != EMC_OK) {
                return s;
            }
            if (l.type == EMC_K210_CONV) {
                add_kpu_range(m, &input);
            }
        }
        if (i + 1 == m->layer_count && l.type == EMC_K210_CONV && !l.conv.main_out) {
            return EMC_ERR_LAST_LAYER;
        }
        for (k = 0; k < l.kpu_count; k++) {
            add_kpu_range(m, &l.kpu[k]);
        }
        m->scratch_bytes = l.scratch > m->scratch_bytes ? l.scratch : m->scratch_bytes;
        m->work = emc_sat_add(m->work, l.work);
    }
    for (i = 0; i < m->output_count; i++) {
        const uint8_t *o = b + EMC_HEADER_SIZE + 8u * i;
        if ((uint64_t)emc_u32(o) + emc_u32(o + 4) > m->main_mem_usage) {
            return EMC_ERR_MAIN_RANGE;
        }
    }
    return EMC_OK;
}

size_t emc_model_main_memory_size(const emc_model *m)
{
    return m ? m->main_mem_usage : 0;
}

static size_t kpu_span(const emc_model *m)
{
    size_t bytes = 0;
    uint32_t i;
    for (i = 0; i < m->kpu_range_count; i++) {
        bytes += m->kpu_range_high[i] - m->kpu_range_low[i];
    }
    return (bytes + 7u) & ~(size_t)7u;
}

/* The span, the scratch, and 8 bytes to align the scratch inside an arbitrarily aligned arena. */
size_t emc_model_arena_size(const emc_model *m)
{
    return m ? kpu_span(m) + (m->scratch_bytes ? m->scratch_bytes + 8u : 0u) : 0;
}

uint64_t emc_model_work(const emc_model *m)
{
    return m ? m->work : 0;
}

static emc_status first_layer(const emc_model *m, emc_layer *l)
{
    layer_walk w;
    w.index = 0;
    w.start = m->body_start;
    return next_layer(m, &w, l);
}

emc_status emc_model_input_info(const emc_model *m, emc_tensor_info *info)
{
    emc_layer l;
    emc_status s;
    if (!m || !info || !m->blob) {
        return EMC_ERR_ARGUMENT;
    }
    if ((s = first_layer(m, &l)) != EMC_OK) {
        return s;
    }
    memset(info, 0, sizeof *info);
    info->shape[0] = 1;
    if (l.type == EMC_K210_CONV) {
        info->element = EMC_ELEMENT_UINT8;
        info->shape[1] = l.conv.in.channels;
        info->shape[2] = l.conv.in.height;
        info->shape[3] = l.conv.in.width;
        info->bytes = l.conv.in.channels * l.conv.in.height * l.conv.in.width;
        info->address = l.conv.in.base_unit;
        info->zero_point = l.conv.pad_value;
    } else {
        info->element = EMC_ELEMENT_FLOAT32;
        info->shape[1] = emc_field(&l, 3);
        info->shape[2] = info->shape[3] = 1;
        info->bytes = emc_field(&l, 3) * 4u;
        info->address = emc_field(&l, 1);
    }
    return EMC_OK;
}

uint32_t emc_model_output_count(const emc_model *m)
{
    return m ? m->output_count : 0;
}

emc_status emc_model_output_info(const emc_model *m, uint32_t index, emc_tensor_info *info)
{
    const uint8_t *o;
    layer_walk w;
    uint32_t i;
    if (!m || !info || !m->blob || index >= m->output_count) {
        return EMC_ERR_ARGUMENT;
    }
    o = m->blob + EMC_HEADER_SIZE + 8u * index;
    memset(info, 0, sizeof *info);
    info->address = emc_u32(o);
    info->bytes = emc_u32(o + 4);
    info->element = info->bytes % 4 == 0 ? EMC_ELEMENT_FLOAT32 : EMC_ELEMENT_UINT8;
    info->shape[0] = info->shape[2] = info->shape[3] = 1;
    info->shape[1] = info->element == EMC_ELEMENT_FLOAT32 ? info->bytes / 4 : info->bytes;
    /* The quantization the output had before the last DEQUANTIZE that wrote it. */
    w.index = 0;
    w.start = m->body_start;
    for (i = 0; i < m->layer_count; i++) {
        emc_layer l;
        if (next_layer(m, &w, &l) != EMC_OK) {
            return EMC_ERR_ARGUMENT;
        }
        if (l.type == EMC_DEQUANTIZE && emc_field(&l, 2) == info->address) {
            float scale = emc_f32(l.body + 16), bias = emc_f32(l.body + 20), z;
            info->has_quantization = 1;
            info->scale = scale;
            info->bias = bias;
            z = scale != 0.0f ? -bias / scale : 0.0f;
            info->zero_point = (int32_t)(z < -1e9f ? -1e9f : z > 1e9f ? 1e9f : z + (z < 0 ? -0.5f : 0.5f));
        }
    }
    return EMC_OK;
}

emc_status emc_model_output(const emc_model *m, uint32_t index, const uint8_t *main_memory,
                            const uint8_t **data, size_t *size)
{
    const uint8_t *o;
    if (!m || !m->blob || !main_memory || !data || !size || index >= m->output_count) {
        return EMC_ERR_ARGUMENT;
    }
    o = m->blob + EMC_HEADER_SIZE + 8u * index;
    *data = main_memory + emc_u32(o);
    *size = emc_u32(o + 4);
    return EMC_OK;
}

static int is_float_layer(uint32_t type)
{
    switch (type) {
    case EMC_ADD: case EMC_GLOBAL_AVERAGE_POOL2D: case EMC_AVERAGE_POOL2D: case EMC_L2_NORMALIZATION:
    case EMC_SOFTMAX: case EMC_LOGISTIC: case EMC_FULLY_CONNECTED: case EMC_CHANNELWISE_DEQUANTIZE:
    case EMC_DEQUANTIZE: case EMC_QUANTIZE:
        return 1;
    default:
        return 0;
    }
}

static int is_shape_layer(uint32_t type)
{
    return type == EMC_CONCAT || type == EMC_QUANTIZED_CONCAT || type == EMC_TENSORFLOW_FLATTEN
        || type == EMC_QUANTIZED_TENSORFLOW_FLATTEN || type == EMC_RESIZE_NEAREST_NEIGHBOR
        || type == EMC_QUANTIZED_RESIZE_NEAREST_NEIGHBOR;
}

emc_status emc_model_run(const emc_model *m, const void *input, size_t input_size,
                         uint8_t *main_memory, size_t main_memory_size, uint8_t *arena, size_t arena_size)
{
    emc_tensor_info in;
    emc_kpu_ram kpu;
    uint8_t *scratch;
    layer_walk w;
    uint32_t i;
    emc_status s;
    if (!m || !m->blob || !input || (!main_memory && m->main_mem_usage) || (!arena && emc_model_arena_size(m))) {
        return EMC_ERR_ARGUMENT;
    }
    if (main_memory_size < m->main_mem_usage || arena_size < emc_model_arena_size(m)) {
        return EMC_ERR_MEMORY_TOO_SMALL;
    }
    if ((s = emc_model_input_info(m, &in)) != EMC_OK) {
        return s;
    }
    if (input_size != in.bytes) {
        return EMC_ERR_INPUT_SIZE;
    }
    if (m->main_mem_usage) {
        memset(main_memory, 0, m->main_mem_usage);
    }
    if (arena) {
        memset(arena, 0, emc_model_arena_size(m));
    }
    kpu.mem = arena;
    kpu.model = m;
    scratch = arena ? arena + kpu_span(m) : NULL;
    if (scratch) {
        scratch += (8u - (size_t)((uintptr_t)scratch & 7u)) & 7u;
    }
    if (in.element == EMC_ELEMENT_UINT8) {
        emc_kpu_map map = emc_kpu_map_for_width(in.address, in.shape[1], in.shape[2], in.shape[3]);
        emc_kpu_scatter(&map, (const uint8_t *)input, &kpu);
    } else {
        memcpy(main_memory + in.address, input, in.bytes);
    }
    w.index = 0;
    w.start = m->body_start;
    for (i = 0; i < m->layer_count; i++) {
        emc_layer l;
        if ((s = next_layer(m, &w, &l)) != EMC_OK) {
            return s; /* unreachable after a successful load */
        }
        if (l.type == EMC_K210_CONV) {
            emc_run_conv(&l.conv, m->options.rounding, main_memory, &kpu, scratch);
        } else if (is_float_layer(l.type)) {
            emc_run_cpu_float(&l, main_memory);
        } else if (is_shape_layer(l.type)) {
            emc_run_cpu_shape(&l, main_memory);
        } else {
            emc_run_cpu_quantized(&l, main_memory, &kpu);
        }
    }
    return EMC_OK;
}

const char *emc_status_name(emc_status s)
{
    switch (s) {
    case EMC_OK: return "ok";
    case EMC_ERR_ARGUMENT: return "invalid argument";
    case EMC_ERR_NOT_KMODEL_V3: return "not a kmodel v3 (version 3, arch 0)";
    case EMC_ERR_TRUNCATED: return "truncated blob";
    case EMC_ERR_BODY: return "layer body misaligned or too small";
    case EMC_ERR_LAYER_TYPE: return "unknown or unsupported layer type";
    case EMC_ERR_FIRST_LAYER: return "first layer is neither K210_CONV nor FULLY_CONNECTED";
    case EMC_ERR_LAST_LAYER: return "last layer keeps its output in KPU RAM";
    case EMC_ERR_CONV_REGISTERS: return "inconsistent K210_CONV registers or offsets";
    case EMC_ERR_LAYER_PARAMETERS: return "layer parameter out of range";
    case EMC_ERR_MAIN_RANGE: return "main-memory range past main_mem_usage";
    case EMC_ERR_KPU_RANGE: return "KPU-RAM range past 2 MiB";
    case EMC_ERR_NO_LAYERS: return "no layers";
    case EMC_ERR_MEMORY_TOO_SMALL: return "main memory or arena too small";
    case EMC_ERR_INPUT_SIZE: return "input size does not match the model";
    default: return "unknown status";
    }
}
