"""Draw the app's icons: a run chart (a line through six points over its centre line) in white on
NHS blue. Our own drawing, no NHS logo. Writes icon.svg, icon-192.png and icon-512.png beside
this file; run it after changing the drawing and commit all three:

    python static/img/make_icons.py

Pillow comes with fpdf2 (a dependency already). Shapes only, no text, so no font is needed and
the SVG and PNGs match. Everything sits inside the central circle of 40% radius, so the icons
are also "maskable" (a phone may crop them to a circle or a squircle).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent
BLUE, WHITE = "#005eb8", "#ffffff"
SIZE = 512
POINTS = [(112, 320), (170, 250), (228, 300), (286, 200), (344, 230), (400, 150)]
CENTRE = ((112, 270), (400, 270))
LINE, DOT, CENTRE_WIDTH = 24, 24, 10


def svg() -> str:
    points = " ".join(f"{x},{y}" for x, y in POINTS)
    dots = "".join(f'<circle cx="{x}" cy="{y}" r="{DOT}"/>' for x, y in POINTS)
    (x1, y), (x2, _) = CENTRE
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">'
        f'<rect width="{SIZE}" height="{SIZE}" fill="{BLUE}"/>'
        f'<path d="M{x1} {y}H{x2}" stroke="{WHITE}" stroke-opacity=".55" '
        f'stroke-width="{CENTRE_WIDTH}" stroke-dasharray="24 16"/>'
        f'<polyline points="{points}" fill="none" stroke="{WHITE}" stroke-width="{LINE}" '
        f'stroke-linejoin="round"/>'
        f'<g fill="{WHITE}">{dots}</g></svg>\n'
    )


def png(size: int) -> Image.Image:
    """Drawn at 4x and scaled down, for smooth edges."""
    scale = size * 4 / SIZE
    big = Image.new("RGB", (size * 4, size * 4), BLUE)
    draw = ImageDraw.Draw(big)
    (x1, y), (x2, _) = CENTRE
    faint = "#8cb6e0"  # white at 55% over the blue
    x = x1
    while x < x2:
        end = min(x + 24, x2)
        draw.line([(x * scale, y * scale), (end * scale, y * scale)], faint, int(10 * scale))
        x += 40
    scaled = [(px * scale, py * scale) for px, py in POINTS]
    draw.line(scaled, WHITE, int(LINE * scale), joint="curve")
    for px, py in scaled:
        r = DOT * scale
        draw.ellipse([px - r, py - r, px + r, py + r], WHITE)
    return big.resize((size, size), Image.LANCZOS)


def main() -> None:
    (HERE / "icon.svg").write_text(svg(), encoding="utf-8")
    for size in (192, 512):
        png(size).save(HERE / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
