"""QR codes for invite links, as inline SVG (no image files, no extra request)."""

import io

import segno


def svg(text: str, scale: int = 6) -> str:
    code = segno.make(text, error="m")
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, title="QR", border=2)
    return buffer.getvalue().decode("utf-8")
