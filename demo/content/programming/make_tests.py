"""Write the tests of the demo problems: `python demo/content/programming/make_tests.py`.

Each problem's inputs are listed (or generated, with a fixed seed) here; the answers are what
its reference solution (solutions/main.py) prints, run in this process. The files are
committed, so the demo never runs this: run it after changing an input or a solution, then
check the problems in the sandbox (tests/demo/test_programming_demo.py)."""

from __future__ import annotations

import contextlib
import io
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _weights(seed: int, n: int, k: int, low: int = 1, high: int = 1_000_000) -> str:
    rng = random.Random(seed)
    return f"{n} {k}\n" + " ".join(str(rng.randint(low, high)) for _ in range(n)) + "\n"


def _guesses(secret: int, guesses: list[int]) -> str:
    return "\n".join(map(str, [secret, len(guesses), *guesses])) + "\n"


def _warm(temps: list[int]) -> str:
    return f"{len(temps)}\n{' '.join(map(str, temps))}\n"


INPUTS: dict[str, list[str]] = {
    "hello-name": [
        "Аня\n",
        "Тимофей\n",
        "Анна-Мария\n",
        "Я\n",
        "Робот R2D2\n",
        "Ёжик\n",
        "Константин" * 5 + "\n",
    ],
    "who-won": [
        "5 3\n",
        "3 8\n",
        "7 7\n",
        "9 10\n",  # compared as text, "9" > "10"
        "25 3\n",  # and "25" < "3"
        "0 0\n",
        "0 1000\n",
        "1000 999\n",
    ],
    "table-row": ["3 5\n", "7 10\n", "1 1\n", "9 10\n", "100 20\n", "5 1\n", "1 20\n"],
    "gauss-sum": [
        "100\n",
        "5\n",
        "1\n",
        "10\n",
        "123456\n",
        "1000000\n",
        "1000000000\n",  # a loop does not finish in a second
        "999999937\n",
    ],
    "count-vowels": [
        "Привет, мир!\n",
        "Ёжик в тумане\n",
        "Брр! Ппп... Шшш.\n",
        "АаЕеЁёИиОоУуЫыЭэЮюЯя\n",
        "Hello, world! 123\n",  # Latin vowels do not count
        "\n",  # an empty line
        "Съешь же ещё этих мягких французских булок, да выпей чаю. " * 10 + "\n",
    ],
    "warmest-day": [
        _warm([3, 7, 5, 7, 1]),
        _warm([-5, -2, -8]),
        _warm([42]),
        _warm([-50, -50, -50, -50]),  # all below zero: a maximum that starts at 0 is wrong
        _warm([10, 9, 8, 7, 6]),  # the first day
        _warm([-3, 0, 2, 4, 50]),  # the last day
        _warm([(i * 37) % 101 - 50 for i in range(100)]),
    ],
    "guess-number": [
        _guesses(37, [50, 25, 37]),
        _guesses(80, [10, 90, 70]),
        _guesses(1, [1]),  # the first try
        _guesses(100, [50, 75, 88, 94, 97, 99, 100]),
        _guesses(64, [64, 1, 100]),  # the guesses after the right one are not heard
        _guesses(13, [20, 20, 20, 20, 20]),  # never guessed
        _guesses(55, [1, 100, 2, 99, 3, 98, 4, 97, 5, 96, 6, 95, 7, 94, 8, 93, 9, 92, 10, 55]),
        _guesses(7, [8]),
    ],
    "weights": [
        # Subtask 1: n <= 1000 (tests 1-7; 1 and 2 are the examples).
        "6 6\n1 5 2 4 1 3\n",
        "4 10\n5 5 5 5\n",
        "1 2\n1\n",
        "5 100\n1 2 3 4 5\n",
        "2 1000001\n1 1000000\n",
        "1000 14\n" + " ".join(["7"] * 1000) + "\n",
        _weights(1, 1000, 20, high=20),
        # Subtask 2: n <= 100 000 (tests 8-13); a pair per pair of weights is too slow here.
        _weights(3, 100_000, 1_000_000),
        "100000 14\n" + " ".join(["7"] * 100_000) + "\n",  # 4 999 950 000: not an int
        "100000 1000000\n" + " ".join(["1", "999999"] * 50_000) + "\n",
        _weights(4, 100_000, 1000, high=1000),
        "100000 1000001\n" + " ".join(str(2 * (i % 500_000) + 2) for i in range(100_000)) + "\n",
        "99999 100000\n" + " ".join(str(i) for i in range(1, 100_000)) + "\n",
    ],
}


def run(source: str, stdin: str) -> str:
    out = io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, "main.py", "exec"), {"__name__": "__main__"})  # noqa: S102
    finally:
        sys.stdin = saved
    return out.getvalue()


def main() -> None:
    for slug, inputs in INPUTS.items():
        tests = HERE / slug / "tests"
        tests.mkdir(exist_ok=True)
        for old in tests.iterdir():
            old.unlink()
        source = (HERE / slug / "solutions" / "main.py").read_text(encoding="utf-8")
        for number, stdin in enumerate(inputs, start=1):
            (tests / f"{number:02d}").write_text(stdin, encoding="utf-8")
            (tests / f"{number:02d}.a").write_text(run(source, stdin), encoding="utf-8")
        print(f"{slug}: {len(inputs)} tests")


if __name__ == "__main__":
    main()
