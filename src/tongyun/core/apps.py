from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tongyun.core"
    verbose_name = "核心"
