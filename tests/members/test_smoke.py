import datetime as dt

from dangvu.members.selectors import member_counts, member_list, party_age


def test_people_are_entered_and_counted(world, people):
    counts = member_counts([world.a, world.a1, world.b, world.root])
    assert (counts[world.a1.pk].official, counts[world.a1.pk].probationary) == (1, 1)
    assert counts[world.root.pk].total == 3
    assert [m.given_name for m in member_list(world.office_a)] == ["An", "Bình"]
    assert party_age(people.an, dt.date(2026, 11, 23)).years == 16
