"""A certificate as a PDF: one A4 landscape page drawn with reportlab from the certificate's
fields whenever it is asked for, in the active language.

The fonts are DejaVu Sans, shipped in events/fonts (Cyrillic everywhere, nothing fetched while
drawing). Text is drawn as plain strings, never parsed as markup, so whatever a name or a
title holds is printed as it is; long ones shrink and wrap to fit their box. The verification
code is printed in Courier (a PDF base font: its text stays searchable in the file) beside a
QR code of the public check page, which is also a link."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import segno
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from events.certificates import Kind, park_zone
from events.models import Certificate
from lms import numbers
from lms.text import clean_line

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, CODE_FONT = "DejaVuSans", "DejaVuSans-Bold", "Courier-Bold"

WIDTH, HEIGHT = landscape(A4)
CENTRE = WIDTH / 2
TEXT_WIDTH = WIDTH - 190

INK = HexColor("#1f2a44")
INK_SOFT = HexColor("#56627a")
PRIMARY = HexColor("#4263eb")
PRIMARY_TINT = HexColor("#dbe4ff")
PURPLE_TINT = HexColor("#e5dbff")
ACCENT = HexColor("#ffd43b")
ACCENT_TINT = HexColor("#fff3bf")
AWARD = HexColor("#e67700")
LINE = HexColor("#c5cde0")


@cache
def register_fonts() -> None:
    """Registers the shipped fonts with reportlab, once per process."""
    pdfmetrics.registerFont(TTFont(REGULAR, FONTS / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, FONTS / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)


def check_url(certificate: Certificate) -> str:
    """The absolute address of the public check page (what the QR code holds)."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("certificates:check", args=[certificate.code])


def park_name() -> str:
    """LMS_PARK_NAME if set, else the default Wagtail site's name, else WAGTAIL_SITE_NAME."""
    from wagtail.models import Site

    configured = getattr(settings, "LMS_PARK_NAME", "")
    if configured:
        return configured
    site = Site.objects.filter(is_default_site=True).values_list("site_name", flat=True).first()
    return site or settings.WAGTAIL_SITE_NAME


def heading(kind: str) -> str:
    return _("Diploma") if kind == Kind.DIPLOMA else _("Certificate of participation")


# --- Fitting text ---------------------------------------------------------------------------


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the line, cut into pieces that fit."""
    pieces, piece = [], ""
    for char in word:
        if piece and _width(piece + char, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in (
            _break_word(word, font, size, width) if _width(word, font, size) > width else [word]
        ):
            candidate = f"{line} {piece}" if line else piece
            if line and _width(candidate, font, size) > width:
                lines.append(line)
                line = piece
            else:
                line = candidate
    return [*lines, line] if line else lines


def _ellipsize(line: str, font: str, size: float, width: float) -> str:
    while line and _width(line + "…", font, size) > width:
        line = line[:-1]
    return line.rstrip() + "…"


def fit(
    text: str,
    font: str,
    *,
    largest: float,
    smallest: float,
    width: float = TEXT_WIDTH,
    max_lines: int = 1,
) -> tuple[float, list[str]]:
    """The largest size (from `largest` down to `smallest`) at which the text fits in
    `max_lines` lines, preferring fewer lines; at the smallest size what does not fit is cut
    with an ellipsis."""
    for lines_allowed in range(1, max_lines + 1):
        floor = smallest if lines_allowed == max_lines else max(smallest, largest * 0.7)
        size = largest
        while size >= floor:
            lines = wrap(text, font, size, width)
            if len(lines) <= lines_allowed:
                return size, lines
            size -= 1
    lines = wrap(text, font, smallest, width)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _ellipsize(lines[max_lines - 1], font, smallest, width)]
    return smallest, lines


# --- Drawing --------------------------------------------------------------------------------


def printable(text: str, font: str = REGULAR) -> str:
    """The text without characters the font has no glyph for (an emoji would print as a box),
    and without invisible ones (lms.text)."""
    glyphs = pdfmetrics.getFont(font).face.charToGlyph
    return "".join(char for char in clean_line(text) if char == " " or ord(char) in glyphs)


@dataclass
class Block:
    """Centred lines of one kind of text, fitted to the page's width."""

    text: str
    font: str
    largest: float
    smallest: float
    color: Color = INK
    max_lines: int = 1
    gap_before: float = 0
    gap_after: float = 6
    char_space: float = 0
    size: float = 0
    lines: list[str] = field(default_factory=list)

    def fit(self) -> Block:
        self.text = printable(self.text, self.font)
        if self.text:
            self.size, self.lines = fit(
                self.text,
                self.font,
                largest=self.largest,
                smallest=self.smallest,
                max_lines=self.max_lines,
            )
        return self

    @property
    def height(self) -> float:
        if not self.lines:
            return 0
        return self.gap_before + len(self.lines) * self.size * 1.25 + self.gap_after

    def draw(self, canvas: Canvas, top: float) -> float:
        """Draws the lines below `top`; returns where the next block starts."""
        if not self.lines:
            return top
        y = top - self.gap_before
        canvas.setFont(self.font, self.size)
        canvas.setFillColor(self.color)
        for line in self.lines:
            y -= self.size
            canvas.drawCentredString(CENTRE, y, line, charSpace=self.char_space)
            y -= self.size * 0.25
        return y - self.gap_after


class Bar(Block):
    """The short accent bar under the heading."""

    def __init__(self):
        super().__init__(text="", font=REGULAR, largest=0, smallest=0)

    def fit(self) -> Block:
        return self

    @property
    def height(self) -> float:
        return 22

    def draw(self, canvas: Canvas, top: float) -> float:
        canvas.setFillColor(ACCENT)
        canvas.roundRect(CENTRE - 40, top - 4, 80, 5, 2.5, stroke=0, fill=1)
        return top - self.height


FRAME = (26, 26, WIDTH - 52, HEIGHT - 52, 20)
CONTENT_TOP, CONTENT_BOTTOM = HEIGHT - 58, 148


def _decorate(canvas: Canvas) -> None:
    """Soft circles in the corners inside a double rounded frame: friendly, light on ink."""
    canvas.saveState()
    frame = canvas.beginPath()
    frame.roundRect(*FRAME)
    canvas.clipPath(frame, stroke=0, fill=0)
    for x, y, radius, color in (
        (26, HEIGHT - 26, 120, PRIMARY_TINT),
        (150, HEIGHT - 30, 30, ACCENT_TINT),
        (WIDTH - 26, 26, 150, PURPLE_TINT),
        (WIDTH - 200, 40, 24, ACCENT_TINT),
        (WIDTH - 60, HEIGHT - 62, 16, PRIMARY_TINT),
        (62, 150, 12, PURPLE_TINT),
    ):
        canvas.setFillColor(color)
        canvas.circle(x, y, radius, stroke=0, fill=1)
    canvas.restoreState()
    canvas.saveState()
    canvas.setStrokeColor(PRIMARY)
    canvas.setLineWidth(2.5)
    canvas.roundRect(*FRAME, stroke=1, fill=0)
    canvas.setStrokeColor(PRIMARY_TINT)
    canvas.setLineWidth(1)
    canvas.roundRect(34, 34, WIDTH - 68, HEIGHT - 68, 15, stroke=1, fill=0)
    canvas.restoreState()


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as vector squares (one rectangle per run of dark modules), and a link."""
    code = segno.make(url, error="m")
    border = 2
    module = size / (len(code.matrix) + 2 * border)
    canvas.saveState()
    canvas.setFillColor(HexColor("#ffffff"))
    canvas.roundRect(x - 4, y - 4, size + 8, size + 8, 6, stroke=0, fill=1)
    canvas.setFillColor(INK)
    for row_index, row in enumerate(code.matrix):
        top = y + size - (row_index + border + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            # A hair larger than the run, so viewers draw no seams between neighbours.
            canvas.rect(
                x + (start + border) * module,
                top,
                (column - start) * module + 0.05,
                module + 0.05,
                stroke=0,
                fill=1,
            )
    canvas.restoreState()
    canvas.linkURL(url, (x, y, x + size, y + size), relative=0, thickness=0)


def _one_line(text: str, size: float, width: float) -> str:
    text = printable(text)
    return fit(text, REGULAR, largest=size, smallest=6, width=width)[1][0] if text else ""


def _footer(canvas: Canvas, certificate: Certificate, url: str, park: str) -> None:
    # The signature, on the left.
    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(1)
    canvas.line(86, 104, 300, 104)
    canvas.setFillColor(INK_SOFT)
    canvas.setFont(REGULAR, 9.5)
    signatory = getattr(settings, "LMS_CERTIFICATE_SIGNATORY", "")
    role = _("Director")
    canvas.drawString(86, 90, _one_line(f"{role}, {signatory}" if signatory else role, 9.5, 214))
    canvas.setFont(REGULAR, 9.5)
    canvas.drawString(86, 77, _one_line(park, 9.5, 214))
    issued = timezone.localtime(certificate.issued_at or timezone.now(), park_zone())
    canvas.setFont(REGULAR, 9.5)
    canvas.drawString(
        86, 56, _("Issued %(date)s") % {"date": formats.date_format(issued.date(), "j E Y")}
    )

    # The code and the QR code, on the right.
    qr_size = 86
    qr_x, qr_y = WIDTH - 66 - qr_size, 50
    _qr(canvas, url, qr_x, qr_y, qr_size)
    right = qr_x - 14
    canvas.setFillColor(INK_SOFT)
    canvas.setFont(REGULAR, 9)
    canvas.drawRightString(right, 118, _("Verification code"))
    canvas.setFillColor(INK)
    canvas.setFont(CODE_FONT, 15)
    canvas.drawRightString(right, 100, certificate.code)
    canvas.setFillColor(INK_SOFT)
    canvas.setFont(REGULAR, 8)
    canvas.drawRightString(right, 82, _("Check it at"))
    shown = _one_line(url.split("://", 1)[-1], 8, 260)
    canvas.setFont(REGULAR, 8)
    canvas.drawRightString(right, 71, shown)


def _blocks(certificate: Certificate, park: str, title: str) -> list[Block]:
    is_diploma = certificate.kind == Kind.DIPLOMA
    facts = [certificate.held_on]
    if certificate.hours:
        hours = floatformat(certificate.hours, "-1")
        facts.append(
            ngettext(
                "%(hours)s academic hour",
                "%(hours)s academic hours",
                numbers.plural_count(certificate.hours),
            )
            % {"hours": hours}
        )
    soft = {"font": REGULAR, "color": INK_SOFT}
    return [
        Block(park.upper(), largest=12, smallest=8, char_space=1.2, gap_after=10, **soft),
        Block(title.upper(), BOLD, largest=36, smallest=18, color=PRIMARY, max_lines=2),
        Bar(),
        Block(
            _("is awarded to") if is_diploma else _("This is to certify that"),
            largest=13,
            smallest=10,
            gap_after=8,
            **soft,
        ),
        Block(certificate.holder_name, BOLD, largest=32, smallest=12, max_lines=3),
        Block(certificate.school_name, largest=13, smallest=8, max_lines=2, **soft),
        Block(
            certificate.award,
            BOLD,
            largest=22,
            smallest=11,
            color=AWARD,
            max_lines=2,
            gap_before=8,
        )
        if is_diploma
        else Block(_("took part in"), largest=13, smallest=10, gap_before=8, **soft),
        Block(certificate.title, BOLD, largest=18, smallest=10, max_lines=3),
        Block(
            "" if is_diploma else certificate.award,
            BOLD,
            largest=15,
            smallest=10,
            color=AWARD,
            max_lines=2,
        ),
        Block(" · ".join(f for f in facts if f), REGULAR, largest=13, smallest=9, gap_before=6),
    ]


def render_pdf(
    certificate: Certificate, *, compress: bool = True, invariant: bool = False
) -> bytes:
    """The certificate as PDF bytes. `invariant` makes the bytes depend on the certificate
    alone (no creation time or random id), `compress=False` leaves the page readable as text:
    both for tests."""
    register_fonts()
    url = check_url(certificate)
    park = clean_line(park_name())
    title = heading(certificate.kind)
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(WIDTH, HEIGHT),
        pageCompression=1 if compress else 0,
        invariant=1 if invariant else 0,
    )
    canvas.setTitle(f"{title} {certificate.code}")
    canvas.setSubject(clean_line(certificate.title))
    canvas.setAuthor(park)
    canvas.setCreator(park)
    canvas.setKeywords(certificate.code)

    _decorate(canvas)
    blocks = [block.fit() for block in _blocks(certificate, park, title)]
    # The park's name stays at the top; the rest sits in the middle of the space left.
    top = blocks[0].draw(canvas, CONTENT_TOP)
    spare = top - CONTENT_BOTTOM - sum(block.height for block in blocks[1:])
    top -= max(0.0, min(spare / 2, 48))
    for block in blocks[1:]:
        top = block.draw(canvas, top)
    _footer(canvas, certificate, url, park)

    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
