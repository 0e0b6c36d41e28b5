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
    """The client's address. Behind ``DANGVU_PROXY_COUNT`` trusted reverse proxies, the address the
    outermost trusted proxy saw (from X-Forwarded-For, counted from the right: clients can forge the left)."""
    count = settings.PROXY_COUNT
    if count:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
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


def prune_old_failures() -> int:
    deleted, _ = LoginAttempt.objects.filter(time__lt=_window_start()).delete()
    return deleted


def record_failure(username: str, address: str) -> None:
    prune_old_failures()
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
