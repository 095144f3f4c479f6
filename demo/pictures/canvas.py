"""The drawing kit of the demo lessons' pictures (demo.pictures): the palette, the fonts
shipped with the project, and a Canvas drawn at twice the size and scaled down."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]  # the project
CONTENT = ROOT / "demo" / "content"
IMAGES = CONTENT / "images"  # where the pictures are written, next to images.toml
FONTS = ROOT / "events" / "fonts"
OHM_LESSON = CONTENT / "courses" / "science-lab" / "experiments" / "ohms-law.md"

W, H = 1200, 750  # every picture; lessons show them at most 1200 px wide
SS = 2  # drawn at twice the size and scaled down, for smooth lines

# A friendly palette: dark ink, soft colours that read on white and on a light tint.
INK = (33, 37, 41)
SOFT = (73, 80, 87)
MUTED = (134, 142, 150)
LINE = (206, 212, 218)
WHITE = (255, 255, 255)
PAPER = (248, 249, 250)
BLUE = (28, 126, 214)
DARK_BLUE = (24, 100, 171)
RED = (224, 49, 49)
GREEN = (47, 158, 68)
LIGHT_GREEN = (140, 233, 154)
ORANGE = (232, 89, 12)
YELLOW = (250, 176, 5)
VIOLET = (112, 72, 232)
TEAL = (0, 135, 143)
BROWN = (156, 96, 54)


def tint(colour: tuple, amount: float) -> tuple:
    """The colour mixed with white: 0 keeps it, 1 is white."""
    return tuple(round(c + (255 - c) * amount) for c in colour)


def shade(colour: tuple, amount: float) -> tuple:
    """The colour mixed with black: 0 keeps it, 1 is black."""
    return tuple(round(c * (1 - amount)) for c in colour)


_FONTS: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}


def font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    key = (round(size), bold)
    if key not in _FONTS:
        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        _FONTS[key] = ImageFont.truetype(str(FONTS / name), key[0])
    return _FONTS[key]


def fmt(number: float, digits: int = 1) -> str:
    """A number as Russian text writes it: a decimal comma."""
    return f"{number:.{digits}f}".replace(".", ",")


class Canvas:
    """A picture in logical pixels (W x H), drawn at SS times the size; `at()` moves and
    scales the drawing of a part, so a board or a robot can be drawn anywhere at any size."""

    def __init__(self, background: tuple, size: tuple[int, int] = (W, H)):
        self.size = size
        self.image = Image.new("RGB", (size[0] * SS, size[1] * SS), background)
        self.draw = ImageDraw.Draw(self.image)
        self.dx, self.dy, self.k = 0.0, 0.0, 1.0

    # --- coordinates ---
    def p(self, x: float, y: float) -> tuple[float, float]:
        return ((self.dx + x * self.k) * SS, (self.dy + y * self.k) * SS)

    def n(self, length: float) -> int:
        return max(1, round(length * self.k * SS))

    def box(self, box: tuple) -> tuple:
        x0, y0, x1, y1 = box
        (a, b), (c, d) = self.p(x0, y0), self.p(x1, y1)
        return (min(a, c), min(b, d), max(a, c), max(b, d))

    @contextmanager
    def at(self, x: float, y: float, k: float = 1.0) -> Iterator[None]:
        saved = (self.dx, self.dy, self.k)
        self.dx, self.dy = self.dx + x * self.k, self.dy + y * self.k
        self.k *= k
        try:
            yield
        finally:
            self.dx, self.dy, self.k = saved

    # --- shapes ---
    def line(self, points: list, fill: tuple = INK, width: float = 4) -> None:
        self.draw.line(
            [self.p(*pt) for pt in points], fill=fill, width=self.n(width), joint="curve"
        )
        r = width / 2
        if width >= 3:  # round ends
            for pt in (points[0], points[-1]):
                self.circle(pt, r, fill=fill)

    def stroke(self, points: list, fill: tuple = INK, width: float = 4) -> None:
        """A smooth thick curve through the points: round dabs close together (Pillow's wide
        polylines leave slivers at sharp joints)."""
        r = width / 2
        step = max(0.5, r / 3)
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            count = max(1, math.ceil(math.dist((ax, ay), (bx, by)) / step))
            for i in range(count + 1):
                t = i / count
                self.circle((ax + (bx - ax) * t, ay + (by - ay) * t), r, fill=fill)

    @contextmanager
    def clip(self, box: tuple, radius: float = 0) -> Iterator[None]:
        """Whatever is drawn inside shows only within the (rounded) box."""
        saved_draw = self.draw
        overlay = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(overlay)
        try:
            yield
        finally:
            self.draw = saved_draw
            mask = Image.new("L", self.image.size, 0)
            ImageDraw.Draw(mask).rounded_rectangle(self.box(box), radius=self.n(radius), fill=255)
            overlay.putalpha(ImageChops.multiply(overlay.getchannel("A"), mask))
            base = self.image.convert("RGBA")
            base.alpha_composite(overlay)
            self.image.paste(base.convert("RGB"))

    def dashed(self, a: tuple, b: tuple, fill: tuple = MUTED, width: float = 3, dash=14, gap=10):
        length = math.dist(a, b)
        if length == 0:
            return
        ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
        t = 0.0
        while t < length:
            end = min(t + dash, length)
            self.draw.line(
                [self.p(a[0] + ux * t, a[1] + uy * t), self.p(a[0] + ux * end, a[1] + uy * end)],
                fill=fill,
                width=self.n(width),
            )
            t = end + gap

    def rect(self, box, fill=None, outline=None, width: float = 0, radius: float = 0) -> None:
        self.draw.rounded_rectangle(
            self.box(box),
            radius=self.n(radius) if radius else 0,
            fill=fill,
            outline=outline,
            width=self.n(width) if outline else 0,
        )

    def circle(self, centre: tuple, r: float, fill=None, outline=None, width: float = 0) -> None:
        x, y = centre
        self.draw.ellipse(
            self.box((x - r, y - r, x + r, y + r)),
            fill=fill,
            outline=outline,
            width=self.n(width) if outline else 0,
        )

    def ellipse(self, box, fill=None, outline=None, width: float = 0) -> None:
        self.draw.ellipse(
            self.box(box), fill=fill, outline=outline, width=self.n(width) if outline else 0
        )

    def polygon(self, points: list, fill=None, outline=None, width: float = 0) -> None:
        self.draw.polygon(
            [self.p(*pt) for pt in points],
            fill=fill,
            outline=outline,
            width=self.n(width) if outline else 0,
        )

    def arc(self, box, start: float, end: float, fill: tuple = INK, width: float = 4) -> None:
        self.draw.arc(self.box(box), start, end, fill=fill, width=self.n(width))

    def arrow(self, a: tuple, b: tuple, fill: tuple = INK, width: float = 5, head: float = 0):
        """A straight arrow from a to b with a filled head at b."""
        head = head or max(16, width * 3.6)
        length = math.dist(a, b)
        ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
        base = (b[0] - ux * head, b[1] - uy * head)
        self.line([a, (b[0] - ux * head * 0.7, b[1] - uy * head * 0.7)], fill=fill, width=width)
        half = head * 0.55
        self.polygon(
            [
                b,
                (base[0] - uy * half, base[1] + ux * half),
                (base[0] + uy * half, base[1] - ux * half),
            ],
            fill=fill,
        )

    def path_arrow(self, points: list, fill: tuple = INK, width: float = 5, head: float = 0):
        """An arrow along a polyline (a few corners or a sampled curve), its head at the end."""
        head = head or max(16, width * 3.6)
        tip = points[-1]
        # Walk back from the tip to where the head's base is.
        index = len(points) - 2
        while index > 0 and math.dist(points[index], tip) < head:
            index -= 1
        base_from = points[index]
        length = math.dist(base_from, tip)
        ux, uy = (tip[0] - base_from[0]) / length, (tip[1] - base_from[1]) / length
        shaft_end = (tip[0] - ux * head * 0.7, tip[1] - uy * head * 0.7)
        body = [*points[: index + 1], shaft_end]
        if len(body) > 3:
            self.stroke(body, fill=fill, width=width)
        else:
            self.line(body, fill=fill, width=width)
        base = (tip[0] - ux * head, tip[1] - uy * head)
        half = head * 0.55
        self.polygon(
            [
                tip,
                (base[0] - uy * half, base[1] + ux * half),
                (base[0] + uy * half, base[1] - ux * half),
            ],
            fill=fill,
        )

    # --- text ---
    def text_width(self, text: str, size: float, bold: bool = False) -> float:
        lines = text.split("\n")
        return max(self.draw.textlength(line, font=font(size * SS, bold)) for line in lines) / SS

    def text(
        self,
        xy: tuple,
        text: str,
        size: float = 28,
        fill: tuple = INK,
        bold: bool = False,
        anchor: str = "la",
        spacing: float = 1.25,
    ) -> None:
        """Text at xy; `anchor` as Pillow's (l/m/r, a/m/s/d); lines of a multi-line text are
        aligned by the same horizontal anchor, and the block by the vertical one."""
        lines = text.split("\n")
        step = size * spacing
        x, y = xy
        if anchor[1] == "m":
            y -= step * (len(lines) - 1) / 2
        elif anchor[1] in "sd":
            y -= step * (len(lines) - 1)
        face = font(size * self.k * SS, bold)
        for number, line in enumerate(lines):
            self.draw.text(self.p(x, y + number * step), line, font=face, fill=fill, anchor=anchor)

    def tag_box(
        self, xy: tuple, text: str, size: float, anchor: str, bold: bool, pad: tuple
    ) -> tuple:
        lines = text.split("\n")
        w = self.text_width(text, size, bold) + 2 * pad[0]
        h = size * 1.25 * len(lines) + 2 * pad[1] - size * 0.2
        x, y = xy
        x0 = {"l": x, "m": x - w / 2, "r": x - w}[anchor[0]]
        y0 = {"a": y, "m": y - h / 2, "d": y - h}[anchor[1]]
        return (x0, y0, x0 + w, y0 + h)

    def tag(
        self,
        xy: tuple,
        text: str,
        size: float = 26,
        fill: tuple = WHITE,
        colour: tuple = INK,
        outline: tuple | None = INK,
        anchor: str = "mm",
        bold: bool = False,
        pad: tuple = (16, 9),
        to: tuple | None = None,
        line: tuple = SOFT,
    ) -> tuple:
        """A label on a rounded card; with `to`, a thin line from the card's edge to the thing
        it names (drawn first, so the card covers it). Returns the card's box."""
        box = self.tag_box(xy, text, size, anchor, bold, pad)
        x0, y0, x1, y1 = box
        if to is not None:
            start = (min(max(to[0], x0 + 12), x1 - 12), min(max(to[1], y0 + 8), y1 - 8))
            self.leader(start, to, fill=line, width=4 if size >= 32 else 3)
        w, h = x1 - x0, y1 - y0
        self.rect(box, fill=fill, outline=outline, width=3, radius=min(h / 2, 18))
        # Text reads from the left; a card anchored by its middle keeps its lines centred.
        align = "m" if anchor[0] == "m" else "l"
        cx = x0 + w / 2 if align == "m" else x0 + pad[0]
        self.text((cx, y0 + h / 2 + size * 0.05), text, size, colour, bold, align + "m")
        return box

    def leader(self, start: tuple, end: tuple, fill: tuple = SOFT, width: float = 3) -> None:
        """A thin line from a label to the thing it names, with a dot on the thing."""
        self.line([start, end], fill=fill, width=width)
        self.circle(end, 6, fill=fill)

    @contextmanager
    def layer(self, opacity: float) -> Iterator[None]:
        """Whatever is drawn inside is laid over the picture at this opacity (0..1)."""
        saved_draw = self.draw
        overlay = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(overlay)
        try:
            yield
        finally:
            self.draw = saved_draw
            alpha = overlay.getchannel("A").point(lambda a: round(a * opacity))
            overlay.putalpha(alpha)
            base = self.image.convert("RGBA")
            base.alpha_composite(overlay)
            self.image.paste(base.convert("RGB"))

    def png(self) -> bytes:
        """The picture at its size, in 256 colours (flat drawings lose nothing; a third of the
        bytes)."""
        image = self.image.resize(self.size, Image.Resampling.LANCZOS)
        image = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


def bezier(p0, p1, p2, p3, steps: int = 40) -> list[tuple[float, float]]:
    """Points along a cubic Bézier curve."""
    out = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
        out.append(
            (
                a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
            )
        )
    return out
