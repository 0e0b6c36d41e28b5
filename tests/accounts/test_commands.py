"""Operator commands for a new production installation: first administrator, top organisation, officers."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangvu.accounts.models import Role
from dangvu.core.models import ChangeRecord
from dangvu.orgs.models import Organisation
from dangvu.orgs.selectors import organisation_list

pytestmark = pytest.mark.django_db


def test_bootstrap_an_installation_from_the_command_line(monkeypatch):
    monkeypatch.setenv("DANGVU_NEW_PASSWORD", "mật-khẩu-rất-dài-2026")
    call_command("create_user", "quantri", "--role", "admin")
    call_command("create_root", "--name", "Đảng bộ tỉnh Thử", "--code", "DBT", "--founded", "1990-01-01")
    call_command("create_user", "vanphong", "--role", Role.OFFICE, "--org", "DBT", "--full-name", "Văn Phòng")
    from dangvu.accounts.models import User

    office = User.objects.get(username="vanphong")
    assert [o.name for o in organisation_list(fetched_by=office)] == ["Đảng bộ tỉnh Thử"]
    assert ChangeRecord.objects.filter(content_type__model="user", user_name="hệ thống").count() == 2
    assert Organisation.objects.get(code="DBT").kind == "upper"


def test_weak_password_and_unknown_org_are_refused(monkeypatch):
    monkeypatch.setenv("DANGVU_NEW_PASSWORD", "123")
    with pytest.raises(CommandError):
        call_command("create_user", "yeu")
    monkeypatch.setenv("DANGVU_NEW_PASSWORD", "mật-khẩu-rất-dài-2026")
    with pytest.raises(CommandError, match="Không có tổ chức"):
        call_command("create_user", "x", "--role", Role.OFFICE, "--org", "KHONGCO")
