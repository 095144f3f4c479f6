import pytest

from demo.lesson_format import LessonFormatError, parse_lesson

EVERY_BLOCK = """\
## Введение

Текст урока: **Markdown** как есть.

```python
x = 1        # выравнивание сохраняется
```

:::image arduino_board
:alt: Плата сверху
:caption: Плата Arduino Uno.
:::

:::code cpp
:caption: Скетч Blink.
void loop() {

  delay(500);
}
:::

:::callout safety Короткое замыкание
Не соединяйте **5V** с **GND**.

1. Отключите кабель.
2. Позовите наставника.
:::

:::formula
:caption: Закон Ома.
U = I \\cdot R
:::

:::formula
:display: inline
a^2
:::

:::file robot_checklist
:title: Чек-лист
:description: Распечатайте.
:::

:::video https://rutube.ru/video/7b2e9f0c4a1d4e6f8c3b5a7d9e1f2c4b/
:caption: Сборка.
:::

:::steps Собираем
::step Отключите питание
Выньте кабель.

::step
:photo: breadboard_led
Поставьте кнопку.
:::

Итог.
"""


def test_every_block_becomes_the_value_the_lesson_body_stores():
    assert parse_lesson(EVERY_BLOCK) == [
        (
            "markdown",
            "## Введение\n\nТекст урока: **Markdown** как есть.\n\n"
            "```python\nx = 1        # выравнивание сохраняется\n```",
        ),
        (
            "image",
            {"image": "arduino_board", "alt_text": "Плата сверху", "caption": "Плата Arduino Uno."},
        ),
        (
            "code",
            {
                "language": "cpp",
                "code": "void loop() {\n\n  delay(500);\n}",
                "caption": "Скетч Blink.",
            },
        ),
        (
            "callout",
            {
                "kind": "safety",
                "title": "Короткое замыкание",
                "text": "Не соединяйте **5V** с **GND**.\n\n1. Отключите кабель.\n"
                "2. Позовите наставника.",
            },
        ),
        ("formula", {"latex": "U = I \\cdot R", "display": True, "caption": "Закон Ома."}),
        ("formula", {"latex": "a^2", "display": False, "caption": ""}),
        (
            "file",
            {"document": "robot_checklist", "title": "Чек-лист", "description": "Распечатайте."},
        ),
        (
            "video",
            {
                "url": "https://rutube.ru/video/7b2e9f0c4a1d4e6f8c3b5a7d9e1f2c4b/",
                "caption": "Сборка.",
            },
        ),
        (
            "steps",
            {
                "title": "Собираем",
                "steps": [
                    {"title": "Отключите питание", "text": "Выньте кабель.", "photo": None},
                    {"title": "", "text": "Поставьте кнопку.", "photo": "breadboard_led"},
                ],
            },
        ),
        ("markdown", "Итог."),
    ]


def test_missing_fields_are_empty_and_the_key_order_is_the_blocks():
    body = parse_lesson(":::image robot\n:::\n\n:::callout tip\nТекст.\n:::")
    assert body == [
        ("image", {"image": "robot", "alt_text": "", "caption": ""}),
        ("callout", {"kind": "tip", "title": "", "text": "Текст."}),
    ]
    assert list(body[0][1]) == ["image", "alt_text", "caption"]  # as the StructBlock orders them


def test_code_keeps_its_indentation_and_inner_blank_lines_windows_line_ends_too():
    text = ":::code python\r\n\r\n    indented = True\r\n\r\nprint(indented)\r\n\r\n:::\r\n"
    assert parse_lesson(text) == [
        (
            "code",
            {"language": "python", "code": "    indented = True\n\nprint(indented)", "caption": ""},
        )
    ]


def test_a_lesson_of_markdown_only_is_one_block_and_an_empty_file_is_none():
    assert parse_lesson("\n\nПросто текст.\n\nЕщё абзац.\n\n") == [
        ("markdown", "Просто текст.\n\nЕщё абзац.")
    ]
    assert parse_lesson("") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (":::quiz\n:::", "line 1: unknown block :::quiz"),
        ("Текст\n\n:::code python\nprint(1)\n", "line 3: :::code is never closed"),
        (":::callout tip\n:::code python\n:::", "line 2: blocks do not nest"),
        ("Текст\n:::\n", "line 2: this ::: closes no block"),
        (":::image robot\n:title: Нет\n:::", "line 1: the image block has no :title: field"),
        (":::code pascal\nbegin end.\n:::", "line 1: unknown language 'pascal'"),
        (":::callout note Заметка\nТекст\n:::", "line 1: unknown callout kind 'note'"),
        (":::image\n:::", "line 1: write the picture's key after :::image"),
        (":::image robot\nподпись\n:::", "line 1: the image block takes no text"),
        (":::code python\n:caption: Пусто\n:::", "line 1: the code block has no text"),
        (":::image robot\n:alt: a\n:alt: b\n:::", "line 3: :alt: is given twice"),
        (":::formula\n:display: wide\nx\n:::", "line 1: :display: is block or inline"),
        (":::steps Шаги\nТекст\n:::", "line 1: a steps block needs at least one ::step line"),
        (":::steps\n\nвступление\n::step А\nx\n:::", "line 3: text before the first ::step"),
        (":::steps\n::step А\n:photo: robot\n\n::step Б\nx\n:::", "line 2: this step has no text"),
        (":::steps\n::stepА\nx\n:::", "line 2: write ::step, then the step's title"),
        (":::steps\n::step А\n:alt: x\nтекст\n:::", "line 2: a step has no :alt: field"),
    ],
)
def test_mistakes_name_the_file_and_line(text, message):
    with pytest.raises(LessonFormatError) as error:
        parse_lesson(text, where="courses/c/m/lesson.md")
    assert str(error.value).startswith(f"courses/c/m/lesson.md, {message}")
