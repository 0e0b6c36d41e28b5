from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "dangvu.reports"
    label = "reports"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import dueitems, seed  # noqa: F401  (registers the due items)

        post_migrate.connect(seed.sync_templates_after_migrate, sender=self)
