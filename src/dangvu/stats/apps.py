from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "dangvu.stats"
    label = "stats"
    verbose_name = "Thống kê"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from dangvu.core.signals import change_recorded, counts_changed
        from dangvu.orgs.models import Organisation

        from . import panels, receivers  # noqa: F401  (panels registers the dashboard and page panels)

        change_recorded.connect(receivers.on_change_recorded, dispatch_uid="stats.change_recorded")
        counts_changed.connect(receivers.on_counts_changed, dispatch_uid="stats.counts_changed")
        post_save.connect(
            receivers.on_organisation_saved, sender=Organisation, dispatch_uid="stats.org_saved"
        )
        post_migrate.connect(receivers.build_missing_after_migrate, sender=self)
