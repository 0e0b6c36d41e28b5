"""API of member import (included under /api/v1/ by ``config/urls.py``)."""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from dangvu.core.scoping import Action, scope_for
from dangvu.orgs.models import Organisation

from . import imports
from .models import ImportJob, ImportState


class MemberImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="Tệp .xlsx (theo tệp mẫu) hoặc .csv UTF-8.",
        error_messages={
            "required": "Hãy gửi kèm tệp cần nhập.",
            "empty": "Tệp rỗng.",
            "invalid": "Hãy gửi tệp theo kiểu multipart/form-data.",
            "no_name": "Tệp gửi lên không có tên.",
        },
    )
    organisation = serializers.IntegerField(
        help_text="Mã (id) tổ chức nhập vào.",
        error_messages={
            "required": "Hãy chọn tổ chức nhập vào.",
            "invalid": "Mã tổ chức phải là một số.",
            "null": "Hãy chọn tổ chức nhập vào.",
        },
    )
    dry_run = serializers.BooleanField(
        default=False,
        help_text="Chỉ kiểm tra, không ghi.",
        error_messages={"invalid": "dry_run phải là true hoặc false."},
    )


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    errors = ImportErrorSerializer(many=True, read_only=True)
    annotated_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "organisation",
            "original_name",
            "dry_run",
            "state",
            "state_label",
            "rows_total",
            "rows_done",
            "created_count",
            "errors",
            "message",
            "annotated_url",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_annotated_url(self, job) -> str | None:
        request = self.context.get("request")
        if not job.annotated or request is None:
            return None
        if not scope_for(request.user).allows_path(job.organisation.path, Action.CHANGE):
            return None
        return request.build_absolute_uri(reverse("members:import_annotated", args=[job.pk]))


class MemberImportView(APIView):
    """Import member records from a spreadsheet. Every row is checked first; nothing is written unless the
    whole file is clean. Small files answer 201 with the finished job; large ones answer 202 with the
    queued job: poll its URL for progress and result."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["members"],
        request={"multipart/form-data": MemberImportRequestSerializer},
        responses={
            201: OpenApiResponse(ImportJobSerializer, description="Đã kiểm tra (và ghi, nếu không lỗi)."),
            202: OpenApiResponse(ImportJobSerializer, description="Tệp lớn: đã xếp hàng xử lý nền."),
            400: OpenApiResponse(description="Tệp không đọc được, hoặc tổ chức không hợp lệ."),
        },
    )
    def post(self, request):
        data = MemberImportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = (
            Organisation.objects.restrict(request.user, Action.CHANGE)
            .filter(pk=data.validated_data["organisation"])
            .first()
        )
        if organisation is None:
            raise ValidationError(
                {"organisation": ["Không tìm thấy tổ chức này trong phạm vi bạn được giao."]}
            )
        job = imports.start_import(
            by=request.user,
            organisation=organisation,
            upload=data.validated_data["file"],
            dry_run=data.validated_data["dry_run"],
        )
        queued = job.state in (ImportState.QUEUED, ImportState.RUNNING)
        body = ImportJobSerializer(job, context={"request": request}).data
        headers = {"Location": reverse("api:member-import-detail", args=[job.pk])}
        return Response(
            body, status=status.HTTP_202_ACCEPTED if queued else status.HTTP_201_CREATED, headers=headers
        )


class MemberImportDetailView(APIView):
    """One import job: state, progress (rows_done of rows_total), errors (row, column, message)."""

    @extend_schema(tags=["members"], responses=ImportJobSerializer)
    def get(self, request, pk: int):
        job = ImportJob.objects.select_related("organisation").get_in_scope(request.user, Action.VIEW, pk=pk)
        return Response(ImportJobSerializer(job, context={"request": request}).data)


api_urls: list = [
    path("imports/members/", MemberImportView.as_view(), name="member-import"),
    path("imports/members/<int:pk>/", MemberImportDetailView.as_view(), name="member-import-detail"),
]
