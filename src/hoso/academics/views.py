from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from hoso.academics.models import EnrollmentStatus
from hoso.academics.selectors import class_roster
from hoso.accounts.access import access_class, can
from hoso.accounts.permissions import Perm
from hoso.core.errors import NotFoundError


@login_required
def class_detail(request: HttpRequest, class_uuid: uuid.UUID) -> HttpResponse:
    """The class list in Vietnamese name order; students who left stay listed, marked, because
    the book keeps their rows for the part of the year they studied."""
    try:
        school_class = access_class(request.user, str(class_uuid), Perm.VIEW_CLASS)
    except NotFoundError as error:
        raise Http404(error.message) from error
    enrollments = list(class_roster(school_class))
    school = school_class.school
    # Teachers reach their classes, not the whole school: link the school only for those who may.
    school_url = (
        reverse("school-detail", args=[school.uuid])
        if can(request.user, Perm.VIEW_UNIT, school)
        else None
    )
    return render(
        request,
        "academics/class_detail.html",
        {
            "school_class": school_class,
            "enrollments": enrollments,
            "studying": sum(e.status == EnrollmentStatus.STUDYING for e in enrollments),
            "school_url": school_url,
        },
    )
