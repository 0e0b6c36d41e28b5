"""Forms for the core pages. Dates are typed dd/mm/yyyy."""

from __future__ import annotations

import json

from django import forms

from .models import CalendarDayKind, RuleStatus

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class VietnameseDateField(forms.DateField):
    widget = DATE_WIDGET
    default_error_messages = {"invalid": "Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy."}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)


class DeadlineForm(forms.Form):
    start = VietnameseDateField(label="Ngày bắt đầu")
    amount = forms.IntegerField(label="Số lượng", min_value=0, max_value=3650)
    unit = forms.ChoiceField(
        label="Đơn vị",
        choices=[("working_days", "ngày làm việc"), ("months", "tháng")],
        initial="working_days",
    )


class RuleVersionForm(forms.Form):
    value = forms.CharField(
        label="Giá trị mới",
        help_text='Số (ví dụ 60), danh sách [30, 40] hoặc bảng {"a": 1} theo đúng dạng của giá trị cũ.',
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    effective_from = VietnameseDateField(label="Có hiệu lực từ ngày")
    citation = forms.CharField(label="Căn cứ", max_length=300, help_text="Tên văn bản, điều, khoản.")
    status = forms.ChoiceField(label="Mức xác nhận", choices=RuleStatus.choices, initial=RuleStatus.CONFIRMED)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="Lý do thay đổi", max_length=500)

    def clean_value(self):
        raw = self.cleaned_data["value"].strip()
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            # A bare word is a string value.
            if raw and not raw.startswith(("[", "{", '"')):
                return raw
            raise forms.ValidationError("Giá trị không đọc được: kiểm tra dấu ngoặc và dấu phẩy.") from None


class CalendarDayForm(forms.Form):
    date = VietnameseDateField(label="Ngày")
    kind = forms.ChoiceField(label="Loại", choices=CalendarDayKind.choices)
    name = forms.CharField(label="Lý do", max_length=200)
