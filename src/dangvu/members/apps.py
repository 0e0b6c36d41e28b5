from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangvu.members"
    label = "members"
    verbose_name = "Đảng viên"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import catalogue, dueitems, hooks, panels  # noqa: F401  (registers due items, tree hooks, panels)

        post_migrate.connect(catalogue.sync_catalogue_after_migrate, sender=self)
