from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "hoso.reporting"
    verbose_name = "Báo cáo, thống kê"
