"""Login throttling per account and per address. Addresses are kept only as keyed hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from .models import LoginAttempt


def address_hash(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), (address or "-").encode(), hashlib.sha256).hexdigest()


def client_address(request) -> str:
    # Behind a reverse proxy, the proxy sets REMOTE_ADDR via gunicorn's --forwarded-allow-ips.
    return request.META.get("REMOTE_ADDR", "")


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def is_throttled(username: str, address: str) -> bool:
    since = _window_start()
    recent = LoginAttempt.objects.filter(time__gte=since)
    return (
        recent.filter(username=username.lower()).count() >= settings.LOGIN_THROTTLE_PER_ACCOUNT
        or recent.filter(address_hash=address_hash(address)).count() >= settings.LOGIN_THROTTLE_PER_ADDRESS
    )


def record_failure(username: str, address: str) -> None:
    LoginAttempt.objects.filter(time__lt=_window_start()).delete()
    LoginAttempt.objects.create(username=username.lower()[:150], address_hash=address_hash(address))


def clear_failures(username: str) -> None:
    LoginAttempt.objects.filter(username=username.lower()).delete()


THROTTLED_MESSAGE = (
    "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút hoặc liên hệ quản trị hệ thống."
)


def throttled_message() -> str:
    return THROTTLED_MESSAGE.format(minutes=settings.LOGIN_THROTTLE_WINDOW_SECONDS // 60)


def authenticate_throttled(request, username: str, password: str):
    """(user, error): the user when the credentials are right and the account/address is not throttled."""
    from django.contrib.auth import authenticate

    address = client_address(request)
    if is_throttled(username, address):
        return None, throttled_message()
    user = authenticate(request, username=username, password=password)
    if user is None:
        record_failure(username, address)
        return None, "Tên đăng nhập hoặc mật khẩu không đúng."
    clear_failures(username)
    return user, None
