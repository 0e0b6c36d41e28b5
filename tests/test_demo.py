"""The demo dataset matches the seed articles and the accounts see what their roles allow."""

from __future__ import annotations

from collections import Counter

import pytest

from dangvu.accounts.models import User
from dangvu.demo import DEMO_PASSWORD, load_demo
from dangvu.orgs import selectors
from dangvu.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_tree_and_accounts():
    assert load_demo() is True
    bloc = Organisation.objects.get(name="Đảng bộ Khối các cơ quan tỉnh")
    direct = Counter(Organisation.objects.filter(parent=bloc).values_list("kind", flat=True))
    assert direct["grassroots_committee"] + direct["grassroots_branch"] == 55
    assert Organisation.objects.filter(kind="branch", parent__parent=bloc).count() == 287
    snv = Organisation.objects.get(name="Đảng bộ Sở Nội vụ")
    assert Organisation.objects.filter(parent=snv).count() == 4

    def visible(username):
        return selectors.organisation_list(fetched_by=User.objects.get(username=username)).count()

    assert visible("vanphong") == visible("ubkt") == visible("admin") == 343
    assert visible("bithu_snv") == 5
    assert visible("bithu_cb1") == 1
    assert User.objects.get(username="bithu_cb1").check_password(DEMO_PASSWORD)
    assert load_demo() is False  # never loaded twice
