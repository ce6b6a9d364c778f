/* A tiny reader for uncompressed 24-bit BMP files (BI_RGB, bottom-up or top-down rows). */
#ifndef FIRMWARE_BMP_H
#define FIRMWARE_BMP_H

#include <stddef.h>
#include <stdint.h>

/* Reads `path`, which must be width x height pixels, into planar RGB: chw[c * height * width + y * width + x].
 * chw holds 3 * width * height bytes. Returns 0, or -1 with a message on stderr. */
int bmp_read_rgb_chw(const char *path, uint32_t width, uint32_t height, uint8_t *chw);

#endif
