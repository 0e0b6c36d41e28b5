"""System checks that guard the production configuration."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def production_mode(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return [
            Error(
                "DANGVU_MODE is 'demo': demo accounts exist and cookies are not secure.",
                hint="Set DANGVU_MODE=production, DANGVU_SECRET_KEY and DANGVU_ALLOWED_HOSTS.",
                id="dangvu.E001",
            )
        ]
    return []
