"""POST /api/v1/auth/token/ {username, password} → {"token": ...}, throttled like the login page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .throttle import authenticate_throttled, throttled_message


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(error_messages={"required": "Hãy nhập tên đăng nhập."})
    password = serializers.CharField(
        style={"input_type": "password"},
        trim_whitespace=False,
        error_messages={"required": "Hãy nhập mật khẩu."},
    )


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, error = authenticate_throttled(
            request, serializer.validated_data["username"], serializer.validated_data["password"]
        )
        if user is None:
            code = (
                status.HTTP_429_TOO_MANY_REQUESTS
                if error == throttled_message()
                else status.HTTP_400_BAD_REQUEST
            )
            return Response({"detail": error}, status=code)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
