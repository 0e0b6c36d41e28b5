"""Importing member records from a spreadsheet (.xlsx or .csv).

The whole file is checked first, row by row, against the same rules as entering one member
(``services.check_record`` and ``services.check_home``, which cite the rulebook); every error is reported
with its row, its column and a Vietnamese reason. Only a file without a single error is written, in one
transaction: the members, their timelines and one change record for the whole import, then
``counts_changed`` for the statistics. Each member keeps the import job and the spreadsheet row it came from.

Speed (a 100,000-row file in seconds, see bench/imports.py): the rows are checked a block at a time, column
by column, each distinct text read once; the rule checks stay the services' own, row by row. The write goes
around model instances (COPY on PostgreSQL, one prepared INSERT run on SQLite) but takes every column of the
model, prepared by its field as ``bulk_create`` would.

Small files are imported while the officer waits; larger ones (``DANGVU_IMPORT_SYNC_MAX_ROWS``) run as a
background task that reports its progress on the job.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone

from dangvu.core import rulebook, tabular
from dangvu.core.audit import record_change
from dangvu.core.context import request_context
from dangvu.core.models import ChangeAction
from dangvu.core.scoping import Action, OutOfScope
from dangvu.core.signals import counts_changed
from dangvu.core.text import normalise
from dangvu.orgs.models import Organisation

from . import services
from .catalogue import CatalogueIndex
from .models import (
    CatalogueItem,
    CatalogueKind,
    Gender,
    ImportJob,
    ImportState,
    Member,
    MemberPeriod,
    MemberStatus,
    PeriodStatus,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# How often (in rows) the check reports its progress on the job.
PROGRESS_EVERY = 1000
# Errors kept on the job (and shown on the page / returned by the API); the annotated file has them all.
ERRORS_KEPT = 1000
DEFAULT_SYNC_MAX_ROWS = 2000
DEFAULT_MAX_ROWS = 200_000


def sync_max_rows() -> int:
    return int(getattr(settings, "DANGVU_IMPORT_SYNC_MAX_ROWS", DEFAULT_SYNC_MAX_ROWS))


def max_rows() -> int:
    return int(getattr(settings, "DANGVU_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


# ───────────────────────── the columns ─────────────────────────


@dataclass(frozen=True)
class Column:
    """One column of the import file. ``key`` is the member field (or ``since``), ``kind`` how to read it."""

    key: str
    header: str
    required: bool = False
    kind: str = "text"
    catalogue: str = ""
    note: str = ""
    example: object = ""
    aliases: tuple[str, ...] = ()

    @cached_property
    def max_length(self) -> int | None:
        if self.kind not in ("text", "card", "phone", "email"):
            return None
        return Member._meta.get_field(self.key).max_length


DATE_NOTE = "Ngày theo dạng dd/mm/yyyy (hoặc ô kiểu ngày của Excel)."

COLUMNS: tuple[Column, ...] = (
    Column("family_name", "Họ", True, example="Nguyễn", note="Họ của đảng viên."),
    Column("middle_name", "Tên đệm", example="Văn", note="Có thể để trống."),
    Column("given_name", "Tên", True, example="An", note="Tên gọi (chữ cuối của họ tên)."),
    Column("gender", "Giới tính", True, kind="gender", example="Nam", note="Nam hoặc Nữ."),
    Column("birth_date", "Ngày sinh", True, kind="date", example=dt.date(1985, 3, 2), note=DATE_NOTE),
    Column("birthplace", "Nơi sinh", example="Hà Nội"),
    Column("hometown", "Quê quán", example="Nam Định"),
    Column(
        "ethnicity",
        "Dân tộc",
        True,
        kind="catalogue",
        catalogue=CatalogueKind.ETHNICITY,
        example="Kinh",
        note="Một giá trị trong danh mục Dân tộc (bên dưới).",
    ),
    Column(
        "religion",
        "Tôn giáo",
        True,
        kind="catalogue",
        catalogue=CatalogueKind.RELIGION,
        example="Không",
        note="Một giá trị trong danh mục Tôn giáo (bên dưới); không theo tôn giáo nào thì ghi “Không”.",
    ),
    Column(
        "citizen_id",
        "Số CCCD",
        kind="citizen_id",
        example="001085000123",
        note="Đúng 12 chữ số; không trùng trong tệp và với hồ sơ đã có. Nên định dạng ô là văn bản "
        "để Excel không bỏ số 0 ở đầu.",
        aliases=("Số căn cước công dân", "Số căn cước", "CCCD"),
    ),
    Column("phone", "Điện thoại", kind="phone", example="0912345678", aliases=("Số điện thoại",)),
    Column("email", "Email", kind="email", example="", aliases=("Thư điện tử",)),
    Column("address", "Nơi ở hiện nay", example="Số 1 phố Tràng Tiền, Hoàn Kiếm, Hà Nội"),
    Column("occupation", "Nghề nghiệp", example="Công chức"),
    Column("position", "Chức vụ", example="Chuyên viên"),
    Column("workplace", "Nơi làm việc", example="Văn phòng Sở"),
    Column(
        "general_education",
        "Giáo dục phổ thông",
        kind="catalogue",
        catalogue=CatalogueKind.GENERAL_EDUCATION,
        example="12/12",
        note="Một giá trị trong danh mục (bên dưới), ví dụ 12/12.",
    ),
    Column(
        "qualification",
        "Trình độ chuyên môn",
        kind="catalogue",
        catalogue=CatalogueKind.QUALIFICATION,
        example="Đại học",
    ),
    Column(
        "political_theory",
        "Lý luận chính trị",
        kind="catalogue",
        catalogue=CatalogueKind.POLITICAL_THEORY,
        example="Trung cấp",
    ),
    Column("foreign_language", "Ngoại ngữ", example="Tiếng Anh B1"),
    Column(
        "admission_date",
        "Ngày kết nạp",
        True,
        kind="date",
        example=dt.date(2010, 5, 19),
        note="Ngày quyết định kết nạp. " + DATE_NOTE,
    ),
    Column("admission_decision_number", "Số quyết định kết nạp", example="125-QĐ/ĐU"),
    Column("ceremony_date", "Ngày lễ kết nạp", kind="date", example=dt.date(2010, 5, 19), note=DATE_NOTE),
    Column(
        "official_date",
        "Ngày chính thức",
        kind="date",
        example=dt.date(2011, 5, 19),
        note="Bắt buộc với đảng viên chính thức; để trống với đảng viên dự bị. " + DATE_NOTE,
    ),
    Column("card_number", "Số thẻ đảng viên", kind="card", example="", note="Không trùng với hồ sơ đã có."),
    Column("introducers", "Người giới thiệu", example="Trần Văn Bình, Lê Thị Cúc"),
    Column(
        "organisation",
        "Mã chi bộ",
        kind="org",
        example="",
        note="Mã của chi bộ nơi đảng viên sinh hoạt, thuộc tổ chức đã chọn khi nhập. "
        "Để trống: chính tổ chức đã chọn (khi đó tổ chức đã chọn phải là chi bộ).",
    ),
    Column(
        "status",
        "Tình trạng (Dự bị / Chính thức)",
        True,
        kind="status",
        example="Chính thức",
        note="Dự bị hoặc Chính thức.",
        aliases=("Tình trạng",),
    ),
    Column(
        "since",
        "Sinh hoạt tại chi bộ từ ngày",
        kind="date",
        example="",
        note="Ngày bắt đầu sinh hoạt tại chi bộ này. Để trống: ngày kết nạp. " + DATE_NOTE,
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
# Columns the importer passes over: a row number, and the error column of an annotated file sent back.
IGNORED_HEADERS = {"stt", "loi"}

GENDER_WORDS = {"nam": Gender.MALE, "nu": Gender.FEMALE, "male": Gender.MALE, "female": Gender.FEMALE}
STATUS_WORDS = {
    "du bi": MemberStatus.PROBATIONARY,
    "dang vien du bi": MemberStatus.PROBATIONARY,
    "probationary": MemberStatus.PROBATIONARY,
    "chinh thuc": MemberStatus.OFFICIAL,
    "dang vien chinh thuc": MemberStatus.OFFICIAL,
    "official": MemberStatus.OFFICIAL,
}
# Member fields in the order the checked values are kept (compact tuples, not model instances).
FIELDS = tuple(c.key for c in COLUMNS if c.key not in ("since",))
_CITIZEN_ID = re.compile(r"^\d{12}$")
# Runs of spaces, or any whitespace other than a plain space (tab, line break, no-break space).
_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")
_PHONE = re.compile(r"^[0-9+ .()\-]{6,20}$")
_email_validator = EmailValidator()


def header_key(text: str) -> str:
    """How a header is matched: no diacritics, any case, a trailing ``*`` (required mark) dropped."""
    return normalise(str(text or "").replace("*", " "))


_HEADER_INDEX = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _HEADER_INDEX[header_key(_name)] = _column


# ───────────────────────── the template ─────────────────────────


def template_xlsx(example_code: str = "") -> bytes:
    """The file to fill in: the headers (required ones marked *), one example row, and a sheet that
    explains every column with the values each catalogue accepts."""
    headers = [f"{c.header} *" if c.required else c.header for c in COLUMNS]
    example = [example_code if c.key == "organisation" else c.example for c in COLUMNS]
    text_columns = {
        i for i, c in enumerate(COLUMNS) if c.kind in ("citizen_id", "phone", "card", "catalogue")
    }
    guide_rows: list[list] = [
        [c.header, "Bắt buộc" if c.required else "Không bắt buộc", c.note or _default_note(c)]
        for c in COLUMNS
    ]
    guide_rows.append(["", "", ""])
    guide_rows.append(["Giá trị được chấp nhận", "", ""])
    guide_rows.append(["Giới tính", "", "Nam, Nữ"])
    guide_rows.append(["Tình trạng", "", "Dự bị, Chính thức"])
    names: dict[str, list[str]] = {}
    for item in CatalogueItem.objects.filter(active=True).order_by("kind", "position", "name"):
        names.setdefault(item.kind, []).append(item.name)
    for kind, label in CatalogueKind.choices:
        guide_rows.append([str(label), "", ", ".join(names.get(kind, []))])
    guide_rows.append(["", "", ""])
    guide_rows.append(
        [
            "Lưu ý",
            "",
            "Mỗi dòng là một đảng viên. Cả tệp được kiểm tra trước khi ghi: nếu có một dòng lỗi thì "
            "không ghi dòng nào; tệp kết quả có thêm cột “Lỗi” ghi rõ lỗi của từng dòng.",
        ]
    )
    return tabular.xlsx_bytes(
        [
            tabular.SheetSpec(
                title="Đảng viên",
                headers=headers,
                rows=[example],
                widths=[max(12, len(h) + 4) for h in headers],
                text_columns=text_columns,
            ),
            tabular.SheetSpec(
                title="Hướng dẫn",
                headers=["Cột", "Bắt buộc", "Cách nhập"],
                rows=guide_rows,
                widths=[30, 16, 100],
            ),
        ]
    )


def _default_note(column: Column) -> str:
    if column.kind == "date":
        return DATE_NOTE
    if column.kind == "catalogue":
        return "Một giá trị trong danh mục (bên dưới)."
    return "Văn bản, có thể để trống." if not column.required else "Văn bản."


# ───────────────────────── checking ─────────────────────────


def _error(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


class MemberFile:
    """A member file being imported into ``organisation`` by ``by``: its header check, its row checks and
    its write. Nothing is written until ``write()``; everything loaded from the database is loaded in bulk."""

    def __init__(self, *, by, organisation: Organisation, table: tabular.Table):
        self.by = by
        self.organisation = organisation
        self.table = table
        self.columns: list[tuple[int, Column]] = []
        self.errors: list[dict] = []
        self.valid: list[tuple] = []  # (row number, since, values in FIELDS order)
        self._skip_title_rows()
        self.header_errors = self._match_headers()

    # headers

    def _skip_title_rows(self, look: int = 10) -> None:
        """Files often carry a title ("DANH SÁCH ĐẢNG VIÊN…") above the headers: when the first row names
        fewer than three known columns, the first of the next rows that names at least three is taken as
        the header row instead."""

        def known(cells) -> int:
            return sum(header_key(tabular.header_text(cell)) in _HEADER_INDEX for cell in cells)

        if known(self.table.headers) >= 3:
            return
        for position, (number, cells) in enumerate(self.table.rows[:look]):
            if known(cells) >= 3:
                headers = [tabular.header_text(cell) for cell in cells]
                while headers and not headers[-1]:
                    headers.pop()
                self.table = tabular.Table(
                    headers=headers,
                    rows=self.table.rows[position + 1 :],
                    header_row=number,
                    sheet_name=self.table.sheet_name,
                )
                return

    def _match_headers(self) -> list[str]:
        seen: dict[str, int] = {}
        unknown, repeated = [], []
        for index, header in enumerate(self.table.headers):
            key = header_key(header)
            if not key or key in IGNORED_HEADERS:
                continue
            column = _HEADER_INDEX.get(key)
            if column is None:
                unknown.append(header)
            elif column.key in seen:
                repeated.append(header)
            else:
                seen[column.key] = index
                self.columns.append((index, column))
        missing = [c.header for c in COLUMNS if c.required and c.key not in seen]
        problems = []
        if missing:
            problems.append("Thiếu cột bắt buộc: " + ", ".join(f"“{h}”" for h in missing) + ".")
        if unknown:
            problems.append(
                "Cột không nhận ra: "
                + ", ".join(f"“{h}”" for h in unknown)
                + " (hãy dùng đúng tên cột của tệp mẫu)."
            )
        if repeated:
            problems.append("Cột bị lặp: " + ", ".join(f"“{h}”" for h in repeated) + ".")
        if "organisation" not in seen and not problems:
            try:
                services.check_home(self.organisation, timezone.localdate())
            except ValidationError:
                problems.append(
                    f"Thiếu cột “Mã chi bộ”: “{self.organisation.name}” không phải chi bộ, "
                    "nên mỗi dòng phải ghi mã chi bộ nơi đảng viên sinh hoạt."
                )
        return problems

    @property
    def header_message(self) -> str:
        return " ".join(self.header_errors)

    # rows

    def _load(self) -> None:
        self.catalogue = CatalogueIndex()
        self._catalogue_memo: dict[tuple[str, object], object] = {}
        inside = (
            Organisation.objects.restrict(self.by, Action.CHANGE)
            .filter(path__startswith=self.organisation.path)
            .only("pk", "code", "name", "kind", "path", "dissolved_on")
        )
        self.orgs = {o.code: o for o in inside}
        self.orgs_folded = {code.casefold(): o for code, o in self.orgs.items()}
        self._home_memo: dict[tuple[int, dt.date], str] = {}
        self.today = timezone.localdate()
        self.readers = self._readers()
        # The matched cells of a row, in the readers' order (a row shorter than the headers is padded).
        indexes = [index for index, _column in self.columns]
        self._width = max(indexes) + 1
        self._pick = itemgetter(*indexes) if len(indexes) > 1 else (lambda cells, i=indexes[0]: (cells[i],))
        self._scratch = Member()
        # What each distinct text of a column reads as, for the whole file (not for the columns of numbers
        # that differ on every row).
        self._memos = {column.key: {} for _i, column in self.columns if column.kind not in _UNIQUE_KINDS}

    def validate(self, progress: Callable[[int], None] | None = None, chunk: int | None = None) -> list[dict]:
        """Check every row; return the errors (row, column, message), sorted by row then column.

        The rows are checked a block of ``chunk`` rows (``PROGRESS_EVERY``) at a time: first column by column
        (each distinct text of a column is read once), then row by row for what needs several cells (the
        rule checks of the record, the branch, duplicates). ``progress(rows_done)`` is called after every
        full block and at the end."""
        chunk = chunk or PROGRESS_EVERY
        if self.header_errors:
            self.errors = [_error(self.table.header_row, "", self.header_message)]
            return self.errors
        self._load()
        errors: list[dict] = []
        citizen_ids: dict[str, int] = {}
        cards: dict[str, int] = {}
        unknown_codes: dict[str, list[int]] = {}
        order = {c.header: i for i, c in enumerate(COLUMNS)}
        rows = self.table.rows
        with tabular.bulk_objects(), rulebook.loaded_rulebook() as book:
            _answer_each_lookup_once(book)
            for start in range(0, len(rows), chunk):
                block = rows[start : start + chunk]
                self._check_block(block, errors, citizen_ids, cards, unknown_codes)
                done = start + len(block)
                if progress is not None and done % chunk == 0:
                    progress(done)
        errors.extend(self._unknown_code_errors(unknown_codes))
        errors.extend(self._database_duplicates(citizen_ids, "citizen_id", "Số CCCD"))
        errors.extend(self._database_duplicates(cards, "card_number", "Số thẻ đảng viên"))
        if progress is not None:
            progress(len(rows))
        errors.sort(key=lambda e: (e["row"], order.get(e["column"], 99)))
        self.errors = errors
        if errors:
            bad = {e["row"] for e in errors}
            self.valid = [v for v in self.valid if v[0] not in bad]
        return errors

    def _check_block(
        self, block: list, errors: list, citizen_ids: dict, cards: dict, unknown_codes: dict
    ) -> None:
        """Check a block of rows: add their errors to ``errors`` and the rows without any to ``self.valid``
        as (row number, since, values in FIELDS order); the values met so far and the unknown branch codes
        are kept in the three dicts across blocks."""
        numbers = [number for number, _cells in block]
        size = len(numbers)
        width = self._width
        padded = [
            cells if len(cells) >= width else [*cells, *[None] * (width - len(cells))] for _n, cells in block
        ]
        found: dict[int, list[dict]] = {}  # position in the block -> that row's errors
        record_bad: set[int] = set()  # rows whose record cells are wrong: the rule checks are not run
        by_key: dict[str, list] = {}
        for (_index, column, read), raws in zip(
            self.readers, zip(*map(self._pick, padded), strict=True), strict=True
        ):
            values, bad = _read_column(column, read, raws, self._memos.get(column.key))
            for position, message in bad:
                found.setdefault(position, []).append(_error(numbers[position], column.header, message))
            if bad and column.header in _RECORD_HEADERS:
                record_bad.update(position for position, _message in bad)
            by_key[column.key] = values
        nothing = [None] * size
        get = by_key.get
        # The branch of each row: its code's, or the organisation chosen for the import.
        codes = get("organisation", nothing)
        homes = {code: self._organisation_of(code) for code in set(codes)}
        home_of = list(map(homes.__getitem__, codes))
        if any(home is None for home in homes.values()):
            for number, code, home in zip(numbers, codes, home_of, strict=True):
                if home is None:
                    unknown_codes.setdefault(code, []).append(number)
        # Rule checks of the record (the same ones as entering one member) on a scratch instance, the date
        # the member started at the branch, and whether the branch can keep members from that date.
        admissions = get("admission_date", nothing)
        given_sinces = get("since", nothing)
        sinces = [given or admitted for given, admitted in zip(given_sinces, admissions, strict=True)]
        scratch, today, check = self._scratch, self.today, services.check_record
        since_header = COLUMN_BY_KEY["since"].header
        home_header = COLUMN_BY_KEY["organisation"].header
        home_memo = self._home_memo
        for position, number, birth, admission, ceremony, official, status, given_since, since, home in zip(
            range(size),
            numbers,
            get("birth_date", nothing),
            admissions,
            get("ceremony_date", nothing),
            get("official_date", nothing),
            get("status", nothing),
            given_sinces,
            sinces,
            home_of,
            strict=True,
        ):
            if position in record_bad:
                sinces[position] = None
                continue
            problems = []
            scratch.birth_date = birth
            scratch.admission_date = admission
            scratch.ceremony_date = ceremony
            scratch.official_date = official
            scratch.status = status
            scratch.readmission_date = None
            try:
                check(scratch)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    header = COLUMN_BY_KEY[field].header if field in COLUMN_BY_KEY else ""
                    problems.extend(_error(number, header, message) for message in messages)
            if given_since is not None:
                if given_since < admission:
                    problems.append(
                        _error(
                            number, since_header, "Ngày sinh hoạt tại chi bộ không thể trước ngày kết nạp."
                        )
                    )
                elif given_since > today:
                    problems.append(_error(number, since_header, "Ngày này không được ở tương lai."))
            if home is not None and since <= today:
                key = (home.pk, since)
                problem = home_memo.get(key)
                if problem is None:
                    problem = home_memo[key] = self._home_problem(home, since)
                if problem:
                    problems.append(_error(number, home_header, problem))
            if problems:
                found.setdefault(position, []).extend(problems)
        # Citizen IDs and card numbers repeated in the file: the first row keeps the value.
        for key, seen, header in (
            (("citizen_id", citizen_ids, "Số CCCD")),
            ("card_number", cards, "Số thẻ đảng viên"),
        ):
            values = by_key.get(key)
            if values is None:
                continue
            firsts = list(map(seen.setdefault, values, numbers))
            seen.pop(None, None)
            if firsts != numbers:
                for position, (value, first, number) in enumerate(zip(values, firsts, numbers, strict=True)):
                    if value is not None and first != number:
                        found.setdefault(position, []).append(
                            _error(number, header, f"{header} trùng với dòng {first} trong tệp.")
                        )
        for position in sorted(found):
            errors.extend(found[position])
        pks = {code: home.pk if home is not None else None for code, home in homes.items()}
        by_key["organisation"] = list(map(pks.__getitem__, codes))
        values = list(zip(*(get(key, nothing) for key in FIELDS), strict=True))
        self.valid.extend(
            (number, since, row)
            for position, (number, since, row) in enumerate(zip(numbers, sinces, values, strict=True))
            if position not in found
        )

    def _organisation_of(self, code: str | None) -> Organisation | None:
        """The row's branch: the code's organisation (any case), or the one chosen for the import when the
        cell is empty; None for a code unknown here."""
        if code is None:
            return self.organisation
        return self.orgs.get(code) or self.orgs_folded.get(code.casefold())

    @staticmethod
    def _home_problem(organisation: Organisation, since: dt.date) -> str:
        """Why ``organisation`` cannot keep members from ``since`` (``services.check_home``), or ''."""
        try:
            services.check_home(organisation, since)
        except ValidationError as exc:
            return " ".join(exc.messages)
        return ""

    def _readers(self) -> list[tuple[int, Column, Callable]]:
        """For each matched column, the function that reads its cells: ``(column, raw) -> value`` (None
        when empty), raising ``ValueError`` with the Vietnamese reason when the cell is wrong."""
        by_kind = {
            "date": lambda column, raw: tabular.parse_date(raw),
            "citizen_id": self._read_citizen_id,
            "catalogue": self._catalogue_value,
            "gender": self._read_word,
            "status": self._read_word,
            "phone": self._read_phone,
            "email": self._read_email,
            "org": self._read_code,
        }
        return [(index, column, by_kind.get(column.kind, self._read_text)) for index, column in self.columns]

    @staticmethod
    def _read_text(column: Column, raw):
        if isinstance(raw, str):
            text = raw.strip()  # the same string object when there is nothing to strip: no copy kept
            if _ODD_SPACE.search(text):
                text = " ".join(text.split())
        else:
            text = tabular.cell_text(raw)
        limit = column.max_length
        if limit and len(text) > limit:
            raise ValueError(f"Dài quá {limit} ký tự ({len(text)} ký tự).")
        return text

    @staticmethod
    def _read_code(column: Column, raw):
        return tabular.cell_text(raw)

    @staticmethod
    def _read_citizen_id(column: Column, raw):
        if raw.__class__ is str and len(raw) == 12 and raw.isdecimal():
            return raw  # what the general case below gives for twelve digits and nothing else
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            # Excel dropped the leading zero(s) of a number cell (the province code starts with 0).
            text = tabular.cell_text(raw)
            text = text.zfill(12) if text.isdigit() and len(text) <= 12 else text
        else:
            text = "".join(tabular.cell_text(raw).split())
        if text and not _CITIZEN_ID.match(text):
            raise ValueError("Số CCCD phải gồm đúng 12 chữ số.")
        return text

    @staticmethod
    def _read_word(column: Column, raw):
        text = " ".join(tabular.cell_text(raw).split())
        if not text:
            return None
        if column.kind == "gender":
            found = GENDER_WORDS.get(normalise(text))
            if found is None:
                raise ValueError(f"Giới tính “{text}” không hợp lệ: ghi Nam hoặc Nữ.")
            return found
        found = STATUS_WORDS.get(normalise(text))
        if found is None:
            raise ValueError(f"Tình trạng “{text}” không hợp lệ: ghi Dự bị hoặc Chính thức.")
        return found

    @staticmethod
    def _read_phone(column: Column, raw):
        if raw.__class__ is str and 6 <= len(raw) <= 20 and raw.isascii() and raw.isdigit():
            return raw  # what the general case below gives for plain digits
        text = " ".join(tabular.cell_text(raw).split())
        if not text:
            return None
        if isinstance(raw, int | float) and text.isdigit() and len(text) == 9:
            text = "0" + text  # a number cell lost the leading 0
        if not _PHONE.match(text):
            raise ValueError("Số điện thoại chỉ gồm chữ số (có thể có dấu +, dấu cách), 6–20 ký tự.")
        return text

    @classmethod
    def _read_email(cls, column: Column, raw):
        text = cls._read_text(column, raw)
        if text:
            try:
                _email_validator(text)
            except ValidationError:
                raise ValueError("Địa chỉ email không hợp lệ.") from None
        return text

    def _catalogue_value(self, column: Column, raw):
        memo_key = (column.catalogue, raw)
        try:
            found = self._catalogue_memo[memo_key]
        except KeyError:
            found = None
            candidates: list[str]
            if isinstance(raw, dt.date):
                # Excel turned "12/12" into a date; read it back as day/month (or month/day).
                candidates = [f"{raw.day}/{raw.month}", f"{raw.month}/{raw.day}"]
            else:
                candidates = [" ".join(tabular.cell_text(raw).split())]
            if not candidates[0]:
                found = ""
            else:
                for text in candidates:
                    item = self.catalogue.find(column.catalogue, text)
                    if item is not None:
                        found = item.pk
                        break
                else:
                    found = ValueError(
                        f"“{candidates[0]}” không có trong danh mục {column.header} "
                        "(xem trang “Hướng dẫn” của tệp mẫu)."
                    )
            self._catalogue_memo[memo_key] = found
        if isinstance(found, ValueError):
            raise found
        return found or None

    def _unknown_code_errors(self, unknown_codes: dict[str, list[int]]) -> list[dict]:
        if not unknown_codes:
            return []
        header = COLUMN_BY_KEY["organisation"].header
        existing = {
            code.casefold(): name
            for code, name in Organisation.objects.filter(code__in=list(unknown_codes)).values_list(
                "code", "name"
            )
        }
        errors = []
        for code, numbers in unknown_codes.items():
            if code.casefold() in existing:
                message = (
                    f"Chi bộ mã “{code}” không thuộc “{self.organisation.name}” hoặc nằm ngoài phạm vi "
                    "bạn được giao."
                )
            else:
                message = f"Không có tổ chức mã “{code}”."
            errors.extend(_error(number, header, message) for number in numbers)
        return errors

    def _database_duplicates(self, found: dict[str, int], field: str, header: str) -> list[dict]:
        """Values already on a member record (any organisation: the numbers are unique nationwide)."""
        values = list(found)
        taken: set[str] = set()
        connection = connections[router.db_for_read(Member)]
        quote = connection.ops.quote_name
        column, table = quote(Member._meta.get_field(field).column), quote(Member._meta.db_table)
        # Plain SQL, a thousand values a query (an array on PostgreSQL): the ORM would prepare every value
        # again, and a list of a thousand parameters costs PostgreSQL twice the time of one array.
        select = f"SELECT {column} FROM {table} WHERE {column}"  # noqa: S608  (model names)
        with connection.cursor() as cursor:
            for start in range(0, len(values), BATCH_SIZE):
                chunk = values[start : start + BATCH_SIZE]
                if connection.vendor == "postgresql":
                    cursor.execute(f"{select} = ANY(%s)", [chunk])
                else:
                    cursor.execute(f"{select} IN ({', '.join(['%s'] * len(chunk))})", chunk)
                taken.update(value for (value,) in cursor.fetchall())
        return [
            _error(found[value], header, f"{header} đã có trong hồ sơ đảng viên khác.") for value in taken
        ]

    # writing

    def write(self, job: ImportJob) -> int:
        """Create every checked member in one transaction, with their timelines and ONE change record on
        the job. Call only after ``validate()`` found no error.

        The rows go to the database in bulk (COPY on PostgreSQL, one prepared INSERT run for every row on
        SQLite) with every column of the model, each value prepared by its field as ``bulk_create`` would:
        fields the file does not give keep the model's defaults."""
        if self.errors or self.header_errors:
            raise ValidationError("Tệp còn lỗi: không ghi hồ sơ nào.")
        created = len(self.valid)
        with tabular.bulk_objects(), transaction.atomic():
            # The scope is checked again inside the transaction: roles may have changed since the check.
            used = {values[FIELDS.index("organisation")] for _n, _s, values in self.valid}
            allowed = Organisation.objects.restrict(self.by, Action.CHANGE).filter(pk__in=used).count()
            if allowed != len(used):
                raise OutOfScope("An organisation of the import left the user's scope")
            first_id = last_id = None
            if created:
                ids = _new_ids(Member, created)
                _insert(Member, self._member_columns(job, ids))
                _insert(MemberPeriod, self._period_columns(ids))
                first_id, last_id = ids[0], ids[-1]
                # The statistics recount the branches that gained members (receivers run in this transaction).
                counts_changed.send(sender=Member, organisations=used)
            record_change(
                obj=job,
                action=ChangeAction.BULK,
                by=self.by,
                organisation=job.organisation,
                data={
                    "file": job.original_name,
                    "rows": len(self.table.rows),
                    "created": created,
                    "first_member_id": first_id,
                    "last_member_id": last_id,
                },
                reason=f"Nhập {created} hồ sơ đảng viên từ tệp “{job.original_name}”",
            )
            job.state = ImportState.DONE
            job.created_count = created
            job.rows_done = len(self.table.rows)
            job.finished_at = timezone.now()
            job.message = f"Đã nhập {created} hồ sơ đảng viên."
            job.save(update_fields=["state", "created_count", "rows_done", "finished_at", "message"])
        return created

    def _member_columns(self, job: ImportJob, ids: list[int]) -> dict[str, Sequence]:
        """The new members' values by field name: the file's, the job and row, and the search and sort keys
        (``Member.fill_search_fields`` itself, once for each distinct name)."""
        given: dict[str, Sequence] = dict(
            zip(FIELDS, zip(*(v for _n, _s, v in self.valid), strict=True), strict=True)
        )
        for name in ("family_name", "middle_name", "given_name"):
            given[name] = _with_default(Member._meta.get_field(name), given[name])
        names = list(zip(given["family_name"], given["middle_name"], given["given_name"], strict=True))
        keys: dict[tuple[str, str, str], tuple[str, str]] = {}
        scratch = Member()
        for name in set(names):
            scratch.family_name, scratch.middle_name, scratch.given_name = name
            scratch.fill_search_fields()
            keys[name] = (scratch.name_search, scratch.name_sort)
        search, sort = zip(*map(keys.__getitem__, names), strict=True)
        given.update(
            id=ids,
            import_job=[job.pk] * len(ids),
            import_row=[number for number, _s, _v in self.valid],
            name_search=search,
            name_sort=sort,
        )
        return given

    def _period_columns(self, ids: list[int]) -> dict[str, Sequence]:
        """The timelines of the new members, as ``services.initial_periods`` builds them (without a model
        instance per period; a test holds the two equal): kept in their branch from ``since``; an official
        member whose official date comes later is probationary until then."""
        organisation_slot, status_slot = FIELDS.index("organisation"), FIELDS.index("status")
        official_slot = FIELDS.index("official_date")
        members, organisations, statuses, starts, ends = [], [], [], [], []
        day = dt.timedelta(days=1)
        for member_id, (_number, since, values) in zip(ids, self.valid, strict=True):
            organisation, status, official = (
                values[organisation_slot],
                values[status_slot],
                values[official_slot],
            )
            if status == MemberStatus.OFFICIAL and official and official > since:
                members += (member_id, member_id)
                organisations += (organisation, organisation)
                statuses += (PeriodStatus.PROBATIONARY, PeriodStatus.OFFICIAL)
                starts += (since, official)
                ends += (official - day, None)
            else:
                members.append(member_id)
                organisations.append(organisation)
                statuses.append(status)
                starts.append(since)
                ends.append(None)
        return {
            "member": members,
            "organisation": organisations,
            "status": statuses,
            "valid_from": starts,
            "valid_to": ends,
        }

    def annotated_xlsx(self) -> bytes:
        """The rows as uploaded plus a “Lỗi” column with each row's errors; rows with errors highlighted."""
        by_row: dict[int, list[str]] = {}
        for error in self.errors:
            prefix = f"{error['column']}: " if error["column"] else ""
            by_row.setdefault(error["row"], []).append(prefix + error["message"])
        keep = [i for i, h in enumerate(self.table.headers) if header_key(h) != "loi"]

        def rows():
            for number, cells in self.table.rows:
                problems = by_row.get(number)
                yield [*(cells[i] if i < len(cells) else None for i in keep), "; ".join(problems or ())]

        headers = [self.table.headers[i] for i in keep] + ["Lỗi"]
        return tabular.xlsx_bytes(
            [
                tabular.SheetSpec(
                    title="Kết quả kiểm tra",
                    headers=headers,
                    rows=rows(),
                    widths=[*[16] * len(keep), 80],
                    flag_column=len(keep),
                )
            ]
        )


_RECORD_HEADERS = {
    COLUMN_BY_KEY[key].header
    for key in ("birth_date", "admission_date", "ceremony_date", "official_date", "status")
}


# ───────────────────────── reading a column, writing in bulk ─────────────────────────


class _Problem:
    """A cell that cannot be read, with the Vietnamese reason: held in its value's place while a column is
    read."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


_NO_VALUE = type(None)
_UNIQUE_KINDS = {"citizen_id", "phone", "card"}
_DATE_CELLS = {dt.date, str, _NO_VALUE}
_TEXT_CELLS = {str, _NO_VALUE}


def _read_column(
    column: Column, read: Callable, raws: Sequence, memo: dict | None = None
) -> tuple[list, list[tuple[int, str]]]:
    """One column of a block of rows: the values (None for an empty or wrong cell) and the problems as
    (position, Vietnamese reason). Readers are functions of the cell alone, so a column of texts reads each
    distinct text once (once for the whole file with a ``memo``); date cells of a date column are dates
    already (``tabular.parse_date`` returns them as they are)."""
    kinds = set(map(type, raws))
    problems = False
    if kinds <= (_DATE_CELLS if column.kind == "date" else _TEXT_CELLS):
        results: dict = {None: None}
        for raw in set(raws):
            if raw.__class__ is not str:
                if raw is not None:
                    results[raw] = raw  # a date
                continue
            if memo is None:
                value = _read_cell(column, read, raw)
            else:
                value = memo.get(raw, _Problem)
                if value is _Problem:
                    value = memo[raw] = _read_cell(column, read, raw)
            results[raw] = value
            if value.__class__ is _Problem:
                problems = True
        values = list(map(results.__getitem__, raws))
    else:
        values = [_read_cell(column, read, raw) if raw is not None else None for raw in raws]
        problems = any(value.__class__ is _Problem for value in values)
    bad: list[tuple[int, str]] = []
    if problems or (column.required and None in values):
        for position, value in enumerate(values):
            if value.__class__ is _Problem:
                values[position] = None
                bad.append((position, value.message))
            elif value is None and column.required:
                bad.append((position, "Bắt buộc nhập."))
    return values, bad


def _read_cell(column: Column, read: Callable, raw):
    """The value of a cell (None when empty), or the problem with it."""
    try:
        value = read(column, raw)
    except ValueError as exc:
        return _Problem(str(exc))
    return None if value == "" else value


def _answer_each_lookup_once(book: rulebook.Rulebook) -> None:
    """The rows of a file ask the rulebook snapshot the same few questions (this rule on that date) again and
    again: answer each once. Only this import's snapshot changes; the answers are frozen ``RuleValue``s."""
    answers: dict[tuple, rulebook.RuleValue] = {}
    look_up = book.entry

    def entry(key: str, on: dt.date, *, earliest_if_before: bool = False) -> rulebook.RuleValue:
        question = (key, on, earliest_if_before)
        try:
            return answers[question]
        except KeyError:
            answer = answers[question] = look_up(key, on, earliest_if_before=earliest_if_before)
            return answer

    book.entry = entry


def _new_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys for new rows of ``model``, taken inside the current transaction, ascending."""
    connection = connections[router.db_for_write(model)]
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite, AUTOINCREMENT: after the largest key ever given. The transaction holds the write lock from
        # its BEGIN IMMEDIATE, so no other writer takes these keys meanwhile.
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")  # noqa: S608  (model names)
        (largest,) = cursor.fetchone()
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        used = cursor.fetchone()
        start = max(largest or 0, used[0] if used else 0) + 1
        return list(range(start, start + count))


def _with_default(field: models.Field, column: Sequence) -> Sequence:
    """None in a column of the file stands for the field's default (what a new instance holds)."""
    default = field.get_default()
    if default is None or None not in column:
        return column
    return [default if value is None else value for value in column]


# Django's own fields that store a text or a whole number as given (PostgreSQL only wraps an integer in the
# type of its size, which COPY writes the same): their columns are not prepared value by value.
_STORED_AS_GIVEN = {
    str: (models.CharField, models.EmailField, models.TextField),
    int: (
        models.AutoField,
        models.BigAutoField,
        models.IntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
    ),
}


def _prepared(field: models.Field, column: Sequence, connection) -> Sequence:
    """A column as the database takes it: each distinct value through ``field.get_db_prep_save`` once, as
    ``bulk_create`` would prepare it (dates become text on SQLite...)."""
    kinds = set(map(type, column))
    kinds.discard(_NO_VALUE)
    target = field.target_field if type(field) is models.ForeignKey else field
    if kinds and all(issubclass(kind, str) for kind in kinds):
        if type(target) in _STORED_AS_GIVEN[str]:
            return column
    elif kinds == {int} and type(target) in _STORED_AS_GIVEN[int]:
        return column
    prepared = {value: field.get_db_prep_save(value, connection) for value in set(column)}
    return list(map(prepared.__getitem__, column))


def _insert(model: type[models.Model], given: dict[str, Sequence]) -> None:
    """Insert rows of ``model`` column by column, as ``bulk_create`` would but without model instances:
    ``given`` maps field names to equally long columns (None: the field's default); every other concrete
    field takes what a new instance holds (its default, ``auto_now_add``...), the primary key excepted (the
    database's own) when not given. COPY on PostgreSQL; one INSERT run for every row on SQLite."""
    connection = connections[router.db_for_write(model)]
    fields = model._meta.concrete_fields
    unknown = set(given) - {field.name for field in fields}
    if unknown:
        raise ValueError(f"Not fields of {model.__name__}: {sorted(unknown)}")
    count = len(next(iter(given.values())))
    template = model()
    names, columns = [], []
    for field in fields:
        if field.name in given:
            column = _prepared(field, _with_default(field, given[field.name]), connection)
            if len(column) != count:
                raise ValueError(f"{model.__name__}.{field.name}: {len(column)} values for {count} rows")
        elif field.primary_key:
            continue
        else:
            column = [field.get_db_prep_save(field.pre_save(template, add=True), connection)] * count
        names.append(connection.ops.quote_name(field.column))
        columns.append(column)
    table = connection.ops.quote_name(model._meta.db_table)
    rows = zip(*columns, strict=True)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            insert = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608  (model names)
            cursor.executemany(insert, list(rows))


# ───────────────────────── jobs ─────────────────────────


def _summary(errors: list[dict]) -> str:
    rows = len({e["row"] for e in errors})
    return f"Có {len(errors)} lỗi ở {rows} dòng; chưa ghi hồ sơ nào. Sửa các dòng lỗi rồi tải tệp lên lại."


def _set_progress(job: ImportJob, **fields) -> None:
    """Progress is written on its own (autocommit), so the progress bar of another request sees it."""
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def run_import(job: ImportJob, table: tabular.Table | None = None) -> ImportJob:
    """Check the job's file and, when it has no error and the job is not a dry run, write it."""
    with request_context(f"import-{job.pk}"):
        _set_progress(job, state=ImportState.RUNNING, message="Đang kiểm tra dữ liệu…")
        if table is None:
            with job.file.open("rb") as handle:
                table = tabular.read_table(handle, job.original_name)
        upload = MemberFile(by=job.created_by, organisation=job.organisation, table=table)
        table = upload.table  # without any title rows above the headers
        if job.rows_total != len(table.rows):
            _set_progress(job, rows_total=len(table.rows))

        def progress(done: int) -> None:
            _set_progress(job, rows_done=done)

        errors = upload.validate(progress=progress)
        if errors:
            job.state = ImportState.FAILED
            job.errors = errors[:ERRORS_KEPT]
            job.message = upload.header_message or _summary(errors)
            if len(errors) > ERRORS_KEPT:
                job.message += f" (Trang này chỉ hiện {ERRORS_KEPT} lỗi đầu; tệp có ghi chú lỗi có đủ.)"
            if not upload.header_errors:
                job.annotated.save(f"loi-{job.pk}.xlsx", ContentFile(upload.annotated_xlsx()), save=False)
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "errors", "message", "annotated", "finished_at", "rows_done"])
            return job
        if job.dry_run:
            job.state = ImportState.CHECKED
            job.message = (
                f"Kiểm tra xong {len(table.rows)} dòng: không có lỗi. Chưa ghi hồ sơ nào (chỉ kiểm tra)."
            )
            job.finished_at = timezone.now()
            job.save(update_fields=["state", "message", "finished_at", "rows_done"])
            return job
        _set_progress(job, message=f"Đang ghi {len(upload.valid)} hồ sơ…")
        try:
            upload.write(job)
        except IntegrityError:
            logger.warning("import %s: unique value taken while writing", job.pk)
            job.refresh_from_db()
            _fail(
                job,
                "Trong lúc nhập, một số CCCD hoặc số thẻ trong tệp vừa được dùng cho hồ sơ khác. "
                "Chưa ghi hồ sơ nào; hãy tải tệp lên lại để kiểm tra.",
            )
        except OutOfScope:
            job.refresh_from_db()
            _fail(job, "Phạm vi được giao của bạn đã thay đổi trong lúc nhập. Chưa ghi hồ sơ nào.")
        return job


def _fail(job: ImportJob, message: str) -> None:
    job.state = ImportState.FAILED
    job.message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "message", "finished_at"])


def run_queued_import(job_id: int) -> str:
    """The background task's body: run a queued job; a crash marks the job failed instead of leaving it
    "running" for ever."""
    job = ImportJob.objects.select_related("organisation", "created_by").filter(pk=job_id).first()
    if job is None or job.state not in (ImportState.QUEUED, ImportState.RUNNING):
        return job.state if job else "missing"
    return _run_guarded(job).state


def _run_guarded(job: ImportJob, table: tabular.Table | None = None) -> ImportJob:
    """``run_import``, but a crash marks the job failed (and is raised again) instead of leaving it
    "running" for ever. The log names the error's type only: its text may quote a row's personal data."""
    try:
        return run_import(job, table=table)
    except tabular.TabularError as exc:
        _fail(job, exc.text)
        return job
    except Exception as exc:
        logger.error("import %s failed: %s", job.pk, type(exc).__name__)
        _fail(job, "Lỗi hệ thống khi nhập tệp; chưa ghi hồ sơ nào. Hãy báo quản trị hệ thống.")
        raise


def start_import(*, by, organisation: Organisation, upload, dry_run: bool = False) -> ImportJob:
    """Receive a file: read it (a file that is not a table is refused at once, nothing kept), keep it on a
    new job, then import it now (small files) or queue it for the worker (large ones)."""
    organisation = Organisation.objects.get_in_scope(by, Action.CHANGE, pk=organisation.pk)
    name = getattr(upload, "name", "") or "tep-nhap"
    table = tabular.read_table(upload, name)
    if not table.rows:
        raise tabular.TabularError("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
    if len(table.rows) > max_rows():
        raise tabular.TabularError(
            f"Tệp có {len(table.rows)} dòng, quá giới hạn {max_rows()} dòng một lần nhập: hãy chia nhỏ tệp."
        )
    upload.seek(0)
    job = ImportJob(
        organisation=organisation,
        created_by=by,
        original_name=name[:255],
        dry_run=dry_run,
        state=ImportState.QUEUED,
        rows_total=len(table.rows),
    )
    # The storage shortens a long name to the field's length, keeping the extension.
    job.file.save(f"{timezone.now():%Y%m%d-%H%M%S}-{name}", upload, save=False)
    job.save()
    if len(table.rows) > sync_max_rows():
        from .tasks import run_member_import

        job.message = "Đang chờ xử lý…"
        job.save(update_fields=["message"])
        # The database backend queues it for `dangvu worker`; the immediate backend runs it right here.
        run_member_import.enqueue(job.pk)
        job.refresh_from_db()
        return job
    return _run_guarded(job, table=table)
