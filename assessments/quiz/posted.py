"""Reading a pupil's answer from a posted form: the same fields whether the page's script sends
one question as it changes or the page's form sends them all (no script). The result is then
checked by marking.valid_response before it is stored."""

from __future__ import annotations

from django.http import QueryDict

from assessments.quiz.spec import QType, QuestionSpec


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def posted_response(spec: QuestionSpec, data: QueryDict, position: int) -> dict | None:
    """The response to the question at `position`, or None if the form holds no field of it
    (the question was not on the page that was sent)."""
    name = f"q{position}"
    present = name in data or f"{name}-present" in data
    if spec.qtype in (QType.SINGLE, QType.MISSING_WORD, QType.TRUE_FALSE):
        if not present:
            return None
        choice = _int(data.get(name))
        return {} if choice is None else {"choice": choice}
    if spec.qtype == QType.MULTIPLE:
        if not present:
            return None
        return {"choices": [i for i in (_int(v) for v in data.getlist(name)) if i is not None]}
    if spec.qtype == QType.MATCHING:
        prefix = f"{name}-"
        pairs = {}
        seen = present
        for key in data:
            if key.startswith(prefix) and key != f"{name}-present":
                seen = True
                right = _int(data.get(key))
                if right is not None:
                    pairs[key[len(prefix) :]] = right
        return {"pairs": pairs} if seen else None
    if spec.qtype in (QType.SHORT, QType.NUMERICAL, QType.ESSAY):
        if name not in data:
            return None
        return {"text": data.get(name, "")}
    return None
