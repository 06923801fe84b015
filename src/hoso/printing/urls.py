from django.urls import path

from hoso.printing import views

urlpatterns = [
    path("in/", views.print_index, name="printing-index"),
    path("in/tai-ve/", views.print_download, name="printing-download"),
    path("in/so-ca-nhan/", views.print_personal_book, name="printing-personal-book"),
    path("in/hang-loat/", views.batch_start, name="printing-batch-start"),
    path("in/hang-loat/<uuid:batch_uuid>/", views.batch_status, name="printing-batch"),
    path(
        "in/hang-loat/<uuid:batch_uuid>/tai-ve/",
        views.batch_download,
        name="printing-batch-download",
    ),
    path("xac-minh/", views.verify, name="printing-verify-search"),
    path("xac-minh/<str:code>/", views.verify, name="printing-verify"),
]
