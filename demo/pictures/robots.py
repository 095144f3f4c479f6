"""Robotics pictures, part two: the motor driver, the chassis and its motors, the line sensors
and the line-following robot."""

from __future__ import annotations

import math

from demo.pictures.arduino import UNO, UNO_DARK, wire
from demo.pictures.canvas import (
    BLUE,
    BROWN,
    DARK_BLUE,
    GREEN,
    INK,
    LIGHT_GREEN,
    LINE,
    MUTED,
    ORANGE,
    RED,
    SOFT,
    VIOLET,
    WHITE,
    YELLOW,
    Canvas,
    bezier,
    shade,
    tint,
)


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
