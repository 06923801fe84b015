"""Vietnamese first: the interface is Vietnamese unless the person chose another language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ChosenLanguageMiddleware:
    """Activate the language chosen with the language switch (its cookie), else Vietnamese.

    Django's ``LocaleMiddleware`` would follow the browser's ``Accept-Language``; many teachers'
    phones (and headless test browsers) say English, and the school's working language is
    Vietnamese, so only an explicit choice changes it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DomainErrorMiddleware:
    """A service's refusal (``HosoError``) that no view caught becomes the Vietnamese message,
    never a server error: 404 for not found, 403 for not allowed, 400 for the rest — as JSON for
    the API and JSON requests, as a page otherwise. Views that show a refusal in place still
    catch it themselves; this is the net under them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.http import JsonResponse
        from django.shortcuts import render

        from hoso.core.errors import HosoError, NotFoundError, PermissionDeniedError

        if not isinstance(exception, HosoError):
            return None
        status = 400
        if isinstance(exception, NotFoundError):
            status = 404
        elif isinstance(exception, PermissionDeniedError):
            status = 403
        wants_json = request.path.startswith("/api/") or "json" in (
            request.headers.get("Accept", "") + request.headers.get("Content-Type", "")
        )
        if wants_json:
            return JsonResponse(
                {"detail": exception.message, "message": exception.message}, status=status
            )
        return render(request, "core/refused.html", {"message": exception.message}, status=status)
