"""Rebuild the statistics totals table from the records, or check it (``--verify``) without writing."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from dangvu.stats import tally


class Command(BaseCommand):
    help = "Tính lại bảng số liệu tổng hợp từ hồ sơ (hoặc chỉ kiểm tra với --verify)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify", action="store_true", help="Chỉ so bảng với số đếm lại, liệt kê chỗ lệch, không ghi."
        )

    def handle(self, *args, verify: bool = False, **options):
        started = time.perf_counter()
        if verify:
            differences = tally.verify()
            elapsed = time.perf_counter() - started
            for difference in differences[:50]:
                self.stdout.write(str(difference))
            if differences:
                raise CommandError(
                    f"Bảng số liệu lệch {len(differences)} chỗ so với hồ sơ ({elapsed:.1f} giây). "
                    "Chạy lại không có --verify để tính lại."
                )
            self.stdout.write(f"Bảng số liệu khớp với hồ sơ ({elapsed:.1f} giây).")
            return
        count = tally.rebuild()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Đã tính lại số liệu của {count} tổ chức ({elapsed:.1f} giây).")
