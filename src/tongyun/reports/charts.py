"""Charts of a report as SVG images, drawn here (no plotting library in the stack): a bar chart of one
section's chart data. The same SVG is inlined in the page and the PDF and converted for Word."""

from __future__ import annotations

from xml.sax.saxutils import escape

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 560, 220, 40, 40, 24


def bar_svg(chart: dict) -> str:
    labels, values = chart.get("labels") or [], [v or 0 for v in chart.get("values") or []]
    top = max(values + [1])
    count = max(len(values), 1)
    slot = (WIDTH - LEFT - 10) / count
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=False)):
        height = (HEIGHT - BOTTOM - TOP) * value / top
        x = LEFT + index * slot + slot * 0.15
        y = HEIGHT - BOTTOM - height
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" fill="#3b6ea5"/>'
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle">{escape(_num(value))}'
            f'</text><text x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16:.1f}" font-size="11" '
            f'text-anchor="middle">{escape(str(label))}</text>')
    title = escape(str(chart.get("title", "")) + (f"（{chart['unit']}）" if chart.get("unit") else ""))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Noto Sans CJK SC, sans-serif">'
            f'<text x="{WIDTH / 2}" y="16" font-size="13" text-anchor="middle">{title}</text>'
            f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - 10}" y2="{HEIGHT - BOTTOM}" stroke="#333"/>'
            + "".join(bars) + "</svg>")


def _num(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


SANS_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def bar_png(chart: dict) -> bytes:
    """The same chart as a PNG for Word (python-docx embeds no SVG), drawn with Pillow."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    scale = 2
    image = Image.new("RGB", (WIDTH * scale, HEIGHT * scale), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype(SANS_FONT, 11 * scale)
        title_font = ImageFont.truetype(SANS_FONT, 13 * scale)
    except OSError:  # no CJK font installed: Pillow's own (Latin only)
        font = title_font = ImageFont.load_default()
    labels, values = chart.get("labels") or [], [v or 0 for v in chart.get("values") or []]
    top, slot = max(values + [1]), (WIDTH - LEFT - 10) / max(len(values), 1)
    title = str(chart.get("title", "")) + (f"（{chart['unit']}）" if chart.get("unit") else "")
    draw.text((WIDTH * scale / 2, 4 * scale), title, fill="black", font=title_font, anchor="ma")
    base = (HEIGHT - BOTTOM) * scale
    draw.line([(LEFT * scale, base), ((WIDTH - 10) * scale, base)], fill="#333333", width=scale)
    for index, (label, value) in enumerate(zip(labels, values, strict=False)):
        height = (HEIGHT - BOTTOM - TOP) * value / top * scale
        x = (LEFT + index * slot + slot * 0.15) * scale
        draw.rectangle([x, base - height, x + slot * 0.7 * scale, base], fill="#3b6ea5")
        middle = x + slot * 0.35 * scale
        draw.text((middle, base - height - 4 * scale), _num(value), fill="black", font=font, anchor="md")
        draw.text((middle, base + 4 * scale), str(label), fill="black", font=font, anchor="ma")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
