"""The OpenAPI schema is valid and complete: no endpoint without a described type."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command


@pytest.mark.django_db
def test_openapi_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text(encoding="utf-8"))
    paths = schema["paths"]
    for path in (
        "/api/v1/auth/token/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/move/",
        "/api/v1/organisations/{id}/history/",
        "/api/v1/rules/",
        "/api/v1/calendar/deadline/",
    ):
        assert path in paths
