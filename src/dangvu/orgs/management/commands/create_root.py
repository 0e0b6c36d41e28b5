"""dangvu create_root --name ... --code ... --founded YYYY-MM-DD: the top organisation of an installation."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dangvu.accounts.models import Role, RoleAssignment
from dangvu.orgs.models import OrganisationKind
from dangvu.orgs.services import organisation_create


class Command(BaseCommand):
    help = "Tạo tổ chức cấp cao nhất (đảng bộ cấp trên cơ sở) của hệ thống."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--code", required=True)
        parser.add_argument("--short-name", default="")
        parser.add_argument("--founded", required=True, type=dt.date.fromisoformat)

    def handle(self, *args, name, code, short_name, founded, **options):
        admin = RoleAssignment.objects.filter(role=Role.ADMIN).select_related("user").first()
        if admin is None:
            raise CommandError("Hãy tạo quản trị hệ thống trước: dangvu create_user admin --role admin")
        try:
            organisation = organisation_create(
                by=admin.user,
                parent=None,
                kind=OrganisationKind.UPPER,
                name=name,
                code=code,
                short_name=short_name,
                founded_on=founded,
                reason="Khởi tạo hệ thống",
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {organisation.name} (mã {organisation.code})."))
