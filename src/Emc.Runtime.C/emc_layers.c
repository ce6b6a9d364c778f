/* Per-layer validation (spec 4.1): body size for the layout, then every main-memory and KPU range it names. */
#include "emc_internal.h"

#define F32 4u

uint32_t emc_field(const emc_layer *l, unsigned i)
{
    return emc_u32(l->body + 4u * i);
}

static uint64_t product3(uint64_t a, uint64_t b, uint64_t c)
{
    return emc_sat_mul(emc_sat_mul(a, b), c);
}

static int main_ok(const emc_model *m, uint32_t address, uint64_t bytes)
{
    return emc_sat_add(address, bytes) <= m->main_mem_usage;
}

static emc_status kpu_map_ok(emc_layer *l, const emc_kpu_map *map)
{
    if (!emc_kpu_map_valid_group(map)) {
        return EMC_ERR_CONV_REGISTERS;
    }
    if (emc_kpu_end(map) > EMC_KPU_RAM_BYTES) {
        return EMC_ERR_KPU_RANGE;
    }
    if (l->kpu_count < 2) {
        l->kpu[l->kpu_count++] = *map;
    }
    return EMC_OK;
}

/* Bytes the layout needs (fixed part plus counted parts); 0 for a type the runtime does not run. */
static uint64_t layout_size(const emc_model *m, uint32_t type, const uint8_t *body, uint32_t present)
{
    switch (type) {
    case EMC_ADD: case EMC_GLOBAL_AVERAGE_POOL2D: return 20;
    case EMC_QUANTIZED_ADD: return 56;
    case EMC_QUANTIZED_MAX_POOL2D: return 60;
    case EMC_AVERAGE_POOL2D: return 64;
    case EMC_QUANTIZE: case EMC_DEQUANTIZE: return 24;
    case EMC_REQUANTIZE: return 16 + 256;
    case EMC_L2_NORMALIZATION: case EMC_SOFTMAX: case EMC_LOGISTIC: return 16;
    case EMC_TENSORFLOW_FLATTEN: return 24;
    case EMC_QUANTIZED_TENSORFLOW_FLATTEN: return m->options.run_quantized_flatten ? 24 : 0;
    case EMC_RESIZE_NEAREST_NEIGHBOR: case EMC_QUANTIZED_RESIZE_NEAREST_NEIGHBOR: return 36;
    case EMC_K210_ADD_PADDING: case EMC_K210_REMOVE_PADDING: return 16;
    case EMC_K210_UPLOAD: return 24;
    case EMC_CONCAT: case EMC_QUANTIZED_CONCAT:
        return present < 12 ? 12 : 12 + 8 * (uint64_t)emc_u32(body + 8);
    case EMC_CHANNELWISE_DEQUANTIZE:
        return present < 20 ? 20 : 20 + 8 * (uint64_t)emc_u32(body + 12);
    case EMC_FULLY_CONNECTED:
        if (present < 24) {
            return 24;
        }
        return emc_sat_add(24, emc_sat_mul(4, emc_sat_add(emc_sat_mul(emc_u32(body + 12), emc_u32(body + 16)),
                                                           emc_u32(body + 16))));
    default: return 0;
    }
}

static emc_status check_window(const emc_model *m, emc_layer *l, uint64_t element)
{
    uint32_t iw = emc_field(l, 3), ih = emc_field(l, 4), ow = emc_field(l, 6), oh = emc_field(l, 7), oc = emc_field(l, 8);
    uint32_t kw = emc_field(l, 9), kh = emc_field(l, 10);
    uint64_t window = emc_sat_mul(kw < iw ? kw : iw, kh < ih ? kh : ih);
    if (!main_ok(m, emc_field(l, 1), emc_sat_mul(product3(iw, ih, oc), element))
        || !main_ok(m, emc_field(l, 2), emc_sat_mul(product3(ow, oh, oc), element))) {
        return EMC_ERR_MAIN_RANGE;
    }
    l->work = emc_sat_mul(product3(ow, oh, oc), window ? window : 1);
    return l->work > ((uint64_t)1 << 32) ? EMC_ERR_LAYER_PARAMETERS : EMC_OK;
}

static emc_status check_cpu(const emc_model *m, emc_layer *l)
{
    uint32_t t = l->type;
    uint64_t n;
    switch (t) {
    case EMC_ADD:
        n = emc_sat_mul(emc_field(l, 4), F32);
        return main_ok(m, emc_field(l, 1), n) && main_ok(m, emc_field(l, 2), n) && main_ok(m, emc_field(l, 3), n)
            ? EMC_OK : EMC_ERR_MAIN_RANGE;
    case EMC_QUANTIZED_ADD: {
        unsigned i;
        n = ((uint64_t)emc_field(l, 4) + 7) / 8 * 8;
        if (!main_ok(m, emc_field(l, 1), n) || !main_ok(m, emc_field(l, 2), n) || !main_ok(m, emc_field(l, 3), n)) {
            return EMC_ERR_MAIN_RANGE;
        }
        for (i = 7; i <= 13; i += 3) {
            if (emc_field(l, i) > 63) {
                return EMC_ERR_LAYER_PARAMETERS;
            }
        }
        return EMC_OK;
    }
    case EMC_GLOBAL_AVERAGE_POOL2D:
        l->work = emc_sat_mul(emc_field(l, 3), emc_field(l, 4));
        return main_ok(m, emc_field(l, 1), product3(emc_field(l, 3), emc_field(l, 4), F32))
            && main_ok(m, emc_field(l, 2), emc_sat_mul(emc_field(l, 4), F32)) ? EMC_OK : EMC_ERR_MAIN_RANGE;
    case EMC_QUANTIZED_MAX_POOL2D: return check_window(m, l, 1);
    case EMC_AVERAGE_POOL2D: return check_window(m, l, F32);
    case EMC_QUANTIZE: case EMC_DEQUANTIZE: {
        uint64_t count = emc_field(l, 3);
        uint64_t in = t == EMC_QUANTIZE ? count * F32 : count, out = t == EMC_QUANTIZE ? count : count * F32;
        return main_ok(m, emc_field(l, 1), in) && main_ok(m, emc_field(l, 2), out) ? EMC_OK : EMC_ERR_MAIN_RANGE;
    }
    case EMC_REQUANTIZE:
        return main_ok(m, emc_field(l, 1), emc_field(l, 3)) && main_ok(m, emc_field(l, 2), emc_field(l, 3))
            ? EMC_OK : EMC_ERR_MAIN_RANGE;
    case EMC_L2_NORMALIZATION: case EMC_SOFTMAX: case EMC_LOGISTIC:
        n = (uint64_t)emc_field(l, 3) * F32;
        return main_ok(m, emc_field(l, 1), n) && main_ok(m, emc_field(l, 2), n) ? EMC_OK : EMC_ERR_MAIN_RANGE;
    case EMC_CONCAT: case EMC_QUANTIZED_CONCAT: {
        uint32_t i, count = emc_field(l, 2);
        uint64_t total = 0;
        for (i = 0; i < count; i++) {
            uint32_t size = emc_field(l, 4 + 2 * i);
            if (!main_ok(m, emc_field(l, 3 + 2 * i), size)) {
                return EMC_ERR_MAIN_RANGE;
            }
            total += size;
        }
        return main_ok(m, emc_field(l, 1), total) ? EMC_OK : EMC_ERR_MAIN_RANGE;
    }
    case EMC_FULLY_CONNECTED:
        l->work = emc_sat_mul(emc_field(l, 3), emc_field(l, 4));
        return main_ok(m, emc_field(l, 1), (uint64_t)emc_field(l, 3) * F32)
            && main_ok(m, emc_field(l, 2), (uint64_t)emc_field(l, 4) * F32) ? EMC_OK : EMC_ERR_MAIN_RANGE;
    case EMC_TENSORFLOW_FLATTEN: case EMC_QUANTIZED_TENSORFLOW_FLATTEN:
        n = emc_sat_mul(product3(emc_field(l, 3), emc_field(l, 4), emc_field(l, 5)), t == EMC_TENSORFLOW_FLATTEN ? F32 : 1);
        return main_ok(m, emc_field(l, 1), n) && main_ok(m, emc_field(l, 2), n) ? EMC_OK : EMC_ERR_MAIN_RANGE;
    case EMC_RESIZE_NEAREST_NEIGHBOR: case EMC_QUANTIZED_RESIZE_NEAREST_NEIGHBOR: {
        uint64_t e = t == EMC_RESIZE_NEAREST_NEIGHBOR ? F32 : 1;
        uint64_t out = emc_sat_mul(product3(emc_field(l, 6), emc_field(l, 7), emc_field(l, 5)), e);
        if (!main_ok(m, emc_field(l, 1), emc_sat_mul(product3(emc_field(l, 3), emc_field(l, 4), emc_field(l, 5)), e))
            || !main_ok(m, emc_field(l, 2), out)) {
            return EMC_ERR_MAIN_RANGE;
        }
        l->work = out;
        return out == 0 || (emc_field(l, 3) > 0 && emc_field(l, 4) > 0) ? EMC_OK : EMC_ERR_LAYER_PARAMETERS;
    }
    case EMC_CHANNELWISE_DEQUANTIZE:
        n = emc_sat_mul(emc_field(l, 3), emc_field(l, 4));
        return main_ok(m, emc_field(l, 1), n) && main_ok(m, emc_field(l, 2), emc_sat_mul(n, F32)) ? EMC_OK : EMC_ERR_MAIN_RANGE;
    case EMC_K210_ADD_PADDING: {
        emc_kpu_map map;
        if (!main_ok(m, emc_field(l, 1), emc_field(l, 3))) {
            return EMC_ERR_MAIN_RANGE;
        }
        if (emc_field(l, 3) > 65536 || emc_field(l, 2) >= 32768) {
            return EMC_ERR_KPU_RANGE;
        }
        map = emc_kpu_map_for_width(emc_field(l, 2), emc_field(l, 3), 4, 4);
        return kpu_map_ok(l, &map);
    }
    case EMC_K210_REMOVE_PADDING: {
        uint32_t c = emc_field(l, 3);
        return main_ok(m, emc_field(l, 1), c == 0 ? 0 : ((uint64_t)c - 1) * 16 + 1) && main_ok(m, emc_field(l, 2), c)
            ? EMC_OK : EMC_ERR_MAIN_RANGE;
    }
    case EMC_K210_UPLOAD: {
        uint32_t w = emc_field(l, 3), h = emc_field(l, 4), c = emc_field(l, 5);
        emc_kpu_map map;
        if (!main_ok(m, emc_field(l, 1), product3(w, h, c))) {
            return EMC_ERR_MAIN_RANGE;
        }
        if (w > 65536 || h > 65536 || c > 65536 || emc_field(l, 2) >= 32768) {
            return EMC_ERR_KPU_RANGE;
        }
        map = emc_kpu_map_for_width(emc_field(l, 2), c, h, w);
        return kpu_map_ok(l, &map);
    }
    default:
        return EMC_ERR_LAYER_TYPE;
    }
}

emc_status emc_layer_check(const emc_model *m, const uint8_t *body, uint32_t present, uint32_t type, emc_layer *l)
{
    uint64_t need;
    l->type = type;
    l->body = body;
    l->body_bytes = present;
    l->kpu_count = 0;
    l->work = 0;
    l->scratch = 0;
    need = layout_size(m, type, body, present);
    if (need == 0) {
        return EMC_ERR_LAYER_TYPE;
    }
    if (need > present) {
        return EMC_ERR_BODY;
    }
    return check_cpu(m, l);
}

/* Conv bodies: the argument block, then blobs at absolute offsets that must lie inside the body (spec 5.1). */
static int locate(size_t body_offset, uint32_t declared, uint32_t present, uint32_t absolute, uint64_t size,
                  uint32_t alignment, uint32_t *relative)
{
    uint64_t offset;
    if (absolute < body_offset || absolute % alignment != 0) {
        return 0;
    }
    offset = absolute - body_offset;
    if (emc_sat_add(offset, size) > declared || emc_sat_add(offset, size) > present) {
        return 0;
    }
    *relative = (uint32_t)offset;
    return 1;
}

emc_status emc_conv_decode(const emc_model *m, const uint8_t *body, uint32_t present, size_t body_offset,
                           uint32_t declared, emc_layer *l)
{
    emc_conv *c = &l->conv;
    const uint8_t *r;
    uint32_t at, ic, oc, ih, iw, oh, ow, stride;
    uint64_t w2, w3, w4, w7, w8, w9, per, weight_bytes, grid;
    unsigned kernel_type;
    emc_status s;

    l->type = EMC_K210_CONV;
    l->body = body;
    l->body_bytes = present;
    l->kpu_count = 0;
    l->work = 0;
    l->scratch = 0;
    if (declared < 24 || present < 24) {
        return EMC_ERR_BODY;
    }
    c->main_out = (int)(emc_u32(body) & 1u);
    c->main_out_address = emc_u32(body + 4);
    if (!locate(body_offset, declared, present, emc_u32(body + 8), 96, 8, &at)) {
        return EMC_ERR_CONV_REGISTERS;
    }
    r = body + at;
    w2 = emc_u64(r + 16); w3 = emc_u64(r + 24); w4 = emc_u64(r + 32);
    w7 = emc_u64(r + 56); w8 = emc_u64(r + 64); w9 = emc_u64(r + 72);
    kernel_type = (unsigned)(w4 & 7u);
    if (kernel_type > 1) {
        return EMC_ERR_CONV_REGISTERS;
    }
    c->kernel = kernel_type ? 3u : 1u;
    c->depthwise = (int)((emc_u64(r) >> 3) & 1u);
    c->eight_bit = (int)(m->flags & 1u);
    c->pool = (unsigned)((w4 >> 4) & 0xFu);
    c->pad_value = (uint8_t)(w4 >> 24);
    ic = (uint32_t)(w2 & 0x3FFu) + 1;
    oc = (uint32_t)((w2 >> 32) & 0x3FFu) + 1;
    iw = (uint32_t)(w3 & 0x3FFu) + 1;
    ih = (uint32_t)((w3 >> 10) & 0x1FFu) + 1;
    ow = (uint32_t)((w3 >> 32) & 0x3FFu) + 1;
    oh = (uint32_t)((w3 >> 42) & 0x1FFu) + 1;
    c->in.base_unit = (uint32_t)(emc_u64(r + 8) & 0x7FFFu);
    c->in.channels = ic; c->in.height = ih; c->in.width = iw;
    c->in.channel_switch = (uint32_t)(w7 & 0x7FFFu);
    c->in.row_switch = (uint32_t)((w7 >> 16) & 0xFu);
    c->in.group = (uint32_t)((w7 >> 28) & 0x7u);
    c->out.base_unit = (uint32_t)((emc_u64(r + 8) >> 32) & 0x7FFFu);
    c->out.channels = oc; c->out.height = oh; c->out.width = ow;
    c->out.channel_switch = (uint32_t)(w8 & 0x7FFFu);
    c->out.row_switch = (uint32_t)((w8 >> 16) & 0xFu);
    c->out.group = (uint32_t)((w8 >> 20) & 0x7u);
    c->shr_w = (int)(w9 & 0xFu);
    c->shr_x = (int)((w9 >> 4) & 0xFu);
    c->arg_w = emc_sign_extend(w9 >> 8, 24);
    c->arg_x = emc_sign_extend(w9 >> 32, 24);
    c->arg_add = emc_sign_extend(emc_u64(r + 80), 40);

    per = (uint64_t)(c->depthwise ? 1u : ic) * c->kernel * c->kernel;
    weight_bytes = per * oc * (c->eight_bit ? 1u : 2u);
    if (!locate(body_offset, declared, present, emc_u32(body + 12), weight_bytes, 1, &at)) {
        return EMC_ERR_CONV_REGISTERS;
    }
    c->weights = body + at;
    if (!locate(body_offset, declared, present, emc_u32(body + 16), 8u * (uint64_t)oc, 8, &at)) {
        return EMC_ERR_CONV_REGISTERS;
    }
    c->batch_norm = body + at;
    if (!locate(body_offset, declared, present, emc_u32(body + 20), 144, 8, &at)) {
        return EMC_ERR_CONV_REGISTERS;
    }
    c->activation = body + at;

    stride = emc_pool_stride(c->pool);
    if (stride == 0 || oh != ih / stride || ow != iw / stride) {
        return EMC_ERR_CONV_REGISTERS;
    }
    if (c->depthwise && ic != oc) {
        return EMC_ERR_CONV_REGISTERS;
    }
    if ((s = kpu_map_ok(l, &c->in)) != EMC_OK || (s = kpu_map_ok(l, &c->out)) != EMC_OK) {
        return s;
    }
    if (c->main_out && !main_ok(m, c->main_out_address, (uint64_t)oc * oh * ow)) {
        return EMC_ERR_MAIN_RANGE;
    }
    {
        unsigned py, px;
        grid = emc_pool_pick(c->pool, &py, &px) ? (uint64_t)oh * ow : (uint64_t)ih * iw;
    }
    l->work = product3(oc, per, grid);
    l->scratch = emc_conv_scratch_bytes(c);
    return EMC_OK;
}
