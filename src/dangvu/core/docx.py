"""Word documents in the Party's layout (python-docx): Times New Roman for every script, Vietnamese as the
document language, paragraphs, table rows that do not split or repeat as headers, page numbers. Used by the
member résumé and the periodic reports."""

from __future__ import annotations


def set_font(run_or_style, size: float | None = None, *, bold=None, italic=None, underline=None) -> None:
    """Times New Roman for every script (Latin, complex, East Asian) so Vietnamese never falls back."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = "Times New Roman"
    properties = run_or_style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "Times New Roman")
    if size is not None:
        font.size = Pt(size)
        properties_size_cs = properties.find(qn("w:szCs"))
        if properties_size_cs is None:
            properties_size_cs = properties.makeelement(qn("w:szCs"), {})
            properties.append(properties_size_cs)
        properties_size_cs.set(qn("w:val"), str(int(size * 2)))
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if underline is not None:
        font.underline = underline


def set_document_defaults(document) -> None:
    """Times New Roman and Vietnamese as the document defaults (the stock template points at theme fonts,
    which would win over the style's font in Word)."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    properties = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
    if properties is None:
        return
    fonts = properties.find(qn("w:rFonts"))
    if fonts is not None:
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attribute), "Times New Roman")
    language = properties.find(qn("w:lang"))
    if language is not None:
        language.set(qn("w:val"), "vi-VN")


def add_paragraph(
    container, text: str = "", *, size=13, align=None, bold=False, italic=False, before=0, after=2
):
    from docx.shared import Pt

    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    if align is not None:
        paragraph.alignment = align
    if text:
        set_font(paragraph.add_run(text), size, bold=bold, italic=italic)
    return paragraph


def keep_row_together(row) -> None:
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    properties.append(properties.makeelement(qn("w:cantSplit"), {}))


def repeat_as_header(row) -> None:
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    properties.append(properties.makeelement(qn("w:tblHeader"), {}))


def add_page_number(paragraph) -> None:
    """A PAGE field (Word fills the number in)."""
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    set_font(run, 11)
    for tag, attributes, text in (
        ("w:fldChar", {qn("w:fldCharType"): "begin"}, None),
        ("w:instrText", {qn("xml:space"): "preserve"}, " PAGE "),
        ("w:fldChar", {qn("w:fldCharType"): "separate"}, None),
        ("w:t", {}, "1"),
        ("w:fldChar", {qn("w:fldCharType"): "end"}, None),
    ):
        element = run._r.makeelement(qn(tag), attributes)
        if text is not None:
            element.text = text
        run._r.append(element)
