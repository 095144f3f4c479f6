"""Draw the demo lessons' pictures: `python demo/content/images/make_images.py`.

Every picture a lesson names (`:::image <key>`, `:photo: <key>`) is a labelled diagram of what
that lesson says, drawn here and written next to this script as `<key>.png`; `images.toml` gives
each one its title and description. The files are committed, so the demo never runs this: run
it after changing a drawing, or the table of measurements in the Ohm's-law lesson (the chart is
plotted from that table), and look at the pictures. tests/demo/test_images.py checks that the
files are what this script draws.

`python make_images.py ohm_chart line_sensor` draws only the pictures named.
"""

from __future__ import annotations

import io
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
CONTENT = HERE.parent
FONTS = CONTENT.parents[1] / "events" / "fonts"
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


# ---------------------------------------------------------------------------------------------
# Science: the Ohm's-law chart is plotted from the lesson's own table.


def ohm_table(path: Path | None = None) -> list[tuple[float, float]]:
    """(U in volts, I in milliamperes) from the lesson's table `| U, В | I, мА | … |`."""
    path = path or OHM_LESSON
    rows = []
    in_table = False
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] == "U, В" and cells[1] == "I, мА":
            in_table = True
            continue
        if in_table:
            if not line.startswith("|"):
                break
            if set(cells[0]) <= set("-: "):
                continue  # the header's underline
            rows.append((float(cells[0].replace(",", ".")), float(cells[1].replace(",", "."))))
    if not rows:
        raise ValueError(f"{path}: no table with the columns 'U, В' and 'I, мА'")
    return rows


def ohm_fit(rows: list[tuple[float, float]]) -> float:
    """The resistance in ohms: the slope of the least-squares line U = R * I through zero."""
    return sum(u * i for u, i in rows) / sum(i * i for _, i in rows) * 1000


def ohm_chart() -> bytes:
    rows = ohm_table()
    resistance = ohm_fit(rows)
    c = Canvas(tint(ORANGE, 0.93))
    left, right, top, bottom = 170, 1110, 110, 600
    i_max = 10 * math.ceil(max(i for _, i in rows) / 10 + 0.5)  # mA, a round number past the data
    u_max = math.ceil(max(u for u, _ in rows) + 0.5)  # V

    def xy(u: float, i: float) -> tuple[float, float]:
        return (left + (right - left) * i / i_max, bottom - (bottom - top) * u / u_max)

    c.rect((left, top, right, bottom), fill=WHITE)
    for i in range(0, i_max + 1, 5):
        x = xy(0, i)[0]
        c.line([(x, top), (x, bottom)], fill=LINE if i % 10 else tint(SOFT, 0.6), width=2)
        if i % 10 == 0:
            c.text((x, bottom + 14), str(i), 26, SOFT, anchor="ma")
    for half in range(0, 2 * u_max + 1):
        y = xy(half / 2, 0)[1]
        c.line([(left, y), (right, y)], fill=LINE if half % 2 else tint(SOFT, 0.6), width=2)
        if half % 2 == 0:
            c.text((left - 16, y), str(half // 2), 26, SOFT, anchor="rm")
    c.arrow((left, bottom), (right + 50, bottom), INK, 4)
    c.arrow((left, bottom), (left, top - 50), INK, 4)
    c.text((right + 50, bottom + 52), "Сила тока I, мА", 30, INK, bold=True, anchor="ra")
    c.text((left + 22, top - 58), "Напряжение U, В", 30, INK, bold=True, anchor="lm")

    # The line through the origin that fits the points best, drawn across the whole plot.
    end_i = min(i_max, u_max * 1000 / resistance)
    c.line([xy(0, 0), xy(end_i * resistance / 1000, end_i)], fill=ORANGE, width=6)
    for u, i in rows:
        x, y = xy(u, i)
        c.circle((x, y), 13, fill=WHITE, outline=INK, width=5)
        c.text((x + 22, y + 8), f"{fmt(i)} мА; {fmt(u)} В", 22, SOFT, anchor="la")
    c.circle(xy(0, 0), 8, fill=ORANGE)

    # Legend, in the empty upper left corner of the plot.
    lx, ly = left + 30, top + 26
    c.rect((lx, ly, lx + 500, ly + 158), fill=WHITE, outline=LINE, width=2, radius=14)
    c.circle((lx + 36, ly + 34), 11, fill=WHITE, outline=INK, width=5)
    c.text((lx + 66, ly + 34), "измерения из таблицы урока", 24, INK, anchor="lm")
    c.line([(lx + 16, ly + 80), (lx + 56, ly + 80)], fill=ORANGE, width=6)
    c.text((lx + 66, ly + 80), "прямая через начало координат", 24, INK, anchor="lm")
    c.text(
        (lx + 66, ly + 124),
        f"наклон: R = U / I ≈ {fmt(resistance)} Ом",
        24,
        INK,
        bold=True,
        anchor="lm",
    )
    return c.png()


# ---------------------------------------------------------------------------------------------
# Robotics: the Arduino board, the breadboard, the motor driver, the chassis, the line sensors.

UNO = (0, 129, 138)
UNO_DARK = shade(UNO, 0.35)
PWM_PINS = {3, 5, 6, 9, 10, 11}
DIGITAL = [13, 12, 11, 10, 9, 8, None, 7, 6, 5, 4, 3, 2, 1, 0]  # left to right, a gap at None
BOARD_W, BOARD_H = 680, 440


def uno(c: Canvas, on: bool = True, numbers: bool = True) -> dict[str, tuple]:
    """An Arduino Uno seen from above, its top left corner at (0, 0), BOARD_W x BOARD_H;
    returns where its parts are (for the labels around it)."""
    parts: dict[str, tuple] = {}
    c.rect((0, 0, BOARD_W, BOARD_H), fill=UNO, outline=UNO_DARK, width=4, radius=22)
    for x, y in ((28, 90), (28, BOARD_H - 28), (BOARD_W - 28, 160), (BOARD_W - 150, BOARD_H - 150)):
        c.circle((x, y), 11, fill=tint(UNO, 0.75), outline=UNO_DARK, width=2)
    # USB-B socket and the power jack stick out of the left edge.
    c.rect((-46, 60, 104, 170), fill=(206, 212, 218), outline=SOFT, width=4, radius=6)
    c.rect((-30, 86, 40, 144), fill=(173, 181, 189), outline=SOFT, width=2, radius=4)
    parts["usb"] = (-46, 115)
    c.rect((-34, 318, 96, 408), fill=(52, 58, 64), outline=INK, width=3, radius=8)
    c.circle((10, 363), 18, fill=(134, 142, 150))
    parts["jack"] = (-34, 363)
    # Reset button.
    c.rect((128, 22, 172, 66), fill=(222, 226, 230), outline=SOFT, width=2, radius=4)
    c.circle((150, 44), 13, fill=RED)
    parts["reset"] = (150, 44)
    # Digital header along the top edge: 14 pins D0–D13, the PWM ones marked ~ and ringed.
    pitch, x0 = 32, 190
    c.rect((x0 - 20, 14, x0 + pitch * (len(DIGITAL) - 1) + 20, 50), fill=INK, radius=4)
    pins = {}
    for index, pin in enumerate(DIGITAL):
        if pin is None:
            continue
        x = x0 + index * pitch
        pins[pin] = (x, 32)
        c.rect((x - 7, 25, x + 7, 39), fill=(90, 90, 90))
        if numbers:
            colour = YELLOW if pin in PWM_PINS else WHITE
            if pin in PWM_PINS:
                c.rect((x - 9, 23, x + 9, 41), fill=YELLOW, radius=2)
                c.rect((x - 5, 27, x + 5, 37), fill=(90, 90, 90))
            c.text((x, 60), str(pin), 17, colour, bold=True, anchor="ma")
            if pin in PWM_PINS:
                c.text((x, 80), "~", 22, YELLOW, bold=True, anchor="ma")
    parts["digital"] = (x0 - 20, x0 + pitch * (len(DIGITAL) - 1) + 20, 14, 50)
    parts["pins"] = pins
    if numbers:
        c.text((x0 + pitch * 9, 112), "DIGITAL (~ PWM)", 17, tint(UNO, 0.7), bold=True, anchor="ma")
    # LEDs: L next to pin 13, ON near the right edge.
    c.rect((222, 104, 244, 120), fill=(253, 126, 20) if on else (255, 216, 168))
    c.text((254, 112), "L", 18, WHITE, bold=True, anchor="lm")
    parts["led_l"] = (233, 112)
    on_xy = (560, 150)
    if on:
        with c.layer(0.45):
            c.circle(on_xy, 30, fill=LIGHT_GREEN)
    c.rect(
        (on_xy[0] - 11, on_xy[1] - 8, on_xy[0] + 11, on_xy[1] + 8),
        fill=(64, 192, 87) if on else (178, 242, 187),
    )
    c.text((on_xy[0] + 20, on_xy[1]), "ON", 18, WHITE, bold=True, anchor="lm")
    parts["led_on"] = on_xy
    # The microcontroller: a long DIP chip.
    chip = (300, 268, 590, 330)
    for i in range(14):
        x = chip[0] + 14 + i * 20
        c.rect((x, chip[1] - 10, x + 9, chip[1]), fill=(173, 181, 189))
        c.rect((x, chip[3], x + 9, chip[3] + 10), fill=(173, 181, 189))
    c.rect(chip, fill=(37, 38, 41), radius=4)
    c.circle((chip[0] + 14, (chip[1] + chip[3]) / 2), 7, fill=(73, 80, 87))
    c.text(
        ((chip[0] + chip[2]) / 2, (chip[1] + chip[3]) / 2),
        "ATmega328P",
        22,
        (222, 226, 230),
        bold=True,
        anchor="mm",
    )
    parts["chip"] = chip
    # A crystal and two capacitors near the power jack.
    c.rect((200, 200, 250, 222), fill=(206, 212, 218), outline=SOFT, width=2, radius=10)
    for x in (130, 170):
        c.circle((x, 290), 16, fill=(222, 226, 230), outline=SOFT, width=2)
    if numbers:
        c.text((300, 200), "UNO", 40, tint(UNO, 0.35), bold=True, anchor="lm")
    # Bottom headers: power and the analog inputs.
    power = ["3.3V", "5V", "GND", "GND", "Vin"]
    analog = ["A0", "A1", "A2", "A3", "A4", "A5"]
    ppitch, px0, ax0 = 48, 160, 420
    yb = BOARD_H - 50
    c.rect((px0 - 20, yb, px0 + ppitch * (len(power) - 1) + 20, yb + 36), fill=INK, radius=4)
    c.rect((ax0 - 20, yb, ax0 + ppitch * (len(analog) - 1) + 20, yb + 36), fill=INK, radius=4)
    for group, start in ((power, px0), (analog, ax0)):
        for index, name in enumerate(group):
            x = start + index * ppitch
            c.rect((x - 7, yb + 11, x + 7, yb + 25), fill=(90, 90, 90))
            if numbers:
                c.text((x, yb - 8), name, 16, WHITE, bold=True, anchor="md")
    parts["power"] = (px0 - 20, px0 + ppitch * (len(power) - 1) + 20, yb, yb + 36)
    parts["analog"] = (ax0 - 20, ax0 + ppitch * (len(analog) - 1) + 20, yb, yb + 36)
    return parts


def bracket(c: Canvas, x0: float, x1: float, y: float, up: bool, fill: tuple, width: float = 4):
    """A square bracket under (or over) a row of things, its tick pointing away from them."""
    d = -16 if up else 16
    c.line([(x0, y), (x0, y + d), (x1, y + d), (x1, y)], fill=fill, width=width)
    m = (x0 + x1) / 2
    c.line([(m, y + d), (m, y + 2 * d)], fill=fill, width=width)
    return (m, y + 2 * d)


def arduino_board() -> bytes:
    c = Canvas(tint(UNO, 0.9))
    ox, oy = 252, 190
    with c.at(ox, oy):
        parts = uno(c)

    def g(xy: tuple) -> tuple:  # board to picture coordinates
        return (ox + xy[0], oy + xy[1])

    # Top: the digital pins; the PWM ones are yellow.
    x0, x1, y0, _ = parts["digital"]
    tip = bracket(c, ox + x0, ox + x1, oy + y0 - 8, up=True, fill=INK)
    c.tag(
        (tip[0] - 60, tip[1] - 4),
        "Цифровые пины D0–D13:\nвключать, выключать, читать кнопки",
        24,
        anchor="md",
    )
    c.tag(
        (1188, 20),
        "~ ШИМ: пины 3, 5, 6,\n9, 10, 11 — плавно\nменять яркость\nи скорость",
        24,
        fill=(255, 236, 153),
        anchor="ra",
        to=g(parts["pins"][3]),
        line=shade(YELLOW, 0.45),
    )
    # Bottom: power and analog inputs.
    x0, x1, _, y1 = parts["power"]
    tip = bracket(c, ox + x0, ox + x1, oy + y1 + 8, up=False, fill=INK)
    c.tag((tip[0] - 30, tip[1] + 4), "Питание:\n3.3V, 5V, GND", 24, anchor="ma")
    x0, x1, _, y1 = parts["analog"]
    tip = bracket(c, ox + x0, ox + x1, oy + y1 + 8, up=False, fill=INK)
    c.tag(
        (tip[0] + 40, tip[1] + 4),
        "Аналоговые входы A0–A5:\nдатчики с плавным сигналом",
        24,
        anchor="ma",
    )
    # Left: USB, the LED L and the power jack.
    c.tag(
        (15, 40), "Разъём USB:\nпитание\nи загрузка\nпрограмм", 24, anchor="la", to=g(parts["usb"])
    )
    c.tag((15, 400), "Светодиод L:\nпин 13", 24, anchor="la", to=g(parts["led_l"]))
    c.tag((15, 620), "Гнездо\nпитания 7–12 В", 24, anchor="la", to=g(parts["jack"]))
    # Right: the LED ON and the microcontroller.
    c.tag((1188, 300), "Светодиод ON:\nплата\nвключена", 24, anchor="ra", to=g(parts["led_on"]))
    chip = parts["chip"]
    c.tag(
        (1188, 470),
        "Микро-\nконтроллер\nATmega328P:\n«мозг» робота",
        24,
        anchor="ra",
        to=g((chip[2] - 10, (chip[1] + chip[3]) / 2)),
    )
    return c.png()


def laptop(c: Canvas) -> tuple:
    """A laptop with the Arduino IDE open, 440 wide; returns its USB port."""
    c.rect((20, 0, 420, 270), fill=(52, 58, 64), radius=18)
    c.rect((40, 20, 400, 250), fill=WHITE, radius=6)
    c.rect((40, 20, 400, 62), fill=UNO, radius=6)
    c.rect((40, 50, 400, 62), fill=UNO)
    for i, x in enumerate((62, 104)):
        c.circle((x, 41), 14, fill=WHITE)
        if i == 0:
            c.line([(55, 41), (60, 47), (70, 35)], fill=UNO, width=4)
        else:
            c.arrow((96, 41), (113, 41), UNO, 4, head=12)
    for i, width in enumerate((220, 160, 260, 120, 200)):
        c.rect(
            (62, 82 + i * 30, 62 + width, 94 + i * 30),
            fill=tint(UNO, 0.6 if i % 2 else 0.3),
            radius=6,
        )
    c.polygon([(0, 280), (440, 280), (420, 310), (20, 310)], fill=(134, 142, 150))
    c.rect((0, 270, 440, 284), fill=(173, 181, 189), radius=4)
    c.rect((432, 286, 446, 302), fill=(52, 58, 64))
    return (446, 294)


def arduino_usb() -> bytes:
    c = Canvas(tint(UNO, 0.9))
    with c.at(40, 210):
        port = laptop(c)
    port = (40 + port[0], 210 + port[1])
    ox, oy, k = 640, 190, 0.8
    with c.at(ox, oy, k):
        parts = uno(c, on=True, numbers=False)
    usb = (ox + parts["usb"][0] * k, oy + parts["usb"][1] * k)
    cable = bezier(
        port, (port[0] + 120, port[1] + 150), (usb[0] - 160, usb[1] + 20), (usb[0] - 30, usb[1])
    )
    c.stroke(cable, fill=(73, 80, 87), width=14)
    c.rect((usb[0] - 40, usb[1] - 16, usb[0] + 4, usb[1] + 16), fill=(134, 142, 150), radius=4)
    led = (ox + parts["led_on"][0] * k, oy + parts["led_on"][1] * k)
    with c.layer(0.5):
        c.circle(led, 44, fill=LIGHT_GREEN)
    c.tag(
        (1190, 20),
        "Светодиод ON горит:\nплата получает питание",
        36,
        anchor="ra",
        bold=True,
        to=led,
        line=INK,
    )
    lowest = max(cable, key=lambda pt: pt[1])
    c.tag(
        (600, 730),
        "Кабель USB, который передаёт данные",
        36,
        anchor="md",
        bold=True,
        to=lowest,
        line=INK,
    )
    return c.png()


# The breadboard: columns of five connected holes either side of the groove, rails along the
# edges. hole(col, row) gives a hole's centre; rows a–e are above the groove, f–j below.
BB_X, BB_PITCH, BB_TOP = 360, 40, 100
ROWS = "abcdefghij"
RAIL_Y = {
    "+top": BB_TOP + 34,
    "-top": BB_TOP + 72,
    "-bottom": BB_TOP + 560,
    "+bottom": BB_TOP + 598,
}
COLUMNS = 19


def hole(col: int, row: str) -> tuple[float, float]:
    x = BB_X + 36 + (col - 1) * BB_PITCH
    if row in RAIL_Y:
        return (x, RAIL_Y[row])
    index = ROWS.index(row)
    return (x, BB_TOP + 130 + index * BB_PITCH + (20 if index >= 5 else 0))


def breadboard(c: Canvas, used: set[tuple[int, str]]) -> None:
    """The board; `used` columns (col, 'top' or 'bottom') are tinted: their five holes are one."""
    right = hole(COLUMNS, "a")[0] + 36
    c.rect(
        (BB_X, BB_TOP, right, BB_TOP + 630),
        fill=(241, 243, 245),
        outline=(173, 181, 189),
        width=4,
        radius=16,
    )
    groove = (hole(1, "e")[1] + hole(1, "f")[1]) / 2
    c.rect((BB_X + 10, groove - 10, right - 10, groove + 10), fill=(222, 226, 230), radius=6)
    for rail, colour, offset in (
        ("+top", RED, -20),
        ("-top", BLUE, 20),
        ("-bottom", BLUE, -20),
        ("+bottom", RED, 20),
    ):
        y = RAIL_Y[rail]
        c.line([(BB_X + 40, y + offset), (right - 24, y + offset)], fill=colour, width=3)
        c.text((BB_X + 20, y), "+" if rail[0] == "+" else "−", 28, colour, bold=True, anchor="mm")
    for col, half in used:
        rows = ROWS[:5] if half == "top" else ROWS[5:]
        x0, y0 = hole(col, rows[0])
        _, y1 = hole(col, rows[-1])
        c.rect(
            (x0 - 16, y0 - 16, x0 + 16, y1 + 16),
            fill=(211, 249, 216),
            outline=(105, 219, 124),
            width=2,
            radius=8,
        )
    for col in range(1, COLUMNS + 1):
        for row in [*ROWS, *RAIL_Y]:
            x, y = hole(col, row)
            c.rect((x - 6, y - 6, x + 6, y + 6), fill=(134, 142, 150), radius=2)


def wire(c: Canvas, points: list, colour: tuple, arc: float = 0) -> None:
    """A jumper wire along the points; with `arc`, a curve that bows by that much."""
    if arc and len(points) == 2:
        (ax, ay), (bx, by) = points
        length = math.dist(points[0], points[1])
        nx, ny = -(by - ay) / length * arc, (bx - ax) / length * arc
        points = bezier(
            points[0],
            (ax + (bx - ax) / 3 + nx, ay + (by - ay) / 3 + ny),
            (ax + 2 * (bx - ax) / 3 + nx, ay + 2 * (by - ay) / 3 + ny),
            points[1],
            30,
        )
    c.line(points, fill=shade(colour, 0.25), width=12)
    c.line(points, fill=colour, width=8)
    for end in (points[0], points[-1]):
        c.circle(end, 8, fill=(173, 181, 189), outline=SOFT, width=2)


def resistor(c: Canvas, a: tuple, b: tuple, bands: list[tuple]) -> tuple:
    """A resistor lying flat from hole a to hole b; returns its middle."""
    c.line([a, b], fill=(134, 142, 150), width=5)
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    c.rect(
        (mx - 56, my - 18, mx + 56, my + 18),
        fill=(233, 210, 160),
        outline=BROWN,
        width=2,
        radius=14,
    )
    for i, colour in enumerate(bands):
        x = mx - 34 + i * 19 + (12 if i == len(bands) - 1 else 0)
        c.rect((x, my - 18, x + 10, my + 18), fill=colour)
    return (mx, my)


def led(
    c: Canvas, anode: tuple, cathode: tuple, colour: tuple = RED, lit: bool = False
) -> dict[str, tuple]:
    """An LED standing over its two holes: the long leg (anode, +) bent, the short one straight."""
    top = ((anode[0] + cathode[0]) / 2, anode[1] - 92)
    leg = (134, 142, 150)
    c.line([anode, (anode[0] - 12, anode[1] - 34), (top[0] - 9, top[1] + 22)], fill=leg, width=5)
    c.line([cathode, (top[0] + 9, top[1] + 22)], fill=leg, width=5)
    if lit:
        with c.layer(0.45):
            c.circle(top, 66, fill=(255, 150, 150))
    c.rect((top[0] - 26, top[1] + 10, top[0] + 26, top[1] + 24), fill=shade(colour, 0.15), radius=3)
    c.ellipse((top[0] - 22, top[1] - 34, top[0] + 22, top[1] + 18), fill=colour)
    c.ellipse((top[0] - 12, top[1] - 24, top[0] - 2, top[1] - 4), fill=tint(colour, 0.6))
    c.text((anode[0] - 24, anode[1] - 30), "+", 30, RED, bold=True, anchor="rm")
    c.text((cathode[0] + 18, cathode[1] - 30), "−", 30, INK, bold=True, anchor="lm")
    return {
        "top": top,
        "anode": (anode[0] - 8, anode[1] - 28),
        "cathode": (cathode[0], cathode[1] - 26),
    }


def button(c: Canvas, legs: list[tuple]) -> tuple:
    xs, ys = [pt[0] for pt in legs], [pt[1] for pt in legs]
    box = (min(xs) - 14, min(ys) - 14, max(xs) + 14, max(ys) + 14)
    for x, y in legs:
        c.rect((x - 7, y - 7, x + 7, y + 7), fill=(134, 142, 150))
    c.rect(box, fill=(52, 58, 64), radius=8)
    m = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    c.circle(m, 24, fill=(134, 142, 150), outline=(173, 181, 189), width=3)
    return m


def arduino_strip(c: Canvas, pins: dict[str, float]) -> dict[str, tuple]:
    """The edge of an Arduino on the left with the header pins used; returns the sockets."""
    c.rect((-40, 40, 250, 720), fill=UNO, outline=UNO_DARK, width=4, radius=22)
    c.text((100, 100), "Arduino", 34, WHITE, bold=True, anchor="mm")
    c.rect((204, 120, 240, 690), fill=INK, radius=4)
    sockets = {}
    for name, y in pins.items():
        c.rect((215, y - 7, 229, y + 7), fill=(90, 90, 90))
        c.text((190, y), name, 32, WHITE, bold=True, anchor="rm")
        sockets[name] = (222, y)
    return sockets


def breadboard_led() -> bytes:
    return _breadboard_picture(with_button=False)


def breadboard_button() -> bytes:
    return _breadboard_picture(with_button=True)


def _breadboard_picture(with_button: bool) -> bytes:
    c = Canvas(tint(RED, 0.92))
    used = {(2, "top"), (6, "top"), (7, "top")}
    if with_button:
        used |= {(13, "top"), (11, "bottom")}
    breadboard(c, used)
    pins = {"пин 9": hole(1, "a")[1]}
    if with_button:
        pins |= {"GND": RAIL_Y["-top"], "пин 2": hole(1, "h")[1]}
    sockets = arduino_strip(c, pins)
    # Pin 9 → resistor 220 Ω → the LED's long leg; the short leg → the "−" rail.
    wire(c, [sockets["пин 9"], hole(2, "a")], ORANGE)
    middle = resistor(c, hole(2, "c"), hole(6, "c"), [RED, RED, BROWN, (201, 160, 60)])
    parts = led(c, hole(6, "e"), hole(7, "e"))
    wire(c, [hole(7, "a"), hole(8, "-top")], BLUE, arc=-14)
    if not with_button:
        c.tag(
            (10, 4),
            "Пин 9 → резистор 220 Ом",
            36,
            anchor="la",
            bold=True,
            to=(middle[0], middle[1] - 18),
        )
        c.tag(
            (1180, 4),
            "Короткая ножка «−»\n— к шине «−»",
            34,
            anchor="ra",
            bold=True,
            to=(hole(7, "a")[0] + 22, hole(7, "a")[1] - 34),
        )
        c.tag(
            (hole(8, "f")[0], hole(8, "f")[1]),
            "Длинная ножка «+»\n— к резистору",
            34,
            anchor="la",
            bold=True,
            to=parts["anode"],
        )
        c.tag(
            (hole(1, "j")[0] - 20, hole(1, "j")[1]),
            "В столбике 5 отверстий соединены",
            30,
            anchor="lm",
            fill=(211, 249, 216),
            outline=GREEN,
            to=(hole(2, "e")[0], hole(2, "e")[1] + 16),
            line=GREEN,
        )
        return c.png()
    legs = [hole(11, "e"), hole(13, "e"), hole(11, "f"), hole(13, "f")]
    centre = button(c, legs)
    wire(c, [sockets["пин 2"], hole(11, "h")], GREEN, arc=-30)
    wire(c, [hole(13, "a"), hole(14, "-top")], BLUE, arc=-14)
    wire(c, [sockets["GND"], hole(1, "-top")], INK)
    c.tag(
        (270, 4),
        "GND → шина «−»",
        34,
        anchor="la",
        bold=True,
        to=((sockets["GND"][0] + hole(1, "-top")[0]) / 2, RAIL_Y["-top"]),
    )
    c.tag(
        (1180, 4),
        "Ножка по диагонали —\nк шине «−»",
        34,
        anchor="ra",
        bold=True,
        to=(hole(13, "a")[0] + 16, hole(13, "a")[1] - 26),
    )
    c.tag(
        (1180, 690),
        "Кнопка поперёк канавки:\nпин 2 — к ножке снизу",
        34,
        anchor="rd",
        bold=True,
        to=(centre[0] + 20, centre[1] + 20),
    )
    return c.png()


def motor(c: Canvas, x: float, y: float, label: str) -> dict[str, tuple]:
    """A yellow gear motor seen from the side, its terminals on the left; (x, y) its top left."""
    c.rect((x, y, x + 150, y + 100), fill=YELLOW, outline=shade(YELLOW, 0.35), width=4, radius=14)
    c.circle((x + 75, y + 50), 32, fill=WHITE, outline=shade(YELLOW, 0.35), width=4)
    c.text((x + 75, y + 50), "M", 34, INK, bold=True, anchor="mm")
    c.rect((x + 150, y + 38, x + 186, y + 62), fill=WHITE, outline=SOFT, width=3, radius=4)
    c.text((x + 75, y + 118), label, 24, INK, bold=True, anchor="ma")
    return {"a": (x, y + 30), "b": (x, y + 70)}


def motor_driver() -> bytes:
    c = Canvas(tint(BROWN, 0.9))
    pin_y = {"5": 180, "7": 230, "8": 280, "6": 380, "9": 430, "10": 480}
    inputs = {"5": "ENA", "7": "IN1", "8": "IN2", "6": "ENB", "9": "IN3", "10": "IN4"}
    colours = {"5": ORANGE, "7": ORANGE, "8": ORANGE, "6": VIOLET, "9": VIOLET, "10": VIOLET}
    # Arduino.
    c.rect((30, 90, 290, 580), fill=UNO, outline=UNO_DARK, width=4, radius=22)
    c.text((135, 125), "Arduino Uno", 28, WHITE, bold=True, anchor="mm")
    c.rect((240, 160, 276, 560), fill=INK, radius=4)
    for pin, y in {**pin_y, "GND": 540}.items():
        c.rect((251, y - 7, 265, y + 7), fill=(90, 90, 90))
        c.text((228, y), f"пин {pin}" if pin != "GND" else "GND", 24, WHITE, bold=True, anchor="rm")
    # L298N.
    board = (470, 110, 790, 560)
    c.rect(board, fill=(201, 42, 42), outline=shade(RED, 0.4), width=4, radius=18)
    for i in range(7):
        x = 560 + i * 22
        c.rect((x, 130, x + 12, 230), fill=(52, 58, 64), radius=3)
    c.rect((548, 200, 714, 240), fill=(52, 58, 64), radius=4)
    c.text((630, 290), "L298N", 36, WHITE, bold=True, anchor="mm")
    for pin, y in pin_y.items():
        c.circle((board[0], y), 9, fill=(255, 212, 59), outline=INK, width=2)
        c.text((board[0] + 18, y), inputs[pin], 24, WHITE, bold=True, anchor="lm")
        wire(c, [(258, y), (board[0], y)], colours[pin])
    c.text((380, pin_y["5"] - 30), "мотор A", 22, shade(ORANGE, 0.2), bold=True, anchor="mm")
    c.text((380, pin_y["6"] - 30), "мотор B", 22, shade(VIOLET, 0.1), bold=True, anchor="mm")
    # Outputs and motors.
    outs = {"OUT1": 190, "OUT2": 250, "OUT3": 390, "OUT4": 450}
    for name, y in outs.items():
        c.rect(
            (board[2] - 34, y - 16, board[2] + 4, y + 16),
            fill=(28, 126, 214),
            outline=INK,
            width=2,
            radius=3,
        )
        c.text((board[2] - 42, y), name, 22, WHITE, bold=True, anchor="rm")
    ma = motor(c, 990, 170, "Мотор A (левый)")
    mb = motor(c, 990, 370, "Мотор B (правый)")
    wire(c, [(board[2] + 4, outs["OUT1"]), (900, outs["OUT1"]), (900, ma["a"][1]), ma["a"]], RED)
    wire(c, [(board[2] + 4, outs["OUT2"]), (930, outs["OUT2"]), (930, ma["b"][1]), ma["b"]], INK)
    wire(c, [(board[2] + 4, outs["OUT3"]), (900, outs["OUT3"]), (900, mb["a"][1]), mb["a"]], RED)
    wire(c, [(board[2] + 4, outs["OUT4"]), (930, outs["OUT4"]), (930, mb["b"][1]), mb["b"]], INK)
    # Power terminals along the bottom edge, the batteries under them.
    terms = {"+12V": 540, "GND": 630, "5V": 720}
    for name, x in terms.items():
        c.rect(
            (x - 20, board[3] - 36, x + 20, board[3] + 4),
            fill=(28, 126, 214),
            outline=INK,
            width=2,
            radius=3,
        )
        c.text((x, board[3] - 46), name, 22, WHITE, bold=True, anchor="md")
    pack = (470, 650, 790, 735)
    c.rect(pack, fill=(52, 58, 64), radius=14)
    for i in range(2):
        x0 = pack[0] + 14 + i * 152
        c.rect((x0, pack[1] + 14, x0 + 140, pack[3] - 14), fill=(59, 201, 219), radius=12)
        c.text((x0 + 70, (pack[1] + pack[3]) / 2), "18650", 24, INK, bold=True, anchor="mm")
    c.text(
        (pack[2] + 20, (pack[1] + pack[3]) / 2),
        "Батареи\n2 × 18650 (7,4 В)",
        24,
        INK,
        bold=True,
        anchor="lm",
    )
    wire(c, [(terms["+12V"], board[3]), (terms["+12V"], pack[1])], RED)
    wire(c, [(terms["GND"], board[3]), (terms["GND"], pack[1])], INK)
    c.text((terms["+12V"] - 16, pack[1] - 26), "+", 30, RED, bold=True, anchor="rm")
    c.text((terms["GND"] + 16, pack[1] - 26), "−", 30, INK, bold=True, anchor="lm")
    wire(c, [(258, 540), (330, 540), (330, 605), (terms["GND"], 605)], INK)
    c.circle((terms["GND"], 605), 9, fill=INK)
    c.tag((20, 740), "Общая «земля»: GND\nдрайвера и Arduino", 24, anchor="ld")
    c.text(
        (600, 40),
        "ENA → 5, IN1 → 7, IN2 → 8   ·   ENB → 6, IN3 → 9, IN4 → 10",
        28,
        INK,
        bold=True,
        anchor="mm",
    )
    return c.png()


def tt_motor(c: Canvas, x: float, y: float, side: int) -> dict[str, tuple]:
    """A TT gear motor seen from above, lying front to back along the frame's edge: the yellow
    gearbox with its shaft pointing out sideways, the motor's can behind it, a mounting plate
    with two M3 screws on the inner side. (x, y) is the gearbox's outer top corner; side −1 for
    the left motor, 1 for the right."""
    w = 74
    box = (x, y, x - side * w, y + 120)
    c.rect(box, fill=YELLOW, outline=shade(YELLOW, 0.35), width=4, radius=10)
    can = (x - side * 8, y + 120, x - side * (w - 8), y + 196)
    c.rect(can, fill=(206, 212, 218), outline=SOFT, width=4, radius=12)
    c.line(
        [((can[0] + can[2]) / 2 - 14, y + 196), ((can[0] + can[2]) / 2 - 14, y + 214)],
        fill=RED,
        width=5,
    )
    c.line(
        [((can[0] + can[2]) / 2 + 14, y + 196), ((can[0] + can[2]) / 2 + 14, y + 214)],
        fill=INK,
        width=5,
    )
    shaft_y = y + 44
    c.rect(
        (x, shaft_y - 11, x + side * 64, shaft_y + 11), fill=WHITE, outline=SOFT, width=3, radius=3
    )
    px = x - side * (w + 16)
    c.rect(
        (px - 14, y - 14, px + 14, y + 134), fill=(173, 181, 189), outline=SOFT, width=3, radius=5
    )
    screws = []
    for sy in (y + 10, y + 110):
        c.circle((px, sy), 10, fill=(222, 226, 230), outline=INK, width=2)
        c.line([(px - 6, sy), (px + 6, sy)], fill=INK, width=2)
        c.line([(px, sy - 6), (px, sy + 6)], fill=INK, width=2)
        screws.append((px, sy))
    return {
        "shaft": (x + side * 40, shaft_y),
        "shaft_end": (x + side * 64, shaft_y),
        "screw": screws[0],
        "body": ((box[0] + box[2]) / 2, y + 80),
    }


def chassis(c: Canvas, wheels: bool) -> dict[str, tuple]:
    frame = (390, 150, 810, 650)
    c.rect(frame, fill=tint(BLUE, 0.75), outline=DARK_BLUE, width=5, radius=46)
    for x, y in ((440, 200), (760, 200), (440, 600), (760, 600)):
        c.circle((x, y), 8, fill=WHITE, outline=DARK_BLUE, width=2)
    left = tt_motor(c, 396, 380, -1)
    right = tt_motor(c, 804, 380, 1)
    parts = {"left": left, "right": right}
    if wheels:
        for m, side in ((left, -1), (right, 1)):
            wx = m["shaft_end"][0] - side * 58  # pushed onto the shaft as far as it goes
            x0, x1 = sorted((wx, wx + side * 58))
            c.rect(
                (x0, m["shaft"][1] - 90, x1, m["shaft"][1] + 90),
                fill=(52, 58, 64),
                outline=INK,
                width=3,
                radius=20,
            )
            for ty in range(int(m["shaft"][1]) - 76, int(m["shaft"][1]) + 80, 19):
                c.line([(x0 + 5, ty), (x1 - 5, ty)], fill=(90, 90, 90), width=4)
            m["wheel"] = ((x0 + x1) / 2, m["shaft"][1] - 60)
        # The caster ball on its posts at the front.
        c.rect((540, 205, 660, 255), fill=(173, 181, 189), outline=SOFT, width=3, radius=10)
        for x in (556, 644):
            c.circle((x, 230), 12, fill=(222, 226, 230), outline=INK, width=3)
        c.circle((600, 230), 30, fill=(222, 226, 230), outline=INK, width=4)
        c.circle((590, 220), 8, fill=WHITE)
        parts["ball"] = (630, 230)
    return parts


def chassis_motors() -> bytes:
    c = Canvas(tint(BLUE, 0.9))
    parts = chassis(c, wheels=False)
    c.arrow((600, 130), (600, 40), DARK_BLUE, 8)
    c.text((630, 75), "вперёд", 34, DARK_BLUE, bold=True, anchor="lm")
    c.tag(
        (20, 220),
        "Мотор\nс редуктором",
        38,
        anchor="la",
        bold=True,
        to=parts["left"]["body"],
        line=INK,
    )
    c.tag(
        (1180, 200),
        "Винты М3\nчерез пластину",
        38,
        anchor="ra",
        bold=True,
        to=parts["right"]["screw"],
        line=INK,
    )
    c.tag(
        (1180, 640),
        "Вал смотрит\nнаружу",
        38,
        anchor="rm",
        bold=True,
        to=parts["right"]["shaft_end"],
        line=INK,
    )
    c.tag((20, 640), "Рама", 38, anchor="lm", bold=True, to=(420, 630), line=INK)
    return c.png()


def robot_chassis() -> bytes:
    c = Canvas(tint(BLUE, 0.9))
    parts = chassis(c, wheels=True)
    c.arrow((600, 130), (600, 40), DARK_BLUE, 8)
    c.text((630, 75), "вперёд", 34, DARK_BLUE, bold=True, anchor="lm")
    c.tag(
        (20, 200),
        "Колесо надето\nна вал до упора",
        38,
        anchor="la",
        bold=True,
        to=parts["left"]["wheel"],
        line=INK,
    )
    c.tag(
        (1180, 150),
        "Опорный шарик\nна стойках",
        38,
        anchor="ra",
        bold=True,
        to=parts["ball"],
        line=INK,
    )
    c.tag(
        (1180, 660),
        "Два ведущих колеса",
        38,
        anchor="rm",
        bold=True,
        to=parts["right"]["wheel"],
        line=INK,
    )
    return c.png()


def sensor_module(c: Canvas, x: float, y: float, lit: bool) -> dict[str, tuple]:
    """A TCRT5000 line sensor module from the side: the board, and under it the IR LED and
    the phototransistor looking down; (x, y) is the middle of the board's top."""
    c.rect(
        (x - 150, y, x + 150, y + 70), fill=DARK_BLUE, outline=shade(BLUE, 0.5), width=3, radius=8
    )
    c.rect((x - 120, y + 16, x - 60, y + 46), fill=(52, 58, 64), radius=4)  # the comparator
    c.rect((x + 50, y + 12, x + 90, y + 52), fill=(28, 126, 214), outline=WHITE, width=2, radius=4)
    c.circle((x + 70, y + 32), 10, fill=WHITE)
    indicator = (x + 122, y + 34)
    if lit:
        with c.layer(0.5):
            c.circle(indicator, 26, fill=LIGHT_GREEN)
    c.circle(indicator, 10, fill=(64, 192, 87) if lit else (90, 100, 110))
    c.rect((x - 70, y + 70, x + 70, y + 104), fill=(37, 38, 41), radius=4)
    ir, photo = (x - 36, y + 126), (x + 36, y + 126)
    c.rect((ir[0] - 20, y + 96, ir[0] + 20, ir[1] - 10), fill=(165, 216, 255))
    c.ellipse((ir[0] - 20, ir[1] - 24, ir[0] + 20, ir[1] + 4), fill=(165, 216, 255))
    c.rect((photo[0] - 20, y + 96, photo[0] + 20, photo[1] - 10), fill=(52, 58, 64))
    c.ellipse((photo[0] - 20, photo[1] - 24, photo[0] + 20, photo[1] + 4), fill=(52, 58, 64))
    return {"ir": (ir[0], ir[1] + 4), "photo": (photo[0], photo[1] + 4), "indicator": indicator}


def wavy_arrow(c: Canvas, a: tuple, b: tuple, colour: tuple, width: float = 5) -> None:
    """Invisible infrared light: a wavy arrow from a to b."""
    length = math.dist(a, b)
    ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
    points = []
    for i in range(0, 61):
        t = i / 60 * (length - 26)
        wobble = 9 * math.sin(t / 11)
        points.append((a[0] + ux * t - uy * wobble, a[1] + uy * t + ux * wobble))
    c.line(points, fill=colour, width=width)
    c.arrow(points[-1], b, colour, width, head=26)


def line_sensor() -> bytes:
    c = Canvas(tint((57, 73, 171), 0.9))
    ir_colour = (201, 42, 42)
    for index, (title, surface, text) in enumerate(
        (
            (
                "Над белым",
                WHITE,
                "Белое отражает ИК-свет,\nфототранзистор его ловит:\n"
                "выход LOW, светодиод\nна модуле горит",
            ),
            (
                "Над чёрным",
                (25, 25, 25),
                "Чёрное поглощает ИК-свет,\nотражения почти нет:\n"
                "выход HIGH, светодиод\nна модуле не горит",
            ),
        )
    ):
        cx = 300 + index * 600
        c.text((cx, 40), title, 36, INK, bold=True, anchor="mm")
        parts = sensor_module(c, cx, 80, lit=index == 0)
        ground = 440
        c.rect(
            (cx - 260, ground, cx + 260, ground + 60),
            fill=surface,
            outline=MUTED,
            width=3,
            radius=6,
        )
        wavy_arrow(c, parts["ir"], (cx - 3, ground - 4), ir_colour)
        if index == 0:
            wavy_arrow(c, (cx + 3, ground - 4), parts["photo"], ir_colour)
            c.tag(
                (cx - 50, 330),
                "ИК-светодиод",
                25,
                anchor="rm",
                to=(parts["ir"][0] - 16, parts["ir"][1] - 12),
            )
            c.tag(
                (cx + 50, 330),
                "фототранзистор",
                25,
                anchor="lm",
                to=(parts["photo"][0] + 16, parts["photo"][1] - 12),
            )
        else:
            for dx in (-34, 0, 34):
                c.line(
                    [(cx + dx - 10, ground + 18), (cx + dx + 10, ground + 42)],
                    fill=(90, 90, 90),
                    width=4,
                )
            # The height above the floor.
            hx = cx + 190
            c.arrow((hx, 330), (hx, parts["photo"][1] + 2), SOFT, 4, head=18)
            c.arrow((hx, 330), (hx, ground - 2), SOFT, 4, head=18)
            c.text((hx + 14, 330), "5–10\nмм", 26, SOFT, bold=True, anchor="lm")
            c.dashed(
                (cx + 60, parts["photo"][1] + 2),
                (hx + 20, parts["photo"][1] + 2),
                fill=SOFT,
                width=2,
                dash=6,
                gap=6,
            )
        c.text((cx, 530), text, 28, INK, anchor="ma")
    c.line([(600, 30), (600, 680)], fill=tint(SOFT, 0.5), width=3)
    c.text(
        (600, 735),
        "Так у большинства модулей; бывает и наоборот — проверьте свой датчик.",
        24,
        SOFT,
        anchor="md",
    )
    return c.png()


def robot_top(c: Canvas, x: float, y: float, k: float = 1.0) -> dict[str, tuple]:
    """A line robot from above, its front up; (x, y) the middle of its sensor bar. Drawn
    translucent so the line under it shows."""
    with c.at(x, y, k):
        with c.layer(0.85):
            c.rect((-80, 60, 80, 250), fill=BLUE, outline=DARK_BLUE, width=4, radius=26)
        for side in (-1, 1):
            c.rect((side * 100 - 16, 150, side * 100 + 16, 234), fill=(52, 58, 64), radius=10)
        c.rect((-22, 0, 22, 70), fill=DARK_BLUE)  # the arm that holds the sensor bar
        c.rect((-70, -14, 70, 14), fill=DARK_BLUE, radius=6)
        sensors = {}
        for name, side in (("left", -1), ("right", 1)):
            c.rect(
                (side * 50 - 13, -13, side * 50 + 13, 13),
                fill=(37, 38, 41),
                outline=WHITE,
                width=2,
                radius=4,
            )
            sensors[name] = (x + side * 50 * k, y)
    return sensors


def line_robot() -> bytes:
    c = Canvas(tint((13, 71, 161), 0.9))
    panels = (
        ("белое | белое", "едем прямо", 0),
        ("чёрное | белое", "поворачиваем налево", -1),
        ("белое | чёрное", "поворачиваем направо", 1),
    )
    for index, (reading, action, turn) in enumerate(panels):
        cx = 210 + index * 390
        field = (cx - 180, 110, cx + 180, 620)
        c.rect(field, fill=WHITE, outline=LINE, width=3, radius=18)
        sensor_y = 330
        shift = 50 * turn  # where the line runs under the sensors
        if turn == 0:
            points = [(cx, field[3] - 6), (cx, field[1] + 6)]
        else:
            points = (
                bezier(
                    (cx, field[3] - 6), (cx, 420), (cx + shift, 380), (cx + shift * 1.05, sensor_y)
                )
                + bezier(
                    (cx + shift * 1.05, sensor_y),
                    (cx + shift * 1.1, 280),
                    (cx + shift * 2.2, 200),
                    (cx + shift * 3.4, field[1] + 8),
                )[1:]
            )
        with c.clip(field, 18):
            c.stroke(points, fill=(25, 25, 25), width=34)
        sensors = robot_top(c, cx, sensor_y, 0.9)
        if turn == 0:
            path = [(cx + 0.01, 240), (cx, 140)]
        else:
            path = bezier((cx, 240), (cx, 190), (cx + turn * 30, 160), (cx + turn * 110, 160))
        c.path_arrow(path, WHITE, 18, head=44)
        c.path_arrow(path, GREEN, 10, head=32)
        for name, xy in sensors.items():
            over_black = (turn == -1 and name == "left") or (turn == 1 and name == "right")
            c.circle(xy, 20, outline=RED if over_black else GREEN, width=5)
        c.text((cx, 660), reading, 30, INK, bold=True, anchor="mm")
        c.text((cx, 705), action, 30, INK, anchor="mm")
    c.text(
        (600, 50),
        "Датчики слева и справа от линии (вид сверху, робот едет вверх)",
        28,
        INK,
        bold=True,
        anchor="mm",
    )
    return c.png()


# ---------------------------------------------------------------------------------------------
# Python: variables, the while loop, a function, the game in Thonny.

CODE_BG = (30, 30, 46)
CODE_FG = (205, 214, 244)
CODE_STR = (166, 227, 161)
CODE_KW = (203, 166, 247)
CODE_NUM = (250, 179, 135)
CODE_COMMENT = (147, 153, 178)


def python_variables() -> bytes:
    c = Canvas(tint(GREEN, 0.9))
    boxes = (
        ("score", "10", "int — целое число", CODE_NUM),
        ("name", '"Аня"', "str — строка", CODE_STR),
        ("speed", "2.5", "float — дробное число", (137, 180, 250)),
    )
    c.text(
        (600, 50),
        "Переменная — коробка: имя на наклейке, значение внутри",
        30,
        INK,
        bold=True,
        anchor="mm",
    )
    cardboard, dark = (222, 184, 135), (166, 124, 82)
    for index, (name, value, kind, colour) in enumerate(boxes):
        cx = 220 + index * 380
        # The line of code that fills the box.
        code = f"{name} = {value}"
        width = c.text_width(code, 30, True) + 40
        c.rect((cx - width / 2, 100, cx + width / 2, 160), fill=CODE_BG, radius=12)
        c.text((cx - width / 2 + 20, 130), f"{name} = ", 30, CODE_FG, bold=True, anchor="lm")
        c.text(
            (cx - width / 2 + 20 + c.text_width(f"{name} = ", 30, True), 130),
            value,
            30,
            colour,
            bold=True,
            anchor="lm",
        )
        c.arrow((cx, 168), (cx, 206), SOFT, 5, head=18)
        # The box's back flap, the value card sticking out of the open box, then its front.
        c.polygon([(cx - 150, 340), (cx - 120, 300), (cx + 120, 300), (cx + 150, 340)], fill=dark)
        c.rect((cx - 80, 212, cx + 80, 350), fill=WHITE, outline=INK, width=4, radius=10)
        c.text((cx, 262), value, 40, shade(colour, 0.45), bold=True, anchor="mm")
        c.rect((cx - 150, 340, cx + 150, 580), fill=cardboard, outline=dark, width=4, radius=8)
        c.polygon(
            [(cx - 150, 340), (cx - 190, 300), (cx - 170, 290), (cx - 120, 340)],
            fill=tint(cardboard, 0.2),
            outline=dark,
            width=3,
        )
        c.polygon(
            [(cx + 150, 340), (cx + 190, 300), (cx + 170, 290), (cx + 120, 340)],
            fill=tint(cardboard, 0.2),
            outline=dark,
            width=3,
        )
        c.rect(
            (cx - 105, 420, cx + 105, 500), fill=(255, 249, 219), outline=dark, width=3, radius=6
        )
        c.text((cx, 460), name, 40, INK, bold=True, anchor="mm")
        c.text((cx, 630), kind, 28, INK, anchor="mm")
    c.text(
        (600, 710),
        "score = score + 5: достали 10, прибавили 5, положили обратно 15",
        28,
        SOFT,
        anchor="mm",
    )
    return c.png()


def loop_flow() -> bytes:
    c = Canvas(tint(GREEN, 0.9))
    fill, edge = WHITE, shade(GREEN, 0.3)
    x = 500  # the main column
    # Start.
    c.ellipse((x - 190, 24, x + 190, 104), fill=tint(GREEN, 0.7), outline=edge, width=4)
    c.text((x, 64), "count = 5", 32, INK, bold=True, anchor="mm")
    c.arrow((x, 104), (x, 176), INK, 5)
    # The condition.
    d = (x, 262)
    c.polygon(
        [(x, d[1] - 86), (x + 200, d[1]), (x, d[1] + 86), (x - 200, d[1])],
        fill=(255, 243, 191),
        outline=shade(YELLOW, 0.4),
        width=4,
    )
    c.text(d, "count > 0 ?", 32, INK, bold=True, anchor="mm")
    c.tag(
        (x + 130, 150),
        "1. Проверяем условие",
        26,
        anchor="lm",
        fill=(255, 243, 191),
        outline=shade(YELLOW, 0.4),
        bold=True,
    )
    # Yes: the body.
    c.arrow((x, 348), (x, 420), INK, 5)
    c.text((x + 18, 384), "да", 28, GREEN, bold=True, anchor="lm")
    body = (x - 200, 420, x + 200, 540)
    c.rect(body, fill=fill, outline=edge, width=4, radius=14)
    c.text((x, 480), 'print(count, "...")\ncount -= 1', 30, INK, bold=True, anchor="mm")
    c.tag(
        (x + 212, 528),
        "2. Тело цикла",
        26,
        anchor="lm",
        fill=tint(GREEN, 0.7),
        outline=edge,
        bold=True,
    )
    # Back to the condition.
    c.path_arrow([(x, 540), (x, 600), (150, 600), (150, 140), (x - 12, 140)], INK, 5)
    c.tag(
        (150, 370),
        "3. Снова\nпроверяем",
        26,
        anchor="mm",
        fill=tint(GREEN, 0.7),
        outline=edge,
        bold=True,
    )
    # No: lift-off.
    bx = 990
    c.path_arrow([(x + 200, d[1]), (bx, d[1]), (bx, 400)], INK, 5)
    c.text((x + 225, d[1] - 24), "нет", 28, RED, bold=True, anchor="lm")
    c.rect((bx - 140, 400, bx + 140, 480), fill=fill, outline=edge, width=4, radius=14)
    c.text((bx, 440), 'print("Пуск!")', 30, INK, bold=True, anchor="mm")
    c.arrow((bx, 480), (bx, 560), INK, 5)
    c.ellipse((bx - 110, 560, bx + 110, 630), fill=tint(GREEN, 0.7), outline=edge, width=4)
    c.text((bx, 595), "конец", 30, INK, bold=True, anchor="mm")
    c.text(
        (600, 700),
        "На экране по строкам: 5 ...  4 ...  3 ...  2 ...  1 ...  Пуск!",
        28,
        SOFT,
        anchor="mm",
    )
    return c.png()


def function_box() -> bytes:
    c = Canvas(tint(TEAL, 0.9))
    c.text(
        (600, 60),
        "Функция — «чёрный ящик»: что-то на входе, результат на выходе",
        30,
        INK,
        bold=True,
        anchor="mm",
    )
    # Input.
    c.rect((60, 290, 220, 420), fill=WHITE, outline=INK, width=4, radius=18)
    c.text((140, 355), "4", 64, INK, bold=True, anchor="mm")
    c.text((140, 460), "вход:\nаргумент x = 4", 26, INK, anchor="ma")
    c.arrow((230, 355), (380, 355), INK, 8)
    # The box.
    c.rect((390, 200, 810, 510), fill=(37, 38, 41), outline=INK, width=4, radius=24)
    c.text((600, 250), "square", 40, WHITE, bold=True, anchor="mm")
    c.rect((420, 300, 780, 470), fill=CODE_BG, radius=12)
    c.text((445, 345), "def", 28, CODE_KW, bold=True, anchor="lm")
    c.text(
        (445 + c.text_width("def ", 28, True), 345),
        "square(x):",
        28,
        CODE_FG,
        bold=True,
        anchor="lm",
    )
    c.text((485, 405), "return", 28, CODE_KW, bold=True, anchor="lm")
    c.text(
        (485 + c.text_width("return ", 28, True), 405), "x * x", 28, CODE_FG, bold=True, anchor="lm"
    )
    # Output.
    c.arrow((820, 355), (970, 355), INK, 8)
    c.rect((980, 290, 1140, 420), fill=WHITE, outline=INK, width=4, radius=18)
    c.text((1060, 355), "16", 64, INK, bold=True, anchor="mm")
    c.text((1060, 460), "выход:\nreturn 16", 26, INK, anchor="ma")
    c.text((600, 580), "print(square(4))   # 16", 32, INK, bold=True, anchor="mm")
    c.text((600, 650), "как в математике: f(x) = x², f(4) = 16", 28, SOFT, anchor="mm")
    return c.png()


GAME_SESSION = [
    ("out", ">>> %Run guess.py"),
    ("out", "Я загадал число от 1 до 100. Угадайте!"),
    ("ask", "Ваше число (1-100): ", "50"),
    ("out", "Меньше!"),
    ("ask", "Ваше число (1-100): ", "25"),
    ("out", "Больше!"),
    ("ask", "Ваше число (1-100): ", "37"),
    ("out", "Больше!"),
    ("ask", "Ваше число (1-100): ", "43"),
    ("out", "Меньше!"),
    ("ask", "Ваше число (1-100): ", "40"),
    ("out", "Угадали! Число попыток: 5"),
    ("out", "Новый рекорд!"),
    ("ask", "Сыграем ещё? (да/нет): ", ""),
]


def game_screen() -> bytes:
    c = Canvas(tint((85, 139, 47), 0.88))
    win = (60, 30, 1140, 720)
    c.rect((win[0] + 8, win[1] + 10, win[2] + 8, win[3] + 10), fill=tint(INK, 0.75), radius=16)
    c.rect(win, fill=WHITE, outline=MUTED, width=2, radius=16)
    c.rect((win[0], win[1], win[2], win[1] + 54), fill=(233, 236, 239), radius=16)
    c.rect((win[0], win[1] + 30, win[2], win[1] + 54), fill=(233, 236, 239))
    c.text((600, win[1] + 28), "Thonny  —  guess.py", 24, INK, bold=True, anchor="mm")
    for i, colour in enumerate(((255, 95, 86), (255, 189, 46), (39, 201, 63))):
        c.circle((win[0] + 30 + i * 30, win[1] + 27), 9, fill=colour)
    # Toolbar: the green Run and the red Stop.
    c.circle((win[0] + 50, win[1] + 90), 22, fill=(47, 158, 68))
    c.polygon(
        [(win[0] + 42, win[1] + 77), (win[0] + 42, win[1] + 103), (win[0] + 63, win[1] + 90)],
        fill=WHITE,
    )
    c.text((win[0] + 84, win[1] + 90), "Run (F5)", 22, SOFT, anchor="lm")
    c.rect((win[0] + 210, win[1] + 72, win[0] + 246, win[1] + 108), fill=RED, radius=8)
    c.rect((win[0] + 221, win[1] + 83, win[0] + 235, win[1] + 97), fill=WHITE)
    c.text((win[0] + 258, win[1] + 90), "Stop", 22, SOFT, anchor="lm")
    # Editor: the start of the program.
    editor = (win[0] + 16, win[1] + 124, win[2] - 16, win[1] + 250)
    c.rect(editor, fill=(248, 249, 250), outline=LINE, width=2, radius=8)
    code = [  # lines 13-15 of the lesson's program
        [("def ", CODE_KW), ("play(low=1, high=100):", INK)],
        [('    """Одна партия. Возвращает число потраченных попыток."""', GREEN)],
        [("    secret = random.randint(low, high)", INK)],
    ]
    for number, parts in enumerate(code):
        y = editor[1] + 24 + number * 36
        c.text((editor[0] + 40, y), str(number + 13), 22, MUTED, anchor="rm")
        x = editor[0] + 56
        for text, colour in parts:
            colour = shade(colour, 0.3) if colour != INK else INK
            c.text((x, y), text, 22, colour, anchor="lm")
            x += c.text_width(text, 22)
    # Shell: a game played to the end.
    shell = (win[0] + 16, win[1] + 290, win[2] - 16, win[3] - 16)
    c.text((shell[0] + 4, shell[1] - 20), "Shell", 22, SOFT, bold=True, anchor="lm")
    c.rect(shell, fill=WHITE, outline=LINE, width=2, radius=8)
    for number, row in enumerate(GAME_SESSION):
        y = shell[1] + 20 + number * 26
        x = shell[0] + 20
        c.text((x, y), row[1], 22, INK if row[0] == "ask" else (24, 100, 171), anchor="lm")
        if row[0] == "ask" and row[2]:
            c.text((x + c.text_width(row[1], 22), y), row[2], 22, GREEN, bold=True, anchor="lm")
    c.tag(
        (win[2] - 30, shell[1] + 140),
        "Игрок вводит\n50, 25, 37, 43, 40 —\nкаждый раз середину",
        24,
        anchor="rm",
        fill=(235, 251, 238),
        outline=GREEN,
    )
    c.tag(
        (win[2] - 30, shell[1] + 290),
        "Компьютер\nподсказывает:\n«Больше!» или «Меньше!»",
        24,
        anchor="rm",
        fill=(231, 245, 255),
        outline=(24, 100, 171),
    )
    return c.png()


# ---------------------------------------------------------------------------------------------
# Science: the measuring cylinder, the Ohm's-law circuit, the pendulum, the beans.

GLASS = (231, 245, 255)
WATER = (116, 192, 252)


def measurement_ruler() -> bytes:
    c = Canvas(tint(ORANGE, 0.92))
    x0, x1 = 320, 500  # the cylinder's inside
    top, bottom = 80, 650  # 0 ml at the bottom, 50 ml at the top
    ml = lambda v: bottom - (bottom - top) * v / 50  # noqa: E731
    level = 34
    # Base, glass, water with its meniscus.
    c.polygon(
        [(x0 - 70, 700), (x1 + 70, 700), (x1 + 30, bottom + 10), (x0 - 30, bottom + 10)],
        fill=(173, 181, 189),
        outline=SOFT,
        width=3,
    )
    c.rect(
        (x0 - 10, top - 30, x1 + 10, bottom + 14),
        fill=GLASS,
        outline=(116, 143, 252),
        width=4,
        radius=10,
    )
    c.rect((x0, ml(level) - 4, x1, bottom), fill=WATER)
    c.ellipse((x0, ml(level) - 22, x1, ml(level) + 0), fill=GLASS)
    c.arc((x0, ml(level) - 22, x1, ml(level) + 0), 0, 180, fill=DARK_BLUE, width=3)
    # The scale: a long mark every 10 ml, a short one every 2 ml.
    for v in range(0, 51, 2):
        y = ml(v)
        long = v % 10 == 0
        c.line([(x0, y), (x0 + (56 if long else 30), y)], fill=INK, width=4 if long else 3)
        if long:
            c.text((x0 + 68, y), f"{v} мл" if v == 50 else str(v), 28, INK, bold=True, anchor="lm")
    # Between 10 and 20 ml: five divisions, numbered.
    bx = x0 - 40
    for v in range(10, 21, 2):
        c.line([(bx, ml(v)), (bx - 20, ml(v))], fill=ORANGE, width=4 if v in (10, 20) else 2)
    c.line([(bx - 20, ml(10)), (bx - 20, ml(20))], fill=ORANGE, width=4)
    for n in range(5):
        c.text(
            (bx - 30, (ml(10 + 2 * n) + ml(12 + 2 * n)) / 2),
            str(n + 1),
            22,
            shade(ORANGE, 0.3),
            bold=True,
            anchor="rm",
        )
    c.tag(
        (bx - 60, (ml(10) + ml(20)) / 2),
        "5 делений\nот 10\nдо 20 мл",
        26,
        anchor="rm",
        outline=ORANGE,
        bold=True,
    )
    # The eye at the level of the meniscus.
    ex, ey = 720, ml(level) - 2
    c.dashed((x0 - 10, ey), (ex - 40, ey), fill=DARK_BLUE, width=3)
    c.ellipse((ex - 36, ey - 20, ex + 36, ey + 20), fill=WHITE, outline=INK, width=4)
    c.circle((ex - 10, ey), 12, fill=(52, 58, 64))
    c.text(
        (ex + 50, ey - 34),
        "Глаза — на уровне жидкости,\nотсчёт по нижнему краю\nмениска: 34 мл",
        26,
        INK,
        anchor="la",
    )
    # The working.
    card = (690, 410, 1180, 650)
    c.rect(card, fill=WHITE, outline=ORANGE, width=4, radius=18)
    c.text((card[0] + 30, card[1] + 30), "Цена деления", 30, INK, bold=True, anchor="la")
    c.text((card[0] + 30, card[1] + 82), "C = (20 − 10) / 5 = 2 мл", 30, INK, anchor="la")
    c.text((card[0] + 30, card[1] + 134), "Погрешность: 1 мл (полделения)", 26, SOFT, anchor="la")
    c.text((card[0] + 30, card[1] + 176), "V = (34 ± 1) мл", 30, INK, bold=True, anchor="la")
    return c.png()


def _battery(c: Canvas, x: float, y: float) -> None:
    """A cell on a vertical wire at x, centred at y: the long plate is '+'."""
    c.rect((x - 30, y - 40, x + 30, y + 40), fill=tint(YELLOW, 0.9))
    c.line([(x - 44, y - 12), (x + 44, y - 12)], fill=INK, width=6)
    c.line([(x - 22, y + 12), (x + 22, y + 12)], fill=INK, width=12)
    c.text((x + 56, y - 30), "+", 30, RED, bold=True, anchor="mm")
    c.text((x + 56, y + 34), "−", 30, INK, bold=True, anchor="mm")


def _meter(c: Canvas, xy: tuple, letter: str, colour: tuple) -> None:
    c.circle(xy, 42, fill=WHITE, outline=colour, width=6)
    c.text(xy, letter, 40, colour, bold=True, anchor="mm")


def ohm_circuit() -> bytes:
    c = Canvas(tint(ORANGE, 0.92))
    left, right, top, bottom = 150, 1050, 300, 620
    # The loop of wire, drawn first; elements sit on it with a background behind them.
    c.line(
        [(left, top), (right, top), (right, bottom), (left, bottom), (left, top)], fill=INK, width=6
    )
    # Source on the left side (the plates cross the wire).
    bg = tint(ORANGE, 0.92)
    c.rect((left - 20, 420, left + 20, 500), fill=bg)
    c.line([(left - 44, 448), (left + 44, 448)], fill=INK, width=6)
    c.line([(left - 22, 472), (left + 22, 472)], fill=INK, width=12)
    c.text((left - 60, 436), "+", 32, RED, bold=True, anchor="mm")
    c.text((left - 60, 486), "−", 32, INK, bold=True, anchor="mm")
    c.tag((left + 70, 460), "источник\n4,5 В", 30, anchor="lm", outline=INK, bold=True)
    # Key (open) on the top side.
    kx = 330
    c.rect((kx - 50, top - 10, kx + 50, top + 10), fill=bg)
    c.circle((kx - 44, top), 9, fill=INK)
    c.circle((kx + 44, top), 9, fill=INK)
    c.line([(kx - 44, top), (kx + 38, top - 44)], fill=INK, width=6)
    c.text((kx, top + 40), "ключ\n(разомкнут)", 28, INK, bold=True, anchor="ma")
    # Rheostat.
    rx = 560
    c.rect((rx - 70, top - 24, rx + 70, top + 24), fill=WHITE, outline=INK, width=6)
    c.arrow((rx - 60, top + 54), (rx + 62, top - 58), INK, 5, head=22)
    c.text((rx, top + 70), "реостат", 28, INK, bold=True, anchor="ma")
    # Resistor, with the voltmeter across it.
    sx = 850
    c.rect((sx - 70, top - 24, sx + 70, top + 24), fill=WHITE, outline=INK, width=6)
    c.text((sx, top), "100 Ом", 24, INK, bold=True, anchor="mm")
    c.text((sx, top + 40), "резистор R", 28, INK, bold=True, anchor="ma")
    va, vb = sx - 110, sx + 110
    c.circle((va, top), 9, fill=INK)
    c.circle((vb, top), 9, fill=INK)
    c.line([(va, top), (va, 150), (vb, 150), (vb, top)], fill=INK, width=6)
    _meter(c, (sx, 150), "V", BLUE)
    c.text((va - 6, 180), "+", 28, RED, bold=True, anchor="rm")
    c.tag(
        (sx, 60),
        "вольтметр — параллельно резистору",
        28,
        anchor="mm",
        fill=(231, 245, 255),
        outline=BLUE,
        bold=True,
    )
    # Ammeter on the bottom side.
    ax = 600
    _meter(c, (ax, bottom), "A", RED)
    c.text(
        (ax + 58, bottom - 30), "+", 28, RED, bold=True, anchor="lm"
    )  # the current comes in from the right
    c.tag(
        (ax, bottom + 70),
        "амперметр — последовательно, в разрыв цепи",
        28,
        anchor="mm",
        fill=(255, 236, 236),
        outline=RED,
        bold=True,
    )
    c.text((left, 60), "Схема опыта", 36, INK, bold=True, anchor="lm")
    return c.png()


def pendulum_setup() -> bytes:
    c = Canvas(tint(VIOLET, 0.9))
    # Table, stand, clamp.
    c.rect((40, 690, 1160, 750), fill=(216, 180, 142))
    c.rect((120, 650, 520, 690), fill=(73, 80, 87), radius=8)
    c.rect((210, 70, 232, 650), fill=(134, 142, 150), outline=SOFT, width=2)
    c.rect((190, 120, 262, 170), fill=(73, 80, 87), radius=6)  # the clamp's muff
    c.rect((262, 134, 620, 154), fill=(134, 142, 150), outline=SOFT, width=2)
    c.rect((600, 126, 650, 162), fill=(73, 80, 87), radius=6)
    pivot = (625, 162)
    length, angle = 430, 12
    rad = math.radians(angle)
    bob = (pivot[0] + length * math.sin(rad), pivot[1] + length * math.cos(rad))
    ghost = (pivot[0] - length * math.sin(rad), pivot[1] + length * math.cos(rad))
    # The vertical, the swing and the other extreme, faint.
    c.dashed(pivot, (pivot[0], pivot[1] + length + 60), fill=MUTED, width=3)
    with c.layer(0.35):
        c.line([pivot, ghost], fill=INK, width=3)
        c.circle(ghost, 34, fill=(201, 138, 30))
    swing = [
        (
            pivot[0] + (length + 64) * math.sin(math.radians(a)),
            pivot[1] + (length + 64) * math.cos(math.radians(a)),
        )
        for a in range(-10, 11)
    ]
    c.path_arrow(swing, tint(INK, 0.35), 4, head=20)
    c.path_arrow(swing[::-1], tint(INK, 0.35), 4, head=20)
    c.line([pivot, bob], fill=INK, width=3)
    c.circle(bob, 34, fill=(230, 160, 40), outline=shade((230, 160, 40), 0.35), width=4)
    c.circle(bob, 5, fill=INK)
    c.circle(pivot, 7, fill=INK)
    # The angle.
    r = 190
    c.arc(
        (pivot[0] - r, pivot[1] - r, pivot[0] + r, pivot[1] + r),
        90 - angle,
        90,
        fill=VIOLET,
        width=6,
    )
    c.text((pivot[0] + 22, pivot[1] + r + 30), "α", 34, VIOLET, bold=True, anchor="mm")
    c.tag(
        (300, 470),
        "Угол небольшой:\nне больше 10–15°",
        26,
        anchor="mm",
        outline=VIOLET,
        to=(pivot[0] + 8, pivot[1] + r + 4),
        line=VIOLET,
    )
    # The length l: from the pivot to the centre of the bob, drawn beside the thread.
    nx, ny = math.cos(rad), -math.sin(rad)
    off = 56
    a = (pivot[0] + nx * off, pivot[1] + ny * off)
    b = (bob[0] + nx * off, bob[1] + ny * off)
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    c.arrow(mid, a, VIOLET, 4, head=18)
    c.arrow(mid, b, VIOLET, 4, head=18)
    c.dashed(pivot, a, fill=VIOLET, width=2, dash=6, gap=6)
    c.dashed(bob, b, fill=VIOLET, width=2, dash=6, gap=6)
    c.text((mid[0] + 18, mid[1]), "l", 44, VIOLET, bold=True, anchor="lm")
    c.tag(
        (1185, 200),
        "Длина l — от точки\nподвеса до центра груза",
        28,
        anchor="ra",
        outline=VIOLET,
        bold=True,
        to=(mid[0] + 34, mid[1] - 20),
        line=VIOLET,
    )
    # Names of the parts.
    c.tag((1185, 60), "Точка подвеса", 28, anchor="rm", to=(pivot[0] + 6, pivot[1] - 2))
    c.tag((420, 60), "Лапка", 28, anchor="mm", to=(420, 140))
    c.tag((30, 380), "Штатив", 28, anchor="lm", to=(212, 380))
    c.tag(
        (1185, 470),
        "Нить",
        28,
        anchor="rm",
        to=(pivot[0] + length * 0.75 * math.sin(rad), pivot[1] + length * 0.75 * math.cos(rad)),
    )
    c.tag((1185, 600), "Груз", 28, anchor="rm", to=(bob[0] + 30, bob[1] + 14))
    return c.png()


SOIL = (120, 85, 60)
POT = (214, 105, 60)


def bean(c: Canvas, x: float, y: float, height: float, dark: bool) -> dict[str, tuple]:
    """A bean seedling growing from (x, y) (the soil's surface) up to `height` pixels: green and
    sturdy on the light, tall, thin and pale in the dark."""
    stem = (214, 222, 140) if dark else (55, 150, 60)
    leaf = (232, 220, 120) if dark else (64, 192, 87)
    width = 6 if dark else 12
    tip = (x + (14 if dark else 0), y - height)
    points = bezier((x, y), (x - 10, y - height * 0.4), (x + 16, y - height * 0.75), tip, 30)
    c.stroke(points, fill=stem, width=width)
    size = 26 if dark else 70
    for side in (-1, 1):
        cx = tip[0] + side * size * 0.8
        c.ellipse(
            (cx - size, tip[1] - size * 0.45 - 4, cx + size, tip[1] + size * 0.45 - 4),
            fill=leaf,
            outline=shade(leaf, 0.25),
            width=3,
        )
    if not dark:
        for side, frac in ((-1, 0.5), (1, 0.3)):
            px, py = points[int(len(points) * frac)]
            c.ellipse(
                (
                    px + side * 10 - 40 + side * 30,
                    py - 18,
                    px + side * 10 + 40 + side * 30,
                    py + 18,
                ),
                fill=leaf,
                outline=shade(leaf, 0.25),
                width=3,
            )
    return {"tip": tip}


def pot(c: Canvas, x: float, y: float, w: float = 170, h: float = 120, label: str = "") -> None:
    """A pot whose soil surface is at y, centred on x."""
    c.polygon(
        [
            (x - w / 2, y - 10),
            (x + w / 2, y - 10),
            (x + w / 2 - 22, y + h),
            (x - w / 2 + 22, y + h),
        ],
        fill=POT,
        outline=shade(POT, 0.35),
        width=3,
    )
    c.rect(
        (x - w / 2 - 8, y - 22, x + w / 2 + 8, y + 4),
        fill=tint(POT, 0.15),
        outline=shade(POT, 0.35),
        width=3,
        radius=4,
    )
    c.ellipse((x - w / 2 + 6, y - 14, x + w / 2 - 6, y + 6), fill=SOIL)
    if label:
        c.text((x, y + h / 2 + 6), label, 30, WHITE, bold=True, anchor="mm")


def plant_growth() -> bytes:
    c = Canvas(tint((124, 179, 66), 0.88))
    mm = 1.8  # pixels per millimetre
    soil_y = 560
    light_h, dark_h = 121, 182  # the example's mean heights after 14 days (the lesson's conclusion)
    night = (44, 48, 64)
    c.rect((30, 30, 560, 720), fill=(255, 249, 219), radius=22)
    c.rect((640, 30, 1170, 720), fill=night, radius=22)
    # Sun over the light group.
    sun = (478, 250)
    for i in range(12):
        a = math.radians(i * 30)
        c.line(
            [
                (sun[0] + 46 * math.cos(a), sun[1] + 46 * math.sin(a)),
                (sun[0] + 64 * math.cos(a), sun[1] + 64 * math.sin(a)),
            ],
            fill=YELLOW,
            width=7,
        )
    c.circle(sun, 36, fill=(255, 212, 59))
    pot(c, 270, soil_y, label="А")
    bean(c, 270, soil_y - 10, light_h * mm, dark=False)
    pot(c, 900, soil_y, label="Б")
    bean(c, 900, soil_y - 10, dark_h * mm, dark=True)
    # A ruler between them, from the soil's surface.
    rx, zero = 568, soil_y - 10
    c.rect(
        (rx, zero - 200 * mm - 14, rx + 64, zero + 14),
        fill=(255, 236, 153),
        outline=shade(YELLOW, 0.4),
        width=2,
        radius=4,
    )
    for v in range(0, 201, 10):
        y = zero - v * mm
        long = v % 50 == 0
        c.line([(rx, y), (rx + (18 if long else 10), y)], fill=INK, width=3 if long else 2)
        if long:
            c.text((rx + 60, y), str(v), 18, INK, bold=True, anchor="rm")
    c.text((rx + 32, zero + 40), "мм", 22, INK, bold=True, anchor="mm")
    c.dashed((350, zero - light_h * mm), (rx, zero - light_h * mm), fill=INK, width=3)
    c.dashed((rx + 64, zero - dark_h * mm), (880, zero - dark_h * mm), fill=WHITE, width=3)
    c.text((60, 70), "На свету: 121 мм", 32, INK, bold=True, anchor="lm")
    c.text(
        (60, 112), "через 14 дней: зелёный,\nкрепкий стебель, крупные\nлистья", 24, INK, anchor="la"
    )
    c.text((670, 70), "В темноте: 182 мм", 32, WHITE, bold=True, anchor="lm")
    c.text(
        (670, 112),
        "через 14 дней: бледный,\nтонкий стебель, листья\nмелкие и жёлтые",
        24,
        WHITE,
        anchor="la",
    )
    c.tag(
        (1150, 420),
        "Этиоляция:\nтянется\nк свету",
        24,
        anchor="rm",
        fill=night,
        colour=WHITE,
        outline=tint(night, 0.5),
        to=(910, 400),
        line=tint(night, 0.6),
    )
    return c.png()


def cup(c: Canvas, x: float, y: float, label: str, seed: bool = True) -> dict[str, tuple]:
    """A clear plastic cup seen from the side, its top centre at (x, y), full of soil with a bean
    planted in it; returns where the soil's surface and the seed are."""
    w_top, w_bottom, h = 150, 110, 250
    c.polygon(
        [
            (x - w_top / 2, y),
            (x + w_top / 2, y),
            (x + w_bottom / 2, y + h),
            (x - w_bottom / 2, y + h),
        ],
        fill=(241, 243, 245),
        outline=MUTED,
        width=3,
    )
    surface = y + 40
    inset = (w_top - w_bottom) / 2 * 40 / h
    c.polygon(
        [
            (x - w_top / 2 + inset + 3, surface),
            (x + w_top / 2 - inset - 3, surface),
            (x + w_bottom / 2 - 3, y + h - 3),
            (x - w_bottom / 2 + 3, y + h - 3),
        ],
        fill=SOIL,
    )
    seed_xy = (x, surface + 80)
    if seed:
        c.ellipse(
            (seed_xy[0] - 22, seed_xy[1] - 13, seed_xy[0] + 22, seed_xy[1] + 13),
            fill=(245, 236, 214),
            outline=(166, 124, 82),
            width=3,
        )
    for hx in (x - 30, x, x + 30):
        c.line([(hx, y + h + 6), (hx, y + h + 22)], fill=(116, 192, 252), width=4)
    c.rect((x - 44, y + 130, x + 44, y + 190), fill=WHITE, outline=INK, width=2, radius=8)
    c.text((x, y + 160), label, 34, INK, bold=True, anchor="mm")
    return {"surface": (x, surface), "seed": seed_xy}


def plant_cups() -> bytes:
    c = Canvas(tint((124, 179, 66), 0.88))
    spots = {}
    for index, label in enumerate(("А1", "А2", "А3", "Б1", "Б2", "Б3")):
        x = 230 + index * 160 + (60 if index >= 3 else 0)
        spots[label] = cup(c, x, 250, label)
    c.text((390, 205), "Группа А — на свет", 34, INK, bold=True, anchor="mm")
    c.text((930, 205), "Группа Б — в темноту", 34, INK, bold=True, anchor="mm")
    # The depth: 2–3 cm from the soil's surface to the seed.
    s = spots["А1"]
    dx = s["surface"][0] - 100
    c.arrow((dx, (s["surface"][1] + s["seed"][1]) / 2), (dx, s["surface"][1]), INK, 4, head=16)
    c.arrow((dx, (s["surface"][1] + s["seed"][1]) / 2), (dx, s["seed"][1]), INK, 4, head=16)
    c.dashed(
        (dx, s["surface"][1]),
        (s["surface"][0] - 60, s["surface"][1]),
        fill=INK,
        width=2,
        dash=6,
        gap=6,
    )
    c.dashed(
        (dx, s["seed"][1]), (s["seed"][0] - 24, s["seed"][1]), fill=INK, width=2, dash=6, gap=6
    )
    c.tag(
        (30, 40),
        "Семя — на глубине 2–3 см",
        36,
        anchor="la",
        bold=True,
        to=(dx - 6, (s["surface"][1] + s["seed"][1]) / 2),
        line=INK,
    )
    c.text((600, 600), "6 одинаковых стаканчиков с отверстиями,", 34, INK, anchor="mm")
    c.text((600, 650), "в каждом одинаковое количество почвы", 34, INK, anchor="mm")
    return c.png()


def plant_measuring() -> bytes:
    c = Canvas(tint((124, 179, 66), 0.88))
    soil_y = 540
    pot(c, 230, soil_y, w=260, h=140)
    # A ruler standing on the soil beside the seedling: А1 on day 8, 45 mm.
    rx, zero, mm = 322, soil_y - 10, 4.4
    c.rect(
        (rx, zero - 62 * mm, rx + 60, zero),
        fill=(255, 236, 153),
        outline=shade(YELLOW, 0.4),
        width=2,
        radius=4,
    )
    for v in range(0, 61):
        y = zero - v * mm
        length = 24 if v % 10 == 0 else 15 if v % 5 == 0 else 8
        c.line([(rx, y), (rx + length, y)], fill=INK, width=2)
        if v % 10 == 0 and v:
            c.text((rx + 56, y), str(v), 18, INK, bold=True, anchor="rm")
    bean(c, 190, zero, 45 * mm, dark=False)
    c.dashed((200, zero - 45 * mm), (rx, zero - 45 * mm), fill=INK, width=3)
    c.text((rx + 74, zero - 45 * mm), "45 мм", 28, INK, bold=True, anchor="lm")
    c.tag((20, 30), "Измеряем линейкой\nот почвы до верхушки", 34, anchor="la", bold=True)
    # The notebook's table.
    book = (500, 60, 1170, 690)
    c.rect((book[0] + 10, book[1] + 12, book[2] + 10, book[3] + 12), fill=tint(INK, 0.7), radius=18)
    c.rect(book, fill=(255, 253, 245), outline=MUTED, width=3, radius=18)
    c.text((book[0] + 40, book[1] + 50), "Дневник наблюдений", 34, INK, bold=True, anchor="lm")
    rows = [
        ("День", "А1, мм", "Б1, мм"),
        ("2", "0", "0"),
        ("4", "12", "15"),
        ("6", "30", "40"),
        ("8", "45", "68"),
    ]
    cols = (book[0] + 40, book[0] + 240, book[0] + 450)
    for r, row in enumerate(rows):
        y = book[1] + 130 + r * 80
        c.line([(book[0] + 30, y + 40), (book[2] - 30, y + 40)], fill=LINE, width=3)
        for x, cell in zip(cols, row, strict=True):
            c.text((x, y), cell, 34, SOFT if r == 0 else INK, bold=r == 0, anchor="lm")
    for x in cols[1:]:
        c.line(
            [(x - 30, book[1] + 100), (x - 30, book[1] + 130 + len(rows) * 80 - 40)],
            fill=LINE,
            width=3,
        )
    c.tag(
        (book[2] - 30, book[3] - 26),
        "Записываем всё — даже то,\nчто «не понравилось»",
        30,
        anchor="rd",
        fill=(255, 243, 191),
        outline=shade(YELLOW, 0.4),
        bold=True,
    )
    return c.png()


# ---------------------------------------------------------------------------------------------

PICTURES: dict[str, Callable[[], bytes]] = {
    "arduino_board": arduino_board,
    "arduino_usb": arduino_usb,
    "breadboard_led": breadboard_led,
    "breadboard_button": breadboard_button,
    "motor_driver": motor_driver,
    "chassis_motors": chassis_motors,
    "robot_chassis": robot_chassis,
    "line_sensor": line_sensor,
    "line_robot": line_robot,
    "python_variables": python_variables,
    "loop_flow": loop_flow,
    "function_box": function_box,
    "game_screen": game_screen,
    "measurement_ruler": measurement_ruler,
    "ohm_circuit": ohm_circuit,
    "ohm_chart": ohm_chart,
    "pendulum_setup": pendulum_setup,
    "plant_cups": plant_cups,
    "plant_growth": plant_growth,
    "plant_measuring": plant_measuring,
}


def draw(key: str) -> bytes:
    return PICTURES[key]()


def main(keys: list[str]) -> None:
    for key in keys or list(PICTURES):
        path = HERE / f"{key}.png"
        path.write_bytes(draw(key))
        print(f"{path.relative_to(CONTENT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
