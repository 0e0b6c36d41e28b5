"""Sign in and out; accounts and roles inside the officer's scope; one's own password."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from dangvu.core.audit import record_change
from dangvu.core.models import ChangeAction, ChangeRecord
from dangvu.core.scoping import Action, OutOfScope, scope_for
from dangvu.core.views import service_form_page

from . import selectors, services
from .forms import AccountActiveForm, AccountOpenForm, RoleAssignForm, RoleEndForm
from .models import RoleAssignment
from .throttle import authenticate_throttled


class LoginForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    password = forms.CharField(label="Mật khẩu", strip=False, widget=forms.PasswordInput)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, error = authenticate_throttled(
            request, form.cleaned_data["username"], form.cleaned_data["password"]
        )
        if user is not None:
            login(request, user)
            return redirect(next_url or "core:dashboard")
        form.add_error(None, error)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


def _can_manage_accounts(user) -> bool:
    scope = scope_for(user)
    return scope.covers_all(Action.CHANGE) or bool(scope.paths_for(Action.CHANGE))


@login_required
def account_list(request):
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "accounts/list.html",
        {
            "accounts": selectors.account_list(fetched_by=request.user, q=q),
            "q": q,
            "can_manage": _can_manage_accounts(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def account_detail(request, pk: int):
    account = selectors.account_get(fetched_by=request.user, pk=pk)
    roles = list(selectors.roles_of(fetched_by=request.user, user=account))
    scope = scope_for(request.user)
    for role in roles:
        role.can_end = role.valid_to is None and (
            scope.covers_all(Action.ADMINISTER)
            or (role.organisation_id and scope.allows_path(role.organisation.path, Action.CHANGE))
        )
    records = (
        ChangeRecord.objects.restrict(request.user)
        .filter(
            Q(content_type__model="roleassignment", object_id__in=[r.pk for r in roles])
            | Q(content_type__model="user", object_id=account.pk)
        )
        .select_related("user", "content_type")
    )
    return render(
        request,
        "accounts/detail.html",
        {
            "account": account,
            "roles": roles,
            "records": records.order_by("-time")[:20],
            "can_manage": _can_manage_accounts(request.user),
        },
    )


NOT_FOUND_ORG = ("organisation", "Không tìm thấy tổ chức này.")


def _account_form(request, *, form, run, success, title, submit_label, account=None, danger=False, **extra):
    return service_form_page(
        request,
        form=form,
        run=run,
        success=success,
        template="accounts/form.html",
        context={"account": account, "title": title, "submit_label": submit_label, "danger": danger},
        **extra,
    )


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def account_new(request):
    if not _can_manage_accounts(request.user):
        raise OutOfScope("no subtree to manage accounts in")

    def run(data):
        return reverse("accounts:detail", args=[services.account_open(by=request.user, **data).pk])

    return _account_form(
        request,
        form=AccountOpenForm(request.POST or None, user=request.user),
        run=run,
        success="Đã mở tài khoản.",
        title="Mở tài khoản mới",
        submit_label="Mở tài khoản",
        out_of_scope=NOT_FOUND_ORG,
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_new(request, pk: int):
    account = selectors.account_get(fetched_by=request.user, pk=pk, action=Action.CHANGE)

    def run(data):
        services.role_assign(by=request.user, user=account, **data)
        return reverse("accounts:detail", args=[account.pk])

    return _account_form(
        request,
        form=RoleAssignForm(request.POST or None, user=request.user),
        run=run,
        success="Đã phân công vai trò.",
        title=f"Phân công vai trò cho {account}",
        submit_label="Phân công",
        account=account,
        out_of_scope=NOT_FOUND_ORG,
    )


@login_required
@require_http_methods(["GET", "POST"])
def role_end(request, pk: int):
    assignment = RoleAssignment.objects.get_in_scope(request.user, Action.CHANGE, pk=pk)

    def run(data):
        services.role_end(by=request.user, assignment=assignment, **data)
        return reverse("accounts:detail", args=[assignment.user_id])

    return _account_form(
        request,
        form=RoleEndForm(request.POST or None),
        run=run,
        success="Đã kết thúc vai trò; lịch sử vẫn được lưu.",
        title=f"Kết thúc vai trò: {assignment}",
        submit_label="Kết thúc vai trò",
        account=assignment.user,
        danger=True,
    )


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            record_change(obj=user, action=ChangeAction.UPDATE, by=user, reason="Tự đổi mật khẩu")
        update_session_auth_hash(request, user)
        messages.success(request, "Đã đổi mật khẩu.")
        return redirect("core:dashboard")
    return render(
        request, "accounts/form.html", {"form": form, "title": "Đổi mật khẩu", "submit_label": "Đổi mật khẩu"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_active(request, pk: int):
    """Lock an active account, or unlock a locked one."""
    account = selectors.account_get(fetched_by=request.user, pk=pk, action=Action.CHANGE)
    locking = account.is_active

    def run(data):
        services.account_set_active(by=request.user, user=account, active=not locking, **data)
        return reverse("accounts:detail", args=[account.pk])

    return _account_form(
        request,
        form=AccountActiveForm(request.POST or None),
        run=run,
        success="Đã khóa tài khoản." if locking else "Đã mở khóa tài khoản.",
        title=f"{'Khóa' if locking else 'Mở khóa'} tài khoản {account}",
        submit_label="Khóa tài khoản" if locking else "Mở khóa",
        account=account,
        danger=locking,
        out_of_scope=(None, "Tài khoản này còn vai trò ở tổ chức ngoài phạm vi của bạn; hãy báo cấp trên."),
    )
