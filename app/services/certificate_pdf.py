"""The certificate as a one-page A4 PDF, drawn from the verified payload only.

It embeds DejaVu Sans (app/fonts/, subset to the glyphs used), so names are printed as written:
a core PDF font such as Helvetica covers only Windows-1252 and would mangle "Łukasz" or "Nguyễn".
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.services.certificates import CertificateView

FONT = "DejaVu"
FONTS_DIR = Path(__file__).resolve().parent.parent / "fonts"
NHS_BLUE = (0, 94, 184)
TEXT = (33, 43, 50)
GREY = (75, 86, 91)
QR_MM = 36
SHORT_VERSION = 12


def qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=10, border=2)
    buffer.seek(0)
    return buffer


def day(moment: datetime) -> str:
    return f"{moment:%d %B %Y}"


class QiPdf(FPDF):
    """A4 in DejaVu Sans with the headings and bullets the certificate and the evidence pack share.

    `created` fixes the PDF's creation date, so the same input always gives the same bytes."""

    def __init__(self, *, created: datetime, title: str, author: str, compress: bool) -> None:
        super().__init__(format="A4")
        self.add_font(FONT, "", FONTS_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS_DIR / "DejaVuSans-Bold.ttf")
        self.set_compression(compress)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_creation_date(created)
        self.set_title(title)
        self.set_author(author)
        self.set_lang("en-GB")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FONT, "B", 12)
        self.set_text_color(*NHS_BLUE)
        self.line_of(text, 7)
        self.set_text_color(*TEXT)
        self.set_font(FONT, "", 11)

    def line_of(self, text: str, height: float, align: str = "L", link: str | None = None) -> None:
        self.multi_cell(
            0, height, text, align=align, link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def bullets(self, items: list[str]) -> None:
        for item in items:
            self.set_x(self.l_margin + 4)
            self.multi_cell(0, 5.5, f"\N{BULLET} {item}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def certificate_pdf(
    view: CertificateView, verify_url: str, *, compress: bool = True, development: bool = False
) -> bytes:
    """The PDF bytes. `compress=False` leaves the text readable in the file, for tests.
    `development` (no QI_CERTIFICATE_KEY) prints DEVELOPMENT across the top."""
    pdf = QiPdf(
        created=view.issued_at,
        title=f"{view.issuer} certificate {view.id}",
        author=view.issuer,
        compress=compress,
    )
    pdf.add_page()
    if development:
        pdf.set_font(FONT, "B", 14)
        pdf.set_text_color(212, 53, 28)
        pdf.line_of("DEVELOPMENT: signed with a development key. Not a real certificate.", 8, "C")

    pdf.set_font(FONT, "B", 12)
    pdf.set_text_color(*NHS_BLUE)
    pdf.line_of(view.issuer, 6, "C")
    pdf.set_font(FONT, "B", 24)
    pdf.line_of("Certificate of completion", 14, "C")
    pdf.set_text_color(*TEXT)
    pdf.set_font(FONT, "", 12)
    pdf.line_of("This certifies that", 8, "C")
    pdf.set_font(FONT, "B", 20)
    pdf.line_of(view.name, 11, "C")
    pdf.set_font(FONT, "", 12)
    pdf.line_of("has completed the module", 8, "C")
    pdf.set_font(FONT, "B", 16)
    pdf.line_of(view.module_title, 9, "C")
    pdf.set_font(FONT, "", 11)
    pdf.line_of(f"on {day(view.completed_at)}. CPD time: {view.cpd_minutes} minutes.", 7, "C")

    pdf.heading("Learning outcomes")
    pdf.bullets(list(view.outcomes))
    pdf.heading("GMC Generic Professional Capabilities")
    pdf.bullets([f"Domain {number}: {name}" for number, name in view.gpc])
    if view.rcp:
        pdf.heading("RCP key quality improvement skills")
        pdf.bullets(list(view.rcp))

    if pdf.get_y() + QR_MM + 6 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y() + 6
    alt = f"QR code that opens {verify_url}"
    pdf.image(qr_png(verify_url), x=pdf.l_margin, y=top, w=QR_MM, h=QR_MM, alt_text=alt)
    pdf.set_xy(pdf.l_margin + QR_MM + 6, top + 1)
    pdf.set_left_margin(pdf.l_margin + QR_MM + 6)
    pdf.set_font(FONT, "B", 11)
    pdf.line_of("Check this certificate", 6)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*NHS_BLUE)
    pdf.line_of(verify_url, 5.5, link=verify_url)
    pdf.set_text_color(*GREY)
    pdf.line_of(f"Certificate ID: {view.id}", 5.5)
    pdf.line_of(f"Issued on {day(view.issued_at)} by {view.issuer}", 5.5)
    lessons = ", ".join(
        f"{slug} {version[:SHORT_VERSION]}" for slug, version in view.lesson_versions
    )
    pdf.set_font(FONT, "", 8)
    pdf.line_of(f"Content version: module {view.module_version[:SHORT_VERSION]}", 4.5)
    if lessons:
        pdf.line_of(f"Lessons: {lessons}", 4.5)
    return bytes(pdf.output())
