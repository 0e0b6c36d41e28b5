"""Forms for organisation pages. Every organisation offered in a choice comes through the scoping gate."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import VietnameseDateField
from dangvu.core.rulebook import rule_entry
from dangvu.core.scoping import Action
from dangvu.core.text import sort_key

from .models import Organisation, OrganisationKind


class OrganisationChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "Không tìm thấy tổ chức này."}

    def label_from_instance(self, obj):
        return f"{'— ' * (obj.depth - 1)}{obj.name}"


def scoped_organisations(user, *, exclude_subtree_of: Organisation | None = None):
    qs = Organisation.objects.restrict(user, Action.CHANGE).filter(dissolved_on__isnull=True)
    if exclude_subtree_of is not None:
        qs = qs.exclude(path__startswith=exclude_subtree_of.path)
    return qs.order_by("path")


class DecisionForm(forms.Form):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))
    decision_number = forms.CharField(label="Số quyết định", max_length=100, required=False)
    decision_date = VietnameseDateField(label="Ngày quyết định", required=False)
    effective_on = VietnameseDateField(
        label="Ngày có hiệu lực", required=False, help_text="Để trống: ngày quyết định, hoặc hôm nay."
    )


class OrganisationCreateForm(DecisionForm):
    kind = forms.ChoiceField(label="Loại tổ chức", choices=OrganisationKind.choices)
    name = forms.CharField(label="Tên tổ chức", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=60, required=False)
    code = forms.CharField(label="Mã tổ chức", max_length=40)
    founded_on = VietnameseDateField(label="Ngày thành lập")
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)

    field_order = [
        "kind",
        "name",
        "short_name",
        "code",
        "founded_on",
        "address",
        "reason",
        "decision_number",
        "decision_date",
    ]

    def __init__(self, *args, allowed_kinds: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["effective_on"]
        if allowed_kinds is not None:
            self.fields["kind"].choices = [(k, OrganisationKind(k).label) for k in allowed_kinds]


class OrganisationUpdateForm(DecisionForm):
    name = forms.CharField(label="Tên tổ chức", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=60, required=False)
    code = forms.CharField(label="Mã tổ chức", max_length=40)
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)

    field_order = [
        "name",
        "short_name",
        "code",
        "address",
        "reason",
        "decision_number",
        "decision_date",
        "effective_on",
    ]


class MoveForm(DecisionForm):
    new_parent = OrganisationChoiceField(
        label="Chuyển đến tổ chức cấp trên", queryset=Organisation.objects.none()
    )
    field_order = ["new_parent", "reason", "decision_number", "decision_date", "effective_on"]

    def __init__(self, *args, user, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = rule_entry("org.allowed_children").value
        parent_kinds = [kind for kind, children in allowed.items() if organisation.kind in children]
        field = self.fields["new_parent"]
        field.queryset = (
            scoped_organisations(user, exclude_subtree_of=organisation)
            .filter(kind__in=parent_kinds)
            .exclude(pk=organisation.parent_id)
        )
        field.empty_label = "— Chọn tổ chức cấp trên —"


class MergeForm(DecisionForm):
    target = OrganisationChoiceField(label="Hợp nhất vào", queryset=Organisation.objects.none())
    field_order = ["target", "reason", "decision_number", "decision_date", "effective_on"]

    def __init__(self, *args, user, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = scoped_organisations(user, exclude_subtree_of=organisation)
        self.fields["target"].empty_label = "— Chọn tổ chức nhận —"


class TermForm(forms.Form):
    number = forms.IntegerField(
        label="Đại hội lần thứ",
        min_value=1,
        required=False,
        error_messages={"invalid": "Hãy nhập một số nguyên."},
    )
    start_on = VietnameseDateField(label="Bắt đầu nhiệm kỳ")
    end_on = VietnameseDateField(
        label="Kết thúc nhiệm kỳ",
        required=False,
        help_text="Để trống: tính theo thời hạn nhiệm kỳ trong sổ quy định.",
    )
    congress_on = VietnameseDateField(label="Ngày đại hội", required=False)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)


class TermEditForm(TermForm):
    reason = forms.CharField(label="Lý do sửa", max_length=300)


def sorted_vietnamese(organisations):
    return sorted(organisations, key=lambda o: sort_key(o.name))
