"""Every URL pattern must be covered by the scoping battery: a new page or endpoint without a battery class
naming it fails here."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from tests.battery import Battery

TESTS = Path(__file__).resolve().parent


def named_patterns(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name: it cannot be covered"
            names.add(f"{namespace}{pattern.name}")
    return names


def battery_classes() -> list[type[Battery]]:
    for path in TESTS.rglob("test_*.py"):
        module = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        importlib.import_module(module)
    found, stack = [], list(Battery.__subclasses__())
    while stack:
        cls = stack.pop()
        found.append(cls)
        stack.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__name__.startswith("Test")]


def test_every_url_pattern_has_a_battery_class():
    covered = {cls.url_name for cls in battery_classes()}
    missing = sorted(named_patterns() - covered)
    assert not missing, f"URL patterns without a scoping battery class: {missing}"


def test_battery_classes_name_real_url_patterns():
    stale = sorted({cls.url_name for cls in battery_classes()} - named_patterns())
    assert not stale, f"Battery classes naming URL patterns that do not exist: {stale}"
