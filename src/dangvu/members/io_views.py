"""Member import (upload, progress, errors, annotated file, template) and list export (xlsx, csv) pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangvu.core import tabular
from dangvu.core.scoping import Action, scope_for
from dangvu.core.views import date_param, service_form_page
from dangvu.orgs.forms import OrganisationChoiceField, scoped_organisations
from dangvu.orgs.models import Organisation

from . import imports, selectors, services
from .models import CatalogueItem, Gender, ImportJob, ImportState, MemberStatus, ReadVia

RUNNING_STATES = (ImportState.QUEUED, ImportState.RUNNING)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp dữ liệu",
        help_text="Tệp Excel (.xlsx) theo mẫu, hoặc CSV (UTF-8, phân cách bằng dấu phẩy hoặc chấm phẩy).",
        error_messages={"required": "Hãy chọn tệp cần nhập."},
    )
    organisation = OrganisationChoiceField(
        label="Nhập vào tổ chức",
        queryset=Organisation.objects.none(),
        help_text="Mỗi dòng ghi mã chi bộ thuộc tổ chức này; để trống mã thì nhập vào chính tổ chức này.",
        error_messages={"required": "Hãy chọn tổ chức."},
    )
    dry_run = forms.BooleanField(
        label="Chỉ kiểm tra, chưa ghi",
        required=False,
        help_text="Kiểm tra toàn bộ tệp và báo lỗi, không ghi gì.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = scoped_organisations(user)


def _job(request, pk: int, action: str = Action.VIEW) -> ImportJob:
    return ImportJob.objects.select_related("organisation", "created_by").get_in_scope(
        request.user, action, pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    recent = ImportJob.objects.restrict(request.user).select_related("organisation", "created_by")[:10]

    def run(data):
        job = imports.start_import(
            by=request.user, organisation=data["organisation"], upload=data["file"], dry_run=data["dry_run"]
        )
        return reverse("members:import_detail", args=[job.pk])

    return service_form_page(
        request,
        form=form,
        run=run,
        success="Đã nhận tệp. Kết quả kiểm tra ở bên dưới.",
        template="members/import_form.html",
        context={
            "recent": recent,
            "sync_max_rows": imports.sync_max_rows(),
            "columns": imports.COLUMNS,
        },
        out_of_scope=("organisation", "Tổ chức này nằm ngoài phạm vi bạn được giao."),
    )


@login_required
def import_template(request):
    response = HttpResponse(imports.template_xlsx(), content_type=tabular.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-dang-vien.xlsx"'
    return response


def _detail_context(request, job: ImportJob) -> dict:
    return {
        "job": job,
        "running": job.state in RUNNING_STATES,
        "can_download": bool(job.annotated)
        and scope_for(request.user).allows_path(job.organisation.path, Action.CHANGE),
        "errors_shown": len(job.errors),
    }


@login_required
def import_detail(request, pk: int):
    job = _job(request, pk)
    return render(request, "members/import_detail.html", _detail_context(request, job))


@login_required
def import_progress(request, pk: int):
    """The progress partial the detail page polls every second while the job is queued or running; once
    the job has finished, htmx is told to reload the page so the result shows."""
    job = _job(request, pk)
    response = render(request, "members/_import_progress.html", _detail_context(request, job))
    if request.htmx and job.state not in RUNNING_STATES:
        response["HX-Refresh"] = "true"
    return response


@login_required
def import_annotated(request, pk: int):
    """The uploaded rows with their errors. It holds the file's personal data, so only those who may
    change records of the organisation download it."""
    job = _job(request, pk, Action.CHANGE)
    if not job.annotated:
        raise Http404("no annotated file")
    return FileResponse(
        job.annotated.open("rb"),
        as_attachment=True,
        filename=f"ket-qua-kiem-tra-{job.pk}.xlsx",
        content_type=tabular.XLSX_CONTENT_TYPE,
    )


# ───────────────────────── export ─────────────────────────

EXPORT_HEADERS = (
    "STT",
    "Họ và tên",
    "Họ",
    "Tên đệm",
    "Tên",
    "Giới tính",
    "Ngày sinh",
    "Nơi sinh",
    "Quê quán",
    "Dân tộc",
    "Tôn giáo",
    "Số CCCD",
    "Điện thoại",
    "Email",
    "Nơi ở hiện nay",
    "Nghề nghiệp",
    "Chức vụ",
    "Nơi làm việc",
    "Giáo dục phổ thông",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Ngoại ngữ",
    "Ngày kết nạp",
    "Số quyết định kết nạp",
    "Ngày lễ kết nạp",
    "Ngày chính thức",
    "Số thẻ đảng viên",
    "Người giới thiệu",
    "Chi bộ",
    "Mã chi bộ",
    "Tình trạng",
)
EXPORT_WIDTHS = (6, 26, 12, 12, 10, 8, 12, 18, 18, 10, 12, 15, 13, 22, 30, 16, 16, 22, 10, 14, 12, 12)
EXPORT_WIDTHS += (12, 14, 12, 12, 14, 22, 28, 10, 20)


def _export_query(request):
    """The member list's filters (same parameters as the list page), scoped; and how to describe them."""
    within = None
    within_raw = request.GET.get("within", "").strip()
    if within_raw:
        if not within_raw.isdigit():
            raise Http404("bad organisation")
        within = Organisation.objects.get_in_scope(request.user, Action.VIEW, pk=int(within_raw))
    status = request.GET.get("status", "in_party")
    if status not in selectors.STATUS_FILTERS:
        status = "in_party"
    q = request.GET.get("q", "").strip()[:100]
    as_of = date_param(request, "as_of")
    members = selectors.member_list(request.user, within=within, status=status, q=q, as_of=as_of)
    described = [f"Tổ chức: {within.name if within else 'toàn bộ phạm vi'}"]
    described.append(f"Tình trạng: {selectors.STATUS_FILTERS[status]}")
    if q:
        described.append(f"Tìm: {q}")
    if as_of:
        described.append(f"Tại ngày: {as_of:%d/%m/%Y}")
    return members, "; ".join(described)


def _export_rows(user, members):
    catalogue = dict(CatalogueItem.objects.values_list("pk", "name"))
    # Labels looked up once (get_FOO_display() rebuilds its lookup table on every call).
    genders = {value: str(label) for value, label in Gender.choices}
    statuses = {value: str(label) for value, label in MemberStatus.choices}
    for number, member in enumerate(members.iterator(chunk_size=2000), start=1):
        # Citizen ID, phone, email and address only where the user may see them (blank otherwise).
        private = selectors.can_see_private(user, member)
        yield (
            number,
            member.full_name,
            member.family_name,
            member.middle_name,
            member.given_name,
            genders.get(member.gender, member.gender),
            member.birth_date,
            member.birthplace,
            member.hometown,
            catalogue.get(member.ethnicity_id, ""),
            catalogue.get(member.religion_id, ""),
            (member.citizen_id or "") if private else "",
            member.phone if private else "",
            member.email if private else "",
            member.address if private else "",
            member.occupation,
            member.position,
            member.workplace,
            catalogue.get(member.general_education_id, ""),
            catalogue.get(member.qualification_id, ""),
            catalogue.get(member.political_theory_id, ""),
            member.foreign_language,
            member.admission_date,
            member.admission_decision_number,
            member.ceremony_date,
            member.official_date,
            member.card_number or "",
            member.introducers,
            member.organisation.name,
            member.organisation.code,
            statuses.get(member.status, member.status),
        )


def _export(request, fmt: str):
    members, described = _export_query(request)
    count = members.count()
    services.record_read(request.user, None, ReadVia.EXPORT, detail=f"{described}; {count} hồ sơ ({fmt})")
    filename = f"danh-sach-dang-vien-{timezone.localdate():%Y%m%d}.{fmt}"
    rows = _export_rows(request.user, members)
    if fmt == "csv":
        return tabular.csv_response(filename, EXPORT_HEADERS, rows)
    return tabular.xlsx_response(
        filename,
        [
            tabular.SheetSpec(
                title="Danh sách đảng viên", headers=EXPORT_HEADERS, rows=rows, widths=EXPORT_WIDTHS
            )
        ],
    )


@login_required
def export_xlsx(request):
    return _export(request, "xlsx")


@login_required
def export_csv(request):
    return _export(request, "csv")
