"""The scoping battery for every member page: scoped elsewhere → 404, nothing written from outside."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.urls import reverse

from dangvu.members.models import CatalogueItem, Member
from tests.battery import AdminOnlyBattery, Battery, ChangeBattery, ListBattery, ObjectBattery, WriteBattery

from . import targets


def catalogue_ids() -> dict:
    return {
        "ethnicity": CatalogueItem.objects.get(kind="ethnicity", code="kinh").pk,
        "religion": CatalogueItem.objects.get(kind="religion", code="khong").pk,
    }


class TestMemberListPage(ListBattery):
    url_name = "members:list"
    marker_of_a = "Nguyễn Văn An"

    def url(self, world):
        targets.official_in_a1(world)
        return reverse(self.url_name)


class TestMemberSearchPage(ListBattery):
    url_name = "members:list"
    marker_of_a = "Nguyễn Văn An"

    def url(self, world):
        targets.official_in_a1(world)
        return reverse(self.url_name) + "?q=nguyen van a&as_of=01/06/2024"


class TestTransfersPage(ListBattery):
    url_name = "members:transfers"
    marker_of_a = "Phạm Thu Hà"

    def url(self, world):
        targets.official_transfer_a1_to_a2(world)
        return reverse(self.url_name)


class TestNewMemberPage(WriteBattery, Battery):
    """Entering a member into a branch outside one's scope: the branch is not offered (form error)."""

    url_name = "members:new"
    elsewhere_write_status = 200

    def target(self, world):
        return world.a1

    def snapshot(self, world):
        return Member.objects.count()

    def post_data(self, world):
        return {
            "family_name": "Hoàng",
            "middle_name": "Văn",
            "given_name": "Minh",
            "gender": "male",
            "birth_date": "05/06/1990",
            **catalogue_ids(),
            "admission_date": "03/02/2015",
            "official_date": "03/02/2016",
            "organisation": world.a1.pk,
            "status": "official",
        }

    def test_no_role_gets_404(self, world, client):
        client.force_login(world.nobody)
        assert client.get(reverse(self.url_name)).status_code == 404

    def test_write_without_role_is_refused_and_nothing_changes(self, world, client):
        before = Member.objects.count()
        client.force_login(world.nobody)
        assert client.post(reverse(self.url_name), self.post_data(world)).status_code == 404
        assert Member.objects.count() == before

    def test_office_sees_the_form(self, world, client):
        client.force_login(world.office_a)
        assert "Chi bộ Phòng Alpha Một" in client.get(reverse(self.url_name)).content.decode()


class _MemberPage(ObjectBattery):
    def target(self, world):
        return targets.official_in_a1(world)


class TestMemberDetailPage(_MemberPage):
    url_name = "members:detail"


class TestMemberHistoryPage(_MemberPage):
    url_name = "members:history"


class TestMemberResumeDocx(_MemberPage):
    url_name = "members:resume_docx"


class TestMemberResumePdf(_MemberPage):
    url_name = "members:resume_pdf"


class TestMemberPhoto(_MemberPage):
    url_name = "members:photo"

    def target(self, world):
        member = targets.official_in_a1(world)
        if not member.photo:
            member.photo.save("an.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 32), save=True)
        return member


class _MemberChange(WriteBattery, ChangeBattery):
    def target(self, world):
        return targets.official_in_a1(world)


class TestMemberEditPage(_MemberChange):
    url_name = "members:edit"

    def post_data(self, world):
        return {
            "family_name": "Nguyễn",
            "given_name": "Ân",
            "gender": "male",
            "birth_date": "02/03/1985",
            **catalogue_ids(),
            "admission_date": "19/05/2010",
            "reason": "Sửa tên",
        }


class TestRecognisePage(_MemberChange):
    url_name = "members:recognise"

    def target(self, world):
        return targets.probationary_in_a1(world)

    def post_data(self, world):
        return {"decided_on": "20/01/2026", "decision_number": "12-QĐ/ĐU"}


class TestTransferPage(_MemberChange):
    url_name = "members:transfer"

    def post_data(self, world):
        return {
            "to_organisation": world.a2.pk,
            "moved_on": (dt.date.today() - dt.timedelta(days=3)).strftime("%d/%m/%Y"),
        }


class TestTemporaryPage(_MemberChange):
    url_name = "members:temporary"

    def post_data(self, world):
        today = dt.date.today()
        return {
            "to_name": "Chi bộ Trường Chính trị tỉnh",
            "start_on": today.strftime("%d/%m/%Y"),
            "end_on": (today + dt.timedelta(days=150)).strftime("%d/%m/%Y"),
        }


class TestExemptPage(_MemberChange):
    url_name = "members:exempt"

    def post_data(self, world):
        return {"ground": "far_from_organisation", "start_on": "01/09/2026"}


class TestExitPage(_MemberChange):
    url_name = "members:exit"

    def post_data(self, world):
        return {"kind": "death", "on": "01/09/2026"}


class TestReadmitPage(_MemberChange):
    url_name = "members:readmit"

    def target(self, world):
        return targets.exited_in_a1(world)

    def post_data(self, world):
        return {"organisation": world.a1.pk, "decided_on": "05/06/2026", "decision_number": "9-QĐ/ĐU"}


class _TransferChange(WriteBattery, ChangeBattery):
    def snapshot(self, world):
        transfer = self.target(world)
        transfer.refresh_from_db()
        return {f.attname: getattr(transfer, f.attname) for f in transfer._meta.concrete_fields}


class TestTransferLetterPage(_TransferChange):
    url_name = "members:transfer_letter"

    def target(self, world):
        return targets.official_transfer_a1_to_a2(world, letter=False)

    def post_data(self, world):
        return {"letter_on": dt.date.today().strftime("%d/%m/%Y")}


class TestTransferAcceptPage(_TransferChange):
    url_name = "members:transfer_accept"

    def target(self, world):
        return targets.official_transfer_a1_to_a2(world)

    def post_data(self, world):
        return {"presented_on": dt.date.today().strftime("%d/%m/%Y")}


class TestTransferCancelPage(_TransferChange):
    url_name = "members:transfer_cancel"

    def target(self, world):
        return targets.official_transfer_a1_to_a2(world)

    def post_data(self, world):
        return {"reason": "Đảng viên không chuyển nữa"}


class TestTransferReturnPage(_TransferChange):
    url_name = "members:transfer_return"

    def target(self, world):
        return targets.temporary_transfer_a1_to_a2(world)

    def post_data(self, world):
        return {"returned_on": dt.date.today().strftime("%d/%m/%Y")}


class TestCommitteePage(ObjectBattery):
    url_name = "members:committee"

    def target(self, world):
        return targets.seat_in_a(world).term


class TestSeatNewPage(WriteBattery, ChangeBattery):
    url_name = "members:seat_new"

    def target(self, world):
        return targets.seat_in_a(world).term

    def snapshot(self, world):
        return self.target(world).seats.count()

    def post_data(self, world):
        return {"member": targets.official_in_a1(world).pk, "position": "member"}


class TestSeatEndPage(WriteBattery, ChangeBattery):
    url_name = "members:seat_end"

    def target(self, world):
        return targets.seat_in_a(world)

    def post_data(self, world):
        return {"end_on": "01/10/2026", "reason": "Chuyển công tác"}


class TestCorrectionClosePage(WriteBattery, ChangeBattery):
    url_name = "members:correction_close"

    def target(self, world):
        return targets.correction_in_a1(world)

    def post_data(self, world):
        return {"answer": "Đã sửa ngày sinh"}


class TestReadAuditPage(AdminOnlyBattery):
    url_name = "members:reads"


class _OwnRecordPage(Battery):
    """Self-service: the page shows the signed-in member's own record; anyone without one gets 404."""

    def url(self, world):
        return reverse(self.url_name)

    def test_officer_without_own_record_gets_404(self, world, client):
        client.force_login(world.office_a)
        assert client.get(self.url(world)).status_code == 404

    def test_member_gets_own_page(self, world, client):
        targets.own_member(world)
        client.force_login(targets.own_user(world))
        assert client.get(self.url(world)).status_code == 200


class TestOwnRecordPage(_OwnRecordPage):
    url_name = "members:me"


class TestCorrectionNewPage(_OwnRecordPage):
    url_name = "members:correction_new"
