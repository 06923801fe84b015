from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "hoso.printing"
    verbose_name = "In ấn"
