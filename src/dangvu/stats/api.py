"""``GET /api/v1/organisations/<id>/stats/?as_of=&from=&to=``: the statistics of the organisation's
subtree."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from dangvu.core.scoping import Action
from dangvu.orgs.models import Organisation

from .selectors import statistics


class StatsQuerySerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text="Tính đến ngày (mặc định hôm nay).")
    date_from = serializers.DateField(required=False, help_text="Đầu kỳ tính biến động (mặc định 01/01).")
    date_to = serializers.DateField(required=False, help_text="Cuối kỳ tính biến động (mặc định = as_of).")

    def to_internal_value(self, data):
        data = {"as_of": data.get("as_of"), "date_from": data.get("from"), "date_to": data.get("to")}
        return super().to_internal_value({k: v for k, v in data.items() if v})

    def validate(self, attrs):
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and start > end:
            raise serializers.ValidationError({"from": "Đầu kỳ phải trước cuối kỳ."})
        return attrs


class RowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField()


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    rows = RowSerializer(many=True)


class StatisticsSerializer(serializers.Serializer):
    organisation = serializers.SerializerMethodField()
    as_of = serializers.DateField(source="on")
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    values = serializers.DictField(child=serializers.FloatField())
    groups = GroupSerializer(many=True)
    citations = serializers.ListField(child=serializers.CharField())

    def get_organisation(self, stats) -> dict:
        return {"id": stats.organisation.pk, "code": stats.organisation.code, "name": stats.organisation.name}


class OrganisationStatsView(APIView):
    """Figures of the organisation's whole subtree: members by status, gender, age, party age, ethnicity,
    religion, education, qualification, political theory; admissions, recognitions and exits in the period;
    organisations by kind; committee members (full-time, part-time)."""

    @extend_schema(
        tags=["statistics"],
        parameters=[
            OpenApiParameter("as_of", str, description="dd/mm/yyyy hoặc yyyy-mm-dd"),
            OpenApiParameter("from", str, description="Đầu kỳ tính biến động"),
            OpenApiParameter("to", str, description="Cuối kỳ tính biến động"),
        ],
        responses={200: StatisticsSerializer, 404: OpenApiResponse(description="Ngoài phạm vi được giao.")},
    )
    def get(self, request, pk: int):
        organisation = Organisation.objects.get_in_scope(request.user, Action.VIEW, pk=pk)
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if data.get("as_of") and data["as_of"] > timezone.localdate():
            raise ValidationError({"as_of": ["Không thể sau hôm nay."]})
        stats = statistics(organisation, data.get("as_of"), data.get("date_from"), data.get("date_to"))
        return Response(StatisticsSerializer(stats).data)
