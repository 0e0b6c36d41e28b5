"""Member import throughput: read, check and write N generated rows, on the configured database.

    .venv/bin/python bench/imports.py [--rows 100000] [--file /tmp/100k.xlsx] [--import-only]
    DANGVU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu .venv/bin/python bench/imports.py

Creates a throwaway database (in memory on SQLite; test_<name>_bench_imports on PostgreSQL, so a test run
using test_<name> at the same time is left alone), loads the demo organisation tree, generates an .xlsx of
realistic rows (Vietnamese names, valid unique citizen IDs, existing branch codes, catalogue values) with
openpyxl, then times each phase of the import as the background task runs it, a failing run of the same
file, and the exports. Prints numbers; asserts only that the import succeeded. Drops the database afterwards.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.config.settings")
os.environ.setdefault("DANGVU_DATA_DIR", "/tmp/dangvu-bench")

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
    "Mai",
    "Tạ",
]
MIDDLE_MALE = [
    "Văn",
    "Hữu",
    "Minh",
    "Quốc",
    "Đức",
    "Xuân",
    "Công",
    "Thành",
    "Đình",
    "Quang",
    "Mạnh",
    "Tuấn",
    "Anh",
    "Ngọc",
]
MIDDLE_FEMALE = [
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Thùy",
    "Minh",
    "Hồng",
    "Phương",
    "Mai",
    "Khánh",
    "Kim",
    "Diệu",
]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Giang",
    "Hải",
    "Hiếu",
    "Hùng",
    "Huy",
    "Khang",
    "Khoa",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Tâm",
    "Thắng",
]
GIVEN_FEMALE = [
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Thảo",
    "Trang",
]
STREETS = ["Huế", "Bà Triệu", "Lê Lợi", "Trần Phú", "Nguyễn Du"]
PLACES = ["Hà Nội", "Nam Định", "Thái Bình", "Nghệ An", "Hà Tĩnh", "Thanh Hóa", "Hải Phòng", "Huế", "Đà Nẵng"]
ETHNICITIES = ["Kinh"] * 40 + ["Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Ê Đê", "Chăm"]
RELIGIONS = ["Không"] * 20 + ["Phật giáo", "Công giáo", "Cao Đài"]
QUALIFICATIONS = ["Đại học", "Đại học", "Thạc sĩ", "Cao đẳng", "Trung cấp", "Tiến sĩ", ""]
THEORY = ["Sơ cấp", "Trung cấp", "Cao cấp", "Cử nhân", ""]
OCCUPATIONS = ["Công chức", "Viên chức", "Giáo viên", "Bác sĩ", "Kỹ sư", "Cán bộ", "Công nhân"]


def generate(n: int, codes: list[str], path: str) -> None:
    from openpyxl import Workbook

    from dangvu.members.imports import COLUMNS

    rng = random.Random(2026)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Đảng viên")
    sheet.append([c.header for c in COLUMNS])
    for i in range(n):
        female = rng.random() < 0.45
        admitted = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(0, 12_000))
        if admitted > dt.date(2025, 6, 1):
            admitted = dt.date(2025, 6, 1) - dt.timedelta(days=rng.randrange(0, 200))
        probationary = admitted > dt.date(2025, 1, 1)
        born = admitted - dt.timedelta(days=rng.randrange(19 * 366, 45 * 365))
        province = rng.randrange(1, 96)
        row = {
            "family_name": rng.choice(FAMILY),
            "middle_name": rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE),
            "given_name": rng.choice(GIVEN_FEMALE if female else GIVEN_MALE),
            "gender": "Nữ" if female else "Nam",
            "birth_date": born,
            "birthplace": rng.choice(PLACES),
            "hometown": rng.choice(PLACES),
            "ethnicity": rng.choice(ETHNICITIES),
            "religion": rng.choice(RELIGIONS),
            # Province code, sex/century digit, birth year, then a serial: unique per row.
            "citizen_id": f"{province:03d}{(1 if female else 0) + (2 if born.year >= 2000 else 0)}"
            f"{born.year % 100:02d}{i:06d}",
            "phone": f"09{rng.randrange(10**8):08d}",
            "email": "",
            "address": f"Số {rng.randrange(1, 300)} phố {rng.choice(STREETS)}",
            "occupation": rng.choice(OCCUPATIONS),
            "position": rng.choice(["Chuyên viên", "Trưởng phòng", "Phó Trưởng phòng", ""]),
            "workplace": "Sở Nội vụ",
            "general_education": "12/12",
            "qualification": rng.choice(QUALIFICATIONS),
            "political_theory": rng.choice(THEORY),
            "foreign_language": rng.choice(["Tiếng Anh B1", "Tiếng Anh B2", ""]),
            "admission_date": admitted,
            "admission_decision_number": f"{rng.randrange(1, 999)}-QĐ/ĐU",
            "ceremony_date": admitted,
            "official_date": None
            if probationary
            else admitted.replace(year=admitted.year + 1)
            if not (admitted.month == 2 and admitted.day == 29)
            else dt.date(admitted.year + 1, 3, 1),
            "card_number": f"{i + 10_000_000:08d}",
            "introducers": "",
            "organisation": rng.choice(codes),
            "status": "Dự bị" if probationary else "Chính thức",
            "since": None,
        }
        sheet.append([row[c.key] for c in COLUMNS])
    workbook.save(path)


def max_rss() -> float:
    """The process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def print_phases(rows: int, walls: tuple, cpus: tuple, rss: dict) -> None:
    print(f"{'phase':<28} {'wall s':>8} {'rows/s':>10} {'cpu s':>8} {'max RSS MB':>11}  (cpu: this process)")
    labels = ("read (calamine)", "check every row", "write (1 transaction)")
    phases = [*zip(labels, walls, cpus, (rss["read"], rss["check"], rss["write"]), strict=True)]
    phases.append(("total", sum(walls), sum(cpus), rss["write"]))
    for label, seconds, cpu, memory in phases:
        print(f"{label:<28} {seconds:8.2f} {rows / seconds:10.0f} {cpu:8.2f} {memory:11.0f}")


def print_receivers(rows: int, total: float, in_receivers: float) -> None:
    print(
        f"  of the write, counts_changed receivers (statistics): {in_receivers:.2f} s; total without "
        f"them {total - in_receivers:.2f} s, {rows / (total - in_receivers):.0f} rows/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--file", help="the .xlsx to import: generated there when missing, reused as it is otherwise"
    )
    parser.add_argument(
        "--import-only", action="store_true", help="time the import only (no colliding run, no exports)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.files.base import File
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor != "sqlite":
        # A name of its own: never the test_<name> database a test run may be using at the same time.
        connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}_bench_imports"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from dangvu.accounts.models import User
        from dangvu.core import tabular
        from dangvu.core.rulebook import rule_entry
        from dangvu.core.signals import counts_changed
        from dangvu.demo import load_demo
        from dangvu.members.imports import MemberFile, run_import
        from dangvu.members.models import ImportJob, ImportState, Member, MemberPeriod
        from dangvu.orgs.models import Organisation

        # The statistics app's receivers run inside the import's transaction: timed on their own.
        receivers = [0.0]
        send = counts_changed.send

        def timed_send(*args, **kwargs):
            started = time.perf_counter()
            try:
                return send(*args, **kwargs)
            finally:
                receivers[0] += time.perf_counter() - started

        counts_changed.send = timed_send
        load_demo()
        receivers[0] = 0.0
        user = User.objects.get(username="vanphong")
        bloc = Organisation.objects.get(code="KCQ")
        kinds = rule_entry("member.home_kinds").value
        codes = list(
            Organisation.objects.filter(
                path__startswith=bloc.path, kind__in=kinds, dissolved_on__isnull=True
            ).values_list("code", flat=True)
        )
        with tempfile.TemporaryDirectory() as folder:
            path = args.file or os.path.join(folder, "dang-vien.xlsx")
            t0 = time.perf_counter()
            reused = os.path.exists(path)
            if not reused:
                # In a forked child, so the memory the generation takes is not counted against the import.
                child = multiprocessing.get_context("fork").Process(
                    target=generate, args=(args.rows, codes, path)
                )
                child.start()
                child.join()
                assert child.exitcode == 0, "generating the file failed"
            generated = time.perf_counter() - t0
            start_rss = max_rss()
            size = os.path.getsize(path)
            print(
                f"database: {connection.vendor}; {args.rows} rows into {len(codes)} branches; "
                f"file {size / 1e6:.1f} MB " + ("reused" if reused else f"generated in {generated:.1f} s")
            )
            with open(path, "rb") as handle:
                data = handle.read()

            t0, c0 = time.perf_counter(), time.process_time()
            table = tabular.read_table(io.BytesIO(data), "dang-vien.xlsx")
            read, read_cpu = time.perf_counter() - t0, time.process_time() - c0
            rss = {"read": max_rss()}
            assert len(table.rows) == args.rows

            checker = MemberFile(by=user, organisation=bloc, table=table)
            t0, c0 = time.perf_counter(), time.process_time()
            errors = checker.validate()
            checked, checked_cpu = time.perf_counter() - t0, time.process_time() - c0
            rss["check"] = max_rss()
            assert errors == [], errors[:5]

            job = ImportJob(
                organisation=bloc, created_by=user, original_name="dang-vien.xlsx", state="running"
            )
            job.file.save("bench.xlsx", File(io.BytesIO(data)), save=False)
            job.rows_total = len(table.rows)
            job.save()
            t0, c0 = time.perf_counter(), time.process_time()
            receivers[0] = 0.0
            created = checker.write(job)
            written, written_cpu = time.perf_counter() - t0, time.process_time() - c0
            in_receivers = receivers[0]
            rss["write"] = max_rss()
            assert created == args.rows
            del checker, table
            if args.import_only:
                print_phases(args.rows, (read, checked, written), (read_cpu, checked_cpu, written_cpu), rss)
                print_receivers(args.rows, read + checked + written, in_receivers)
                return

            # The whole job as the background task runs it (read, check with progress, write), on a second
            # file with other IDs would collide; so time a dry run of the same file end to end instead.
            dry = ImportJob(organisation=bloc, created_by=user, original_name="dang-vien.xlsx", dry_run=True)
            dry.file.save("bench-dry.xlsx", File(io.BytesIO(data)), save=False)
            dry.rows_total = args.rows
            dry.save()
            t0 = time.perf_counter()
            run_import(dry)
            dry_total = time.perf_counter() - t0
            dry.refresh_from_db()
            # The same rows are in the database now, so the dry run reports every one as a duplicate.
            assert dry.state == ImportState.FAILED
        # Export of every member the office sees (the imported ones and the demo's), both formats.
        from django.test import Client

        client = Client()
        client.force_login(user)
        exports = []
        for fmt in ("csv", "xlsx"):
            t0 = time.perf_counter()
            response = client.get(f"/members/export.{fmt}?status=all")
            size = sum(len(chunk) for chunk in response.streaming_content)
            exports.append((fmt, time.perf_counter() - t0, size))
        exported = Member.objects.count()
        print_phases(args.rows, (read, checked, written), (read_cpu, checked_cpu, written_cpu), rss)
        print_receivers(args.rows, read + checked + written, in_receivers)
        print(
            f"task run on a file whose rows all collide (read, check, {min(args.rows, 1000)} errors kept, "
            f"annotated .xlsx written): {dry_total:.2f} s"
        )
        for fmt, seconds, size in exports:
            print(
                f"export {fmt:<4} {exported} members: {seconds:6.2f} s, {exported / seconds:6.0f} rows/s, "
                f"{size / 1e6:.1f} MB"
            )
        print(
            f"members {Member.objects.count()}, periods {MemberPeriod.objects.count()}; "
            f"max RSS: {start_rss:.0f} MB before reading the file, {max_rss():.0f} MB at the end"
        )
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
