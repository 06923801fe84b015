from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "hoso.assessment"
    verbose_name = "Sổ theo dõi và đánh giá"
