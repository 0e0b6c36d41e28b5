"""Account forms. Organisations offered come through the scoping gate; roles an officer may hand out."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import VietnameseDateField
from dangvu.core.scoping import Action, scope_for
from dangvu.orgs.forms import OrganisationChoiceField, scoped_organisations

from .models import Role


def role_choices(user) -> list[tuple[str, str]]:
    roles = [(r.value, r.label) for r in Role if r != Role.ADMIN]
    if scope_for(user).covers_all(Action.ADMINISTER):
        roles.insert(0, (Role.ADMIN.value, Role.ADMIN.label))
    return roles


class RoleFields(forms.Form):
    role = forms.ChoiceField(label="Vai trò")
    organisation = OrganisationChoiceField(
        label="Tổ chức (vai trò gồm cả các tổ chức trực thuộc)", queryset=None, required=False
    )
    valid_from = VietnameseDateField(label="Hiệu lực từ ngày", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(user)
        self.fields["organisation"].queryset = scoped_organisations(user)
        self.fields["organisation"].empty_label = "— Chọn tổ chức —"

    def clean(self):
        data = super().clean()
        if data.get("role") and data.get("role") != Role.ADMIN and not data.get("organisation"):
            self.add_error("organisation", "Hãy chọn tổ chức cho vai trò này.")
        return data


class AccountOpenForm(RoleFields):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    email = forms.EmailField(label="Thư điện tử", required=False)
    password = forms.CharField(label="Mật khẩu ban đầu", strip=False, widget=forms.PasswordInput)

    field_order = ["username", "full_name", "email", "password", "role", "organisation", "valid_from"]


class RoleAssignForm(RoleFields):
    reason = forms.CharField(label="Lý do", max_length=300)


class AccountActiveForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=300)


class RoleEndForm(forms.Form):
    last_day = VietnameseDateField(
        label="Ngày cuối cùng giữ vai trò", required=False, help_text="Để trống: hôm nay."
    )
    reason = forms.CharField(label="Lý do", max_length=300)
