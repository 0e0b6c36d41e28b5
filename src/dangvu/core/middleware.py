"""Request id for logs and change records, and the Content-Security-Policy header."""

from __future__ import annotations

import logging
import re

from django.conf import settings

from .context import current_request_id, new_id, request_context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else new_id("r-")
        request.request_id = request_id
        with request_context(request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class ContentSecurityPolicyMiddleware:
    """Only our own scripts, styles and images: nothing is fetched from elsewhere."""

    # Swagger UI sets inline styles; its script is served from our origin (split view).
    _RELAXED_PREFIXES = ("/api/docs/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = settings.CONTENT_SECURITY_POLICY
            if request.path.startswith(self._RELAXED_PREFIXES):
                policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            response["Content-Security-Policy"] = policy
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True
