from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("hoso.core.urls")),
    path("", include("hoso.accounts.urls")),
    path("", include("hoso.academics.urls")),
    path("", include("hoso.organizations.urls")),
    path("", include("hoso.printing.urls")),
    path("", include("hoso.assessment.homeroom_urls")),
    path("", include("hoso.reporting.urls")),
    path("", include("hoso.assessment.urls")),
    path("", include("hoso.interchange.urls")),
    path("", include("hoso.workflow.urls")),
    path("", include("hoso.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("hoso.api.urls")),
]
