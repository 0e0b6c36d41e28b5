"""The scoping battery for the core pages and endpoints."""

from __future__ import annotations

from django.urls import reverse

from dangvu.core.models import CalendarDay, ChangeRecord, Rule
from tests.battery import AdminOnlyBattery, GlobalBattery, ListBattery, PublicBattery


class TestDashboard(ListBattery):
    url_name = "core:dashboard"
    marker_of_a = "Sở Alpha"


class TestInboxPage(ListBattery):
    url_name = "core:inbox"


class TestInboxApi(ListBattery):
    api = True
    url_name = "api:inbox"


class TestRulesPage(GlobalBattery):
    url_name = "core:rules"


class TestRuleDetailPage(GlobalBattery):
    url_name = "core:rule_detail"

    def url(self, world):
        return reverse(self.url_name, args=["probation.months"])


class TestRuleNewVersionPage(AdminOnlyBattery):
    url_name = "core:rule_new_version"

    def url(self, world):
        return reverse(self.url_name, args=["probation.months"])

    def test_office_cannot_post_a_version(self, world, client):
        client.force_login(world.office_a)
        before = Rule.objects.count(), ChangeRecord.objects.count()
        response = client.post(
            self.url(world),
            {
                "value": "18",
                "effective_from": "01/01/2030",
                "citation": "Thử",
                "status": "confirmed",
                "reason": "Thử",
            },
        )
        assert response.status_code == 404
        assert (Rule.objects.count(), ChangeRecord.objects.count()) == before


class TestCalendarPage(GlobalBattery):
    url_name = "core:calendar"


class TestCalendarDayNew(AdminOnlyBattery):
    url_name = "core:calendar_day_new"

    def get(self, client, url):
        return client.post(url, {"date": "02/01/2026", "kind": "day_off", "name": "Nghỉ thêm"})

    def test_administrator_gets_200(self, world, http):
        http.force_login(world.admin)
        response = self.get(http, self.url(world))
        assert response.status_code == 302
        assert CalendarDay.objects.filter(name="Nghỉ thêm").exists()

    def test_office_gets_404(self, world, http):
        http.force_login(world.office_a)
        assert self.get(http, self.url(world)).status_code == 404
        assert not CalendarDay.objects.exists()


class TestRulesApi(GlobalBattery):
    api = True
    url_name = "api:rule-list"


class TestRuleDetailApi(GlobalBattery):
    api = True
    url_name = "api:rule-detail"

    def url(self, world):
        return reverse(self.url_name, args=[Rule.objects.get(key="probation.months").pk])


class TestDeadlineApi(GlobalBattery):
    api = True
    url_name = "api:deadline"

    def url(self, world):
        return reverse(self.url_name) + "?start=2026-02-13&working_days=1"


class TestSchema(GlobalBattery):
    api = True
    url_name = "api-schema"


class TestApiDocs(GlobalBattery):
    api = True
    url_name = "api-docs"


class TestLoginPage(PublicBattery):
    url_name = "accounts:login"


class TestLogout(PublicBattery):
    url_name = "accounts:logout"
    anonymous_status = 302

    def get(self, client, url):
        return client.post(url)


class TestTokenApi(PublicBattery):
    api = True
    url_name = "api:token"
    anonymous_status = 400

    def get(self, client, url):
        return client.post(url, {"username": "x", "password": "y"}, format="json")
