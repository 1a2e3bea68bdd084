"""Word (.docx, python-docx) helpers shared by every document the platform writes.

Chinese in Word: every style and run carries an East Asian font (w:eastAsia = SimSun / 宋体); the font
table names Noto Serif CJK SC as SimSun's alternate, so LibreOffice and Word on machines without SimSun
fall back to a CJK font instead of boxes.
"""

EAST_ASIAN_FONT = "SimSun"
EAST_ASIAN_FALLBACK = "Noto Serif CJK SC"
LATIN_FONT = "Times New Roman"


def east_asian(rpr_owner, size=None, bold=None) -> None:
    """Set the Latin and East Asian fonts of a style or run (python-docx only sets w:ascii / w:hAnsi)."""
    from docx.oxml.ns import qn

    font = rpr_owner.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    fonts.set(qn("w:hint"), "eastAsia")


def font_table_fallback(doc) -> None:
    """Declare SimSun in the font table with its Chinese name and Noto Serif CJK SC as alternates."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn

    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            part = rel.target_part
            break
    else:
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    font = etree.SubElement(root, qn("w:font"), {qn("w:name"): EAST_ASIAN_FONT})
    etree.SubElement(font, qn("w:altName"), {qn("w:val"): f"宋体,{EAST_ASIAN_FALLBACK}"})
    etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})
    etree.SubElement(font, qn("w:family"), {qn("w:val"): "auto"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def table(doc, headers: list[str], rows: list[list]) -> None:
    from docx.shared import Pt

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(str(header))
        east_asian(run, size=Pt(9), bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            run = cell.paragraphs[0].add_run("" if value is None else str(value))
            east_asian(run, size=Pt(9))
