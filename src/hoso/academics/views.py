from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from hoso.academics.selectors import class_roster
from hoso.accounts.access import access_class
from hoso.accounts.permissions import Perm
from hoso.core.errors import NotFoundError


@login_required
def class_detail(request: HttpRequest, class_uuid: uuid.UUID) -> HttpResponse:
    try:
        school_class = access_class(request.user, str(class_uuid), Perm.VIEW_CLASS)  # type: ignore[arg-type]
    except NotFoundError as error:
        raise Http404(error.message) from error
    return render(
        request,
        "academics/class_detail.html",
        {"school_class": school_class, "enrollments": class_roster(school_class)},
    )
