"""The member fixtures (a member world for statistics)."""

from tests.members.conftest import people  # noqa: F401
