"""Member pages: list and search, the record, lifecycle actions, committees, self-service, read audit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangvu.core.audit import history_for
from dangvu.core.rulebook import Rulebook
from dangvu.core.scoping import Action, OutOfScope, scope_for
from dangvu.core.views import date_param, service_form_page
from dangvu.orgs.models import Organisation, Term

from . import forms, rules, selectors, services
from .models import (
    CommitteeSeat,
    CorrectionRequest,
    CorrectionState,
    Member,
    MemberRead,
    ReadVia,
    Transfer,
)


def _member(request, pk: int, action: str = Action.VIEW) -> Member:
    return Member.objects.select_related("organisation__parent").get_in_scope(request.user, action, pk=pk)


def _can_change(user, member: Member) -> bool:
    return scope_for(user).allows_path(member.organisation.path, Action.CHANGE)


# ───────────────────────── list ─────────────────────────


@login_required
def member_list_page(request):
    scope = scope_for(request.user)
    if not scope.paths_for(Action.VIEW) and not scope.covers_all(Action.VIEW) and scope.member_ids:
        return redirect("members:me")
    within = None
    within_raw = request.GET.get("within", "").strip()
    if within_raw.isdigit():
        within = Organisation.objects.get_in_scope(request.user, Action.VIEW, pk=int(within_raw))
    status = request.GET.get("status", "in_party")
    if status not in selectors.STATUS_FILTERS:
        status = "in_party"
    q = request.GET.get("q", "").strip()
    as_of_raw = request.GET.get("as_of", "").strip()
    as_of = date_param(request, "as_of")
    members = selectors.with_gaps(
        selectors.member_list(request.user, within=within, status=status, q=q, as_of=as_of)
    )
    rows, next_cursor = selectors.keyset_page(members, request.GET.get("after"), size=50)
    on = as_of or timezone.localdate()
    book = Rulebook.load()
    for member in rows:
        member.age = selectors.party_age(member, on, book)
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "rows": rows,
        "next_cursor": next_cursor,
        "query": query.urlencode(),
        "within": within,
        "status": status,
        "statuses": selectors.STATUS_FILTERS,
        "q": q,
        "as_of": as_of,
        "as_of_raw": as_of_raw,
        "as_of_error": as_of_raw and as_of is None,
        "on": on,
        "organisations": Organisation.objects.restrict(request.user)
        .filter(depth__lte=4)
        .order_by("path")[:500],
        "can_enter": bool(scope.paths_for(Action.CHANGE)) or scope.covers_all(Action.CHANGE),
    }
    if within is not None:
        if as_of is None:
            context["counts"] = selectors.current_counts([within])[within.pk]
        else:
            context["counts"] = selectors.member_counts([within], as_of)[within.pk]
    template = "members/_rows.html" if request.htmx and request.GET.get("after") else "members/list.html"
    return render(request, template, context)


# ───────────────────────── the record ─────────────────────────


def _record_context(request, member: Member, *, self_view: bool = False) -> dict:
    today = timezone.localdate()
    on = date_param(request, "as_of") or today
    context = {
        "member": member,
        "on": on,
        "today": today,
        "age": selectors.party_age(member, on),
        "status_on": selectors.status_on(member, on) if on != today else None,
        "show_private": selectors.can_see_private(request.user, member),
        "periods": member.periods.select_related("organisation").order_by("valid_from"),
        "transfers": member.transfers.select_related("from_organisation", "to_organisation"),
        "exemptions": member.exemptions.all(),
        "seats": member.seats.select_related("term__organisation").order_by("-start_on"),
        "corrections": member.correction_requests.select_related("requested_by", "handled_by"),
        "self_view": self_view,
    }
    if member.status == "probationary":
        context["probation_end"] = rules.probation_end(member)
        context["recognition_due"] = rules.recognition_due(member)[0]
    if not self_view:
        context["can_change"] = _can_change(request.user, member)
        context["history"] = history_for(member).select_related("content_type")[:10]
    return context


@login_required
def detail(request, pk: int):
    member = _member(request, pk)
    if member.user_id == request.user.pk:
        return redirect("members:me")
    services.record_read(request.user, member, ReadVia.PAGE)
    return render(request, "members/detail.html", _record_context(request, member))


@login_required
def me(request):
    member = Member.objects.select_related("organisation__parent").filter(user=request.user).first()
    if member is None:
        raise Http404("Tài khoản này không gắn với hồ sơ đảng viên nào.")
    return render(request, "members/detail.html", _record_context(request, member, self_view=True))


@login_required
def history(request, pk: int):
    member = _member(request, pk)
    page = Paginator(history_for(member).select_related("content_type"), 50).get_page(request.GET.get("page"))
    return render(request, "members/history.html", {"member": member, "page": page})


@login_required
def photo(request, pk: int):
    member = _member(request, pk)
    if not member.photo:
        raise Http404("Không có ảnh.")
    return FileResponse(member.photo.open("rb"))


@login_required
def resume(request, pk: int, fmt: str):
    from . import resume as resume_module

    member = _member(request, pk)
    services.record_read(request.user, member, ReadVia.RESUME, detail=fmt)
    on = date_param(request, "as_of") or timezone.localdate()
    show_private = selectors.can_see_private(request.user, member)
    if fmt == "pdf":
        content, mime = resume_module.resume_pdf(member, show_private=show_private, on=on), "application/pdf"
    else:
        content = resume_module.resume_docx(member, show_private=show_private, on=on)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="ly-lich-dang-vien-{member.pk}.{fmt}"'
    return response


# ───────────────────────── forms that call a service ─────────────────────────


def then_go(action, url_name: str, *args):
    """For ``service_form_page``: run ``action(cleaned_data)``, then go to ``url_name``."""

    def run(data):
        action(data)
        return reverse(url_name, args=args)

    return run


def _action_page(request, member, *, form, title, submit, run, success, danger=False):
    return service_form_page(
        request,
        form=form,
        run=then_go(run, "members:detail", member.pk),
        success=success,
        template="members/form.html",
        context={"member": member, "title": title, "submit_label": submit, "danger": danger},
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    scope = scope_for(request.user)
    if not scope.paths_for(Action.CHANGE) and not scope.covers_all(Action.CHANGE):
        raise OutOfScope("no branch to enter members into")
    initial = {}
    if request.GET.get("organisation", "").isdigit():
        initial["organisation"] = request.GET["organisation"]
    form = forms.MemberEnterForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )

    def enter(data):
        member = form.save(commit=False)
        member.organisation, member.status = data["organisation"], data["status"]
        member = services.member_enter(
            by=request.user, member=member, since=data.get("since"), came_from=data.get("came_from", "")
        )
        return reverse("members:detail", args=[member.pk])

    return service_form_page(
        request,
        form=form,
        run=enter,
        success="Đã nhập hồ sơ đảng viên.",
        template="members/form.html",
        context={"title": "Nhập hồ sơ đảng viên", "multipart": True, "submit_label": "Lưu hồ sơ"},
        out_of_scope=("organisation", "Chi bộ này nằm ngoài phạm vi bạn được giao."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    member = _member(request, pk, Action.CHANGE)
    # The form works on its own copy: validation writes into its instance, the service reloads the row.
    form = forms.MemberEditForm(
        request.POST or None, request.FILES or None, instance=Member.objects.get(pk=pk)
    )
    return service_form_page(
        request,
        form=form,
        run=then_go(
            lambda data: services.member_update(
                by=request.user,
                member=member,
                changes={name: data[name] for name in form.changed_data if name != "reason"},
                reason=data["reason"],
            ),
            "members:detail",
            member.pk,
        ),
        success="Đã lưu hồ sơ.",
        template="members/form.html",
        context={"member": member, "title": "Sửa hồ sơ", "multipart": True, "submit_label": "Lưu"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def recognise(request, pk: int):
    member = _member(request, pk, Action.CHANGE)
    return _action_page(
        request,
        member,
        form=forms.RecogniseForm(request.POST or None),
        title="Công nhận đảng viên chính thức",
        submit="Công nhận",
        run=lambda d: services.member_recognise(by=request.user, member=member, **d),
        success="Đã công nhận đảng viên chính thức.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request, pk: int):
    member = _member(request, pk, Action.CHANGE)
    form = forms.OfficialTransferForm(
        request.POST or None, destinations=forms.destinations_for(request.user, member)
    )
    return _action_page(
        request,
        member,
        form=form,
        title="Chuyển sinh hoạt đảng chính thức",
        submit="Chuyển sinh hoạt",
        run=lambda d: services.transfer_official_start(by=request.user, member=member, **d),
        success="Đã ghi nhận chuyển sinh hoạt đảng chính thức.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def temporary(request, pk: int):
    member = _member(request, pk, Action.CHANGE)
    form = forms.TemporaryTransferForm(
        request.POST or None, destinations=forms.destinations_for(request.user, member)
    )
    return _action_page(
        request,
        member,
        form=form,
        title="Chuyển sinh hoạt đảng tạm thời",
        submit="Chuyển sinh hoạt tạm thời",
        run=lambda d: services.transfer_temporary_start(by=request.user, member=member, **d),
        success="Đã ghi nhận chuyển sinh hoạt đảng tạm thời.",
    )


def _transfer(request, pk: int) -> Transfer:
    return Transfer.objects.select_related("member__organisation").get_in_scope(
        request.user, Action.CHANGE, pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_letter(request, pk: int):
    item = _transfer(request, pk)
    return _action_page(
        request,
        item.member,
        form=forms.LetterForm(request.POST or None),
        title=f"Cấp giấy giới thiệu chuyển sinh hoạt đến {item.destination}",
        submit="Cấp giấy",
        run=lambda d: services.transfer_issue_letter(by=request.user, transfer=item, **d),
        success="Đã ghi nhận giấy giới thiệu.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_accept(request, pk: int):
    item = _transfer(request, pk)
    return service_form_page(
        request,
        form=forms.AcceptForm(request.POST or None),
        run=then_go(
            lambda d: services.transfer_accept(by=request.user, transfer=item, **d),
            "members:detail",
            item.member_id,
        ),
        success=f"Đã tiếp nhận đảng viên {item.member.full_name}.",
        template="members/form.html",
        context={
            "member": item.member,
            "title": f"Tiếp nhận đảng viên chuyển đến {item.destination}",
            "submit_label": "Tiếp nhận",
            "transfer": item,
        },
        out_of_scope=(None, "Chỉ văn phòng, bí thư của nơi đến mới tiếp nhận được."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_cancel(request, pk: int):
    item = _transfer(request, pk)
    return _action_page(
        request,
        item.member,
        form=forms.CancelForm(request.POST or None),
        title="Hủy chuyển sinh hoạt",
        submit="Hủy lần chuyển",
        run=lambda d: services.transfer_cancel(by=request.user, transfer=item, **d),
        success="Đã hủy lần chuyển sinh hoạt.",
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_return(request, pk: int):
    item = _transfer(request, pk)
    return _action_page(
        request,
        item.member,
        form=forms.ReturnForm(request.POST or None),
        title="Trở về sinh hoạt tại chi bộ chính thức",
        submit="Ghi nhận trở về",
        run=lambda d: services.transfer_return(by=request.user, transfer=item, **d),
        success="Đã ghi nhận đảng viên trở về.",
    )


@login_required
def transfers(request):
    items = sorted(
        Transfer.objects.restrict(request.user)
        .open()
        .select_related("member", "from_organisation__parent", "to_organisation__parent"),
        key=lambda t: t.due_on or timezone.localdate(),
    )
    return render(
        request,
        "members/transfers.html",
        {"transfers": items, "today": timezone.localdate(), "scope": scope_for(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def exempt(request, pk: int):
    member = _member(request, pk, Action.CHANGE)
    return _action_page(
        request,
        member,
        form=forms.ExemptionForm(request.POST or None),
        title="Miễn công tác và sinh hoạt đảng",
        submit="Ghi nhận",
        run=lambda d: services.exemption_grant(by=request.user, member=member, **d),
        success="Đã ghi nhận miễn công tác và sinh hoạt đảng.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def exit_(request, pk: int):
    member = _member(request, pk, Action.CHANGE)
    return _action_page(
        request,
        member,
        form=forms.ExitForm(request.POST or None),
        title="Ra khỏi Đảng (từ trần, xóa tên, khai trừ, xin ra)",
        submit="Ghi nhận",
        run=lambda d: services.member_exit(by=request.user, member=member, **d),
        success="Đã ghi nhận. Hồ sơ vẫn được lưu giữ.",
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def readmit(request, pk: int):
    member = _member(request, pk, Action.CHANGE)
    return _action_page(
        request,
        member,
        form=forms.ReadmitForm(request.POST or None, user=request.user),
        title="Kết nạp lại",
        submit="Kết nạp lại",
        run=lambda d: services.member_readmit(by=request.user, member=member, **d),
        success="Đã ghi nhận kết nạp lại.",
    )


# ───────────────────────── committees ─────────────────────────


@login_required
def committee(request, term_pk: int):
    term = Term.objects.select_related("organisation").get_in_scope(request.user, Action.VIEW, pk=term_pk)
    seats = selectors.committee_of(term)
    can_change = scope_for(request.user).allows_path(term.organisation.path, Action.CHANGE)
    return render(
        request,
        "members/committee.html",
        {"term": term, "seats": seats, "can_change": can_change, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_new(request, term_pk: int):
    term = Term.objects.select_related("organisation").get_in_scope(request.user, Action.CHANGE, pk=term_pk)
    members = (
        Member.objects.restrict(request.user)
        .in_party()
        .within(term.organisation)
        .select_related("organisation")
    )
    return service_form_page(
        request,
        form=forms.SeatForm(request.POST or None, members=members),
        run=then_go(
            lambda d: services.seat_add(by=request.user, term=term, **d), "members:committee", term.pk
        ),
        success="Đã ghi nhận cấp ủy viên.",
        template="members/form.html",
        context={
            "title": f"Bổ sung cấp ủy viên — {term.organisation.name}, nhiệm kỳ {term.label}",
            "submit_label": "Lưu",
            "term": term,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_end(request, pk: int):
    seat = CommitteeSeat.objects.select_related("term__organisation", "member").get_in_scope(
        request.user, Action.CHANGE, pk=pk
    )
    return service_form_page(
        request,
        form=forms.SeatEndForm(request.POST or None),
        run=then_go(
            lambda d: services.seat_end(by=request.user, seat=seat, **d), "members:committee", seat.term_id
        ),
        success="Đã ghi nhận thôi giữ chức vụ.",
        template="members/form.html",
        context={
            "title": f"Thôi giữ chức vụ: {seat.member.full_name} ({seat.get_position_display()})",
            "submit_label": "Lưu",
            "term": seat.term,
        },
    )


# ───────────────────────── self-service and corrections ─────────────────────────


@login_required
@require_http_methods(["GET", "POST"])
def correction_new(request):
    member = Member.objects.filter(user=request.user).first()
    if member is None:
        raise Http404("Tài khoản này không gắn với hồ sơ đảng viên nào.")
    return service_form_page(
        request,
        form=forms.CorrectionForm(request.POST or None),
        run=then_go(lambda d: services.correction_request(by=request.user, member=member, **d), "members:me"),
        success="Đã gửi đề nghị sửa hồ sơ đến văn phòng cấp ủy.",
        template="members/form.html",
        context={"title": "Đề nghị sửa hồ sơ của tôi", "submit_label": "Gửi đề nghị", "self_view": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def correction_close(request, pk: int):
    item = CorrectionRequest.objects.select_related("member").get_in_scope(request.user, Action.CHANGE, pk=pk)
    if item.state != CorrectionState.OPEN:
        return redirect("members:detail", item.member_id)
    return _action_page(
        request,
        item.member,
        form=forms.CorrectionCloseForm(request.POST or None),
        title=f"Xử lý đề nghị: “{item.text[:80]}”",
        submit="Đã xử lý",
        run=lambda d: services.correction_close(by=request.user, request=item, **d),
        success="Đã ghi nhận kết quả xử lý đề nghị.",
    )


# ───────────────────────── read audit ─────────────────────────


@login_required
def reads(request):
    if not scope_for(request.user).covers_all(Action.ADMINISTER):
        raise OutOfScope("read audit is for the administrator")
    entries = MemberRead.objects.restrict(request.user).select_related("user", "member")
    if request.GET.get("member", "").isdigit():
        entries = entries.filter(member_id=int(request.GET["member"]))
    if request.GET.get("user", "").strip():
        entries = entries.filter(user__username=request.GET["user"].strip())
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "members/reads.html", {"page": page})
