from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hoso.accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        # Login history and sessions (R8.1); importing services registers its audit kinds.
        from hoso.accounts import services, signals  # noqa: F401
