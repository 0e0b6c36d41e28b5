"""Forms of the member pages. Organisations offered come through the gate; catalogue choices are data."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import VietnameseDateField
from dangvu.core.rulebook import rule_entry
from dangvu.core.scoping import Action
from dangvu.orgs.forms import OrganisationChoiceField
from dangvu.orgs.models import Organisation

from .models import CatalogueItem, CatalogueKind, CommitteePosition, ExitKind, Gender, Member, MemberStatus
from .selectors import UNKNOWN_BRANCH_CODE, branch_by_code
from .services import RECORD_FIELDS


def branches_in_scope(user, on=None):
    kinds = rule_entry("member.home_kinds", on).value
    return (
        Organisation.objects.restrict(user, Action.CHANGE)
        .filter(dissolved_on__isnull=True, kind__in=kinds)
        .order_by("path")
    )


def destinations_for(user, member):
    """Branches the user can see, other than the member's own (a branch elsewhere is named by its code)."""
    kinds = rule_entry("member.home_kinds").value
    return (
        Organisation.objects.restrict(user, Action.VIEW)
        .filter(dissolved_on__isnull=True, kind__in=kinds)
        .exclude(pk=member.organisation_id)
        .order_by("path")
    )


class DestinationMixin:
    """Pick the receiving branch from the list, or type the code of a branch elsewhere in the tree (the
    exact code only: nothing outside the user's scope is listed)."""

    def clean(self):
        data = super().clean()
        code = (data.pop("to_code", "") or "").strip()
        if code:
            found = branch_by_code(code)
            if found is None:
                self.add_error("to_code", UNKNOWN_BRANCH_CODE.format(code=code))
            else:
                data["to_organisation"] = found
        return data


class CatalogueChoiceField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": "Giá trị không có trong danh mục."}

    def __init__(self, kind: str, **kwargs):
        super().__init__(queryset=CatalogueItem.objects.filter(kind=kind, active=True), **kwargs)


DATE_FIELDS = ("birth_date", "admission_date", "ceremony_date", "official_date")
CATALOGUE_FIELDS = {
    "ethnicity": CatalogueKind.ETHNICITY,
    "religion": CatalogueKind.RELIGION,
    "general_education": CatalogueKind.GENERAL_EDUCATION,
    "qualification": CatalogueKind.QUALIFICATION,
    "political_theory": CatalogueKind.POLITICAL_THEORY,
}


class MemberRecordForm(forms.ModelForm):
    """The record's own fields (2-HSĐV). Status and organisation change only through lifecycle actions."""

    class Meta:
        model = Member
        fields = [*RECORD_FIELDS, "photo"]
        widgets = {"gender": forms.Select}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DATE_FIELDS:
            field = self.fields[name]
            self.fields[name] = VietnameseDateField(label=field.label, required=field.required)
        for name, kind in CATALOGUE_FIELDS.items():
            field = self.fields[name]
            self.fields[name] = CatalogueChoiceField(kind, label=field.label, required=field.required)
        self.fields["gender"].choices = Gender.choices
        self.fields["citizen_id"].help_text = "12 chữ số."
        self.fields["photo"].help_text = "Ảnh JPEG hoặc PNG, tối đa 2 MB."

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):
            if photo.size > 2 * 1024 * 1024:
                raise forms.ValidationError("Ảnh quá 2 MB.")
            head = photo.read(8)
            photo.seek(0)
            if not (head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG")):
                raise forms.ValidationError("Ảnh phải là tệp JPEG hoặc PNG.")
        return photo


class MemberEnterForm(MemberRecordForm):
    organisation = OrganisationChoiceField(label="Chi bộ", queryset=Organisation.objects.none())
    status = forms.ChoiceField(
        label="Tình trạng",
        choices=[
            (MemberStatus.PROBATIONARY, "Đảng viên dự bị"),
            (MemberStatus.OFFICIAL, "Đảng viên chính thức"),
        ],
    )
    since = VietnameseDateField(
        label="Sinh hoạt tại chi bộ từ ngày", required=False, help_text="Để trống: từ ngày kết nạp."
    )
    came_from = forms.CharField(label="Chuyển đến từ", max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = branches_in_scope(user)


class MemberEditForm(MemberRecordForm):
    reason = forms.CharField(label="Lý do sửa", widget=forms.Textarea(attrs={"rows": 2}))


class RecogniseForm(forms.Form):
    decided_on = VietnameseDateField(label="Ngày quyết định công nhận")
    decision_number = forms.CharField(label="Số quyết định", max_length=60)


class OfficialTransferForm(DestinationMixin, forms.Form):
    to_organisation = OrganisationChoiceField(
        label="Chi bộ nơi đến (trong hệ thống)", queryset=Organisation.objects.none(), required=False
    )
    to_code = forms.CharField(
        label="Hoặc mã chi bộ nơi đến (ngoài phạm vi của bạn)", max_length=40, required=False
    )
    to_name = forms.CharField(label="Hoặc nơi đến ngoài hệ thống", max_length=255, required=False)
    moved_on = VietnameseDateField(label="Ngày chuyển công tác, nơi cư trú")
    letter_on = VietnameseDateField(label="Ngày cấp giấy giới thiệu", required=False)
    decision_number = forms.CharField(label="Số giấy giới thiệu", max_length=60, required=False)
    late_reason = forms.CharField(label="Lý do chậm (nếu quá hạn)", max_length=255, required=False)

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = destinations


class LetterForm(forms.Form):
    letter_on = VietnameseDateField(label="Ngày cấp giấy giới thiệu")
    decision_number = forms.CharField(label="Số giấy giới thiệu", max_length=60, required=False)
    late_reason = forms.CharField(label="Lý do chậm (nếu quá hạn)", max_length=255, required=False)


class AcceptForm(forms.Form):
    presented_on = VietnameseDateField(label="Ngày đảng viên xuất trình giấy giới thiệu")
    late_reason = forms.CharField(label="Lý do chậm (nếu quá hạn)", max_length=255, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label="Lý do hủy", max_length=255)


class TemporaryTransferForm(DestinationMixin, forms.Form):
    to_organisation = OrganisationChoiceField(
        label="Chi bộ nơi sinh hoạt tạm thời (trong hệ thống)",
        queryset=Organisation.objects.none(),
        required=False,
    )
    to_code = forms.CharField(
        label="Hoặc mã chi bộ nơi đến (ngoài phạm vi của bạn)", max_length=40, required=False
    )
    to_name = forms.CharField(label="Hoặc nơi đến ngoài hệ thống", max_length=255, required=False)
    start_on = VietnameseDateField(label="Từ ngày")
    end_on = VietnameseDateField(label="Đến ngày")
    for_study = forms.BooleanField(label="Đi học tập trung", required=False)
    decision_number = forms.CharField(label="Số giấy giới thiệu", max_length=60, required=False)

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = destinations


class ReturnForm(forms.Form):
    returned_on = VietnameseDateField(label="Ngày trở về")


class ExemptionForm(forms.Form):
    ground = forms.ChoiceField(label="Trường hợp")
    start_on = VietnameseDateField(label="Từ ngày")
    end_on = VietnameseDateField(label="Đến ngày", required=False)
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from dangvu.core.labels import value_label

        grounds = rule_entry("member.temporary_exemption_grounds").value
        self.fields["ground"].choices = [(g, value_label(g)) for g in grounds]


class ExitForm(forms.Form):
    kind = forms.ChoiceField(label="Hình thức", choices=ExitKind.choices)
    on = VietnameseDateField(label="Ngày")
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False)
    decision_date = VietnameseDateField(label="Ngày quyết định", required=False)
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReadmitForm(forms.Form):
    organisation = OrganisationChoiceField(label="Chi bộ", queryset=Organisation.objects.none())
    decided_on = VietnameseDateField(label="Ngày quyết định kết nạp lại")
    decision_number = forms.CharField(label="Số quyết định", max_length=60)
    ceremony_date = VietnameseDateField(label="Ngày lễ kết nạp", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = branches_in_scope(user)


class SeatForm(forms.Form):
    member = forms.ModelChoiceField(label="Đảng viên", queryset=Member.objects.none())
    position = forms.ChoiceField(label="Chức vụ", choices=CommitteePosition.choices)
    full_time = forms.BooleanField(label="Chuyên trách", required=False)
    start_on = VietnameseDateField(label="Từ ngày", required=False, help_text="Để trống: ngày đại hội.")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.full_name} — {m.organisation.name}"


class SeatEndForm(forms.Form):
    end_on = VietnameseDateField(label="Thôi từ ngày")
    reason = forms.CharField(label="Lý do", max_length=255)


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label="Nội dung cần sửa",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ví dụ: ngày sinh đúng là 02/03/1985; quê quán ghi sai tên xã.",
    )


class CorrectionCloseForm(forms.Form):
    answer = forms.CharField(label="Kết quả xử lý", widget=forms.Textarea(attrs={"rows": 2}))
