from django.apps import AppConfig


class AcademicsConfig(AppConfig):
    name = "hoso.academics"
    verbose_name = "Năm học, lớp, môn, học sinh"
