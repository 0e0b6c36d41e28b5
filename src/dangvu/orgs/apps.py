from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "dangvu.orgs"
    label = "orgs"
    verbose_name = "Tổ chức đảng"

    def ready(self) -> None:
        from . import dueitems  # noqa: F401  (registers the term due items)
