"""The scoping battery for member import and export pages and the import API."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from dangvu.members.imports import start_import
from dangvu.members.models import ImportJob, Member
from tests.battery import Battery, GlobalBattery, ListBattery, ObjectBattery, WriteBattery

from .test_import import member_row, xlsx_file


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def job_in_a1(world) -> ImportJob:
    """An import into a1 by office_a whose second row is wrong (so it has errors and an annotated file)."""
    found = ImportJob.objects.filter(organisation=world.a1).first()
    if found:
        return found
    rows = [
        member_row(1, **{"Mã chi bộ": "T.A.1"}),
        member_row(3, **{"Giới tính": "?", "Mã chi bộ": "T.A.1"}),
    ]
    return start_import(by=world.office_a, organisation=world.a1, upload=xlsx_file(rows))


# ───────────────────────── import pages ─────────────────────────


class TestImportPage(WriteBattery, ListBattery):
    """The upload form lists only organisations in the user's change scope; posting into one outside it
    is refused by the form (200 with the error) and nothing is written."""

    url_name = "members:import"
    elsewhere_write_status = 200

    def target(self, world):
        return world.a1

    def post_data(self, world):
        return {"organisation": world.a1.pk, "file": xlsx_file([member_row(1)])}

    def test_refused_posts_create_no_job_and_no_member(self, world, client):
        for user in (world.office_b, world.nobody, world.inspector_a):
            client.force_login(user)
            response = client.post(self.url(world), self.post_data(world))
            assert response.status_code == 200
            assert "Không tìm thấy tổ chức này." in response.content.decode()
        assert ImportJob.objects.count() == 0 and Member.objects.count() == 0

    def test_in_scope_post_imports(self, world, client):
        client.force_login(world.office_a)
        response = client.post(self.url(world), self.post_data(world))
        assert response.status_code == 302
        assert Member.objects.filter(organisation=world.a1).count() == 1


class TestImportTemplate(GlobalBattery):
    url_name = "members:import_template"

    def test_template_is_an_xlsx_file(self, world, client):
        client.force_login(world.office_a)
        response = client.get(self.url(world))
        sheets = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).sheet_names
        assert sheets == ["Đảng viên", "Hướng dẫn"]


class TestImportDetailPage(ObjectBattery):
    url_name = "members:import_detail"

    def target(self, world):
        return job_in_a1(world)


class TestImportProgressPartial(ObjectBattery):
    url_name = "members:import_progress"

    def target(self, world):
        return job_in_a1(world)


class TestImportAnnotatedFile(ObjectBattery):
    url_name = "members:import_annotated"

    def target(self, world):
        return job_in_a1(world)

    def test_read_only_role_in_scope_gets_404(self, world, client):
        client.force_login(world.inspector_a)
        assert client.get(self.url(world)).status_code == 404


# ───────────────────────── export ─────────────────────────


class _Export(ListBattery):
    """Exports are lists: the marker is the branch name in the "Chi bộ" column of a1's members."""

    @pytest.fixture(autouse=True)
    def _members(self, people):
        return people


class TestExportCsv(_Export):
    url_name = "members:export_csv"

    def get(self, client, url):
        response = client.get(url)
        if response.status_code != 200 or not response.streaming:
            return response
        return SimpleNamespace(status_code=200, content=b"".join(response.streaming_content))


class TestExportXlsx(_Export):
    url_name = "members:export_xlsx"

    def get(self, client, url):
        response = client.get(url)
        if response.status_code != 200 or not response.streaming:
            return response
        body = b"".join(response.streaming_content)
        rows = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()
        text = "\n".join("\t".join(str(cell) for cell in row) for row in rows)
        return SimpleNamespace(status_code=200, content=text.encode())


class TestExportScopedElsewhere(ObjectBattery):
    """Filtering the export by an organisation outside one's scope: 404, as for the list."""

    url_name = "members:export_csv"

    def url(self, world):
        return f"{reverse(self.url_name)}?within={world.a1.pk}"


# ───────────────────────── API ─────────────────────────


class TestMemberImportApi(WriteBattery, Battery):
    """POST only. Someone scoped elsewhere, or without a role, names an organisation they cannot change:
    400 (not found in their scope), and nothing is written."""

    api = True
    url_name = "api:member-import"
    elsewhere_write_status = 400

    def target(self, world):
        return world.a1

    def get(self, client, url):
        return client.post(url, {}, format="multipart")

    def post_data(self, world):
        return {"organisation": world.a1.pk, "file": xlsx_file([member_row(1)])}

    def write(self, http, url, data):
        return http.post(url, data, format="multipart")

    def test_refused_writes_create_no_job(self, world, api_client):
        for user in (world.office_b, world.nobody, world.inspector_a):
            api_client.force_authenticate(user)
            response = self.write(api_client, self.url(world), self.post_data(world))
            assert response.status_code == 400
            assert response.json() == {
                "organisation": ["Không tìm thấy tổ chức này trong phạm vi bạn được giao."]
            }
        assert ImportJob.objects.count() == 0 and Member.objects.count() == 0

    def test_in_scope_imports(self, world, api_client):
        api_client.force_authenticate(world.office_a)
        response = self.write(api_client, self.url(world), self.post_data(world))
        assert response.status_code == 201, response.content
        assert response.json()["state"] == "done" and response.json()["created_count"] == 1


class TestMemberImportDetailApi(ObjectBattery):
    api = True
    url_name = "api:member-import-detail"

    def target(self, world):
        return job_in_a1(world)

    def test_job_fields(self, world, api_client):
        api_client.force_authenticate(world.office_a)
        body = api_client.get(self.url(world)).json()
        assert body["state"] == "failed" and body["rows_total"] == 2 and body["created_count"] == 0
        assert body["errors"][0]["row"] == 3 and body["errors"][0]["column"] == "Giới tính"
        assert body["annotated_url"].endswith("/annotated.xlsx")
        # The inspection commission sees the job but gets no link to the file with personal data.
        api_client.force_authenticate(world.inspector_a)
        assert api_client.get(self.url(world)).json()["annotated_url"] is None
