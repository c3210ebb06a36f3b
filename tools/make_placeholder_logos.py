#!/usr/bin/env python3
"""Writes placeholder kernelspec logos (a filled disc) with only the standard library.

Replaced by logos drawn with Myelin's own rasterizer once the Plot target exists."""
import struct, sys, zlib, pathlib

def png(size):
    rows = []
    c = (size - 1) / 2
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            d = ((x - c) ** 2 + (y - c) ** 2) ** 0.5
            a = max(0.0, min(1.0, size * 0.45 - d + 0.5))
            row += bytes([31, 119, 180, int(a * 255)])
        rows.append(bytes(row))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")

out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "kernelspec")
for n in (32, 64):
    (out / f"logo-{n}x{n}.png").write_bytes(png(n))
