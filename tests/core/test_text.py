"""Vietnamese text: search form without diacritics, dictionary order, name order."""

from __future__ import annotations

from dangvu.core.text import full_name_sort_key, normalise, person_sort_key, sort_key


def test_normalise_removes_marks_and_maps_d_with_stroke():
    assert normalise("  Đảng bộ  Sở Nội vụ ") == "dang bo so noi vu"
    assert normalise("NGUYỄN Văn Ân") == "nguyen van an"


def test_vietnamese_dictionary_order():
    words = ["Đào", "Dung", "Ân", "Ăn", "Anh", "An", "Bình", "Ánh", "Ẩn"]
    assert sorted(words, key=sort_key) == ["An", "Anh", "Ánh", "Ăn", "Ân", "Ẩn", "Bình", "Dung", "Đào"]


def test_people_sort_by_given_name_then_middle_then_family():
    people = [("Nguyễn", "Văn", "Bình"), ("Trần", "Thị", "An"), ("Lê", "Văn", "An"), ("Đặng", "Thị", "An")]
    ordered = sorted(people, key=lambda p: person_sort_key(*p))
    assert ordered == [
        ("Đặng", "Thị", "An"),
        ("Trần", "Thị", "An"),
        ("Lê", "Văn", "An"),
        ("Nguyễn", "Văn", "Bình"),
    ]


def test_full_names_sort_by_given_name_first():
    names = ["Đặng Văn Đức", "Lê Minh Đạo", "Nguyễn Thị Hồng", "Trần Thế Vương", "Nguyễn An"]
    assert sorted(names, key=full_name_sort_key) == [
        "Nguyễn An",
        "Lê Minh Đạo",
        "Đặng Văn Đức",
        "Nguyễn Thị Hồng",
        "Trần Thế Vương",
    ]
