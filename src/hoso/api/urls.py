"""REST API v1: thin views over the same services and selectors as the web pages."""

from django.urls import path

from hoso.api import homeroom as homeroom_api
from hoso.api import locks as locks_api
from hoso.api import marks as marks_api
from hoso.api import progress as progress_api
from hoso.api import views

app_name = "api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("classes/", views.ClassListView.as_view(), name="class-list"),
    # Homeroom book and principal's progress (issue 5).
    path(
        "classes/<uuid:class_uuid>/attendance/",
        homeroom_api.AttendanceView.as_view(),
        name="class-attendance",
    ),
    path(
        "classes/<uuid:class_uuid>/conduct/<str:period>/",
        homeroom_api.ConductView.as_view(),
        name="class-conduct",
    ),
    path(
        "classes/<uuid:class_uuid>/comments/",
        homeroom_api.ClassCommentsView.as_view(),
        name="class-comments",
    ),
    path(
        "classes/<uuid:class_uuid>/overview/",
        homeroom_api.OverviewView.as_view(),
        name="class-overview",
    ),
    path("comments/", homeroom_api.CommentSaveView.as_view(), name="comment-save"),
    path(
        "students/<uuid:student_uuid>/profile/",
        homeroom_api.StudentProfileView.as_view(),
        name="student-profile",
    ),
    path(
        "schools/<uuid:school_uuid>/progress/",
        progress_api.SchoolProgressView.as_view(),
        name="school-progress",
    ),
    # Mark entry, locks and deadlines (issue 4).
    path("assignments/", marks_api.AssignmentListView.as_view(), name="assignment-list"),
    path(
        "assignments/<uuid:assignment_uuid>/grid/",
        marks_api.GridView.as_view(),
        name="assignment-grid",
    ),
    path(
        "assignments/<uuid:assignment_uuid>/marks/",
        marks_api.MarksView.as_view(),
        name="assignment-marks",
    ),
    path(
        "assignments/<uuid:assignment_uuid>/submit/",
        marks_api.SubmitView.as_view(),
        name="assignment-submit",
    ),
    path(
        "assignments/<uuid:assignment_uuid>/midterm-test/",
        marks_api.MidtermTestView.as_view(),
        name="assignment-midterm-test",
    ),
    path("schools/<uuid:school_uuid>/locks/", locks_api.LocksView.as_view(), name="school-locks"),
    path(
        "schools/<uuid:school_uuid>/locks/<uuid:lock_uuid>/unlock/",
        locks_api.UnlockView.as_view(),
        name="school-lock-unlock",
    ),
    path(
        "schools/<uuid:school_uuid>/deadlines/",
        locks_api.DeadlinesView.as_view(),
        name="school-deadlines",
    ),
    path(
        "schools/<uuid:school_uuid>/extensions/",
        locks_api.ExtensionsView.as_view(),
        name="school-extensions",
    ),
]
