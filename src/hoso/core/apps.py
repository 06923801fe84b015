from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hoso.core"
    verbose_name = "Lõi"
