"""The shared test battery every page and API endpoint inherits.

For each URL: anonymous → login page (pages) or 401 (API); no role → 404; scoped elsewhere → 404; in scope
→ 200; and for writes: outside scope refused with nothing changed. ``tests/test_url_coverage.py`` fails
when a URL pattern has no battery class naming it in ``url_name``.
"""

from __future__ import annotations

from typing import ClassVar

import pytest
from django.urls import reverse

from dangvu.core.models import ChangeRecord


class Battery:
    """Base of all battery classes; ``url_name`` is the namespaced URL name the class covers."""

    url_name: ClassVar[str]
    api: ClassVar[bool] = False

    def url(self, world) -> str:
        return reverse(self.url_name)

    def get(self, client, url):
        return client.get(url)

    def login(self, client, user):
        if self.api:
            client.force_authenticate(user)
        else:
            client.force_login(user)

    @pytest.fixture
    def http(self, client, api_client):
        return api_client if self.api else client

    def test_anonymous_is_sent_to_login(self, world, http):
        response = self.get(http, self.url(world))
        if self.api:
            assert response.status_code == 401
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))


class ObjectBattery(Battery):
    """A page or endpoint about one object inside world.a's subtree (by default world.a1)."""

    def target(self, world):
        return world.a1

    def url(self, world) -> str:
        return reverse(self.url_name, args=[self.target(world).pk])

    def in_scope_user(self, world):
        return world.office_a

    def test_no_role_gets_404(self, world, http):
        self.login(http, world.nobody)
        assert self.get(http, self.url(world)).status_code == 404

    def test_scoped_elsewhere_gets_404(self, world, http):
        self.login(http, world.office_b)
        assert self.get(http, self.url(world)).status_code == 404

    def test_in_scope_gets_200(self, world, http):
        self.login(http, self.in_scope_user(world))
        assert self.get(http, self.url(world)).status_code == 200


class ListBattery(Battery):
    """A list page or endpoint: users see only what lies in their scope."""

    marker_of_a = "Alpha Một"

    def test_no_role_sees_nothing_of_a(self, world, http):
        self.login(http, world.nobody)
        response = self.get(http, self.url(world))
        assert response.status_code == 200
        assert self.marker_of_a not in response.content.decode()

    def test_scoped_elsewhere_sees_nothing_of_a(self, world, http):
        self.login(http, world.office_b)
        response = self.get(http, self.url(world))
        assert response.status_code == 200
        assert self.marker_of_a not in response.content.decode()

    def test_in_scope_sees_a(self, world, http):
        self.login(http, world.office_a)
        response = self.get(http, self.url(world))
        assert response.status_code == 200
        assert self.marker_of_a in response.content.decode()


class GlobalBattery(Battery):
    """Reference pages every signed-in user may read (rulebook, calendar): no tree data on them."""

    def test_signed_in_without_role_gets_200(self, world, http):
        self.login(http, world.nobody)
        assert self.get(http, self.url(world)).status_code == 200


class AdminOnlyBattery(Battery):
    """Administrator pages: anyone else gets 404, as if the page did not exist."""

    def test_office_gets_404(self, world, http):
        self.login(http, world.office_a)
        assert self.get(http, self.url(world)).status_code == 404

    def test_administrator_gets_200(self, world, http):
        self.login(http, world.admin)
        assert self.get(http, self.url(world)).status_code == 200


class WriteBattery:
    """Mixed into a battery class for a URL that writes: ``post_data`` is a valid write on the target;
    someone scoped elsewhere is refused and nothing is written (no change record, target unchanged)."""

    write_method: ClassVar[str] = "post"
    elsewhere_write_status: ClassVar[int] = 404

    def post_data(self, world) -> dict:
        raise NotImplementedError

    def snapshot(self, world):
        """What must not change when the write is refused."""
        target = self.target(world)
        target.refresh_from_db()
        return {f.attname: getattr(target, f.attname) for f in target._meta.concrete_fields}

    def write(self, http, url, data):
        if getattr(self, "api", False):
            return getattr(http, self.write_method)(url, data, format="json")
        return getattr(http, self.write_method)(url, data)

    def test_write_from_elsewhere_is_refused_and_nothing_changes(self, world, http):
        before, records = self.snapshot(world), ChangeRecord.objects.count()
        self.login(http, world.office_b)
        response = self.write(http, self.url(world), self.post_data(world))
        assert response.status_code == self.elsewhere_write_status
        assert self.snapshot(world) == before
        assert ChangeRecord.objects.count() == records

    def test_write_without_role_is_refused_and_nothing_changes(self, world, http):
        before, records = self.snapshot(world), ChangeRecord.objects.count()
        self.login(http, world.nobody)
        response = self.write(http, self.url(world), self.post_data(world))
        assert response.status_code == self.elsewhere_write_status
        assert self.snapshot(world) == before
        assert ChangeRecord.objects.count() == records


class ChangeBattery(ObjectBattery):
    """A page or endpoint that changes the target: read-only roles in scope are refused too."""

    read_only_status: ClassVar[int] = 404

    def test_read_only_role_in_scope_is_refused(self, world, http):
        self.login(http, world.inspector_a)
        assert self.get(http, self.url(world)).status_code == self.read_only_status


class PublicBattery(Battery):
    """Sign-in pages and endpoints: anonymous users are expected, nothing scoped is shown."""

    anonymous_status: ClassVar[int] = 200

    def test_anonymous_is_sent_to_login(self, world, http):
        assert self.get(http, self.url(world)).status_code == self.anonymous_status
