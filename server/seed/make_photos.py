#!/usr/bin/env python3
"""Writes the seed citizens' reference photos photo-1.png … photo-5.png (32x40 RGB avatars).

Run from this directory: python3 make_photos.py. Uses only Python's zlib to write plain PNGs.
"""
import struct
import zlib

SKIN = [(0x8E, 0x6E, 0x53), (0xC6, 0x86, 0x42), (0xE0, 0xAC, 0x69), (0xF1, 0xC2, 0x7D), (0xFF, 0xDB, 0xAC)]
COAT = [(0x2B, 0x4C, 0x7E), (0x5B, 0x2C, 0x6F), (0x1E, 0x6F, 0x5C), (0x7E, 0x2B, 0x2B), (0x44, 0x44, 0x44)]
BACKGROUND = (0xDF, 0xE6, 0xEE)
WIDTH, HEIGHT = 32, 40


def pixel(x, y, skin, coat):
    if (x - 16) ** 2 + (y - 15) ** 2 <= 81:
        return skin
    if y >= 28 and ((x - 16) / 13) ** 2 + ((y - 40) / 12) ** 2 <= 1:
        return coat
    return BACKGROUND


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(skin, coat):
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y, skin, coat)) for x in range(WIDTH)) for y in range(HEIGHT)
    )
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


for i, (skin, coat) in enumerate(zip(SKIN, COAT), start=1):
    with open(f"photo-{i}.png", "wb") as f:
        f.write(png(skin, coat))
