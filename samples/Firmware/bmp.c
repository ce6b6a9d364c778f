#include "bmp.h"

#include <stdio.h>

static uint32_t read_u32(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24); }
static uint16_t read_u16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static int fail(FILE *file, const char *path, const char *why)
{
    if (file != NULL)
        fclose(file);
    fprintf(stderr, "%s: %s\n", path, why);
    return -1;
}

int bmp_read_rgb_chw(const char *path, uint32_t width, uint32_t height, uint8_t *chw)
{
    uint8_t header[54];
    uint8_t row[3 * 1024];
    uint32_t row_bytes = (3u * width + 3u) & ~3u, plane = width * height, y, x;
    int32_t file_height;
    int top_down;
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return fail(NULL, path, "cannot open");
    if (fread(header, 1, sizeof header, file) != sizeof header || header[0] != 'B' || header[1] != 'M')
        return fail(file, path, "not a BMP file");
    file_height = (int32_t)read_u32(header + 22);
    top_down = file_height < 0;
    if (read_u32(header + 18) != width || (top_down ? 0u - (uint32_t)file_height : (uint32_t)file_height) != height)
        return fail(file, path, "unexpected image size");
    if (read_u16(header + 28) != 24u || read_u32(header + 30) != 0u || row_bytes > sizeof row)
        return fail(file, path, "only uncompressed 24-bit BMP files are supported");
    if (fseek(file, (long)read_u32(header + 10), SEEK_SET) != 0)
        return fail(file, path, "bad pixel data offset");
    for (y = 0; y < height; y++)
    {
        uint32_t image_y = top_down ? y : height - 1u - y; /* BMP rows are stored bottom-up unless height < 0 */
        if (fread(row, 1, row_bytes, file) != row_bytes)
            return fail(file, path, "truncated pixel data");
        for (x = 0; x < width; x++)
        {
            const uint8_t *bgr = row + 3u * x;
            chw[0u * plane + image_y * width + x] = bgr[2];
            chw[1u * plane + image_y * width + x] = bgr[1];
            chw[2u * plane + image_y * width + x] = bgr[0];
        }
    }
    fclose(file);
    return 0;
}
