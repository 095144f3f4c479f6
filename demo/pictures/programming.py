"""Programming pictures: variables, the while loop, a function, the guess-the-number game."""

from __future__ import annotations

from demo.pictures.canvas import (
    GREEN,
    INK,
    LINE,
    MUTED,
    RED,
    SOFT,
    TEAL,
    WHITE,
    YELLOW,
    Canvas,
    shade,
    tint,
)

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
