"""Forms of the report pages. Organisations offered in a choice come through the scoping gate."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from dangvu.core.forms import VietnameseDateField
from dangvu.orgs.forms import OrganisationChoiceField

from . import selectors
from .models import ReportSubmission


class RecipientsField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": "Không tìm thấy tổ chức này.",
        "invalid_pk_value": "Không tìm thấy tổ chức này.",
    }

    def label_from_instance(self, obj):
        return f"{'— ' * (obj.depth - 1)}{obj.name}"


def _half_year(today: dt.date) -> tuple[dt.date, dt.date]:
    if today.month <= 7:
        return dt.date(today.year, 1, 1), dt.date(today.year, 6, 30)
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


class RequestForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Mẫu báo cáo",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Không tìm thấy mẫu báo cáo này."},
    )
    issuer = OrganisationChoiceField(label="Cấp yêu cầu", queryset=None, empty_label=None)
    title = forms.CharField(
        label="Tên báo cáo", max_length=300, required=False, help_text="Để trống: dùng tên mẫu báo cáo."
    )
    period_start = VietnameseDateField(label="Kỳ báo cáo từ ngày")
    period_end = VietnameseDateField(
        label="Kỳ báo cáo đến ngày", help_text="Số liệu được lấy từ thống kê tính đến ngày này."
    )
    due_on = VietnameseDateField(label="Hạn nộp")
    recipients = forms.ChoiceField(
        label="Gửi đến",
        choices=selectors.Recipients.CHOICES,
        initial=selectors.Recipients.CHILDREN,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    organisations = RecipientsField(
        label="Các tổ chức nhận",
        queryset=None,
        required=False,
        help_text="Chỉ dùng khi “Chọn từng tổ chức”; giữ Ctrl để chọn nhiều tổ chức.",
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    note = forms.CharField(
        label="Ghi chú gửi kèm", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, user, **kwargs):
        today = timezone.localdate()
        start, end = _half_year(today)
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "period_start": start,
            "period_end": end,
            "due_on": today + dt.timedelta(days=14),
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = selectors.template_list(fetched_by=user, active_only=True)
        self.fields["issuer"].queryset = selectors.issuers_for(user)
        self.fields["organisations"].queryset = selectors.recipient_choices(user)

    def clean(self):
        data = super().clean()
        if data.get("recipients") == selectors.Recipients.CHOSEN and not data.get("organisations"):
            self.add_error("organisations", "Hãy chọn ít nhất một tổ chức nhận báo cáo.")
        return data

    def recipient_list(self) -> list:
        data = self.cleaned_data
        return selectors.recipients_for(data["issuer"], data["recipients"], data.get("organisations") or ())


class SubmissionForm(forms.Form):
    """The report of one organisation: number, signer, one text per section, and each figure with the
    reason for a correction."""

    number = forms.CharField(
        label="Số, ký hiệu", max_length=60, required=False, help_text="Ví dụ: 05-BC/CB. Để trống nếu chưa có."
    )
    signer = forms.CharField(label="Người ký (bí thư)", max_length=150, required=False)

    def __init__(self, *args, submission: ReportSubmission, **kwargs):
        figures = list(submission.figures.order_by("position"))
        initial = {"number": submission.number, "signer": submission.signer}
        for index, (_section, text) in enumerate(submission.sections_with_text()):
            initial[f"section_{index}"] = text
        for figure in figures:
            initial[f"value_{figure.position}"] = figure.value.normalize()
            initial[f"reason_{figure.position}"] = figure.reason
        super().__init__(*args, initial=initial, **kwargs)
        self.submission, self.figure_rows = submission, figures
        self.section_names = []
        for index, section in enumerate(submission.request.sections):
            name = f"section_{index}"
            self.fields[name] = forms.CharField(
                label=f"{index + 1}. {section['title']}",
                help_text=section.get("guidance", ""),
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.section_names.append(name)
        for figure in figures:
            self.fields[f"value_{figure.position}"] = forms.DecimalField(
                label=figure.label,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                localize=True,
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm text-end", "inputmode": "decimal"}
                ),
                error_messages={
                    "required": f"Chỉ tiêu “{figure.label}”: hãy nhập số liệu.",
                    "invalid": f"Chỉ tiêu “{figure.label}”: số liệu phải là một số.",
                    "min_value": f"Chỉ tiêu “{figure.label}”: số liệu không được âm.",
                },
            )
            self.fields[f"reason_{figure.position}"] = forms.CharField(
                label=f"Lý do sửa “{figure.label}”",
                max_length=500,
                required=False,
                widget=forms.TextInput(
                    attrs={"class": "form-control form-control-sm", "placeholder": "Lý do, nếu sửa số liệu"}
                ),
            )

    def sections(self):
        return [self[name] for name in self.section_names]

    def figure_fields(self):
        return [(f, self[f"value_{f.position}"], self[f"reason_{f.position}"]) for f in self.figure_rows]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "narrative": [data[name] for name in self.section_names],
            "figures": {
                f.key: (data[f"value_{f.position}"], data[f"reason_{f.position}"]) for f in self.figure_rows
            },
            "number": data["number"],
            "signer": data["signer"],
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


# ───────────────────────── report templates (administrator) ─────────────────────────


class TemplateForm(forms.Form):
    name = forms.CharField(label="Tên mẫu báo cáo", max_length=300)
    description = forms.CharField(
        label="Mô tả", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    active = forms.BooleanField(label="Đang dùng (cấp trên chọn được khi giao báo cáo)", required=False)
    reason = forms.CharField(label="Lý do thay đổi", max_length=500, required=False)


class IndicatorForm(forms.Form):
    key = forms.ChoiceField(label="Chỉ tiêu thống kê", required=False)
    label = forms.CharField(
        label="Tên in trong báo cáo",
        max_length=300,
        required=False,
        help_text="Để trống: tên trong thống kê.",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [("", "— (bỏ trống) —"), *choices]


class SectionForm(forms.Form):
    title = forms.CharField(label="Tiêu đề phần", max_length=300, required=False)
    guidance = forms.CharField(
        label="Hướng dẫn viết", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


def indicator_choices() -> list:
    """The statistics' indicators grouped for a select; outside the members group each option names its
    group too, since a closed select shows only the option ("Đại học" of which list?)."""
    groups = selectors.indicator_groups()
    first = groups[0][0] if groups else ""
    return [
        (title, [(key, label if title == first else f"{label} — {title}") for key, label in rows])
        for title, rows in groups
    ]


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=3, max_num=60, absolute_max=80)
SectionFormSet = forms.formset_factory(SectionForm, extra=2, max_num=20, absolute_max=30)


def formset_rows(formset, required: str) -> list[dict]:
    """The filled rows of a formset, in order (a row whose ``required`` field is empty is left out)."""
    return [form.cleaned_data for form in formset.forms if form.cleaned_data.get(required)]
