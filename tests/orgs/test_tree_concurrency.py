"""Concurrent writers on one tree (PostgreSQL).

No path is handed out twice (treebeard locks the parent row when adding a child), and crossing moves cannot
build a cycle (the service's tree-wide advisory lock; without it the second test fails every time).

SQLite serialises writers by itself (IMMEDIATE transactions) and its in-memory test database cannot be shared
by writing threads, so this test runs on PostgreSQL only and says so.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from dangvu.orgs.models import Organisation, OrganisationKind
from tests.conftest import make_org, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]


def test_parallel_creates_and_moves_under_one_parent_keep_the_tree_sound():
    admin = make_user("quantri_c", "admin")
    root = make_org(admin, None, OrganisationKind.UPPER, "Đảng bộ Gốc", "C")
    committees = [
        make_org(admin, root, OrganisationKind.GRASSROOTS_COMMITTEE, f"Đảng bộ {n}", f"C.{n}")
        for n in range(2)
    ]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(8):
                # Everyone adds branches under the same committee: each needs the "next" path there.
                make_org(admin, committees[0], OrganisationKind.BRANCH, f"Chi bộ {n}-{i}", f"C.0.{n}.{i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert Organisation.objects.filter(parent=committees[0]).count() == 16
    assert all(not problems for problems in Organisation.objects.find_problems())
    paths = list(Organisation.objects.values_list("path", flat=True))
    assert len(paths) == len(set(paths))


def test_crossing_moves_cannot_both_succeed_and_make_a_cycle():
    """A under B while B goes under A: each check alone sees no cycle; the tree lock makes one see it."""
    from django.core.exceptions import ValidationError

    from dangvu.orgs.services import organisation_move

    admin = make_user("quantri_x", "admin")
    root = make_org(admin, None, OrganisationKind.UPPER, "Đảng bộ Gốc", "X")
    first = make_org(admin, root, OrganisationKind.UPPER, "Đảng ủy Khối Một", "X.1")
    second = make_org(admin, root, OrganisationKind.UPPER, "Đảng ủy Khối Hai", "X.2")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def worker(organisation, new_parent) -> None:
        try:
            barrier.wait()
            organisation_move(by=admin, organisation=organisation, new_parent=new_parent, reason="Sắp xếp")
            outcomes.append("moved")
        except ValidationError:
            outcomes.append("refused")
        except BaseException as exc:
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=pair) for pair in ((first, second), (second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["moved", "refused"], outcomes
    assert all(not problems for problems in Organisation.objects.find_problems())
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.path.startswith(root.path) and second.path.startswith(root.path)
