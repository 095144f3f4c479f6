"""Course covers and the photos pupils hand in, drawn on the fly. (The lessons' pictures are
labelled diagrams in demo/content/images/, drawn by make_images.py there.)"""

import io
import math
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

SIZE = (960, 600)


def _hex(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


# The font the park's certificates use: shipped with the code, Cyrillic included.
FONT = Path(__file__).resolve().parent.parent / "events" / "fonts" / "DejaVuSans-Bold.ttf"


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.truetype(str(FONT), size)


def _robot(d: ImageDraw.ImageDraw, w: int, h: int, ink: tuple) -> None:
    cx, cy = w // 2, h // 2 - 30
    d.rounded_rectangle(
        (cx - 150, cy - 60, cx + 150, cy + 90), 30, fill="white", outline=ink, width=8
    )
    for dx in (-150, 150):
        d.ellipse((cx + dx - 45, cy + 50, cx + dx + 45, cy + 140), fill=ink)
        d.ellipse((cx + dx - 18, cy + 77, cx + dx + 18, cy + 113), fill="white")
    d.rectangle((cx - 90, cy - 120, cx + 90, cy - 60), fill=ink)
    for dx in (-45, 45):
        d.ellipse((cx + dx - 22, cy - 112, cx + dx + 22, cy - 68), fill="white")
    d.line((cx, cy + 90, cx, cy + 150), fill=ink, width=6)
    d.ellipse((cx - 12, cy + 145, cx + 12, cy + 169), fill=(255, 212, 59))


def _circuit(d: ImageDraw.ImageDraw, w: int, h: int, ink: tuple) -> None:
    x0, y0, x1, y1 = 220, 120, w - 220, h - 200
    d.rectangle((x0, y0, x1, y1), outline=ink, width=8)
    d.rectangle(
        (x0 - 30, (y0 + y1) // 2 - 50, x0 + 30, (y0 + y1) // 2 + 50),
        fill="white",
        outline=ink,
        width=6,
    )
    d.line((x0 - 16, (y0 + y1) // 2 - 20, x0 + 16, (y0 + y1) // 2 - 20), fill=ink, width=6)
    zig = [((x0 + x1) // 2 - 90 + i * 30, y0 + (18 if i % 2 else -18)) for i in range(7)]
    d.rectangle(((x0 + x1) // 2 - 100, y0 - 25, (x0 + x1) // 2 + 100, y0 + 25), fill="white")
    d.line(zig, fill=ink, width=6)
    d.ellipse(
        (x1 - 40, (y0 + y1) // 2 - 40, x1 + 40, (y0 + y1) // 2 + 40),
        fill=(255, 212, 59),
        outline=ink,
        width=6,
    )


def _chart(d: ImageDraw.ImageDraw, w: int, h: int, ink: tuple) -> None:
    d.line((160, 90, 160, h - 170, w - 140, h - 170), fill=ink, width=6)
    points = [(160 + i * 70, h - 190 - int(260 * (1 - math.exp(-i / 4)))) for i in range(10)]
    d.line(points, fill=ink, width=6)
    for x, y in points:
        d.ellipse((x - 10, y - 10, x + 10, y + 10), fill="white", outline=ink, width=5)


def _plant(d: ImageDraw.ImageDraw, w: int, h: int, ink: tuple) -> None:
    cx = w // 2
    d.polygon(
        [(cx - 110, h - 260), (cx + 110, h - 260), (cx + 80, h - 140), (cx - 80, h - 140)],
        fill=(230, 119, 0),
    )
    d.line((cx, h - 260, cx, 130), fill=(47, 158, 68), width=12)
    for i, y in enumerate(range(170, h - 280, 60)):
        side = -1 if i % 2 else 1
        d.ellipse(
            (
                cx + side * 10 - (110 if side < 0 else 0),
                y - 25,
                cx + side * 10 + (110 if side > 0 else 0),
                y + 25,
            ),
            fill=(81, 207, 102),
        )


def _code(d: ImageDraw.ImageDraw, w: int, h: int, ink: tuple) -> None:
    d.rounded_rectangle((140, 90, w - 140, h - 150), 24, fill=(30, 30, 46))
    font = _font(40)
    lines = [  # a screenshot of the pupil's "guess the number" game
        ("Ваше число (1-100): 50", (205, 214, 244)),
        ("Меньше!", (166, 227, 161)),
        ("Угадали! Попыток: 5", (203, 166, 247)),
    ]
    for i, (text, colour) in enumerate(lines):
        d.text((190, 140 + i * 70), text, font=font, fill=colour)


def _pendulum(d: ImageDraw.ImageDraw, w: int, h: int, ink: tuple) -> None:
    top = (w // 2, 90)
    d.line((w // 2 - 200, 90, w // 2 + 200, 90), fill=ink, width=10)
    for angle, alpha in ((-25, 80), (0, 255), (25, 80)):
        rad = math.radians(angle)
        end = (top[0] + int(300 * math.sin(rad)), top[1] + int(300 * math.cos(rad)))
        colour = ink if alpha == 255 else tuple(min(255, c + 120) for c in ink)
        d.line((top, end), fill=colour, width=5)
        d.ellipse((end[0] - 35, end[1] - 35, end[0] + 35, end[1] + 35), fill=colour)


SHAPES = {
    "robot": _robot,
    "circuit": _circuit,
    "chart": _chart,
    "plant": _plant,
    "code": _code,
    "pendulum": _pendulum,
}


def picture_png(color: str, label: str, shape: str) -> bytes:
    """A friendly flat illustration: a light background of the given colour, a shape, a label."""
    base = _hex(color)
    light = tuple(int(c + (255 - c) * 0.82) for c in base)
    image = PILImage.new("RGB", SIZE, light)
    draw = ImageDraw.Draw(image)
    w, h = SIZE
    SHAPES.get(shape, _robot)(draw, w, h, base)
    font = _font(46)
    text_w = draw.textlength(label, font=font)
    draw.rounded_rectangle(
        ((w - text_w) / 2 - 28, h - 110, (w + text_w) / 2 + 28, h - 40), 22, fill=base
    )
    draw.text(((w - text_w) / 2, h - 102), label, font=font, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def cover_png(color: str, text: str) -> bytes:
    """A course cover: a diagonal gradient of the track colour with the course's short label."""
    base = _hex(color)
    image = PILImage.new("RGB", (1280, 720), base)
    draw = ImageDraw.Draw(image)
    for y in range(0, 720, 4):
        mix = y / 720
        row = tuple(int(c * (1 - mix * 0.35)) for c in base)
        draw.rectangle((0, y, 1280, y + 4), fill=row)
    for i in range(7):
        r = 60 + i * 45
        draw.ellipse(
            (1000 - r, 120 - r, 1000 + r, 120 + r),
            outline=tuple(min(255, c + 40) for c in base),
            width=3,
        )
    font = _font(120)
    draw.text((90, 430), text, font=font, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
