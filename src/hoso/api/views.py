from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hoso.academics.models import SchoolClass
from hoso.accounts.access import classes_visible, scope_of


class SchoolClassSerializer(serializers.ModelSerializer[SchoolClass]):
    school_code = serializers.CharField(source="school.code")
    year = serializers.CharField(source="year.name")

    class Meta:
        model = SchoolClass
        fields = ["uuid", "name", "grade", "year", "school_code", "programme"]


class MeSerializer(serializers.Serializer[dict[str, object]]):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    serializer_class = MeSerializer

    def get(self, request: Request) -> Response:
        user = request.user
        scope = scope_of(user)
        data = {
            "username": user.get_username(),
            "full_name": getattr(user, "display_name", ""),
            "roles": sorted(role.value for role in scope.roles),
        }
        return Response(MeSerializer(data).data)


class ClassListView(ListAPIView[SchoolClass]):
    """The classes the caller may see (every school year unless ``?year=2025-2026``)."""

    serializer_class = SchoolClassSerializer

    def get_queryset(self) -> QuerySet[SchoolClass]:
        queryset = classes_visible(self.request.user)
        year = self.request.query_params.get("year")
        if year:
            queryset = queryset.filter(year__name=year)
        return queryset
