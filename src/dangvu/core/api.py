"""API pieces shared by every app, and the core endpoints: rules, deadline calculator, inbox."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .audit import visible_changes
from .calendar import add_months, add_working_days
from .dueitems import inbox_for
from .models import ChangeRecord, Rule

# DRF's Vietnamese catalogue is incomplete: the messages an API client meets, in Vietnamese.
_MESSAGES = {
    exceptions.NotAuthenticated: "Chưa đăng nhập: gửi kèm mã truy cập (Authorization: Token …).",
    exceptions.AuthenticationFailed: "Mã truy cập hoặc thông tin đăng nhập không hợp lệ.",
    exceptions.NotFound: "Không tìm thấy.",
    exceptions.PermissionDenied: "Bạn không có quyền thực hiện thao tác này.",
    exceptions.ParseError: "Dữ liệu gửi lên không đọc được (JSON không hợp lệ).",
    exceptions.UnsupportedMediaType: "Kiểu dữ liệu gửi lên không được hỗ trợ; hãy gửi JSON.",
    exceptions.Throttled: "Quá nhiều yêu cầu; vui lòng thử lại sau.",
    exceptions.NotAcceptable: "Không trả lời được theo định dạng yêu cầu.",
}


def exception_handler(exc, context):
    """Errors an API client sees, in Vietnamese: service ``ValidationError``s become 400 with the message per
    field; a 404 never says what was looked for (out of scope and missing look the same)."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, exceptions.MethodNotAllowed):
        method = context["request"].method
        exc = exceptions.MethodNotAllowed(method, f"Không dùng được {method} ở đây.")
    else:
        for cls, message in _MESSAGES.items():
            # Our own PermissionDenied messages are Vietnamese already; every other detail is DRF's English.
            keep = cls is exceptions.PermissionDenied and str(exc.detail) != str(cls.default_detail)
            if isinstance(exc, cls) and not keep:
                exc = cls(exc.wait, message) if cls is exceptions.Throttled else cls(message)
                break
    return drf_exception_handler(exc, context)


def parse_date_param(request, name: str, default: dt.date | None = None) -> dt.date | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValidationError({name: [f"Ngày không hợp lệ: “{raw}” (dùng YYYY-MM-DD hoặc dd/mm/yyyy)."]})


class ChangeRecordSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    object_type = serializers.CharField(source="content_type.model", read_only=True)
    changes = serializers.SerializerMethodField()

    def get_changes(self, record) -> dict:
        request = self.context.get("request")
        return visible_changes(record, request.user) if request is not None else record.changes

    class Meta:
        model = ChangeRecord
        fields = [
            "id",
            "time",
            "user_name",
            "request_id",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "object_repr",
            "organisation",
            "changes",
            "data",
            "reason",
            "decision_number",
            "decision_date",
            "effective_on",
        ]
        read_only_fields = fields


class RuleSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Rule
        fields = [
            "id",
            "key",
            "title",
            "value",
            "unit",
            "effective_from",
            "effective_to",
            "citation",
            "status",
            "status_label",
            "note",
            "source",
        ]
        read_only_fields = fields


@extend_schema(
    tags=["rules"],
    parameters=[
        OpenApiParameter("key", OpenApiTypes.STR, description="Mã quy định (tiền tố, ví dụ `term.`)"),
        OpenApiParameter("on", OpenApiTypes.DATE, description="Chỉ các phiên bản có hiệu lực vào ngày này"),
    ],
)
class RuleViewSet(viewsets.ReadOnlyModelViewSet):
    """The rulebook: every version of every rule, or those in force on a date (`?on=`)."""

    serializer_class = RuleSerializer

    def get_queryset(self):
        qs = Rule.objects.restrict(self.request.user).order_by("key", "-effective_from")
        key = self.request.query_params.get("key")
        if key:
            qs = qs.filter(key__startswith=key)
        on = parse_date_param(self.request, "on")
        if on is not None:
            qs = qs.filter(effective_from__lte=on).exclude(effective_to__lt=on)
        return qs


class DeadlineView(APIView):
    """Deadline calculator: a date plus N working days (Vietnamese holidays skipped) or plus N months."""

    @extend_schema(
        tags=["calendar"],
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("working_days", OpenApiTypes.INT),
            OpenApiParameter("months", OpenApiTypes.INT),
        ],
        responses=inline_serializer(
            "Deadline",
            {
                "start": serializers.DateField(),
                "working_days": serializers.IntegerField(allow_null=True),
                "months": serializers.IntegerField(allow_null=True),
                "deadline": serializers.DateField(),
                "skipped": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        start = parse_date_param(request, "start")
        if start is None:
            raise ValidationError({"start": ["Hãy nhập ngày bắt đầu."]})
        working_days = _int_param(request, "working_days")
        months = _int_param(request, "months")
        if (working_days is None) == (months is None):
            raise ValidationError({"working_days": ["Nhập đúng một trong hai: working_days hoặc months."]})
        if working_days is not None:
            if not 0 <= working_days <= 3650:
                raise ValidationError({"working_days": ["Số ngày làm việc phải từ 0 đến 3650."]})
            result = add_working_days(start, working_days)
            return Response(
                {
                    "start": start,
                    "working_days": working_days,
                    "months": None,
                    "deadline": result.deadline,
                    "skipped": [{"date": d, "reason": why} for d, why in result.skipped],
                }
            )
        if not -1200 <= months <= 1200:
            raise ValidationError({"months": ["Số tháng phải từ -1200 đến 1200."]})
        return Response(
            {
                "start": start,
                "working_days": None,
                "months": months,
                "deadline": add_months(start, months),
                "skipped": [],
            }
        )


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ValidationError({name: [f"“{raw}” không phải là số nguyên."]}) from exc


class InboxView(APIView):
    """The acting user's due items, soonest first, scoped by the gate."""

    @extend_schema(
        tags=["inbox"],
        responses=inline_serializer(
            "DueItem",
            {
                "kind": serializers.CharField(),
                "title": serializers.CharField(),
                "due_date": serializers.DateField(),
                "severity": serializers.CharField(),
                "citation": serializers.CharField(),
                "url": serializers.CharField(),
                "organisation": serializers.IntegerField(allow_null=True),
            },
            many=True,
        ),
    )
    def get(self, request):
        items = inbox_for(request.user)
        return Response(
            [
                {
                    "kind": item.kind,
                    "title": item.title,
                    "due_date": item.due_date,
                    "severity": item.severity,
                    "citation": item.citation,
                    "url": item.url,
                    "organisation": item.organisation_id,
                }
                for item in items
            ]
        )
