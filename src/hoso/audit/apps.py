from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hoso.audit"
    verbose_name = "Nhật ký kiểm tra"

    def ready(self) -> None:
        # Login, logout and failed login are recorded from Django's auth signals: they are the
        # only way to see every authentication, whichever view or backend did it.
        from hoso.audit import signals  # noqa: F401
