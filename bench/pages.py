"""Page and API latency on the demo dataset, warm, through Django's test client (no network, no gunicorn).

    .venv/bin/python bench/pages.py [--runs 30]
    DANGVU_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu .venv/bin/python bench/pages.py

Creates a throwaway test database (test_<name>), loads the demo through the services, measures p50/p95 and
query counts per page, then drops the database. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.config.settings")
os.environ.setdefault("DANGVU_DATA_DIR", "/tmp/dangvu-bench")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    if connection.vendor != "sqlite":
        # Its own database, so a benchmark never drops the one a test run is using.
        connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}_bench_pages"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from dangvu.accounts.models import User
        from dangvu.demo import load_demo
        from dangvu.orgs.models import Organisation

        started = time.perf_counter()
        load_demo()
        from dangvu.members.models import Member

        print(
            f"database: {connection.vendor}; demo load (343 organisations, {Member.objects.count()} members, "
            f"committees, accounts): {time.perf_counter() - started:.2f} s"
        )

        def pages_for(top, middle):
            return [
                ("dashboard", "/"),
                ("tree", "/organisations/"),
                ("children", f"/organisations/{middle.pk}/children/"),
                ("organisation detail", f"/organisations/{top.pk}/"),
                ("history", f"/organisations/{middle.pk}/history/"),
                ("search 'noi vu'", "/organisations/?q=noi%20vu"),
                ("tree as of 01/01/2026", "/organisations/?as_of=01/01/2026"),
                ("inbox", "/inbox/"),
                ("rulebook", "/rules/"),
                ("API organisations (50)", "/api/v1/organisations/"),
                ("API deadline", "/api/v1/calendar/deadline/?start=2026-02-13&working_days=30"),
                ("members list (50)", "/members/"),
                ("members search 'nguyen van'", "/members/?q=nguyen%20van"),
                ("members search 'van hung'", "/members/?q=van%20hung"),
                ("members as of 01/01/2026", f"/members/?as_of=01/01/2026&within={top.pk}"),
                ("member detail", f"/members/{sample_member(top).pk}/"),
                ("API members search", "/api/v1/members/?q=nguyen%20van"),
                ("API members as of", f"/api/v1/members/?as_of=2026-01-01&within={top.pk}"),
            ]

        def sample_member(top):
            from dangvu.members.models import Member

            return Member.objects.filter(organisation__path__startswith=top.path).order_by("pk").first()

        bloc = Organisation.objects.get(code="KCQ")
        snv = Organisation.objects.get(name="Đảng bộ Sở Nội vụ")
        branch = Organisation.objects.get(name="Chi bộ Văn phòng Sở")
        scopes = {"vanphong": (bloc, snv), "bithu_cb1": (branch, branch)}
        print(f"{'user':<10} {'page':<30} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for username, (top, middle) in scopes.items():
            client = Client()
            client.force_login(User.objects.get(username=username))
            for label, url in pages_for(top, middle):
                client.get(url)  # warm
                timings = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - t0) * 1000)
                with CaptureQueriesContext(connection) as ctx:
                    client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                print(
                    f"{username:<10} {label:<30} {statistics.median(timings):8.1f} "
                    f"{percentile(timings, 0.95):8.1f} {len(ctx.captured_queries):8d}"
                )
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
