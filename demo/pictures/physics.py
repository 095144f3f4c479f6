"""Science pictures, physics: the measuring cylinder, the Ohm's-law circuit and its chart
(plotted from the lesson's own table), the pendulum."""

from __future__ import annotations

import math
from pathlib import Path

from demo.pictures.canvas import (
    BLUE,
    DARK_BLUE,
    INK,
    LINE,
    MUTED,
    OHM_LESSON,
    ORANGE,
    RED,
    SOFT,
    VIOLET,
    WHITE,
    YELLOW,
    Canvas,
    fmt,
    shade,
    tint,
)

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
