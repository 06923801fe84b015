from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hoso.accounts"
    verbose_name = "Tài khoản và phân quyền"
