// Decoders write every stackalloc'd element before reading it; skipping zero-init saves work per 8x8 block.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
