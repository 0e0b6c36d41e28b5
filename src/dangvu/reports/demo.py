"""Demo data of the report module: the bloc asks its grassroots organisations for the annual report, due
in a few days (so it is in the officers' "Việc đến hạn"); two of them have submitted, one with a
corrected figure. Built through the services, like the rest of the demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

SECTIONS_TEXT = [
    "Đảng bộ có {members} đảng viên; đơn vị hoàn thành nhiệm vụ chính trị được giao.",
    "Lãnh đạo cơ quan hoàn thành các chỉ tiêu kế hoạch năm; cải cách hành chính có chuyển biến.",
    "Duy trì sinh hoạt chi bộ định kỳ; làm tốt công tác phát triển đảng viên, kiểm tra, giám sát.",
    "Đảng bộ hoàn thành tốt nhiệm vụ; còn một số chi bộ sinh hoạt chưa đều.",
    "Tiếp tục nâng cao chất lượng sinh hoạt chi bộ, chú trọng kết nạp đảng viên trẻ.",
    "Đề nghị Đảng ủy Khối mở lớp bồi dưỡng nghiệp vụ công tác đảng cho cấp ủy viên mới.",
]


def load_reports(admin, today: dt.date | None = None) -> dict:
    from dangvu.orgs.models import Organisation

    from . import selectors, services
    from .models import ReportTemplate

    today = today or timezone.localdate()
    bloc = Organisation.objects.get(code="KCQ")
    request = services.request_create(
        by=admin,
        issuer=bloc,
        template=ReportTemplate.objects.get(code="tong-ket-nam"),
        recipients=selectors.recipients_for(bloc, selectors.Recipients.GRASSROOTS),
        period_start=dt.date(today.year, 1, 1),
        period_end=dt.date(today.year, 12, 31),
        due_on=today + dt.timedelta(days=4),
        title=f"Báo cáo tổng kết công tác xây dựng Đảng năm {today.year}",
        note="Các đảng bộ, chi bộ cơ sở nộp báo cáo đúng hạn; số liệu tính đến ngày báo cáo.",
    )
    submitted = 0
    answers = (("KCQ.02", None), ("KCQ.03", ("members.female", 1, "Hai đồng chí chưa cập nhật hồ sơ")))
    for code, correction in answers:
        submission = request.submissions.select_related("organisation").get(organisation__code=code)
        figures = {}
        if correction:
            key, extra, reason = correction
            figure = submission.figures.get(key=key)
            figures[key] = (figure.prefilled + Decimal(extra), reason)
        members = submission.figures.get(key="members.total").value.normalize()
        services.submission_submit(
            by=admin,
            submission=submission,
            narrative=[text.format(members=f"{members:f}") for text in SECTIONS_TEXT],
            figures=figures,
            number=f"{10 + submitted:02d}-BC/ĐU",
            signer="Bí thư Đảng ủy",
        )
        submitted += 1
    return {"requests": 1, "recipients": request.submissions.count(), "submitted": submitted}
