from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "dangvu.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
        from .rulebook import sync_rulebook_after_migrate

        post_migrate.connect(sync_rulebook_after_migrate, sender=self)
