"""The scoping battery for every report page and endpoint: scoped elsewhere → 404, nothing written from
outside, read-only roles refused."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dangvu.reports.models import ReportRequest
from tests.battery import (
    AdminOnlyBattery,
    Battery,
    ChangeBattery,
    GlobalBattery,
    ListBattery,
    ObjectBattery,
    WriteBattery,
)

from . import targets

# ───────────────────────── pages ─────────────────────────


class TestReportsHomePage(ListBattery):
    url_name = "reports:home"
    marker_of_a = targets.TITLE

    def url(self, world):
        targets.request_from_a(world)
        return reverse(self.url_name)

    def test_the_branch_sees_the_report_it_owes(self, world, client):
        targets.request_from_a(world)
        client.force_login(world.secretary_a1)
        page = client.get(self.url(world)).content.decode()
        assert targets.TITLE in page and "Viết báo cáo" in page


class TestRequestNewPage(WriteBattery, Battery):
    """Issuing from an organisation outside one's scope: it is not offered (form error, nothing written)."""

    url_name = "reports:request_new"
    elsewhere_write_status = 200

    def target(self, world):
        return world.a

    def snapshot(self, world):
        return ReportRequest.objects.count()

    def post_data(self, world):
        today = dt.date.today()
        return {
            "template": targets.template().pk,
            "issuer": world.a.pk,
            "period_start": f"01/01/{today.year}",
            "period_end": f"30/06/{today.year}",
            "due_on": (today + dt.timedelta(days=5)).strftime("%d/%m/%Y"),
            "recipients": "children",
        }

    def test_no_role_gets_404(self, world, client):
        client.force_login(world.nobody)
        assert client.get(reverse(self.url_name)).status_code == 404

    def test_write_without_role_is_refused_and_nothing_changes(self, world, client):
        client.force_login(world.nobody)
        assert client.post(reverse(self.url_name), self.post_data(world)).status_code == 404
        assert ReportRequest.objects.count() == 0

    def test_office_sees_its_organisations_only(self, world, client):
        client.force_login(world.office_a)
        page = client.get(reverse(self.url_name)).content.decode()
        assert "Đảng bộ Sở Alpha" in page and "Bêta" not in page


class _RequestPage(ObjectBattery):
    def target(self, world):
        return targets.request_from_a(world)


class TestRequestDetailPage(_RequestPage):
    url_name = "reports:request_detail"

    def test_the_branch_does_not_see_the_whole_request(self, world, client):
        client.force_login(world.secretary_a1)
        assert client.get(self.url(world)).status_code == 404


class TestRequestXlsx(_RequestPage):
    url_name = "reports:request_xlsx"


class TestRequestClosePage(WriteBattery, ChangeBattery):
    url_name = "reports:request_close"

    def target(self, world):
        return targets.request_from_a(world)

    def post_data(self, world):
        return {"reason": "Đã đủ"}


class _SubmissionPage(ObjectBattery):
    def target(self, world):
        return targets.submission_of_a1(world)


class TestSubmissionDetailPage(_SubmissionPage):
    url_name = "reports:submission_detail"

    def test_the_branch_secretary_reads_it(self, world, client):
        client.force_login(world.secretary_a1)
        assert client.get(self.url(world)).status_code == 200


class TestSubmissionDocx(_SubmissionPage):
    url_name = "reports:submission_docx"


class TestSubmissionEditPage(WriteBattery, ChangeBattery):
    url_name = "reports:submission_edit"

    def target(self, world):
        return targets.submission_of_a1(world)

    def post_data(self, world):
        return {"number": "01-BC/CB", "signer": "Người lạ", **{f"section_{n}": "Viết đè" for n in range(5)}}

    def test_the_branch_secretary_writes_it(self, world, client):
        client.force_login(world.secretary_a1)
        assert client.get(self.url(world)).status_code == 200


class TestSubmissionReturnPage(WriteBattery, ChangeBattery):
    url_name = "reports:submission_return"

    def target(self, world):
        return targets.submitted_of_a1(world)

    def post_data(self, world):
        return {"reason": "Trả lại"}

    def test_the_branch_cannot_return_its_own_report(self, world, client):
        client.force_login(world.secretary_a1)
        assert client.get(self.url(world)).status_code == 404


class TestTemplatesPage(AdminOnlyBattery):
    url_name = "reports:templates"


class TestTemplateNewPage(AdminOnlyBattery):
    url_name = "reports:template_new"


class TestTemplateEditPage(AdminOnlyBattery):
    url_name = "reports:template_edit"

    def url(self, world):
        return reverse(self.url_name, args=[targets.template().pk])


# ───────────────────────── API ─────────────────────────


class TestReportTemplateListApi(GlobalBattery):
    api = True
    url_name = "api:report-template-list"


class TestReportTemplateDetailApi(GlobalBattery):
    api = True
    url_name = "api:report-template-detail"

    def url(self, world):
        return reverse(self.url_name, args=[targets.template().pk])


class TestReportRequestListApi(ListBattery):
    api = True
    url_name = "api:report-request-list"
    marker_of_a = targets.TITLE

    def url(self, world):
        targets.request_from_a(world)
        return reverse(self.url_name)


class TestReportRequestDetailApi(_RequestPage):
    api = True
    url_name = "api:report-request-detail"


class TestReportSubmissionListApi(ListBattery):
    api = True
    url_name = "api:report-submission-list"

    def url(self, world):
        targets.request_from_a(world)
        return reverse(self.url_name)


class TestReportSubmissionDetailApi(_SubmissionPage):
    api = True
    url_name = "api:report-submission-detail"


class _PostAction(WriteBattery, ChangeBattery):
    """POST-only actions: the battery's access checks are made with the POST itself."""

    api = True
    read_only_status = 403

    def get(self, client, url):
        return client.post(url, self._data, format="json")

    def url(self, world):
        self._data = self.post_data(world)
        return super().url(world)

    def test_in_scope_gets_200(self, world, http):
        self.login(http, self.in_scope_user(world))
        response = self.get(http, self.url(world))
        assert response.status_code == 200, response.content


class TestRequestCloseApi(_PostAction):
    url_name = "api:report-request-close"

    def target(self, world):
        return targets.request_from_a(world)

    def post_data(self, world):
        return {"reason": "Đã đủ"}


class TestSubmissionDraftApi(_PostAction):
    url_name = "api:report-submission-draft"

    def target(self, world):
        return targets.submission_of_a1(world)

    def post_data(self, world):
        return {"number": "02-BC/CB", "figures": [{"key": "members.total", "value": 9, "reason": "Thử"}]}


class TestSubmissionSubmitApi(_PostAction):
    url_name = "api:report-submission-submit"

    def target(self, world):
        return targets.submission_of_a1(world)

    def post_data(self, world):
        return {"narrative": targets.narrative(targets.submission_of_a1(world))}

    def in_scope_user(self, world):
        return world.secretary_a1


class TestSubmissionReturnApi(_PostAction):
    url_name = "api:report-submission-return"

    def target(self, world):
        return targets.submitted_of_a1(world)

    def post_data(self, world):
        return {"reason": "Bổ sung"}

    def test_the_branch_cannot_return_its_own_report(self, world, api_client):
        api_client.force_authenticate(world.secretary_a1)
        assert self.get(api_client, self.url(world)).status_code == 403
