"""The evidence pack as a PDF, drawn from the stored content dict only.

The creation date is the pack's `generated_at` and nothing else varies, so building it again from
the same content gives the same bytes: the download is rebuilt on demand and still matches the
SHA-256 the pack was signed with. Charts are drawn with fpdf2's own lines and circles from the
points in the content (data, centre line, limits, PDSA starts), in DejaVu Sans like the certificate.
"""

from __future__ import annotations

from typing import Any

from fpdf.enums import XPos, YPos

from app.services.certificate_pdf import FONT, GREY, NHS_BLUE, TEXT, QiPdf, day, qr_png
from app.services.certificates import parse_iso_z
from app.services.projects.evidence_sections import Section, sections

QR_MM = 34
CHART_H = 62
SIGNAL = (237, 139, 0)  # NHS warm yellow: a point that is part of a signal
PDSA = (0, 150, 65)  # NHS green: where a cycle starts
LIGHT = (216, 221, 224)


class _Pack(QiPdf):
    pack_id = ""

    def header(self) -> None:
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.set_xy(self.l_margin, 8)
        self.cell(0, 4, f"QI Skills evidence pack {self.pack_id}", align="L")
        self.set_xy(self.l_margin, self.t_margin)
        self.set_text_color(*TEXT)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="C")

    def sub(self, text: str) -> None:
        self.ln(1.5)
        self.set_font(FONT, "B", 11)
        self.line_of(text, 6)
        self.set_font(FONT, "", 10)

    def para(self, text: str) -> None:
        self.set_font(FONT, "", 10)
        self.line_of(text, 5)

    def field(self, label: str, text: str) -> None:
        """ "Label: text" with the label in bold, wrapping as one paragraph."""
        self.set_x(self.l_margin)
        self.set_font(FONT, "B", 10)
        self.write(5, f"{label}: ")
        self.set_font(FONT, "", 10)
        self.write(5, text)
        self.ln(5.5)

    def item(self, level: int, text: str) -> None:
        self.set_font(FONT, "", 10)
        self.set_x(self.l_margin + 4 + 6 * min(level, 5))
        self.multi_cell(0, 5, f"\N{BULLET} {text}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _range(m: dict[str, Any]) -> tuple[float, float]:
    found = [
        p[key]
        for p in m["points"]
        for key in ("value", "centre", "lower", "upper")
        if p[key] is not None
    ]
    low, high = (min(found), max(found)) if found else (0.0, 1.0)
    if high == low:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.08
    return low - pad, high + pad


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _series(pdf: _Pack, xs: list[float], ys: list[float | None]) -> None:
    """Lines between consecutive points that both exist; a gap stays a gap."""
    for i in range(1, len(xs)):
        if ys[i - 1] is not None and ys[i] is not None:
            pdf.line(xs[i - 1], ys[i - 1], xs[i], ys[i])  # type: ignore[arg-type]


def chart(pdf: _Pack, m: dict[str, Any]) -> None:
    """A line chart of one measure: the points, its centre line, any limits and PDSA starts."""
    if pdf.get_y() + CHART_H + 14 > pdf.h - pdf.b_margin:
        pdf.add_page()
    points = m["points"]
    left, top = pdf.l_margin + 14, pdf.get_y() + 6
    width, height = pdf.w - pdf.r_margin - left, CHART_H - 12
    low, high = _range(m)

    def y(value: float | None) -> float | None:
        return None if value is None else top + height - (value - low) / (high - low) * height

    step = width / max(len(points) - 1, 1)
    xs = [left + i * step if len(points) > 1 else left + width / 2 for i in range(len(points))]
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*LIGHT)
    pdf.rect(left, top, width, height)
    pdf.set_font(FONT, "", 7)
    pdf.set_text_color(*GREY)
    for value in (low, (low + high) / 2, high):
        pdf.text(pdf.l_margin, y(value) + 1, _num(value))  # type: ignore[operator]
    every = max(1, -(-len(points) // 8))  # at most about 8 labels along the bottom
    for i in range(0, len(points), every):
        pdf.text(xs[i] - 3, top + height + 4, points[i]["label"][:12])
    for note in m["annotations"]:  # PDSA starts: a dashed green line and its cycle's number
        x = xs[note["point"]]
        pdf.set_draw_color(*PDSA)
        pdf.set_dash_pattern(dash=1, gap=1)
        pdf.line(x, top, x, top + height)
        pdf.set_dash_pattern()
        pdf.set_text_color(*PDSA)
        pdf.text(x + 0.8, top + 3, note["text"].split(":", 1)[0])
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.4)
    _series(pdf, xs, [y(p["centre"]) for p in points])
    pdf.set_dash_pattern(dash=1.5, gap=1)
    pdf.set_line_width(0.25)
    _series(pdf, xs, [y(p["lower"]) for p in points])
    _series(pdf, xs, [y(p["upper"]) for p in points])
    pdf.set_dash_pattern()
    pdf.set_draw_color(*NHS_BLUE)
    pdf.set_line_width(0.4)
    plotted = [y(p["value"]) for p in points]
    _series(pdf, xs, plotted)
    for x, point, at in zip(xs, points, plotted, strict=True):
        if at is not None:
            pdf.set_fill_color(*(SIGNAL if point["signal"] else NHS_BLUE))
            pdf.circle(x, at, 1.3 if point["signal"] else 0.9, style="F")
    pdf.set_text_color(*GREY)
    pdf.set_xy(pdf.l_margin, top + height + 6)
    centre = m.get("centre_name", "centre line")
    key = f"Blue: the data. Grey line: the {centre}."
    if any(p["upper"] is not None for p in points):
        key += " Dashed grey: control limits."
    key += " Yellow points: part of a signal. Green dashed: a PDSA cycle starts."
    pdf.set_font(FONT, "", 8)
    pdf.line_of(key, 4)
    pdf.set_text_color(*TEXT)
    pdf.set_line_width(0.2)


def _front(pdf: _Pack, content: dict[str, Any]) -> None:
    generated = parse_iso_z(content["generated_at"])
    pdf.set_font(FONT, "B", 11)
    pdf.set_text_color(*NHS_BLUE)
    pdf.line_of(f"{content['issuer']}: quality improvement project evidence", 6)
    pdf.set_font(FONT, "B", 20)
    pdf.line_of(content["project"]["title"], 10)
    pdf.set_text_color(*TEXT)
    pdf.set_font(FONT, "", 11)
    pdf.line_of(f"Project lead: {content['lead']}", 6)
    pdf.line_of(f"Generated on {day(generated)} by {content['generated_by']}", 6)
    url = content["verify_url"]
    top = pdf.get_y() + 4
    pdf.image(
        qr_png(url), x=pdf.l_margin, y=top, w=QR_MM, h=QR_MM, alt_text=f"QR code that opens {url}"
    )
    pdf.set_xy(pdf.l_margin + QR_MM + 6, top + 1)
    margin = pdf.l_margin
    pdf.set_left_margin(margin + QR_MM + 6)
    pdf.set_font(FONT, "B", 11)
    pdf.line_of("Check this evidence pack", 6)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*NHS_BLUE)
    pdf.line_of(url, 5, link=url)
    pdf.set_text_color(*GREY)
    pdf.line_of(f"Verification ID: {content['id']}", 5)
    pdf.line_of("Upload this PDF or the JSON file there to check it has not been changed.", 5)
    pdf.set_left_margin(margin)
    pdf.set_xy(margin, top + QR_MM + 4)
    pdf.set_text_color(*TEXT)


def _section(pdf: _Pack, section: Section) -> None:
    pdf.heading(section.heading)
    for block in section.blocks:
        kind = block[0]
        if kind == "sub":
            if pdf.get_y() > pdf.h - pdf.b_margin - 25:  # keep a subheading with what follows
                pdf.add_page()
            pdf.sub(block[1])
        elif kind == "p":
            pdf.para(block[1])
        elif kind == "field":
            pdf.field(block[1], block[2])
        elif kind == "item":
            pdf.item(block[1], block[2])
        elif kind == "chart":
            chart(pdf, block[1])


def pack_pdf(content: dict[str, Any], *, compress: bool = True) -> bytes:
    """The PDF bytes, the same every time for the same content."""
    pdf = _Pack(
        created=parse_iso_z(content["generated_at"]),
        title=f"{content['issuer']} evidence pack {content['id']}: {content['project']['title']}",
        author=content["issuer"],
        compress=compress,
    )
    pdf.pack_id = content["id"]
    pdf.add_page()
    _front(pdf, content)
    for section in sections(content):
        _section(pdf, section)
    return bytes(pdf.output())
