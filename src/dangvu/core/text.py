"""Vietnamese text: a search form without diacritics and a sort key in Vietnamese alphabetical order."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: chr(0x41 + i) for i, ch in enumerate(_ALPHABET)}
# Tone marks in dictionary order: level, grave, hook, tilde, acute, dot below.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Marks that make a different letter (breve, circumflex, horn) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def normalise(text: str | None) -> str:
    """Lower case, no diacritics, Đ→d, single spaces: the stored form that search matches against."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


@lru_cache(maxsize=65536)
def sort_key(text: str | None) -> str:
    """A string whose plain (binary) order is Vietnamese dictionary order.

    Letters rank first (ă after a, đ after d, ...); tones only break ties, as in a dictionary. Cached: the
    same family, middle and given names come back again and again (a whole import file of them).
    """
    if not text:
        return ""
    primary: list[str] = []
    tones: list[str] = []
    for word in " ".join(text.split()).lower().split(" "):
        letters: list[str] = []
        tone = "0"
        for base in unicodedata.normalize("NFC", word):
            parts = unicodedata.normalize("NFD", base)
            letter = parts[0]
            for mark in parts[1:]:
                if mark in _TONES:
                    tone = _TONES[mark]
                elif mark in _LETTER_MARKS:
                    letter += mark
            letter = unicodedata.normalize("NFC", letter)
            letters.append(_RANK.get(letter, letter))
        primary.append("".join(letters))
        tones.append(tone)
    # " " and "\x01" sort before every rank letter, so "An" comes before "Anh" and "An Bình".
    return " ".join(primary) + "\x01" + "".join(tones)


def person_sort_key(family: str, middle: str, given: str) -> str:
    """Vietnamese name order for lists: given name, then middle name, then family name."""
    return " / ".join(sort_key(part) for part in (given, middle, family))


def full_name_sort_key(full_name: str) -> str:
    """Vietnamese name order for a name kept in one piece ("Nguyễn Văn An"): given, middle, family."""
    parts = (full_name or "").split()
    if len(parts) < 2:
        return person_sort_key("", "", full_name or "")
    return person_sort_key(parts[0], " ".join(parts[1:-1]), parts[-1])
