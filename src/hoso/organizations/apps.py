from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "hoso.organizations"
    verbose_name = "Đơn vị"
