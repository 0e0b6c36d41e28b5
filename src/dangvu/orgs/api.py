"""REST API v1 for organisations: list/filter, detail, rename (PATCH), restructuring POSTs, history, terms."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from dangvu.core.api import ChangeRecordSerializer, parse_date_param
from dangvu.core.models import ChangeRecord
from dangvu.core.scoping import Action, OutOfScope
from dangvu.core.text import normalise

from . import selectors, services
from .models import Organisation, OrganisationKind, Term

NOT_FOUND = "Không tìm thấy tổ chức này."


@extend_schema_field(OpenApiTypes.INT)
class ScopedOrganisationField(serializers.PrimaryKeyRelatedField):
    """An organisation chosen by id among those the acting user may change: anything else is 'not found'."""

    default_error_messages = {
        "does_not_exist": NOT_FOUND,
        "incorrect_type": "Mã tổ chức phải là số.",
        "required": "Hãy chọn tổ chức.",
        "null": "Hãy chọn tổ chức.",
    }

    def get_queryset(self):
        return Organisation.objects.restrict(self.context["request"].user, Action.CHANGE)


class OrganisationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None)
    is_dissolved = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "kind",
            "kind_label",
            "parent",
            "parent_name",
            "depth",
            "address",
            "founded_on",
            "dissolved_on",
            "merged_into",
            "is_dissolved",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(error_messages={"required": "Hãy ghi lý do.", "blank": "Hãy ghi lý do."})
    decision_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    effective_on = serializers.DateField(required=False, allow_null=True, default=None)


class OrganisationCreateSerializer(DecisionSerializer):
    parent = ScopedOrganisationField()
    kind = serializers.ChoiceField(
        choices=OrganisationKind.choices,
        error_messages={"invalid_choice": "Loại tổ chức không hợp lệ: “{input}”."},
    )
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    code = serializers.CharField(max_length=40)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    founded_on = serializers.DateField()


class OrganisationUpdateSerializer(DecisionSerializer):
    name = serializers.CharField(max_length=255, required=False)
    short_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    code = serializers.CharField(max_length=40, required=False)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)


class MoveSerializer(DecisionSerializer):
    new_parent = ScopedOrganisationField()


class MergeSerializer(DecisionSerializer):
    target = ScopedOrganisationField()


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "organisation", "number", "start_on", "end_on", "congress_on", "note"]
        read_only_fields = ["id", "organisation"]
        extra_kwargs = {"end_on": {"required": False}}


class TermCreateSerializer(serializers.Serializer):
    number = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    start_on = serializers.DateField()
    end_on = serializers.DateField(required=False, allow_null=True, default=None)
    congress_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


def _as_of_rows(request, on, within, kind, q):
    roots = selectors.tree_as_of(fetched_by=request.user, on=on, root=within)
    rows = []
    for root in roots:
        for node, _depth in root.walk():
            if kind and node.kind != kind:
                continue
            if q and normalise(q) not in normalise(f"{node.name} {node.short_name} {node.code}"):
                continue
            rows.append(
                {
                    "id": node.id,
                    "name": node.name,
                    "short_name": node.short_name,
                    "code": node.code,
                    "kind": node.kind,
                    "kind_label": node.kind_label,
                    "parent": node.parent_id,
                    "as_of": on,
                }
            )
    return rows


@extend_schema(tags=["organisations"])
class OrganisationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Organisations in the acting user's scope. Anything outside it answers 404, as if it did not exist."""

    serializer_class = OrganisationSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Organisation.objects.restrict(self.request.user).select_related("parent")

    def _changeable(self, organisation: Organisation) -> Organisation:
        if (
            not Organisation.objects.restrict(self.request.user, Action.CHANGE)
            .filter(pk=organisation.pk)
            .exists()
        ):
            raise PermissionDenied("Bạn chỉ có quyền xem tổ chức này.")
        return organisation

    def _run(self, service, **kwargs):
        try:
            return service(by=self.request.user, **kwargs)
        except OutOfScope as exc:
            # The object is visible (we got it through the gate) but this decision belongs to its superior.
            raise PermissionDenied("Thao tác này thuộc thẩm quyền của cấp trên của tổ chức.") from exc

    @extend_schema(
        parameters=[
            OpenApiParameter("within", OpenApiTypes.INT, description="Chỉ các tổ chức thuộc cây con này"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=OrganisationKind.values),
            OpenApiParameter("q", OpenApiTypes.STR, description="Tìm theo tên, không cần dấu"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="Cây tổ chức như tại ngày này"),
            OpenApiParameter("include_dissolved", OpenApiTypes.BOOL),
        ]
    )
    def list(self, request, *args, **kwargs):
        within = None
        if request.query_params.get("within"):
            try:
                within = self.get_queryset().get(pk=int(request.query_params["within"]))
            except (ValueError, Organisation.DoesNotExist) as exc:
                raise serializers.ValidationError({"within": [NOT_FOUND]}) from exc
        kind = request.query_params.get("kind") or None
        if kind and kind not in OrganisationKind.values:
            raise serializers.ValidationError({"kind": [f"Loại tổ chức không hợp lệ: “{kind}”."]})
        q = request.query_params.get("q") or None
        on = parse_date_param(request, "as_of")
        if on is not None:
            page = self.paginate_queryset(_as_of_rows(request, on, within, kind, q))
            return self.get_paginated_response(page)
        include_dissolved = request.query_params.get("include_dissolved", "true").lower() != "false"
        qs = selectors.organisation_list(
            fetched_by=request.user, within=within, kind=kind, q=q, include_dissolved=include_dissolved
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=OrganisationCreateSerializer, responses={201: OrganisationSerializer})
    def create(self, request, *args, **kwargs):
        data = self._validated(OrganisationCreateSerializer)
        data.pop("effective_on", None)
        organisation = self._run(services.organisation_create, **data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrganisationUpdateSerializer, responses=OrganisationSerializer)
    def partial_update(self, request, *args, **kwargs):
        organisation = self._changeable(self.get_object())
        data = self._validated(OrganisationUpdateSerializer)
        organisation = self._run(services.organisation_update, organisation=organisation, **data)
        return Response(OrganisationSerializer(organisation).data)

    @extend_schema(request=MoveSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        organisation = self._changeable(self.get_object())
        data = self._validated(MoveSerializer)
        organisation = self._run(services.organisation_move, organisation=organisation, **data)
        return Response(OrganisationSerializer(organisation).data)

    @extend_schema(request=MergeSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        source = self._changeable(self.get_object())
        data = self._validated(MergeSerializer)
        self._run(services.organisation_merge, source=source, **data)
        return Response(OrganisationSerializer(self.get_queryset().get(pk=source.pk)).data)

    @extend_schema(request=DecisionSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def dissolve(self, request, pk=None):
        organisation = self._changeable(self.get_object())
        data = self._validated(DecisionSerializer)
        organisation = self._run(services.organisation_dissolve, organisation=organisation, **data)
        return Response(OrganisationSerializer(organisation).data)

    @extend_schema(responses=ChangeRecordSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        organisation = self.get_object()
        records = ChangeRecord.objects.restrict(request.user).filter(organisation=organisation)
        page = self.paginate_queryset(records.select_related("content_type", "user"))
        return self.get_paginated_response(ChangeRecordSerializer(page, many=True).data)

    @extend_schema(request=TermCreateSerializer, responses=TermSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def terms(self, request, pk=None):
        organisation = self.get_object()
        if request.method == "POST":
            self._changeable(organisation)
            data = self._validated(TermCreateSerializer)
            term = self._run(services.term_create, organisation=organisation, **data)
            return Response(TermSerializer(term).data, status=status.HTTP_201_CREATED)
        terms = selectors.terms_of(fetched_by=request.user, organisation=organisation)
        return Response(TermSerializer(terms, many=True).data)

    def _validated(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


__all__ = ["OrganisationViewSet"]
