"""REST API v1 for member records: list (within, status, q, as_of; keyset pages), detail, entry, history,
and the lifecycle actions as POSTs; transfers with their letter / accept / cancel / return actions."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from dangvu.core.api import ChangeRecordSerializer, parse_date_param
from dangvu.core.audit import history_for
from dangvu.core.rulebook import Rulebook
from dangvu.core.scoping import Action, OutOfScope
from dangvu.orgs.api import ScopedOrganisationField
from dangvu.orgs.models import Organisation

from . import selectors, services
from .models import (
    ENTRY_STATUS_CHOICES,
    CatalogueItem,
    CatalogueKind,
    ExitKind,
    Member,
    ReadVia,
    Transfer,
    citizen_id_validator,
)

NOT_FOUND = "Không tìm thấy tổ chức này."


class MemberPagination(CursorPagination):
    """Keyset pages in Vietnamese name order: as fast on the last page as on the first."""

    ordering = ("name_sort", "id")
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class MemberSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    party_age_years = serializers.SerializerMethodField()
    party_age_months = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "family_name",
            "middle_name",
            "given_name",
            "gender",
            "birth_date",
            "status",
            "status_label",
            "in_transfer",
            "organisation",
            "organisation_name",
            "admission_date",
            "ceremony_date",
            "official_date",
            "card_number",
            "party_age_years",
            "party_age_months",
        ]
        read_only_fields = fields

    def _age(self, member):
        on = self.context.get("as_of") or timezone.localdate()
        return selectors.party_age(member, on, self.context.get("book"))

    def get_party_age_years(self, member) -> int | None:
        age = self._age(member)
        return age.years if age else None

    def get_party_age_months(self, member) -> int | None:
        age = self._age(member)
        return age.months if age else None


class MemberDetailSerializer(MemberSerializer):
    ethnicity = serializers.CharField(source="ethnicity.name", read_only=True)
    religion = serializers.CharField(source="religion.name", read_only=True)
    general_education = serializers.CharField(source="general_education.name", read_only=True, default=None)
    qualification = serializers.CharField(source="qualification.name", read_only=True, default=None)
    political_theory = serializers.CharField(source="political_theory.name", read_only=True, default=None)
    citizen_id = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()

    class Meta(MemberSerializer.Meta):
        fields = [
            *MemberSerializer.Meta.fields,
            *(name for name in services.RECORD_FIELDS if name not in MemberSerializer.Meta.fields),
            "readmission_date",
            "exit_kind",
            "exit_date",
        ]
        read_only_fields = fields

    def _private(self, member, name):
        return getattr(member, name) if self.context.get("show_private") else None

    def get_citizen_id(self, member) -> str | None:
        return self._private(member, "citizen_id")

    def get_phone(self, member) -> str | None:
        return self._private(member, "phone")

    def get_address(self, member) -> str | None:
        return self._private(member, "address")


class CatalogueField(serializers.SlugRelatedField):
    """A catalogue value given by its name (any diacritics) or its code."""

    def __init__(self, kind, **kwargs):
        self.kind = kind
        super().__init__(slug_field="code", queryset=CatalogueItem.objects.filter(kind=kind), **kwargs)

    def to_internal_value(self, data):
        from .catalogue import CatalogueIndex

        found = CatalogueIndex().find(self.kind, str(data))
        if found is None:
            raise serializers.ValidationError(f"“{data}” không có trong danh mục.")
        return found


class MemberCreateSerializer(serializers.ModelSerializer):
    organisation = ScopedOrganisationField()
    status = serializers.ChoiceField(choices=ENTRY_STATUS_CHOICES)
    since = serializers.DateField(required=False, allow_null=True, default=None)
    ethnicity = CatalogueField(CatalogueKind.ETHNICITY)
    religion = CatalogueField(CatalogueKind.RELIGION)
    general_education = CatalogueField(CatalogueKind.GENERAL_EDUCATION, required=False, allow_null=True)
    qualification = CatalogueField(CatalogueKind.QUALIFICATION, required=False, allow_null=True)
    political_theory = CatalogueField(CatalogueKind.POLITICAL_THEORY, required=False, allow_null=True)

    class Meta:
        model = Member
        fields = [*services.RECORD_FIELDS, "organisation", "status", "since"]
        extra_kwargs = {
            "citizen_id": {"validators": [citizen_id_validator]},
            "card_number": {"validators": []},
        }


class RecogniseSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    decision_number = serializers.CharField(max_length=60)


@extend_schema_field(OpenApiTypes.INT)
class VisibleOrganisationField(serializers.PrimaryKeyRelatedField):
    """A destination among the organisations the user can see; anything else is "not found"."""

    default_error_messages = {"does_not_exist": NOT_FOUND, "incorrect_type": "Mã tổ chức phải là số."}

    def get_queryset(self):
        return Organisation.objects.restrict(self.context["request"].user)


class DestinationSerializer(serializers.Serializer):
    """A branch the user can see by id, or one elsewhere in the tree by its exact code (``to_code``)."""

    def validate(self, data):
        code = data.pop("to_code", "").strip()
        if code:
            data["to_organisation"] = selectors.branch_by_code(code)
            if data["to_organisation"] is None:
                raise serializers.ValidationError(
                    {"to_code": [selectors.UNKNOWN_BRANCH_CODE.format(code=code)]}
                )
        return data


class OfficialTransferSerializer(DestinationSerializer):
    to_organisation = VisibleOrganisationField(required=False, allow_null=True, default=None)
    to_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    to_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    moved_on = serializers.DateField()
    letter_on = serializers.DateField(required=False, allow_null=True, default=None)
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    late_reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class TemporaryTransferSerializer(DestinationSerializer):
    to_organisation = VisibleOrganisationField(required=False, allow_null=True, default=None)
    to_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    to_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    start_on = serializers.DateField()
    end_on = serializers.DateField()
    for_study = serializers.BooleanField(required=False, default=False)
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class ExemptionSerializer(serializers.Serializer):
    ground = serializers.CharField(max_length=60)
    start_on = serializers.DateField()
    end_on = serializers.DateField(required=False, allow_null=True, default=None)
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ExitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExitKind.choices)
    on = serializers.DateField()
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReadmitSerializer(serializers.Serializer):
    organisation = ScopedOrganisationField()
    decided_on = serializers.DateField()
    decision_number = serializers.CharField(max_length=60)
    ceremony_date = serializers.DateField(required=False, allow_null=True, default=None)


class TransferSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    destination = serializers.CharField(read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "member",
            "member_name",
            "kind",
            "kind_label",
            "state",
            "state_label",
            "from_organisation",
            "to_organisation",
            "destination",
            "moved_on",
            "start_due",
            "letter_on",
            "present_due",
            "presented_on",
            "start_on",
            "end_on",
            "for_study",
            "returned_on",
            "decision_number",
            "late_reason",
        ]
        read_only_fields = fields


class LetterSerializer(serializers.Serializer):
    letter_on = serializers.DateField()
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    late_reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class AcceptSerializer(serializers.Serializer):
    presented_on = serializers.DateField()
    late_reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


class ReturnSerializer(serializers.Serializer):
    returned_on = serializers.DateField()


class _ServiceMixin:
    def _validated(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _run(self, service, **kwargs):
        try:
            return service(by=self.request.user, **kwargs)
        except OutOfScope as exc:
            raise PermissionDenied("Thao tác này nằm ngoài phạm vi bạn được giao.") from exc


@extend_schema(tags=["members"])
class MemberViewSet(
    _ServiceMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Member records in the acting user's scope (a member sees only their own). Outside it: 404."""

    serializer_class = MemberSerializer
    pagination_class = MemberPagination
    filter_backends: list = []

    def get_queryset(self):
        return Member.objects.restrict(self.request.user).select_related("organisation")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["book"] = Rulebook.load()
        return context

    def _changeable(self, member: Member) -> Member:
        if not Member.objects.restrict(self.request.user, Action.CHANGE).filter(pk=member.pk).exists():
            raise PermissionDenied("Bạn chỉ có quyền xem hồ sơ này.")
        return member

    @extend_schema(
        parameters=[
            OpenApiParameter("within", OpenApiTypes.INT, description="Chỉ đảng viên thuộc cây con này"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(selectors.STATUS_FILTERS)),
            OpenApiParameter("q", OpenApiTypes.STR, description="Tên (không cần dấu), số thẻ hoặc số CCCD"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="Đảng viên tại ngày này"),
        ]
    )
    def list(self, request, *args, **kwargs):
        within = None
        if request.query_params.get("within"):
            try:
                within = Organisation.objects.restrict(request.user).get(
                    pk=int(request.query_params["within"])
                )
            except (ValueError, Organisation.DoesNotExist) as exc:
                raise serializers.ValidationError({"within": [NOT_FOUND]}) from exc
        status_filter = request.query_params.get("status") or "in_party"
        if status_filter not in selectors.STATUS_FILTERS:
            raise serializers.ValidationError({"status": [f"Tình trạng không hợp lệ: “{status_filter}”."]})
        as_of = parse_date_param(request, "as_of")
        members = selectors.with_gaps(
            selectors.member_list(
                request.user,
                within=within,
                status=status_filter,
                q=request.query_params.get("q", ""),
                as_of=as_of,
            )
        )
        page = self.paginate_queryset(members)
        context = {**self.get_serializer_context(), "as_of": as_of}
        return self.get_paginated_response(MemberSerializer(page, many=True, context=context).data)

    @extend_schema(responses=MemberDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        if member.user_id != request.user.pk:
            services.record_read(request.user, member, ReadVia.API)
        as_of = parse_date_param(request, "as_of")
        context = {
            **self.get_serializer_context(),
            "as_of": as_of,
            "show_private": selectors.can_see_private(request.user, member),
        }
        return Response(MemberDetailSerializer(member, context=context).data)

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberDetailSerializer})
    def create(self, request, *args, **kwargs):
        data = self._validated(MemberCreateSerializer)
        since = data.pop("since", None)
        member = self._run(services.member_enter, member=Member(**data), since=since)
        return Response(self._detail(member), status=status.HTTP_201_CREATED)

    def _detail(self, member):
        member = self.get_queryset().get(pk=member.pk)
        context = {
            **self.get_serializer_context(),
            "show_private": selectors.can_see_private(self.request.user, member),
        }
        return MemberDetailSerializer(member, context=context).data

    @extend_schema(responses=ChangeRecordSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        member = self.get_object()
        records = history_for(member).select_related("content_type", "user")[:500]
        return Response(ChangeRecordSerializer(records, many=True).data)

    def _lifecycle(self, serializer_class, service, **extra):
        member = self._changeable(self.get_object())
        data = self._validated(serializer_class)
        result = self._run(service, member=member, **data, **extra)
        if isinstance(result, Transfer):
            return Response(TransferSerializer(result).data, status=status.HTTP_201_CREATED)
        return Response(self._detail(member))

    @extend_schema(request=RecogniseSerializer, responses=MemberDetailSerializer)
    @action(detail=True, methods=["post"])
    def recognise(self, request, pk=None):
        return self._lifecycle(RecogniseSerializer, services.member_recognise)

    @extend_schema(request=OfficialTransferSerializer, responses={201: TransferSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._lifecycle(OfficialTransferSerializer, services.transfer_official_start)

    @extend_schema(request=TemporaryTransferSerializer, responses={201: TransferSerializer})
    @action(detail=True, methods=["post"], url_path="temporary-transfer")
    def temporary_transfer(self, request, pk=None):
        return self._lifecycle(TemporaryTransferSerializer, services.transfer_temporary_start)

    @extend_schema(request=ExemptionSerializer, responses=MemberDetailSerializer)
    @action(detail=True, methods=["post"])
    def exemption(self, request, pk=None):
        return self._lifecycle(ExemptionSerializer, services.exemption_grant)

    @extend_schema(request=ExitSerializer, responses=MemberDetailSerializer)
    @action(detail=True, methods=["post"])
    def exit(self, request, pk=None):
        return self._lifecycle(ExitSerializer, services.member_exit)

    @extend_schema(request=ReadmitSerializer, responses=MemberDetailSerializer)
    @action(detail=True, methods=["post"])
    def readmit(self, request, pk=None):
        return self._lifecycle(ReadmitSerializer, services.member_readmit)


@extend_schema(tags=["members"])
class TransferViewSet(
    _ServiceMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Membership transfers seen from either end (sending or receiving organisation)."""

    serializer_class = TransferSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Transfer.objects.restrict(self.request.user).select_related("member", "to_organisation")

    def _act(self, serializer_class, service):
        transfer = self.get_object()
        data = self._validated(serializer_class)
        return Response(TransferSerializer(self._run(service, transfer=transfer, **data)).data)

    @extend_schema(request=LetterSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def letter(self, request, pk=None):
        return self._act(LetterSerializer, services.transfer_issue_letter)

    @extend_schema(request=AcceptSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(AcceptSerializer, services.transfer_accept)

    @extend_schema(request=CancelSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(CancelSerializer, services.transfer_cancel)

    @extend_schema(request=ReturnSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        return self._act(ReturnSerializer, services.transfer_return)
