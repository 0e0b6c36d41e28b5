"""The member fixtures (members whose statistics the reports pre-fill)."""

from tests.members.conftest import people  # noqa: F401
