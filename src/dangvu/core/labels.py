"""Vietnamese labels for values the code keeps as identifiers: weekdays, rule groups and units, rule codes."""

from __future__ import annotations

import datetime as dt

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def weekday(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]


GROUP_LABELS = {
    "admission": "Kết nạp đảng viên",
    "badge": "Huy hiệu Đảng",
    "branch": "Chi bộ",
    "denunciation": "Tố cáo",
    "discipline": "Kỷ luật, khiếu nại",
    "document": "Văn bản của Đảng",
    "dues": "Đảng phí",
    "election": "Bầu cử",
    "grassroots": "Tổ chức cơ sở đảng",
    "inspection": "Kiểm tra, giám sát",
    "meeting": "Sinh hoạt chi bộ",
    "member": "Đảng viên",
    "org": "Tổ chức đảng",
    "party_age": "Tuổi đảng",
    "probation": "Đảng viên dự bị",
    "rating": "Đánh giá, xếp loại chất lượng",
    "readmission": "Kết nạp lại",
    "recognition": "Công nhận đảng viên chính thức",
    "report": "Báo cáo định kỳ",
    "stats": "Thống kê",
    "term": "Nhiệm kỳ, đại hội",
    "transfer": "Chuyển sinh hoạt đảng",
    "vote": "Lấy phiếu tín nhiệm",
}

UNIT_LABELS = {
    "days": "ngày",
    "members": "đảng viên",
    "minutes": "phút",
    "months": "tháng",
    "points": "điểm",
    "share": "tỷ lệ",
    "times": "lần",
    "vnd": "đồng",
    "working_days": "ngày làm việc",
    "years": "năm",
}


def value_label(code: str) -> str:
    from .rule_labels import VALUE_LABELS

    return VALUE_LABELS.get(code, code)
