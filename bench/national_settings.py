"""Settings for `bench/national.py http`: the project's settings, with a URLconf that adds a bare view."""

from dangvu.config.settings import *  # noqa: F403

ROOT_URLCONF = "national_urls"
