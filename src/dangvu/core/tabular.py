"""Spreadsheets in and out, free of any domain: read an uploaded .xlsx or .csv into headers and numbered
rows, parse the dates people type, and answer a download as a streamed CSV or an .xlsx file.

Every text cell written out goes through ``safe_cell`` so that a spreadsheet never runs a value typed by
someone as a formula (CSV/formula injection)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gc
import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.http import FileResponse, StreamingHttpResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
SUPPORTED = (".xlsx", ".csv")

# Excel's day 0 (the 1900 leap-year bug is why it is 30/12/1899, not 31/12/1899).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers between these are plausible dates (01/01/1900 .. 31/12/2199); anything else is a typo.
_SERIAL_MIN, _SERIAL_MAX = 1, 109574
_DATE_TEXT = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO_TEXT = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters that XML 1.0 (and so an .xlsx file) cannot hold.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class TabularError(ValidationError):
    """The file cannot be read as a table (wrong type, damaged, empty). Shown on the form's file field."""

    def __init__(self, message: str, field_name: str = "file"):
        super().__init__({field_name: message})
        self.text = message


@dataclass
class Table:
    """A sheet as read: the header cells, and each non-empty row below with its 1-based spreadsheet row."""

    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    header_row: int = 1
    sheet_name: str = ""

    def __len__(self) -> int:
        return len(self.rows)


# ───────────────────────── reading ─────────────────────────


@contextmanager
def bulk_objects() -> Iterator[None]:
    """For work that makes millions of lists, tuples and strings and no reference cycles (a sheet's rows,
    an import's checked values): the cyclic garbage collector is paused meanwhile, since it would walk all of
    them again and again for nothing (a tenth of the time). Reference counting still frees them; the
    collector resumes afterwards (left alone when it was paused already)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def file_kind(name: str) -> str:
    """``xlsx`` or ``csv`` from the file name, or a Vietnamese error for anything else."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix not in SUPPORTED:
        shown = suffix or "(không có phần mở rộng)"
        raise TabularError(
            f"Không đọc được tệp “{name}”: định dạng {shown} không được hỗ trợ. "
            "Hãy dùng tệp Excel (.xlsx) hoặc CSV (.csv, mã UTF-8)."
        )
    return suffix[1:]


def read_table(upload, name: str | None = None) -> Table:
    """Read an uploaded file (a Django ``UploadedFile``, a ``File`` or any binary file object) into a Table.

    The first non-empty row is the header row. Completely empty rows are skipped but the row numbers kept
    are the spreadsheet's own, so an officer finds row 27 where the error says."""
    name = name or getattr(upload, "name", "") or ""
    kind = file_kind(name)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    with bulk_objects():
        if kind == "xlsx":
            return _read_xlsx(data)
        return _read_csv(data)


def _read_xlsx(data: bytes) -> Table:
    from python_calamine import CalamineError, CalamineWorkbook

    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise TabularError(
            "Tệp không phải là tệp Excel (.xlsx) hợp lệ. Nếu tệp được lưu bằng Excel cũ (.xls) hoặc là "
            "tệp CSV đổi tên, hãy mở bằng Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)”."
        )
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise TabularError("Tệp Excel không có trang tính nào.")
        sheet = workbook.get_sheet_by_index(0)
        # Rows from the sheet's first row (row 1), so the numbers kept are the spreadsheet's own.
        return _to_table(enumerate(sheet.iter_rows(), start=1), sheet_name=sheet.name)
    except TabularError:
        raise
    except (CalamineError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise TabularError("Tệp không phải là tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng.") from exc
    except Exception as exc:  # calamine raises its own error types for damaged parts
        raise TabularError("Tệp không phải là tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng.") from exc


def _decode_csv(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TabularError(
            "Tệp CSV phải được lưu với mã UTF-8 (trong Excel: “CSV UTF-8 (Comma delimited)”)."
        ) from exc


def sniff_delimiter(text: str) -> str:
    """``,`` or ``;`` (Excel in Vietnamese locale writes ``;``), decided on the header line."""
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=",;").delimiter
    except csv.Error:
        return ";" if first.count(";") > first.count(",") else ","


def _read_csv(data: bytes) -> Table:
    text = _decode_csv(data)
    if "\x00" in text:
        raise TabularError("Tệp CSV không hợp lệ (có ký tự nhị phân).")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        # csv counts physical lines; a quoted cell may span lines, so number by reader.line_num.
        numbered = []
        for cells in reader:
            numbered.append((reader.line_num, cells))
    except csv.Error as exc:
        raise TabularError(f"Tệp CSV không đọc được: {exc}.") from exc
    return _to_table(numbered)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_table(numbered: Iterable[tuple[int, list]], sheet_name: str = "") -> Table:
    table: Table | None = None
    # Short texts repeat down a column ("Nam", "Kinh", a branch code): one string object each, shared by
    # every row, instead of one per cell (a quarter less memory on a 100,000-row file).
    shared: dict[str, str] = {}
    share = shared.setdefault
    for number, cells in numbered:
        if all(_blank(value) for value in cells):
            continue
        cells = [share(v, v) if v.__class__ is str and len(v) < 48 else v for v in cells]
        if table is None:
            headers = [header_text(value) for value in cells]
            while headers and not headers[-1]:
                headers.pop()
            table = Table(headers=headers, header_row=number, sheet_name=sheet_name)
            continue
        table.rows.append((number, cells))
    if table is None:
        raise TabularError("Tệp trống: không có dòng tiêu đề và dữ liệu.")
    return table


def header_text(value) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def cell_text(value) -> str:
    """A cell as trimmed text: whole numbers without ``.0``, dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


def excel_serial_to_date(serial: float) -> dt.date:
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value) -> dt.date | None:
    """A date cell: a date/datetime object, an Excel serial number, or text dd/mm/yyyy (also d-m-yyyy,
    d.m.yyyy, and yyyy-mm-dd). ``None`` for an empty cell; ``ValueError`` with a Vietnamese message for
    anything else."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.")
    if isinstance(value, int | float):
        if _SERIAL_MIN <= value <= _SERIAL_MAX:
            return excel_serial_to_date(value)
        raise ValueError(f"Ngày không hợp lệ: “{cell_text(value)}” (hãy nhập theo dạng dd/mm/yyyy).")
    text = str(value).strip()
    if not text:
        return None
    match = _DATE_TEXT.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        match = _ISO_TEXT.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if text.isdigit() and _SERIAL_MIN <= int(text) <= _SERIAL_MAX:
            return excel_serial_to_date(int(text))
    except ValueError:
        raise ValueError(f"Ngày không có thật: “{text}”.") from None
    raise ValueError(f"Ngày không hợp lệ: “{text}” (hãy nhập theo dạng dd/mm/yyyy).")


# ───────────────────────── writing ─────────────────────────


def safe_cell(value):
    """Text that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) gets an
    apostrophe in front, so it stays text; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_value(value) -> str:
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """UTF-8 with a BOM (so Excel shows Vietnamese correctly), comma-separated, every text cell escaped."""
    writer = csv.writer(_Echo())
    yield codecs.BOM_UTF8 + writer.writerow([_csv_value(h) for h in headers]).encode("utf-8")
    batch: list[str] = []
    for row in rows:
        batch.append(writer.writerow([_csv_value(value) for value in row]))
        if len(batch) >= 500:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def _attachment(filename: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(True, filename)


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(headers, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(filename)
    response["Cache-Control"] = "no-store"
    return response


def _xlsx_value(value):
    if isinstance(value, str):
        # An empty cell is not written at all (openpyxl skips None), which keeps sparse sheets fast.
        return safe_cell(_ILLEGAL_XML.sub("", value)) if value else None
    return value


@dataclass
class SheetSpec:
    """One sheet of a workbook to write: a header row, then rows.

    ``flag_column`` (0-based) marks rows: a row whose cell in that column is not empty is highlighted in
    ``flag_colour`` — the flag cell itself with a fill, the whole row with one conditional-formatting rule
    (so a 100,000-row sheet costs one rule, not three million styled cells, and the colour goes away when
    the flag is cleared). ``text_columns`` are formatted as text (Excel then keeps the leading zeros typed
    into them); ``widths`` are column widths."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[float] = ()
    flag_column: int | None = None
    flag_colour: str = "F4CCCC"
    text_columns: set[int] = field(default_factory=set)


def write_xlsx(target, sheets: Sequence[SheetSpec]) -> None:
    """Write sheets into ``target`` (a path or a binary file object) in openpyxl's write-only mode, which
    streams rows to disk instead of keeping them in memory. Dates get the dd/mm/yyyy format.

    Styles are named styles registered once: a styled cell then costs a name lookup, not the hashing of
    a new fill or format per cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, NamedStyle, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for style in (
        NamedStyle(name="dv_header", font=Font(bold=True)),
        NamedStyle(name="dv_date", number_format="DD/MM/YYYY"),
        NamedStyle(name="dv_text", number_format="@"),
    ):
        workbook.add_named_style(style)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"

        def styled(value, style: str, sheet=sheet):
            cell = WriteOnlyCell(sheet, value=value)
            cell.style = style
            return cell

        sheet.append([styled(_xlsx_value(header), "dv_header") for header in spec.headers])
        flag = spec.flag_column
        flag_style = f"dv_flag_{spec.flag_colour}"
        if flag is not None and flag_style not in workbook.named_styles:
            fill = PatternFill("solid", fgColor=spec.flag_colour)
            workbook.add_named_style(NamedStyle(name=flag_style, fill=fill))
        count = 0
        for row in spec.rows:
            count += 1
            out = []
            for column, value in enumerate(row):
                if isinstance(value, dt.date):
                    out.append(styled(value, "dv_date"))
                elif column in spec.text_columns:
                    out.append(styled(_xlsx_value(value), "dv_text"))
                elif column == flag and value:
                    out.append(styled(_xlsx_value(value), flag_style))
                else:
                    out.append(_xlsx_value(value))
            sheet.append(out)
        if flag is not None and count:
            letter = get_column_letter(flag + 1)
            last = get_column_letter(max(len(spec.headers), flag + 1))
            colour = PatternFill(start_color=spec.flag_colour, end_color=spec.flag_colour, fill_type="solid")
            sheet.conditional_formatting.add(
                f"A2:{last}{count + 1}", FormulaRule(formula=[f"LEN(${letter}2)>0"], fill=colour)
            )
    workbook.save(target)


def xlsx_bytes(sheets: Sequence[SheetSpec]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets: Sequence[SheetSpec]) -> FileResponse:
    """Write the workbook to an anonymous temporary file (deleted when the response closes it) and send it."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(handle, sheets)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response
