"""Robotics pictures, part one: the Arduino board, its USB cable to a laptop, the breadboard
with an LED and a button."""

from __future__ import annotations

import math

from demo.pictures.canvas import (
    BLUE,
    BROWN,
    GREEN,
    INK,
    LIGHT_GREEN,
    ORANGE,
    RED,
    SOFT,
    WHITE,
    YELLOW,
    Canvas,
    bezier,
    shade,
    tint,
)

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
