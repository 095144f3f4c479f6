"""QR codes for invite links and login cards, as inline SVG (no image files, no extra request)."""

import io

import segno


def svg(text: str, scale: int = 6, *, fluid: bool = False, title: str = "QR") -> str:
    """`fluid`: a viewBox instead of a fixed width and height, so CSS sizes the picture (a
    printed card gives it millimetres). segno escapes the title."""
    code = segno.make(text, error="m")
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        scale=scale,
        xmldecl=False,
        svgns=True,
        title=title,
        border=2,
        omitsize=fluid,
    )
    return buffer.getvalue().decode("utf-8")
