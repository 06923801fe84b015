from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "hoso.workflow"
    verbose_name = "Đề nghị sửa điểm"

    def ready(self) -> None:
        # The event kinds of this app are registered when its services module loads; load it
        # with the app so the audit browser lists them even before any correction was made.
        from hoso.workflow import services  # noqa: F401
