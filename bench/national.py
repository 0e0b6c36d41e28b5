"""National-scale benchmark (issue 4, "Fast at national scale"): generate a national-shaped dataset, then time
the application's own read paths against hand-written SQL on the same data, the xlsx import and the HTTP API.

    .venv/bin/python bench/national.py generate [--members N]   # default 5.5 M (PostgreSQL), 500 k (SQLite)
    .venv/bin/python bench/national.py measure [--runs 50]      # statistics, name search, keyset pages
    .venv/bin/python bench/national.py import [--rows 50000]    # xlsx import rate (adds the rows to the data)
    .venv/bin/python bench/national.py http [--seconds 10]      # gunicorn + wrk: bare view, members, stats
    .venv/bin/python bench/national.py all                      # the four in a row
    .venv/bin/python bench/national.py stats                    # only rebuild the statistics totals

DANGVU_DATABASE_URL picks the server as in the project settings (postgres://... or none for SQLite), but the
benchmark always works in a database of its own: dangvu_bench_national on that PostgreSQL server (dropped and
created again by ``generate``), or /tmp/dangvu-bench-national.sqlite3. Results and how to read them:
docs/performance.md. Prints numbers; asserts nothing except that app and raw SQL return the same rows.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import importlib
import itertools
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.config.settings")
os.environ.setdefault("DANGVU_DATA_DIR", "/tmp/dangvu-bench")

BENCH_DIR = Path(__file__).resolve().parent
PG_DATABASE = "dangvu_bench_national"
SQLITE_FILE = Path("/tmp/dangvu-bench-national.sqlite3")
NATIONAL = 5_500_000  # members; the shape below is for this many and scales with --members
UPPERS, GRASSROOTS, BRANCHES = 700, 55_000, 300_000
TARGETS_MS = {"stats": 5, "prefix": 15, "substring": 100, "page": 20}
TARGET_IMPORT_ROWS_S, TARGET_LIST_RPS = 15_000, 900
IN_PARTY = "('probationary', 'official')"

# Family names with their approximate share of the population (per cent).
FAMILY = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7.1, "Hoàng": 3, "Huỳnh": 2.1, "Phan": 4.5, "Vũ": 2,
    "Võ": 1.9, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1, "Lý": 0.5, "Đinh": 1,
    "Trương": 1, "Mai": 0.7, "Lương": 0.6, "Đào": 0.6, "Cao": 0.6, "Trịnh": 0.6, "Đoàn": 0.6, "Hà": 0.5,
    "Lâm": 0.4, "Lưu": 0.4, "Nông": 0.4, "Tạ": 0.3, "Tô": 0.3, "Chu": 0.3, "Triệu": 0.3, "Vương": 0.3,
    "Kiều": 0.2,
}  # fmt: skip
MIDDLE = {
    "male": {
        "Văn": 30, "Đức": 8, "Minh": 8, "Hữu": 7, "Quang": 6, "Thanh": 5, "Ngọc": 4, "Xuân": 4, "Công": 4,
        "Đình": 4, "Quốc": 4, "Thế": 3, "Hoàng": 3, "Tuấn": 2, "Mạnh": 2, "Anh": 2, "Trung": 2, "Việt": 2,
        "Duy": 2, "Tiến": 2, "Bá": 2, "Trọng": 2,
    },
    "female": {
        "Thị": 48, "Ngọc": 6, "Thanh": 6, "Thu": 5, "Hồng": 4, "Minh": 3, "Thùy": 3, "Phương": 3, "Kim": 3,
        "Thị Thu": 3, "Mai": 2, "Khánh": 2, "Diệu": 2, "Bích": 2, "Thị Minh": 2, "Hoài": 2, "Thúy": 2,
    },
}  # fmt: skip
GIVEN = {
    "male": {
        "Anh": 5, "Bình": 2, "Cường": 3, "Dũng": 5, "Đức": 3, "Hải": 4, "Hiếu": 2, "Hoàng": 3, "Hùng": 6,
        "Huy": 4, "Khánh": 2, "Khoa": 2, "Kiên": 2, "Long": 4, "Minh": 5, "Nam": 5, "Phong": 3, "Phúc": 2,
        "Quang": 3, "Quân": 3, "Sơn": 4, "Tài": 2, "Tâm": 3, "Thắng": 4, "Thành": 4, "Thịnh": 2, "Trung": 4,
        "Tú": 2, "Tuấn": 6, "Việt": 3, "Vinh": 3, "An": 3, "Bảo": 2, "Đạt": 3, "Giang": 2, "Hưng": 3,
        "Lâm": 2, "Lộc": 2, "Mạnh": 2, "Nghĩa": 2, "Thái": 2, "Toàn": 2, "Trí": 2, "Tùng": 3,
    },
    "female": {
        "Anh": 4, "Ánh": 1, "Chi": 2, "Dung": 3, "Duyên": 2, "Giang": 2, "Hà": 4, "Hạnh": 3, "Hằng": 4,
        "Hiền": 3, "Hoa": 3, "Hồng": 3, "Huệ": 2, "Hương": 6, "Huyền": 4, "Lan": 4, "Liên": 2, "Linh": 5,
        "Loan": 2, "Mai": 4, "My": 2, "Nga": 3, "Ngân": 2, "Ngọc": 4, "Nhung": 3, "Oanh": 2, "Phương": 4,
        "Quỳnh": 2, "Tâm": 2, "Thảo": 5, "Thu": 3, "Thủy": 4, "Trang": 6, "Tuyết": 2, "Vân": 3, "Yến": 3,
    },
}  # fmt: skip
# The 34 provinces (2025): name, citizen-ID province code, relative size.
PROVINCES = [
    ("thành phố Hà Nội", "001", 3.5), ("thành phố Hồ Chí Minh", "079", 3.0), ("tỉnh Nghệ An", "040", 1.6),
    ("tỉnh Thanh Hóa", "038", 1.6), ("thành phố Hải Phòng", "031", 1.5), ("tỉnh Ninh Bình", "037", 1.3),
    ("tỉnh Hưng Yên", "033", 1.2), ("tỉnh Bắc Ninh", "027", 1.2), ("tỉnh Phú Thọ", "025", 1.2),
    ("tỉnh Đồng Nai", "075", 1.1), ("tỉnh An Giang", "089", 1.1), ("tỉnh Đồng Tháp", "087", 1.0),
    ("tỉnh Vĩnh Long", "086", 1.0), ("thành phố Đà Nẵng", "048", 1.0), ("tỉnh Quảng Ngãi", "051", 1.0),
    ("tỉnh Gia Lai", "064", 1.0), ("tỉnh Đắk Lắk", "066", 1.0), ("tỉnh Lâm Đồng", "068", 1.0),
    ("tỉnh Khánh Hòa", "056", 0.9), ("tỉnh Tây Ninh", "072", 0.9), ("thành phố Cần Thơ", "092", 0.9),
    ("tỉnh Cà Mau", "096", 0.8), ("tỉnh Quảng Trị", "045", 0.8), ("thành phố Huế", "046", 0.7),
    ("tỉnh Hà Tĩnh", "042", 0.8), ("tỉnh Quảng Ninh", "022", 0.8), ("tỉnh Thái Nguyên", "019", 0.8),
    ("tỉnh Tuyên Quang", "008", 0.7), ("tỉnh Lào Cai", "010", 0.7), ("tỉnh Lạng Sơn", "020", 0.5),
    ("tỉnh Sơn La", "014", 0.6), ("tỉnh Cao Bằng", "004", 0.4), ("tỉnh Điện Biên", "011", 0.4),
    ("tỉnh Lai Châu", "012", 0.3),
]  # fmt: skip
PLACES = (
    "An Bình", "Tân Phú", "Hòa Bình", "Phú Mỹ", "Xuân Phương", "Hưng Đạo", "Quang Trung", "Thống Nhất",
    "Đông Hòa", "Tây Sơn", "Yên Hòa", "Vĩnh Thạnh", "Bình Minh", "Nghĩa Đô", "Long Biên", "Tân Lập",
    "Hồng Phong", "Minh Khai", "Trung Hòa", "Phước Long", "Thạnh Mỹ", "Kim Liên", "Đại Đồng", "Cẩm Phả",
)  # fmt: skip
COMMITTEES = ("Trường Đại học", "Bệnh viện", "Công ty", "Sở", "Tổng công ty", "Trường Cao đẳng", "Trung tâm")
SMALL_UNITS = ("Trường Tiểu học", "Trường Mầm non", "Trạm Y tế", "Hợp tác xã", "Công ty TNHH", "Ban Quản lý")
DEPARTMENTS = (
    "Văn phòng",
    "Phòng Tổ chức",
    "Phòng Kế hoạch",
    "Khoa Nội",
    "Tổ Toán",
    "Phân xưởng",
    "Phòng Tài chính",
)
NEIGHBOURHOODS = ("thôn", "ấp", "khu phố", "tổ dân phố", "bản")
UPPER_NAMES = ("Đảng bộ Khối các cơ quan", "Đảng bộ Khối doanh nghiệp", "Đảng bộ Quân sự", "Đảng bộ Công an")
OCCUPATIONS = (
    "Công chức",
    "Viên chức",
    "Giáo viên",
    "Bác sĩ",
    "Kỹ sư",
    "Công nhân",
    "Nông dân",
    "Hưu trí",
    "Bộ đội",
)
POSITIONS = ("Chuyên viên", "Trưởng phòng", "Phó Trưởng phòng", "Nhân viên", "")
LANGUAGES = ("Tiếng Anh B1", "Tiếng Anh B2", "Tiếng Pháp", "Tiếng Trung", "")
STREETS = ("Huế", "Bà Triệu", "Lê Lợi", "Trần Phú", "Nguyễn Du", "Hai Bà Trưng", "Lý Thường Kiệt")
# Catalogue codes (members/catalogues.yaml) and their shares; None: not recorded.
CATALOGUE_SHARES = {
    "ethnicity": {"kinh": 86, "tay": 2, "thai": 1.8, "muong": 1.5, "khmer": 1.3, "hoa": 0.8, "nung": 1,
                  "mong": 0.8, "dao": 0.6, "gia-rai": 0.5, "e-de": 0.5, "cham": 0.3, "san-diu": 0.2},
    "religion": {"khong": 90, "phat-giao": 5, "cong-giao": 3.5, "tin-lanh": 0.5, "cao-dai": 0.5,
                 "phat-giao-hoa-hao": 0.5},
    "general_education": {"12-12": 90, "10-10": 5, "11-12": 2, "9-12": 2, None: 1},
    "qualification": {"dai-hoc": 45, "thac-si": 10, "tien-si": 1, "cao-dang": 8, "trung-cap": 15,
                      "so-cap": 5, "chua-qua-dao-tao": 10, None: 6},
    "political_theory": {"so-cap": 45, "trung-cap": 30, "cao-cap": 8, "cu-nhan": 2, None: 15},
}  # fmt: skip

ORG_COLUMNS = (
    "id", "path", "depth", "numchild", "kind", "name", "short_name", "code", "address", "founded_on",
    "name_search", "created_at", "parent_id",
)  # fmt: skip
MEMBER_COLUMNS = (
    "id", "family_name", "middle_name", "given_name", "gender", "name_search", "name_sort",
    "birth_date", "admission_date", "admission_decision_number", "ceremony_date", "official_date", "status",
    "birthplace", "hometown", "address", "phone", "occupation", "position", "workplace", "foreign_language",
    "ethnicity_id", "religion_id", "general_education_id", "qualification_id", "political_theory_id",
    "citizen_id", "card_number", "organisation_id", "created_at",
    "other_names", "email", "photo", "introducers", "exit_kind", "in_transfer",
)  # fmt: skip
BLANKS = ("", "", "", "", "", False)  # other_names, email, photo, introducers, exit_kind, in_transfer
VERSIONS_SQL = """
    INSERT INTO orgs_organisationversion
           (organisation_id, valid_from, parent_id, kind, name, short_name, code)
    SELECT id, founded_on, parent_id, kind, name, short_name, code FROM orgs_organisation"""
# One open period per member, as services.initial_periods() writes it for a member entered "since" that day:
# in the branch from the day they were official (or admitted), or from the day the branch was founded.
PERIODS_SQL = """
    INSERT INTO members_memberperiod (member_id, organisation_id, status, valid_from)
    SELECT m.id, m.organisation_id, m.status,
           CASE WHEN o.founded_on > COALESCE(m.official_date, m.admission_date) THEN o.founded_on
                ELSE COALESCE(m.official_date, m.admission_date) END
    FROM members_member m JOIN orgs_organisation o ON o.id = m.organisation_id"""
BIG_TABLES = ("orgs_organisation", "orgs_organisationversion", "members_member", "members_memberperiod")


# ───────────────────────── the database ─────────────────────────


def use_bench_database() -> str:
    """Point DANGVU_DATABASE_URL at the bench's own database on the configured server; return the vendor."""
    parsed = urlparse(os.environ.get("DANGVU_DATABASE_URL", ""))
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        os.environ["DANGVU_DATABASE_URL"] = parsed._replace(path=f"/{PG_DATABASE}").geturl()
        return "postgresql"
    os.environ["DANGVU_DATABASE_URL"] = f"sqlite://{SQLITE_FILE}"
    return "sqlite"


def recreate_database(vendor: str) -> None:
    if vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    server = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    conninfo = {key: value for key, value in server.items() if value}
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DATABASE}")


@contextlib.contextmanager
def step(label: str):
    started = time.perf_counter()
    yield
    print(f"  {label:<58} {time.perf_counter() - started:7.1f} s", flush=True)


def sql(query: str, params=()) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


class Loader:
    """Bulk writes: COPY on PostgreSQL (secondary indexes and constraints dropped meanwhile), executemany on
    SQLite."""

    def __init__(self, vendor: str):
        self.vendor = vendor

    def load(self, table: str, columns: tuple[str, ...], rows) -> None:
        from django.db import connection, transaction

        with transaction.atomic(), connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            rows = iter(rows)
            while batch := list(itertools.islice(rows, 10_000)):
                cursor.executemany(insert, batch)

    @contextlib.contextmanager
    def without_indexes(self, tables: tuple[str, ...]):
        """Drop the secondary indexes, unique and foreign-key constraints of ``tables`` (PostgreSQL), then put
        them back: building an index once is far cheaper than keeping it up to date row by row."""
        if self.vendor != "postgresql":
            yield
            return
        constraints = sql(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f') ORDER BY contype",
            [list(tables)],
        )
        indexes = sql(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)",
            [list(tables)],
        )
        for table, name, _definition in constraints:  # foreign keys first, then unique constraints
            sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            sql(f"DROP INDEX {name}")
        yield
        for table in tables:  # statistics first: without them, validating a foreign key may pick a slow plan
            sql(f"ANALYZE {table}")
        sql("SET maintenance_work_mem = '1GB'")
        took = {}
        with step(f"{len(indexes)} indexes built again"):
            for name, definition in indexes:
                started = time.perf_counter()
                sql(definition)
                took[name] = time.perf_counter() - started
        slowest = sorted(took, key=took.get, reverse=True)[:3]
        print("    slowest: " + ", ".join(f"{name} {took[name]:.1f} s" for name in slowest))
        with step(f"{len(constraints)} unique and foreign-key constraints added again"):
            for table, name, definition in reversed(constraints):
                sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


# ───────────────────────── the dataset ─────────────────────────


def spread(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """``total`` split into whole parts proportional to ``weights``, each at least ``minimum``."""
    free = total - minimum * len(weights)
    scale = free / sum(weights)
    shares = [w * scale for w in weights]
    parts = [int(s) for s in shares]
    for i in sorted(range(len(parts)), key=lambda i: parts[i] - shares[i])[: free - sum(parts)]:
        parts[i] += 1
    return [minimum + p for p in parts]


def pick(rng: random.Random, table: dict, k: int) -> list:
    return rng.choices(list(table), weights=list(table.values()), k=k)


class Tree:
    """The organisation rows (COPY order = path order) and the member homes (branches and grassroots branches)
    with how many members each gets."""

    def __init__(self, members: int, rng: random.Random, created_at: str):
        from dangvu.orgs.models import OrganisationKind as K

        self.rng, self.created_at = rng, created_at
        self.rows: list[tuple] = []
        homes: list[tuple[int, str]] = []  # (organisation id, citizen-ID province code)
        scale = members / NATIONAL
        n_upper = max(len(PROVINCES), round(UPPERS * scale))
        n_grassroots = max(n_upper, round(GRASSROOTS * scale))
        uppers = spread(n_upper, [weight for _n, _c, weight in PROVINCES], 1)
        grassroots = spread(n_grassroots, [rng.lognormvariate(0, 0.5) for _ in range(n_upper)], 1)
        kinds = rng.choices(
            (K.COMMUNE, K.GRASSROOTS_COMMITTEE, K.GRASSROOTS_BRANCH), (15, 63, 22), k=n_grassroots
        )
        committees = [i for i, kind in enumerate(kinds) if kind != K.GRASSROOTS_BRANCH]
        branches = dict.fromkeys(range(n_grassroots), 0)
        weights = [rng.lognormvariate(0, 0.6) * (2 if kinds[i] == K.COMMUNE else 1) for i in committees]
        branches.update(zip(committees, spread(max(1, round(BRANCHES * scale)), weights, 1), strict=True))

        root = self.add(None, 1, K.UPPER, "Đảng bộ Trung ương (dữ liệu thử)", "TW", 1930, len(PROVINCES))
        upper_no = grassroots_no = 0
        for p, (province_name, citizen_code, _weight) in enumerate(PROVINCES):
            province = self.add(
                root, p + 1, K.UPPER, f"Đảng bộ {province_name}", f"T{p + 1:02d}", 1945, uppers[p]
            )
            for u in range(uppers[p]):
                name = f"{UPPER_NAMES[u]} {province_name}" if u < len(UPPER_NAMES) else f"Đảng bộ khu vực {u}"
                upper = self.add(
                    province, u + 1, K.UPPER, name, f"{province[3]}-K{u + 1}", 1976, grassroots[upper_no]
                )
                for g in range(grassroots[upper_no]):
                    kind, place = kinds[grassroots_no], rng.choice(PLACES)
                    name = {
                        K.COMMUNE: f"Đảng bộ {rng.choice(('xã', 'phường'))} {place}",
                        K.GRASSROOTS_COMMITTEE: f"Đảng bộ {rng.choice(COMMITTEES)} {place}",
                        K.GRASSROOTS_BRANCH: f"Chi bộ {rng.choice(SMALL_UNITS)} {place}",
                    }[kind]
                    count = branches[grassroots_no]
                    base = self.add(upper, g + 1, kind, name, f"{upper[3]}-C{g + 1}", 1976, count)
                    if kind == K.GRASSROOTS_BRANCH:
                        homes.append((base[0], citizen_code))
                    for b in range(count):
                        unit = rng.choice(NEIGHBOURHOODS if kind == K.COMMUNE else DEPARTMENTS)
                        branch = self.add(
                            base, b + 1, K.BRANCH, f"Chi bộ {unit} {b + 1}", f"{base[3]}-B{b + 1}", 1980, 0
                        )
                        homes.append((branch[0], citizen_code))
                    grassroots_no += 1
                upper_no += 1
        # Homes in random order: each branch's members are written together (as an import would), but a
        # subtree's members are spread over the whole table, as in a database filled over the years.
        rng.shuffle(homes)
        sizes = spread(members, [rng.lognormvariate(0, 0.5) for _ in homes], min(3, members // len(homes)))
        self.homes = [(pk, code, n) for (pk, code), n in zip(homes, sizes, strict=True)]

    def add(self, parent, index, kind, name, code, earliest_year, numchild) -> tuple:
        """A row (and the few values its children need: id, path, depth, code, founding year)."""
        from dangvu.core.text import normalise
        from dangvu.orgs.models import Organisation

        pk = len(self.rows) + 1
        depth = parent[2] + 1 if parent else 1
        path = Organisation._get_path(parent[1] if parent else None, depth, index)
        year = max(parent[4] if parent else earliest_year, earliest_year + self.rng.randrange(20))
        founded = dt.date(year, self.rng.randrange(1, 13), self.rng.randrange(1, 29))
        search = normalise(f"{name} {code}")  # as Organisation.save() does (no short name)
        self.rows.append(
            (pk, path, depth, numchild, kind, name, "", code, "", founded.isoformat(), search,
             self.created_at, parent[0] if parent else None)
        )  # fmt: skip
        return pk, path, depth, code, year


@functools.cache
def search_fields(family: str, middle: str, given: str) -> tuple[str, str]:
    """name_search and name_sort exactly as Member.fill_search_fields() stores them."""
    from dangvu.members.models import Member

    member = Member(family_name=family, middle_name=middle, given_name=given)
    member.fill_search_fields()
    return member.name_search, member.name_sort


class People:
    """Pools of realistic values drawn once from a seeded generator; a member takes one entry of each pool
    with a single random number, so millions of rows cost little more than writing them."""

    NAME_BITS, POOL_BITS = 18, 16

    def __init__(self, rng: random.Random):
        from dangvu.core.calendar import add_months
        from dangvu.members.models import CatalogueItem

        self.rng = rng
        ids = {(kind, code): pk for pk, kind, code in CatalogueItem.objects.values_list("pk", "kind", "code")}
        self.catalogue_names = dict(CatalogueItem.objects.values_list("pk", "name"))
        size = 1 << self.NAME_BITS
        genders = rng.choices(("male", "female"), (59, 41), k=size)
        families = pick(rng, FAMILY, size)
        middles = {g: iter(pick(rng, MIDDLE[g], size)) for g in MIDDLE}
        givens = {g: iter(pick(rng, GIVEN[g], size)) for g in GIVEN}
        self.names = []
        for gender, family in zip(genders, families, strict=True):
            middle, given = next(middles[gender]), next(givens[gender])
            self.names.append((family, middle, given, gender, *search_fields(family, middle, given)))
        size = 1 << self.POOL_BITS
        today = dt.date.today()
        self.careers = []
        for _ in range(size):
            if rng.random() < 0.035:  # admitted this past year: still probationary
                admitted = today - dt.timedelta(days=rng.randrange(1, 360))
            else:
                admitted = today - dt.timedelta(days=366 + int(rng.triangular(0, 55 * 365, 8 * 365)))
            born = admitted - dt.timedelta(days=int((18 + rng.triangular(0, 27, 5)) * 365.25))
            ceremony = min(today, admitted + dt.timedelta(days=rng.randrange(0, 30)))
            # Official from the end of probation (12 months from the ceremony, or later), or not yet.
            official = add_months(ceremony, 12) + dt.timedelta(days=rng.randrange(0, 20))
            official = official if official <= today else None
            self.careers.append(
                (born.isoformat(), admitted.isoformat(), f"{rng.randrange(1, 999)}-QĐ/ĐU",
                 ceremony.isoformat(), official and official.isoformat(),
                 "official" if official else "probationary")
            )  # fmt: skip
        catalogue = {
            kind: [ids.get((kind, code)) for code in pick(rng, shares, size)]
            for kind, shares in CATALOGUE_SHARES.items()
        }
        places = [name.split(" ", 1)[1].removeprefix("phố ") for name, _c, _w in PROVINCES]
        self.details = [
            (rng.choice(places), rng.choice(places), f"Số {rng.randrange(1, 300)} {rng.choice(STREETS)}",
             f"09{rng.randrange(10**8):08d}", rng.choice(OCCUPATIONS), rng.choice(POSITIONS),
             f"{rng.choice(COMMITTEES)} {rng.choice(PLACES)}", rng.choice(LANGUAGES),
             *(catalogue[kind][i] for kind in CATALOGUE_SHARES))
            for i in range(size)
        ]  # fmt: skip
        self.serials: dict[str, int] = {}
        self.serial_base = 0  # serials of citizen IDs start after it

    def draw(self):
        """(name entry, career entry, details entry) for one member."""
        r = self.rng.getrandbits(self.NAME_BITS + 2 * self.POOL_BITS)
        mask = (1 << self.POOL_BITS) - 1
        return (
            self.names[r >> 2 * self.POOL_BITS],
            self.careers[r & mask],
            self.details[(r >> self.POOL_BITS) & mask],
        )

    def citizen_id(self, province_code: str, gender: str, born: str) -> str:
        """Province, sex and century digit, year of birth, then a serial: unique like the real ones."""
        century = (0 if born < "2000" else 2) + (gender == "female")
        prefix = f"{province_code}{century}{born[2:4]}"
        self.serials[prefix] = serial = self.serials.get(prefix, self.serial_base) + 1
        return f"{prefix}{serial:06d}"

    def member_rows(self, homes, created_at: str, first_id: int = 1):
        """MEMBER_COLUMNS rows, streamed: homes are (organisation id, province code, number of members)."""
        member_id = first_id
        for organisation_id, province_code, count in homes:
            for _ in range(count):
                name, career, details = self.draw()
                yield (
                    member_id, *name, *career, *details, self.citizen_id(province_code, name[3], career[0]),
                    f"{10_000_000 + member_id}", organisation_id, created_at, *BLANKS,
                )  # fmt: skip
                member_id += 1


def generate(args, vendor: str) -> None:
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    from dangvu.members.models import Member
    from dangvu.orgs.models import Organisation

    members = args.members or (NATIONAL if vendor == "postgresql" else 500_000)
    print(f"generate: {members:,} members into {connection.settings_dict['NAME']} ({vendor})", flush=True)
    started = time.perf_counter()
    rng = random.Random(args.seed)
    created_at = "2026-01-01 00:00:00" + ("+07" if vendor == "postgresql" else "")
    with step("database created, migrated"):
        recreate_database(vendor)
        call_command("migrate", interactive=False, verbosity=0)
    with step("organisation tree and value pools built in memory"):
        tree = Tree(members, rng, created_at)
        people = People(rng)
    loader = Loader(vendor)
    with loader.without_indexes(BIG_TABLES):
        with step(f"{len(tree.rows):,} organisations"):
            loader.load("orgs_organisation", ORG_COLUMNS, tree.rows)
        with step(f"{len(tree.rows):,} organisation versions (INSERT ... SELECT)"):
            sql(VERSIONS_SQL)
        with step(f"{members:,} members ({len(tree.homes):,} branches)"):
            loader.load("members_member", MEMBER_COLUMNS, people.member_rows(tree.homes, created_at))
        with step(f"{members:,} member periods (INSERT ... SELECT)"):
            sql(PERIODS_SQL)
    with step("sequences, VACUUM ANALYZE"):
        for statement in connection.ops.sequence_reset_sql(no_style(), [Organisation, Member]):
            sql(statement)
        if vendor == "postgresql":
            for table in BIG_TABLES:
                sql(f"VACUUM (ANALYZE) {table}")
        else:
            sql("ANALYZE")
    bench_users()
    rebuild_stats()
    print(f"  {'generation in all':<58} {time.perf_counter() - started:7.1f} s", flush=True)


def stats_module():
    """``dangvu.stats`` (tally, selectors) when the statistics app is installed, else None."""
    try:
        return importlib.import_module("dangvu.stats.tally"), importlib.import_module(
            "dangvu.stats.selectors"
        )
    except (ImportError, RuntimeError):
        return None


def rebuild_stats() -> None:
    """The statistics totals, rebuilt by the app's own ``dangvu.stats.tally.rebuild()``."""
    found = stats_module()
    if found is None:
        print("  statistics: dangvu.stats is not installed yet, totals not built (run `stats` later)")
        return
    try:
        with step("statistics totals rebuilt (dangvu.stats.tally.rebuild)"):
            found[0].rebuild()
    except Exception as error:  # the app's code, not the bench's: report it and go on
        print(f"  statistics totals: rebuild() failed: {type(error).__name__}: {str(error)[:200]}")


def bench_users():
    """An administrator and the office of the first province (Hà Nội), each with an API token."""
    from rest_framework.authtoken.models import Token

    from dangvu.accounts.models import Role, RoleAssignment, User
    from dangvu.orgs.models import Organisation

    users = {}
    for username, role, organisation in (
        ("bench_admin", Role.ADMIN, None),
        ("bench_office", Role.OFFICE, Organisation.objects.get(code="T01")),
    ):
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": username})
        if created:
            RoleAssignment.objects.create(
                user=user, role=role, organisation=organisation, valid_from=dt.date(2020, 1, 1)
            )
        Token.objects.get_or_create(user=user)
        users[role] = User.objects.get(pk=user.pk)
    return users


# ───────────────────────── query timings ─────────────────────────


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(fn, runs: int, budget: float) -> tuple[float, float]:
    """p50 and p95 in ms of ``fn`` run warm ``runs`` times, or fewer (at least 5) when over ``budget`` s."""
    fn()
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < runs and (len(times) < 5 or time.perf_counter() < deadline):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), percentile(times, 0.95)


def samples():
    """The root, the largest province, its first grassroots committee with branches, and that one's first
    branch."""
    from dangvu.orgs.models import Organisation, OrganisationKind

    root = Organisation.objects.get(code="TW")
    province = Organisation.objects.get(code="T01")
    grassroots = (
        Organisation.objects.within(province)
        .filter(kind=OrganisationKind.GRASSROOTS_COMMITTEE, numchild__gte=3)
        .order_by("path")
        .first()
    )
    branch = Organisation.objects.filter(parent=grassroots).order_by("path").first()
    return {"root": root, "province": province, "grassroots": grassroots, "branch": branch}


def raw_plans(vendor: str) -> tuple[str, ...]:
    # SQLite's planner never walks the name-sort index when another index fits the filter: force it too.
    return ("limit", "cte") if vendor == "postgresql" else ("limit", "cte", "walk")


def raw_page_sql(vendor: str, where: str, plan: str) -> str:
    """The hand-written page: members matching ``where``, 51 in (name_sort, id) order, with their
    organisation's and its parent's names. Plan ``limit``: one ORDER BY ... LIMIT query, the database picks
    (it walks the name-sort index when it expects matches to be many); ``cte``: the matching members first
    (from the subtree's or the search's own index), then sorted (best when they are few); ``walk`` (SQLite):
    the name-sort index in order, the filter's own index disabled with SQLite's unary ``+``."""
    where = where.format(plus="+" if plan == "walk" else "")
    members = f"SELECT m.* FROM members_member m WHERE m.status IN {IN_PARTY} AND {where}"
    if plan in ("limit", "walk"):
        members += " ORDER BY m.name_sort, m.id LIMIT 51"
    else:
        materialized = "MATERIALIZED " if vendor == "postgresql" else ""
        members = f"WITH s AS {materialized}({members}) SELECT * FROM s ORDER BY name_sort, id LIMIT 51"
    return (
        f"SELECT p.id, p.name_sort, o.name, up.name FROM ({members}) p "
        "JOIN orgs_organisation o ON o.id = p.organisation_id "
        "LEFT JOIN orgs_organisation up ON up.id = o.parent_id ORDER BY p.name_sort, p.id"
    )


def measure(args, vendor: str) -> None:
    from django.db import connection

    from dangvu.members.models import Member
    from dangvu.members.selectors import encode_cursor, keyset_page, member_list

    users = bench_users()
    admin, office = users["admin"], users["office"]
    orgs = samples()
    total = Member.objects.in_party().count()
    sizes = {key: Member.objects.within(org).in_party().count() for key, org in orgs.items()}
    print(f"measure: {connection.settings_dict['NAME']} ({vendor}), {total:,} members in the Party")
    for key, org in orgs.items():
        print(f"  {key:<11} {org.code:<18} depth {org.depth}, {sizes[key]:>9,} members  {org.name}")
    print(
        f"  timings: warm, up to {args.runs} runs or {args.budget:.0f} s each; ms; ratio = app p50 / raw p50"
    )
    items = []  # (label, target key, app callable, {raw plan: callable})

    found = stats_module()
    if found is None:
        print("  statistics: dangvu.stats is not installed yet, skipped")
    else:
        from django.apps import apps

        selectors = found[1]
        read = getattr(selectors, "figures", None) or selectors.statistics
        table = apps.get_model("stats", "OrgTally")._meta.db_table
        if sql(f"SELECT count(*) FROM {table}") < sql("SELECT count(*) FROM orgs_organisation"):
            print("  statistics: the totals table was not built (run `stats`), skipped")
            orgs_with_totals = {}
        else:
            orgs_with_totals = orgs
        for key, org in orgs_with_totals.items():
            row = functools.partial(sql, f"SELECT total FROM {table} WHERE organisation_id = %s", [org.pk])
            items.append(
                (f"statistics, {key} ({read.__name__})", "stats", functools.partial(read, org), {"row": row})
            )

    for text, kind in (("nguyen van a", "prefix"), ("nguyen van t", "prefix"), ("van hung", "substring")):
        where, pattern = "{plus}m.name_search LIKE %s", f"{text}%" if kind == "prefix" else f"%{text}%"
        if kind == "prefix" and vendor == "sqlite":  # GLOB is case-sensitive: SQLite can use the plain index
            where, pattern = "{plus}m.name_search GLOB %s", f"{text}*"
        plans = raw_plans(vendor)
        raw = {plan: functools.partial(sql, raw_page_sql(vendor, where, plan), [pattern]) for plan in plans}
        app = functools.partial(lambda t: keyset_page(member_list(admin, q=t), None)[0], text)
        items.append((f"name search {kind} '{text}', 50 rows", kind, app, raw))

    def cursor_at(key: str, rows: int):
        """The cursor after the first ``rows`` members of the subtree (found from the nearer end)."""
        members = Member.objects.within(orgs[key]).in_party().values_list("name_sort", "id")
        if rows < sizes[key] // 2:
            name_sort, pk = members.order_by("name_sort", "id")[rows - 1]
        else:
            name_sort, pk = members.order_by("-name_sort", "-id")[sizes[key] - rows]
        return encode_cursor(Member(name_sort=name_sort, pk=pk)), (name_sort, pk)

    pages = [("root", 0), ("root", 100_000), ("root", total - 100), ("province", 0), ("province", 100_000)]
    pages += [("grassroots", 0), ("grassroots", 50), ("branch", 0)]
    for key, after in pages:
        org = orgs[key]
        if after >= sizes[key]:
            continue
        cursor, position = cursor_at(key, after) if after else (None, None)
        user = admin if key == "root" else office
        where, params = "TRUE", []
        if key != "root":  # GLOB on SQLite: its LIKE ignores case, so it cannot use the path index
            like, pattern = ("LIKE", "%") if vendor == "postgresql" else ("GLOB", "*")
            where = f"{{plus}}m.organisation_id IN (SELECT id FROM orgs_organisation WHERE path {like} %s)"
            params = [org.path + pattern]
        if position:
            where, params = f"{where} AND (m.name_sort, m.id) > (%s, %s)", [*params, *position]
        # Sorting the whole national list first is never the better plan.
        plans = ("limit",) if key == "root" else raw_plans(vendor)
        raw = {plan: functools.partial(sql, raw_page_sql(vendor, where, plan), params) for plan in plans}
        app = functools.partial(
            lambda o, c, u: keyset_page(member_list(u, within=o), c)[0], org, cursor, user
        )
        who = "admin" if user is admin else "office"
        items.append((f"page of 50, {key}, after {after:,} ({who})", "page", app, raw))

    columns = ("app p50", "app p95", "raw p50", "raw p95", "plan", "ratio")
    print(f"  {'':<44}" + "".join(f"{c:>9}" for c in columns) + "  target")
    for label, target_key, app, raws in items:
        app50, app95 = timed(app, args.runs, args.budget)
        # The raw lower bound is the faster of the hand-written plans.
        (raw50, raw95), plan = min((timed(raw, args.runs, args.budget), plan) for plan, raw in raws.items())
        target = TARGETS_MS[target_key]
        timings = "".join(f"{t:9.2f}" for t in (app50, app95, raw50, raw95))
        verdict = "ok" if app50 <= target else "SLOW"
        print(f"  {label:<44}{timings}{plan:>9}{app50 / raw50:8.1f}x  {target:3d} ms {verdict}", flush=True)
        if target_key != "stats" and [m.pk for m in app()][:50] != [row[0] for row in raws[plan]()][:50]:
            print(f"  !! {label}: the app and the raw query return different rows")


# ───────────────────────── import ─────────────────────────


def write_xlsx(path: Path, people: People, rows: int, codes: list[str], serial_from: int) -> None:
    from openpyxl import Workbook

    from dangvu.members.imports import COLUMNS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đảng viên")
    sheet.append([column.header for column in COLUMNS])
    catalogue, day = people.catalogue_names, dt.date.fromisoformat
    for i in range(rows):
        (family, middle, given, gender, *_), career, details = people.draw()
        born, admitted, decision, ceremony, official, status = career
        place, home, address, phone, occupation, position, workplace, language, *items = details
        values = {
            "family_name": family, "middle_name": middle, "given_name": given,
            "gender": "Nữ" if gender == "female" else "Nam", "birth_date": day(born),
            "birthplace": place, "hometown": home, "citizen_id": people.citizen_id("099", gender, born),
            "phone": phone, "email": "", "address": address, "occupation": occupation, "position": position,
            "workplace": workplace, "foreign_language": language, "admission_date": day(admitted),
            "admission_decision_number": decision, "ceremony_date": day(ceremony),
            "official_date": official and day(official), "card_number": f"9{serial_from + i:08d}",
            "introducers": "", "organisation": codes[i % len(codes)],
            "status": "Chính thức" if status == "official" else "Dự bị", "since": None,
        }  # fmt: skip
        for key, pk in zip(CATALOGUE_SHARES, items, strict=True):
            values[key] = catalogue.get(pk, "")
        sheet.append([values[column.key] for column in COLUMNS])
    workbook.save(path)


def raw_import(path: Path, loader: Loader) -> float:
    """The floor for an import of ``path``: read it with calamine, compute the stored search fields, write the
    members and their periods in one transaction (rolled back). Returns seconds, without the rollback."""
    from django.db import transaction
    from python_calamine import CalamineWorkbook

    from dangvu.core.text import normalise, person_sort_key
    from dangvu.members.imports import COLUMNS
    from dangvu.members.models import CatalogueItem
    from dangvu.orgs.models import Organisation

    catalogue = {
        (kind, name): pk for pk, kind, name in CatalogueItem.objects.values_list("pk", "kind", "name")
    }
    started = time.perf_counter()
    table = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    at = {column.key: i for i, column in enumerate(COLUMNS)}
    codes = {row[at["organisation"]] for row in table[1:]}
    org_ids = dict(Organisation.objects.filter(code__in=codes).values_list("code", "id"))

    def day(value):
        return value.date() if isinstance(value, dt.datetime) else (value or None)

    with transaction.atomic():
        first = (sql("SELECT max(id) FROM members_member")[0][0] or 0) + 1
        rows = []
        for n, row in enumerate(table[1:]):
            family, middle, given = (row[at[key]] for key in ("family_name", "middle_name", "given_name"))
            rows.append(
                (first + n, family, middle, given, "female" if row[at["gender"]] == "Nữ" else "male",
                 normalise(f"{family} {middle} {given}"), person_sort_key(family, middle, given),
                 day(row[at["birth_date"]]), day(row[at["admission_date"]]),
                 row[at["admission_decision_number"]], day(row[at["ceremony_date"]]),
                 day(row[at["official_date"]]),
                 "official" if row[at["status"]] == "Chính thức" else "probationary",
                 *(str(row[at[key]]) for key in ("birthplace", "hometown", "address", "phone", "occupation",
                                                  "position", "workplace", "foreign_language")),
                 *(catalogue.get((kind, row[at[kind]])) for kind in CATALOGUE_SHARES),
                 str(row[at["citizen_id"]]), str(row[at["card_number"]]), org_ids[row[at["organisation"]]],
                 dt.datetime.now(dt.UTC), *BLANKS)
            )  # fmt: skip
        loader.load("members_member", MEMBER_COLUMNS, rows)
        sql(f"{PERIODS_SQL} WHERE m.id >= %s", [first])
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def import_rate(args, vendor: str) -> None:
    from django.core.files import File

    from dangvu.core.rulebook import rule_entry
    from dangvu.members.imports import run_import
    from dangvu.members.models import ImportJob, ImportState, Member
    from dangvu.orgs.models import Organisation, OrganisationKind

    office = bench_users()["office"]
    # The province's last grassroots committee: not the one `measure` times, so runs stay comparable.
    grassroots = (
        Organisation.objects.within(samples()["province"])
        .filter(kind=OrganisationKind.GRASSROOTS_COMMITTEE, numchild__gte=3)
        .order_by("-path")
        .first()
    )
    kinds = rule_entry("member.home_kinds").value
    codes = list(
        Organisation.objects.filter(parent=grassroots, kind__in=kinds).values_list("code", flat=True)
    )
    serial_from = Member.objects.filter(card_number__startswith="9").count()
    people = People(random.Random(args.seed + serial_from))
    people.serial_base = serial_from
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dang-vien.xlsx"
        started = time.perf_counter()
        write_xlsx(path, people, args.rows, codes, serial_from)
        print(
            f"import: {args.rows:,} rows into {len(codes)} branches of {grassroots.code}; "
            f"{path.stat().st_size / 1e6:.1f} MB xlsx written in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        raw = raw_import(path, Loader(vendor))
        job = ImportJob(organisation=grassroots, created_by=office, original_name=path.name)
        with path.open("rb") as handle:
            job.file.save(path.name, File(handle), save=False)
        job.rows_total = args.rows
        job.save()
        started = time.perf_counter()
        run_import(job)
        app = time.perf_counter() - started
    job.refresh_from_db()
    assert job.state == ImportState.DONE, (job.state, job.message, job.errors[:3])
    verdict = "ok" if args.rows / app >= TARGET_IMPORT_ROWS_S else "SLOW"
    print(f"  {'':<52} {'seconds':>8} {'rows/s':>8}")
    print(f"  {'app: run_import (read, check every row, write)':<52} {app:8.2f} {args.rows / app:8.0f}")
    label = "raw: calamine, search fields, " + ("COPY" if vendor == "postgresql" else "executemany")
    print(f"  {label:<52} {raw:8.2f} {args.rows / raw:8.0f}")
    print(f"  ratio {app / raw:.1f}x; target >= {TARGET_IMPORT_ROWS_S:,} rows/s: {verdict}")


# ───────────────────────── HTTP ─────────────────────────


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(url: str, token: str, args) -> dict:
    """Requests/s and latency percentiles (ms) from wrk, or from a small threaded client without it."""
    if not args.python_client and shutil.which("wrk"):
        output = subprocess.run(
            ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
             "-H", f"Authorization: Token {token}", url],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        units = {"us": 0.001, "ms": 1, "s": 1000}
        result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
        for share, value, unit in re.findall(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)$", output, re.MULTILINE):
            result[f"p{share}"] = float(value) * units[unit]
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        result["errors"] = int(errors.group(1)) if errors else 0
        return result
    return threaded_client(url, token, args.connections, args.seconds)


def threaded_client(url: str, token: str, connections: int, seconds: float) -> dict:
    import http.client
    import threading

    parsed = urlparse(url)
    times: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            conn.request("GET", f"{parsed.path}?{parsed.query}", headers={"Authorization": f"Token {token}"})
            response = conn.getresponse()
            response.read()
            times.append((time.perf_counter() - started) * 1000)
            errors[0] += response.status >= 400

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = {"rps": len(times) / seconds, "errors": errors[0]}
    result.update({f"p{p}": percentile(times, p / 100) for p in (50, 90, 99)})
    return result


def http(args, vendor: str) -> None:
    from django.conf import settings
    from rest_framework.authtoken.models import Token

    orgs = samples()
    tokens = {role: Token.objects.get(user=user).key for role, user in bench_users().items()}
    province, branch = orgs["province"], orgs["branch"]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "national_settings"}
    command = [sys.executable, "-m", "gunicorn", "dangvu.config.wsgi:application"]
    command += ["--pythonpath", str(BENCH_DIR), "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers)]
    client = "wrk" if shutil.which("wrk") and not args.python_client else "python threads"
    print(
        f"http: gunicorn, {args.workers} sync workers, CONN_MAX_AGE="
        f"{settings.DATABASES['default'].get('CONN_MAX_AGE', 0)}; {client} -t{args.threads} "
        f"-c{args.connections} -d{args.seconds}s on 127.0.0.1",
        flush=True,
    )
    server = subprocess.Popen([*command, "--log-level", "warning"], env=env)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.1)
        members = f"/api/v1/members/?within={province.pk}"
        urls = [  # (label, path, user)
            ("bare Django JSON view", "/bench/bare/", "office"),
            (f"member list API, 50 rows, within {province.code} (office)", members, "office"),
            (f"member list API, 50 rows, within {province.code} (admin)", members, "admin"),
            (f"stats API, {province.code} (office)", f"/api/v1/organisations/{province.pk}/stats/", "office"),
            (
                f"stats API, branch {branch.code} (office)",
                f"/api/v1/organisations/{branch.pk}/stats/",
                "office",
            ),
        ]
        print(f"  {'':<52} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for label, path, user in urls:
            token = tokens[user]
            status = get(base + path, token)
            if status != 200:
                print(f"  {label:<52} skipped: HTTP {status}")
                continue
            for _ in range(20):  # warm every worker
                get(base + path, token)
            result = wrk(base + path, token, args)
            print(
                f"  {label:<52} {result['rps']:8.0f} {result['p50']:8.2f} {result['p90']:8.2f} "
                f"{result['p99']:8.2f} {result['errors']:7d}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"  target: member list >= {TARGET_LIST_RPS} requests/s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("generate", "stats", "measure", "import", "http", "all"))
    parser.add_argument("--members", type=int, help="default: 5,500,000 on PostgreSQL, 500,000 on SQLite")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--budget", type=float, default=10, help="seconds per timing at most")
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the import file")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--python-client", action="store_true", help="threads instead of wrk")
    args = parser.parse_args()

    vendor = use_bench_database()
    import django

    django.setup()
    commands = {"generate": generate, "measure": measure, "import": import_rate, "http": http}
    if args.command == "stats":
        rebuild_stats()
    for name in commands if args.command == "all" else [args.command] if args.command in commands else []:
        commands[name](args, vendor)


if __name__ == "__main__":
    sys.exit(main())
