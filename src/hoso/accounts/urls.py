from django.contrib.auth import views as auth_views
from django.urls import path

from hoso.accounts import views

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # The person's own account (R8.1)
    path("tai-khoan/", views.account_me, name="account-me"),
    path("tai-khoan/mat-khau/", views.password_change, name="account-password"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.otp_setup, name="account-otp-setup"),
    path("tai-khoan/xac-thuc/", views.otp_verify, name="account-otp-verify"),
    path(
        "tai-khoan/dang-xuat-phien-khac/",
        views.sessions_end_others,
        name="account-sessions-end",
    ),
    # Anomaly reports (R8.5)
    path("bao-cao-bat-thuong/", views.anomaly_report, name="anomaly-report"),
    path("quan-ly/bao-cao-bat-thuong/", views.anomaly_list, name="anomaly-list"),
    path(
        "quan-ly/bao-cao-bat-thuong/<uuid:report_uuid>/da-xem/",
        views.anomaly_seen,
        name="anomaly-seen",
    ),
    # Account management (R11.2, R14.1)
    path("quan-ly/tai-khoan/", views.accounts_list, name="accounts-list"),
    path("quan-ly/tai-khoan/tao/", views.account_create, name="account-create"),
    path("quan-ly/tai-khoan/nhap-excel/", views.accounts_import, name="accounts-import"),
    path(
        "quan-ly/tai-khoan/mau-excel/",
        views.accounts_import_template,
        name="accounts-import-template",
    ),
    path("quan-ly/tai-khoan/<uuid:account_uuid>/", views.account_detail, name="account-detail"),
    path(
        "quan-ly/tai-khoan/<uuid:account_uuid>/khoa/",
        views.account_disable,
        name="account-disable",
    ),
    path(
        "quan-ly/tai-khoan/<uuid:account_uuid>/mo-khoa/",
        views.account_enable,
        name="account-enable",
    ),
    path(
        "quan-ly/tai-khoan/<uuid:account_uuid>/mo-khoa-dang-nhap/",
        views.account_lockout_reset,
        name="account-lockout-reset",
    ),
    path(
        "quan-ly/tai-khoan/<uuid:account_uuid>/dat-lai-mat-khau/",
        views.account_password_reset,
        name="account-password-reset",
    ),
    path(
        "quan-ly/tai-khoan/<uuid:account_uuid>/dat-lai-xac-thuc/",
        views.account_otp_reset,
        name="account-otp-reset",
    ),
    path(
        "quan-ly/tai-khoan/<uuid:account_uuid>/vai-tro/",
        views.account_role_grant,
        name="account-role-grant",
    ),
    path(
        "quan-ly/tai-khoan/<uuid:account_uuid>/vai-tro/<uuid:grant_uuid>/thu-hoi/",
        views.account_role_revoke,
        name="account-role-revoke",
    ),
    path("quan-ly/phan-cong/", views.assignments, name="accounts-assignments"),
    path(
        "quan-ly/phan-cong/lop/<uuid:class_uuid>/chu-nhiem/",
        views.homeroom_set,
        name="accounts-homeroom-set",
    ),
    path(
        "quan-ly/phan-cong/<uuid:assignment_uuid>/bo/",
        views.teaching_unassign,
        name="accounts-teaching-unassign",
    ),
    path("quan-ly/phien-dang-nhap/", views.sessions_flagged, name="accounts-sessions-flagged"),
    # Inspectors (R15.3)
    path("quan-ly/thanh-tra/", views.inspectors, name="accounts-inspectors"),
    # Parents (R12.8)
    path("lop/<uuid:class_uuid>/phu-huynh/", views.class_parents, name="class-parents"),
    path("phu-huynh/hoc-sinh/<uuid:student_uuid>/", views.child_detail, name="child-detail"),
    path(
        "phu-huynh/hoc-sinh/<uuid:student_uuid>/phieu-lien-lac/",
        views.child_report_card,
        name="child-report-card",
    ),
]
