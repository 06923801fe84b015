from django.urls import path

from hoso.workflow import views

urlpatterns = [
    path("sua-diem/", views.corrections_home, name="corrections"),
    path("sua-diem/lap-phieu/", views.correction_new, name="correction-new"),
    path("sua-diem/nhat-ky/", views.edit_log, name="edit-log"),
    path("sua-diem/cai-dat/", views.workflow_settings, name="correction-settings"),
    path("sua-diem/<uuid:request_uuid>/", views.correction_detail, name="correction-detail"),
    path(
        "sua-diem/<uuid:request_uuid>/duyet/", views.correction_approve, name="correction-approve"
    ),
    path(
        "sua-diem/<uuid:request_uuid>/tu-choi/", views.correction_reject, name="correction-reject"
    ),
    path("sua-diem/<uuid:request_uuid>/sua/", views.correction_apply, name="correction-apply"),
    path(
        "sua-diem/<uuid:request_uuid>/bien-ban/",
        views.correction_record_print,
        name="correction-record",
    ),
    path(
        "sua-diem/<uuid:request_uuid>/minh-chung/<uuid:evidence_uuid>/",
        views.evidence_download,
        name="correction-evidence",
    ),
]
