"""Decodes PNGs written by Myelin's own encoder with Python's zlib (an independent inflate and CRC).

The files are the kernelspec logos and the Plot golden images, all produced by the Swift rasterizer
and PNG encoder (see Tests/PlotTests/GoldenTests.swift)."""
import pathlib
import struct
import zlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def decode(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, idat = 8, [], b""
    header = None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        chunks.append(kind.decode())
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and interlace == 0 and color_type in (2, 6)
    channels = 4 if color_type == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    assert len(raw) == (stride + 1) * height
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        assert f in (0, 2), "the encoder writes only None and Up filters"
        if f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows, chunks


def pixel(rows, channels, x, y):
    return tuple(rows[y][x * channels:(x + 1) * channels])


@pytest.mark.parametrize("size", [32, 64])
def test_kernelspec_logos_decode(size):
    w, h, ch, rows, chunks = decode(ROOT / "kernelspec" / f"logo-{size}x{size}.png")
    assert (w, h, ch) == (size, size, 4)
    assert chunks[0] == "IHDR" and chunks[-1] == "IEND"
    assert pixel(rows, ch, 0, 0)[3] == 0, "corners are transparent"
    r, g, b, a = pixel(rows, ch, size // 2, size - size // 8)
    assert a == 255 and b > r, "the disc is tab:blue"


def test_golden_line_figure_decodes():
    w, h, ch, rows, _ = decode(ROOT / "Tests" / "PlotTests" / "Golden" / "lines.png")
    assert (w, h) == (1280, 960)
    assert pixel(rows, ch, 2, 2)[:3] == (255, 255, 255)
    blue = sum(1 for y in range(h) for x in range(0, w, 2) if pixel(rows, ch, x, y)[:3] == (31, 119, 180))
    assert blue > 500, "the first line is drawn in tab:blue"
