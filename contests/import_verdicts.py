"""The verdicts of other judging systems, mapped to ours (contests.models.results.VERDICTS),
for importing results held elsewhere. Pure functions.

A verdict is compared by its letters and digits only, in any case: "Wrong answer",
"wrong-answer", "WRONG_ANSWER" are the same. The table (ejudge's short statuses, DOMjudge's
judgement names and CLICS ids, Yandex Contest's, PC²'s "Yes", and the Russian names their
interfaces show):

ours  accepted in a file
----  ------------------------------------------------------------------------------------
OK    OK, AC, Accepted, correct (DOMjudge), Yes (PC²), Принято, Зачтено, Верно
WA    WA, Wrong answer, NO / no-output (DOMjudge), Неправильный ответ, Неверный ответ
TLE   TLE, TL, timelimit, Time limit exceeded, WT / WTL (wall time), IL / ILE (idleness
      limit), Превышено (максимальное) время работы, Превышен лимит времени
MLE   MLE, ML, memory-limit, Memory limit exceeded, Превышен лимит памяти
RTE   RTE, RE, RT, run-error, Runtime error, Run-time error, Ошибка выполнения
OLE   OLE, OL, output-limit, Output limit exceeded, EO (excessive output), Превышен лимит
      вывода
PE    PE, Presentation error, Wrong output format, Неправильный формат вывода, Ошибка
      представления
CE    CE, Compilation error, Compile error, compiler-error, CTL (compile time limit),
      Ошибка компиляции
IE    IE, CF (ejudge, Yandex: check failed), JE (judge error), Internal error, FAIL,
      Ошибка проверки
SV    SV, SE (security error), Security violation, Style violation (ejudge's SV), Нарушение
      безопасности, Ошибка безопасности, Нарушение стиля
PT    PT, Partial, Partial solution, Partially accepted, Частичное решение

Two names mean different things in different systems; we follow the common use: "RE" is a
run-time error (CLICS also uses it for "rejected", which no export writes), and ejudge's "SV"
(a style violation) becomes our SV, a rejected run like a security violation. ejudge itself
shows AC for "accepted for testing" in olympiad mode: export its results after the final
testing.

Statuses that are not a final verdict (ejudge's PD, RU, CD, CG, AV, EM, PR, RJ, SM, SK, IG,
DQ, DOMjudge's too-late, "pending", "queued", "judging", "ignored", "disqualified",
"skipped") are refused with their own message: such a run never counted there either, so the
row should be removed (or the run judged to the end first)."""

from __future__ import annotations

import unicodedata

# Ours (the key) and the names other systems give it.
VERDICT_NAMES: dict[str, tuple[str, ...]] = {
    "OK": ("OK", "AC", "Accepted", "correct", "Yes", "Принято", "Зачтено", "Верно"),
    "WA": (
        "WA",
        "Wrong answer",
        "NO",
        "no-output",
        "No output",
        "Неправильный ответ",
        "Неверный ответ",
    ),
    "TLE": (
        "TLE",
        "TL",
        "timelimit",
        "Time limit",
        "Time limit exceeded",
        "WT",
        "WTL",
        "Wall time limit exceeded",
        "IL",
        "ILE",
        "Idleness limit exceeded",
        "Превышено время работы",
        "Превышено максимальное время работы",
        "Превышен лимит времени",
    ),
    "MLE": (
        "MLE",
        "ML",
        "memory-limit",
        "Memory limit exceeded",
        "Превышен лимит памяти",
        "Превышение лимита памяти",
    ),
    "RTE": (
        "RTE",
        "RE",
        "RT",
        "run-error",
        "Runtime error",
        "Run-time error",
        "Ошибка выполнения",
        "Ошибка во время выполнения программы",
    ),
    "OLE": (
        "OLE",
        "OL",
        "output-limit",
        "Output limit exceeded",
        "EO",
        "Excessive output",
        "Превышен лимит вывода",
    ),
    "PE": (
        "PE",
        "Presentation error",
        "Wrong output format",
        "Неправильный формат вывода",
        "Ошибка представления",
    ),
    "CE": (
        "CE",
        "Compilation error",
        "Compile error",
        "compiler-error",
        "CTL",
        "Ошибка компиляции",
    ),
    "IE": (
        "IE",
        "CF",
        "Check failed",
        "JE",
        "Judge error",
        "Internal error",
        "FAIL",
        "Ошибка проверки",
    ),
    "SV": (
        "SV",
        "SE",
        "Security violation",
        "Security error",
        "Style violation",
        "Нарушение безопасности",
        "Ошибка безопасности",
        "Нарушение стиля",
    ),
    "PT": (
        "PT",
        "Partial",
        "Partial solution",
        "Partially accepted",
        "Частичное решение",
    ),
}

# Statuses of runs that were never judged to the end, or do not count where they were held.
NOT_FINAL: tuple[str, ...] = (
    "PD",
    "RU",
    "CD",
    "CG",
    "AV",
    "EM",
    "PR",
    "RJ",
    "SM",
    "SK",
    "IG",
    "DQ",
    "too-late",
    "pending",
    "queued",
    "judging",
    "running",
    "compiling",
    "rejudging",
    "ignored",
    "disqualified",
    "skipped",
)


def _key(text: str) -> str:
    text = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    return "".join(ch for ch in text if ch.isalnum())


_BY_KEY: dict[str, str] = {
    _key(name): ours for ours, names in VERDICT_NAMES.items() for name in names
}
_NOT_FINAL_KEYS = frozenset(_key(name) for name in NOT_FINAL)


def verdict_of(text: str) -> str | None:
    """Our verdict for a name another system uses, or None when it is not one we know."""
    return _BY_KEY.get(_key(text))


def is_not_final(text: str) -> bool:
    """A status of a run that is pending, ignored, skipped or disqualified."""
    return _key(text) in _NOT_FINAL_KEYS
