"""Science pictures, biology: the beans in cups, how they grow, how they are measured."""

from __future__ import annotations

import math

from demo.pictures.canvas import INK, LINE, MUTED, SOFT, WHITE, YELLOW, Canvas, bezier, shade, tint

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
