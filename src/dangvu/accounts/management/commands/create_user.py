"""dangvu create_user USERNAME [--full-name ...] [--role ROLE --org CODE] — for operators.

The first administrator: ``dangvu create_user admin --role admin``. The password is asked for (or read from
DANGVU_NEW_PASSWORD for scripts); it is never taken from the command line, which ends up in shell history.
"""

from __future__ import annotations

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dangvu.accounts.models import Role, RoleAssignment
from dangvu.accounts.services import role_assign, user_create
from dangvu.orgs.models import Organisation


class Command(BaseCommand):
    help = "Tạo tài khoản (và phân công vai trò) từ dòng lệnh."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", choices=Role.values)
        parser.add_argument("--org", help="Mã tổ chức của vai trò (không dùng cho admin)")

    def handle(self, *args, username, full_name, email, role, org, **options):
        password = os.environ.get("DANGVU_NEW_PASSWORD") or getpass.getpass("Mật khẩu: ")
        organisation = None
        if org:
            organisation = Organisation.objects.filter(code=org).first()
            if organisation is None:
                raise CommandError(f"Không có tổ chức mã “{org}”.")
        with transaction.atomic():
            # The operator acts as the system ("hệ thống"): history records it without a user.
            try:
                user = user_create(
                    by=None, username=username, password=password, full_name=full_name, email=email
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            if role == Role.ADMIN:
                RoleAssignment.objects.create(user=user, role=Role.ADMIN)
            elif role:
                if organisation is None:
                    raise CommandError("Vai trò này cần --org (mã tổ chức).")
                admin = RoleAssignment.objects.filter(role=Role.ADMIN).select_related("user").first()
                if admin is None:
                    raise CommandError("Hãy tạo quản trị hệ thống trước (--role admin).")
                role_assign(
                    by=admin.user, user=user, role=role, organisation=organisation, reason="Tạo từ dòng lệnh"
                )
        self.stdout.write(self.style.SUCCESS(f"Đã tạo tài khoản {username}."))
