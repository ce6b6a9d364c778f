/* KPU-RAM feature-map addressing (spec 3.2): blocks of `group` channels, 64-byte units. */
#include <string.h>
#include "emc_internal.h"

emc_kpu_map emc_kpu_map_for_width(uint32_t base_unit, uint32_t channels, uint32_t height, uint32_t width)
{
    emc_kpu_map m;
    uint32_t row_len = 1;
    m.group = 1;
    if (width <= 16) {
        m.group = 4;
    } else if (width <= 32) {
        m.group = 2;
    } else {
        row_len = (uint32_t)(((uint64_t)width + 63u) / 64u);
    }
    m.base_unit = base_unit;
    m.channels = channels;
    m.height = height;
    m.width = width;
    m.row_switch = row_len;
    m.channel_switch = (uint64_t)row_len * height > UINT32_MAX ? UINT32_MAX : row_len * height;
    return m;
}

int emc_kpu_map_valid_group(const emc_kpu_map *m)
{
    return m->group == 1 || m->group == 2 || m->group == 4;
}

/* Callers keep channels, height and width below 2^16 and units below 2^15, so this cannot overflow. */
uint64_t emc_kpu_offset(const emc_kpu_map *m, uint32_t c, uint32_t y, uint32_t x)
{
    return (uint64_t)m->base_unit * EMC_KPU_UNIT
        + (uint64_t)(c / m->group) * m->channel_switch * EMC_KPU_UNIT
        + (uint64_t)(c % m->group) * (EMC_KPU_UNIT / m->group)
        + (uint64_t)y * m->row_switch * EMC_KPU_UNIT + x;
}

uint64_t emc_kpu_end(const emc_kpu_map *m)
{
    uint64_t end = 0;
    uint32_t c = m->channels > m->group ? m->channels - m->group : 0;
    if (m->channels == 0 || m->height == 0 || m->width == 0) {
        return (uint64_t)m->base_unit * EMC_KPU_UNIT;
    }
    for (; c < m->channels; c++) {
        uint64_t last = emc_kpu_offset(m, c, m->height - 1, m->width - 1) + 1;
        end = last > end ? last : end;
    }
    return end;
}

uint8_t *emc_kpu_origin(const emc_kpu_ram *ram, const emc_kpu_map *map)
{
    const emc_model *m = ram->model;
    uint32_t base = map->base_unit * EMC_KPU_UNIT, i;
    size_t at = 0;
    for (i = 0; i < m->kpu_range_count; i++) {
        if (base >= m->kpu_range_low[i] && base < m->kpu_range_high[i]) {
            return ram->mem + at + (base - m->kpu_range_low[i]);
        }
        at += m->kpu_range_high[i] - m->kpu_range_low[i];
    }
    return ram->mem; /* unreachable for a loaded model */
}

/* Row by row in channel order, so overlapping rows end as the simulator leaves them. */
void emc_kpu_scatter(const emc_kpu_map *m, const uint8_t *planar, emc_kpu_ram *ram)
{
    uint32_t c, y;
    uint8_t *origin;
    uint64_t base = (uint64_t)m->base_unit * EMC_KPU_UNIT;
    if (m->width == 0 || m->height == 0 || m->channels == 0) {
        return;
    }
    origin = emc_kpu_origin(ram, m);
    for (c = 0; c < m->channels; c++) {
        for (y = 0; y < m->height; y++) {
            memcpy(origin + (emc_kpu_offset(m, c, y, 0) - base), planar + ((size_t)c * m->height + y) * m->width, m->width);
        }
    }
}
