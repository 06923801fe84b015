from django.urls import path

from hoso.audit import views

urlpatterns = [
    path("nhat-ky/", views.audit_browse, name="audit-browse"),
    path("nhat-ky/xuat-excel/", views.audit_export_view, name="audit-export"),
    path("nhat-ky/diem/<int:mark_id>/", views.mark_history_view, name="audit-mark-history"),
]
