"""The scoping battery for the statistics pages and API."""

from __future__ import annotations

from django.urls import reverse

from tests.battery import ListBattery, ObjectBattery


class TestStatsHome(ListBattery):
    url_name = "stats:home"

    def get(self, client, url):
        response = client.get(url)
        if response.status_code == 302 and response["Location"].startswith("/stats/"):
            return client.get(response["Location"])  # one organisation in scope: straight to its statistics
        return response


class TestStatsPage(ObjectBattery):
    url_name = "stats:organisation"

    def target(self, world):
        return world.a


class TestStatsPageAsOf(ObjectBattery):
    url_name = "stats:organisation"

    def url(self, world):
        return reverse(self.url_name, args=[world.a1.pk]) + "?as_of=01/06/2025&from=01/01/2025"


class TestStatsXlsx(ObjectBattery):
    url_name = "stats:organisation_xlsx"


class TestStatsApi(ObjectBattery):
    url_name = "api:organisation-stats"
    api = True


class TestStatsApiAsOf(ObjectBattery):
    url_name = "api:organisation-stats"
    api = True

    def url(self, world):
        return reverse(self.url_name, args=[world.a.pk]) + "?as_of=2025-06-01"
