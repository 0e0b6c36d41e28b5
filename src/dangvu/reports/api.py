"""REST API v1 of periodic reports: report templates (read), requests (list, detail, create, close) and
reports (list, detail, save a draft, submit, return). Outside the user's scope: 404; seen but not theirs
to change: 403."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from dangvu.core.scoping import Action, OutOfScope, scope_for
from dangvu.orgs.api import ScopedOrganisationField

from . import selectors, services
from .models import ReportRequest, ReportSubmission, ReportTemplate, Standing

OUTSIDE = "Thao tác này nằm ngoài phạm vi bạn được giao."


class IndicatorSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Mã chỉ tiêu trong thống kê, ví dụ members.total.")
    label = serializers.CharField()


class SectionSerializer(serializers.Serializer):
    title = serializers.CharField()
    guidance = serializers.CharField(allow_blank=True)


class ReportTemplateSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = ReportTemplate
        fields = ["id", "code", "name", "description", "indicators", "sections", "active"]
        read_only_fields = fields


class ReportRequestSerializer(serializers.ModelSerializer):
    issuer_name = serializers.CharField(source="issuer.name", read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    recipient_count = serializers.IntegerField(read_only=True)
    submitted_count = serializers.IntegerField(read_only=True)
    late_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ReportRequest
        fields = [
            "id",
            "issuer",
            "issuer_name",
            "template",
            "title",
            "period_start",
            "period_end",
            "due_on",
            "state",
            "state_label",
            "recipient_count",
            "submitted_count",
            "late_count",
            "created_at",
        ]
        read_only_fields = fields


class RequestReportRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    state = serializers.CharField()
    standing = serializers.CharField(source="current_standing")
    standing_label = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    corrections = serializers.IntegerField(help_text="Số chỉ tiêu đã sửa khác số liệu thống kê.")

    def get_standing_label(self, row) -> str:
        return str(Standing(row.current_standing).label)


class ReportRequestDetailSerializer(ReportRequestSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    reports = RequestReportRowSerializer(
        many=True, read_only=True, help_text="Một dòng cho mỗi tổ chức nhận."
    )

    class Meta(ReportRequestSerializer.Meta):
        fields = [*ReportRequestSerializer.Meta.fields, "note", "indicators", "sections", "reports"]
        read_only_fields = fields


class ReportRequestCreateSerializer(serializers.Serializer):
    issuer = ScopedOrganisationField(help_text="Tổ chức giao báo cáo (cấp trên).")
    template = serializers.PrimaryKeyRelatedField(
        queryset=ReportTemplate.objects.filter(active=True),
        error_messages={
            "does_not_exist": "Không tìm thấy mẫu báo cáo này.",
            "incorrect_type": "Mã mẫu phải là số.",
        },
    )
    recipients = serializers.ChoiceField(
        choices=[choice for choice, _label in selectors.Recipients.CHOICES],
        default=selectors.Recipients.CHILDREN,
        help_text="children: tổ chức trực thuộc trực tiếp; grassroots: tổ chức cơ sở đảng; chosen: danh sách "
        "trong organisations.",
    )
    organisations = ScopedOrganisationField(many=True, required=False)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate(self, data):
        if data["recipients"] == selectors.Recipients.CHOSEN and not data.get("organisations"):
            raise serializers.ValidationError(
                {"organisations": ["Hãy chọn ít nhất một tổ chức nhận báo cáo."]}
            )
        return data


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    prefilled = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    reason = serializers.CharField(allow_blank=True)
    corrected = serializers.BooleanField()


class SectionTextSerializer(serializers.Serializer):
    title = serializers.CharField()
    guidance = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)


class ReportSubmissionSerializer(serializers.ModelSerializer):
    request_title = serializers.CharField(source="request.title", read_only=True)
    issuer_name = serializers.CharField(source="request.issuer.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    due_on = serializers.DateField(source="request.due_on", read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    standing = serializers.SerializerMethodField()
    standing_label = serializers.SerializerMethodField()

    class Meta:
        model = ReportSubmission
        fields = [
            "id",
            "request",
            "request_title",
            "issuer_name",
            "organisation",
            "organisation_name",
            "due_on",
            "state",
            "state_label",
            "standing",
            "standing_label",
            "submitted_at",
        ]
        read_only_fields = fields

    def get_standing(self, submission) -> str:
        return submission.standing(timezone.localdate()).value

    def get_standing_label(self, submission) -> str:
        return str(submission.standing(timezone.localdate()).label)


class ReportSubmissionDetailSerializer(ReportSubmissionSerializer):
    sections = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    class Meta(ReportSubmissionSerializer.Meta):
        fields = [
            *ReportSubmissionSerializer.Meta.fields,
            "number",
            "signer",
            "figures_on",
            "returned_reason",
            "sections",
            "figures",
        ]
        read_only_fields = fields

    def get_sections(self, submission) -> list[dict]:
        return SectionTextSerializer(
            [{**section, "text": text} for section, text in submission.sections_with_text()], many=True
        ).data

    def get_figures(self, submission) -> list[dict]:
        return FigureSerializer(submission.figures.order_by("position"), many=True).data


class FigureInputSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ReportContentSerializer(serializers.Serializer):
    """What a report's writer sends; anything left out stays as it is."""

    narrative = serializers.ListField(
        child=serializers.CharField(allow_blank=True), required=False, help_text="Một đoạn văn cho mỗi phần."
    )
    figures = FigureInputSerializer(many=True, required=False)
    number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    signer = serializers.CharField(max_length=150, required=False, allow_blank=True)

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        if "figures" in data:
            data["figures"] = {item["key"]: (item["value"], item["reason"]) for item in data["figures"]}
        return data


class _Writes:
    def _validated(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer

    def _run(self, service, **kwargs):
        try:
            return service(by=self.request.user, **kwargs)
        except OutOfScope as exc:
            raise PermissionDenied(OUTSIDE) from exc

    def _require(self, path: str) -> None:
        if not scope_for(self.request.user).allows_path(path, Action.CHANGE):
            raise PermissionDenied("Bạn chỉ có quyền xem báo cáo này.")


@extend_schema(tags=["reports"])
class ReportTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """Report templates (indicators and sections); administrators edit them on the pages."""

    serializer_class = ReportTemplateSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.template_list(fetched_by=self.request.user)


@extend_schema(tags=["reports"])
class ReportRequestViewSet(
    _Writes,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Report requests issued by organisations in the user's scope, with the reports' standing."""

    serializer_class = ReportRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.request_list(fetched_by=self.request.user)

    @extend_schema(responses=ReportRequestDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def _detail(self, report_request) -> dict:
        report_request.reports = selectors.request_rows(report_request)
        return ReportRequestDetailSerializer(report_request, context=self.get_serializer_context()).data

    @extend_schema(request=ReportRequestCreateSerializer, responses={201: ReportRequestDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = dict(self._validated(ReportRequestCreateSerializer).validated_data)
        recipients = selectors.recipients_for(
            data["issuer"], data.pop("recipients"), data.pop("organisations", ())
        )
        created = self._run(services.request_create, recipients=recipients, **data)
        return Response(self._detail(self.get_queryset().get(pk=created.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonSerializer, responses=ReportRequestDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        report_request = self.get_object()
        self._require(report_request.issuer.path)
        reason = self._validated(ReasonSerializer).validated_data["reason"]
        self._run(services.request_close, request=report_request, reason=reason)
        return Response(self._detail(self.get_queryset().get(pk=report_request.pk)))


@extend_schema(tags=["reports"])
class ReportSubmissionViewSet(
    _Writes, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Reports of organisations in the user's scope: write a draft, submit it; the issuing organisation may
    return a submitted report."""

    serializer_class = ReportSubmissionSerializer
    filter_backends: list = []

    def get_queryset(self):
        return (
            ReportSubmission.objects.restrict(self.request.user)
            .select_related("request__issuer", "organisation")
            .order_by("-request__due_on", "organisation__path")
        )

    def _detail(self, submission) -> dict:
        submission = self.get_queryset().get(pk=submission.pk)
        return ReportSubmissionDetailSerializer(submission, context=self.get_serializer_context()).data

    @extend_schema(responses=ReportSubmissionDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def _write(self, service):
        submission = self.get_object()
        self._require(submission.organisation.path)
        content = self._validated(ReportContentSerializer).service_arguments()
        return Response(self._detail(self._run(service, submission=submission, **content)))

    @extend_schema(request=ReportContentSerializer, responses=ReportSubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        return self._write(services.submission_save)

    @extend_schema(request=ReportContentSerializer, responses=ReportSubmissionDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._write(services.submission_submit)

    @extend_schema(request=ReasonSerializer, responses=ReportSubmissionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        submission = self.get_object()
        self._require(submission.request.issuer.path)
        reason = self._validated(ReasonSerializer).validated_data["reason"]
        return Response(
            self._detail(self._run(services.submission_return, submission=submission, reason=reason))
        )


router = SimpleRouter(trailing_slash=True)
router.register("report-templates", ReportTemplateViewSet, basename="report-template")
router.register("report-requests", ReportRequestViewSet, basename="report-request")
router.register("report-submissions", ReportSubmissionViewSet, basename="report-submission")

api_urls = router.urls
