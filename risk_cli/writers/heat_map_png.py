"""A heat map as a PNG picture, drawn with the standard library only (zlib and struct): the Word
board pack's heat maps, with no image library added.

The picture is the likelihood x impact grid (5x5, or the questionnaire's scale sizes), each cell in
its rating band's colour with its count of risks, the axis numbers and the axis names, drawn with a small built-in pixel font (digits and the
letters of LIKELIHOOD and IMPACT). The scales' words go in the caption beside it. The same heat
map always gives the same bytes.
"""

from __future__ import annotations

import re
import struct
import zlib

from risk_cli.model.report import HeatMap

_HEX = re.compile(r"[0-9A-Fa-f]{6}")

# 5x7 glyphs, one string of 7 rows of 5 pixels each
FONT = {
    "0": "01110100011001110101110011000101110", "1": "00100011000010000100001000010001110",
    "2": "01110100010000100010001000100011111", "3": "11110000010000101110000010000111110",
    "4": "00010001100101010010111110001000010", "5": "11111100001111000001000011000101110",
    "6": "00110010001000011110100011000101110", "7": "11111000010001000100010000100001000",
    "8": "01110100011000101110100011000101110", "9": "01110100011000101111000010001001100",
    "L": "10000100001000010000100001000011111", "I": "01110001000010000100001000010001110",
    "K": "10001100101010011000101001001010001", "E": "11111100001000011110100001000011111",
    "H": "10001100011000111111100011000110001", "O": "01110100011000110001100011000101110",
    "D": "11110100011000110001100011000111110", "M": "10001110111010110101100011000110001",
    "P": "11110100011000111110100001000010000", "A": "01110100011000111111100011000110001",
    "C": "01110100011000010000100001000101110", "T": "11111001000010000100001000010000100",
}

CELL_W, CELL_H = 120, 80
LEFT, TOP, RIGHT, BOTTOM = 84, 16, 16, 76
WHITE, INK, GRID = (255, 255, 255), (11, 12, 12), (255, 255, 255)


class Canvas:
    """An RGB picture in memory."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(WHITE) * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, colour: tuple[int, int, int]) -> None:
        x0, x1 = max(0, x), min(self.width, x + w)
        if x1 <= x0:
            return
        line = bytes(colour) * (x1 - x0)
        for row in range(max(0, y), min(self.height, y + h)):
            start = (row * self.width + x0) * 3
            self.pixels[start:start + len(line)] = line

    def glyph(self, char: str, x: int, y: int, scale: int, colour: tuple[int, int, int]) -> None:
        bits = FONT[char]
        for i, bit in enumerate(bits):
            if bit == "1":
                self.rect(x + (i % 5) * scale, y + (i // 5) * scale, scale, scale, colour)

    def text(self, text: str, cx: int, cy: int, scale: int, colour: tuple[int, int, int]) -> None:
        """`text` centred on (cx, cy), left to right."""
        step = 6 * scale
        width = len(text) * step - scale
        x = cx - width // 2
        for n, char in enumerate(text):
            self.glyph(char, x + n * step, cy - (7 * scale) // 2, scale, colour)

    def column(self, text: str, cx: int, cy: int, scale: int, colour: tuple[int, int, int]) -> None:
        """`text` centred on (cx, cy), one letter under the other."""
        step = 9 * scale
        height = len(text) * step - 2 * scale
        y = cy - height // 2
        for n, char in enumerate(text):
            self.glyph(char, cx - (5 * scale) // 2, y + n * step, scale, colour)

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(self.pixels[r * self.width * 3:(r + 1) * self.width * 3])
                       for r in range(self.height))
        return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)) \
            + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def rgb(colour: str) -> tuple[int, int, int]:
    if not _HEX.fullmatch(colour or ""):
        return WHITE
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def ink_on(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    r, g, b = colour
    return WHITE if (0.299 * r + 0.587 * g + 0.114 * b) < 140 else INK


def render(hm: HeatMap) -> bytes:
    """The heat map as PNG bytes: the highest likelihood at the top, impact 1 at the left."""
    rows, cols = hm.levels
    width, height = LEFT + cols * CELL_W + RIGHT, TOP + rows * CELL_H + BOTTOM
    canvas = Canvas(width, height)
    for r, row in enumerate(hm.rows):
        y = TOP + r * CELL_H
        canvas.text(str(rows - r), LEFT - 22, y + CELL_H // 2, 3, INK)
        for c, cell in enumerate(row):
            x = LEFT + c * CELL_W
            colour = rgb(cell.fill)
            canvas.rect(x, y, CELL_W, CELL_H, colour)
            if cell.text.isdigit():
                canvas.text(cell.text, x + CELL_W // 2, y + CELL_H // 2, 5, ink_on(colour))
    for n in range(cols + 1):  # white lines between the cells
        canvas.rect(LEFT + n * CELL_W - 1, TOP, 3, rows * CELL_H, GRID)
    for n in range(rows + 1):
        canvas.rect(LEFT, TOP + n * CELL_H - 1, cols * CELL_W, 3, GRID)
    for c in range(cols):
        canvas.text(str(c + 1), LEFT + c * CELL_W + CELL_W // 2, TOP + rows * CELL_H + 18, 3, INK)
    canvas.text("IMPACT", LEFT + cols * CELL_W // 2, TOP + rows * CELL_H + 54, 3, INK)
    canvas.column("LIKELIHOOD", 16, TOP + rows * CELL_H // 2, 2, INK)
    return canvas.png()
