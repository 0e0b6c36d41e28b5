"""The ``dangvu`` command: Django's management commands under one name, plus demo, serve and worker."""

from __future__ import annotations

import os
import sys

USAGE = """dangvu — công tác xây dựng Đảng

  dangvu demo      migrate, load the demo data into an empty database, print the demo logins, serve
  dangvu serve     serve with gunicorn on 127.0.0.1:$PORT (default 8000); DANGVU_WORKERS processes
  dangvu worker    run the background task worker (django-tasks database backend)
  dangvu <command> any Django management command (migrate, check --deploy, createsuperuser, ...)
"""


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.config.settings")
    import django

    django.setup()


def serve(extra: list[str] | None = None) -> None:
    from django.conf import settings

    port = os.environ.get("PORT", "8000")
    host = os.environ.get("DANGVU_BIND", "127.0.0.1")
    workers = os.environ.get("DANGVU_WORKERS", "2")
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    if settings.PRODUCTION:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    args = [
        "gunicorn",
        "dangvu.config.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        workers,
        "--access-logfile",
        "-",
        "--access-logformat",
        # Path without the query string: searches (names, citizen IDs) must not reach the logs.
        '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
        *(extra or []),
    ]
    from gunicorn.app.wsgiapp import run

    sys.argv = args
    run()


def demo() -> None:
    from django.conf import settings
    from django.core.management import call_command

    if settings.PRODUCTION:
        sys.exit("dangvu demo runs only in demo mode (DANGVU_MODE=demo).")
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    from dangvu.demo import DEMO_PASSWORD, demo_accounts, load_demo

    if load_demo():
        print("Đã nạp dữ liệu mẫu.")
    port = os.environ.get("PORT", "8000")
    print()
    print(f"dangvu đang chạy tại http://127.0.0.1:{port}")
    print(f"Tài khoản mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
    for username, description in demo_accounts():
        print(f"  {username:<11} {description}")
    print()
    sys.stdout.flush()
    serve()


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command in {"help", "-h", "--help"}:
        print(USAGE)
        return
    _setup()
    if command == "demo":
        demo()
    elif command == "serve":
        serve(argv[2:])
    elif command == "worker":
        from django.core.management import call_command

        call_command("db_worker", *argv[2:])
    else:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["dangvu", *argv[1:]])


if __name__ == "__main__":
    main()
