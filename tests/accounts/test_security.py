"""Security baseline: throttled login, tokens, argon2, production settings, CSP, roles in force."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import subprocess
import sys

import pytest
from django.test import override_settings

from dangvu.accounts.models import Role, RoleAssignment
from dangvu.accounts.services import role_assign
from dangvu.core.scoping import OutOfScope
from dangvu.orgs.models import Organisation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def post_login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_and_logout(world, client):
    response = post_login(client, "vanphong_a", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Sở Alpha" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_wrong_password_message_is_vietnamese(world, client):
    html = post_login(client, "vanphong_a", "sai").content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in html


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=3)
def test_account_is_throttled_after_repeated_failures_even_with_the_right_password(world, client):
    for _ in range(3):
        post_login(client, "vanphong_a", "sai")
    response = post_login(client, "vanphong_a", PASSWORD)
    assert response.status_code == 200
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    # Another account from another address is not affected.
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    assert post_login(other, "vanphong_b", PASSWORD).status_code == 302


@override_settings(LOGIN_THROTTLE_PER_ADDRESS=4, LOGIN_THROTTLE_PER_ACCOUNT=100)
def test_address_is_throttled_across_accounts(world, client):
    for name in ("a", "b", "c", "d"):
        post_login(client, f"khong_co_{name}", "sai")
    assert "Đăng nhập sai quá nhiều lần" in post_login(client, "vanphong_a", PASSWORD).content.decode()


def test_token_endpoint_and_token_authentication(world, api_client):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "vanphong_a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    names = [o["name"] for o in api_client.get("/api/v1/organisations/").json()["results"]]
    assert "Chi bộ Phòng Alpha Một" in names and "Chi bộ Phòng Bêta Một" not in names


@override_settings(LOGIN_THROTTLE_PER_ACCOUNT=2)
def test_token_endpoint_is_throttled(world, api_client):
    for _ in range(2):
        api_client.post("/api/v1/auth/token/", {"username": "vanphong_a", "password": "x"}, format="json")
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "vanphong_a", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429


def test_passwords_are_hashed_with_argon2():
    settings_module = importlib.import_module("dangvu.config.settings")
    assert settings_module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_pages_carry_a_content_security_policy(world, client):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def _run_settings(env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DANGVU_")}
    return subprocess.run(
        [sys.executable, "-m", "dangvu.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key_and_hosts(tmp_path):
    result = _run_settings({"DANGVU_MODE": "production", "DANGVU_DATA_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0 and "DANGVU_SECRET_KEY" in result.stderr
    result = _run_settings(
        {"DANGVU_MODE": "production", "DANGVU_DATA_DIR": str(tmp_path), "DANGVU_SECRET_KEY": "k" * 60},
        "check",
    )
    assert result.returncode != 0 and "DANGVU_ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_in_production_and_flags_demo_mode(tmp_path):
    production = {
        "DANGVU_MODE": "production",
        "DANGVU_DATA_DIR": str(tmp_path),
        "DANGVU_SECRET_KEY": "p7#Qx-" + "zK9!vR2@mW4$tY6%" * 4,
        "DANGVU_ALLOWED_HOSTS": "dangvu.example.vn",
    }
    result = _run_settings(production, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    demo = _run_settings({"DANGVU_DATA_DIR": str(tmp_path)}, "check", "--deploy")
    assert "dangvu.E001" in demo.stderr + demo.stdout


def test_demo_data_refuses_to_load_in_production(settings):
    from dangvu.demo import load_demo

    settings.PRODUCTION = True
    with pytest.raises(RuntimeError):
        load_demo()
    assert not Organisation.objects.exists()


def test_expired_role_gives_no_scope(world, client):
    RoleAssignment.objects.filter(user=world.office_a).update(valid_to=dt.date.today() - dt.timedelta(days=1))
    client.force_login(world.office_a)
    assert client.get(f"/organisations/{world.a1.pk}/").status_code == 404


def test_member_role_sees_nothing_of_the_tree(world, client):
    RoleAssignment.objects.create(user=world.nobody, role=Role.MEMBER, organisation=world.a1)
    client.force_login(world.nobody)
    assert client.get(f"/organisations/{world.a1.pk}/").status_code == 404


def test_officers_hand_out_roles_only_inside_their_subtree(world):
    role_assign(by=world.office_a, user=world.nobody, role=Role.SECRETARY, organisation=world.a2)
    with pytest.raises(OutOfScope):
        role_assign(by=world.office_a, user=world.nobody, role=Role.SECRETARY, organisation=world.b1)
    with pytest.raises(OutOfScope):
        role_assign(by=world.office_a, user=world.nobody, role=Role.ADMIN)


@override_settings(PROXY_COUNT=1)
def test_behind_one_proxy_the_forwarded_client_address_is_throttled(world, client):
    from dangvu.accounts.throttle import client_address

    class Request:
        META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}

    assert client_address(Request()) == "203.0.113.7"  # the left part is the client's own claim


@pytest.mark.django_db(transaction=True)
def test_worker_runs_queued_tasks():
    from django.core.management import call_command
    from django.utils import timezone

    from dangvu.accounts.models import LoginAttempt
    from dangvu.accounts.tasks import prune_login_attempts

    LoginAttempt.objects.create(username="x", address_hash="h", time=timezone.now() - dt.timedelta(days=2))
    LoginAttempt.objects.create(username="y", address_hash="h")
    result = prune_login_attempts.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay")
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == 1
    assert list(LoginAttempt.objects.values_list("username", flat=True)) == ["y"]
