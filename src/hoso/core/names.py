"""Vietnamese name order, as ``shared/design/interfaces.md`` defines it and orders its examples.

Class lists sort by given name (the last word), then the middle names in order, then the family
name. Each word is compared in three passes (docs/adr/0002-vietnamese-name-order.md says why):
1. its letters with đ a letter of its own after d, and the vowels ă â ê ô ơ ư read as their base
   vowel — the interfaces' examples put "Ân" between "An" and "Anh";
2. then the vowel letters in the alphabet's order a < ă < â, e < ê, o < ô < ơ, u < ư ("An" < "Ân");
3. then the tones, in the order none, huyền, hỏi, ngã, sắc, nặng ("Anh" < "Ánh").
A word is fully compared before the next one. Comparison is on NFC text, case-insensitive.

The key is also stored in the database (``name_sort_key``) so that ``ORDER BY`` gives the same
order on SQLite and on PostgreSQL whatever the server's collation: it is made of digits only,
which every collation compares one by one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# The Vietnamese alphabet, with the letters foreign names bring (f, j, w, z) in their Latin places.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Pass 1 reads a vowel with a breve, circumflex or horn as its base vowel; pass 2 ranks them.
BASE_VOWEL = {"ă": "a", "â": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u"}
VOWEL_RANK = {"a": 0, "ă": 1, "â": 2, "e": 0, "ê": 1, "o": 0, "ô": 1, "ơ": 2, "u": 0, "ư": 1}
# Tone marks as combining characters, in tie-break order (none = 0 is implicit).
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_LETTER_CODE = {letter: f"{index + 10:02d}" for index, letter in enumerate(ALPHABET)}
_DIGIT_CODE = {str(d): f"{d + 50:02d}" for d in range(10)}  # digits after every letter
_OTHER_CODE = "99"
_END = "00"  # ends a word: "An" sorts before "Anh"


def split_letter(char: str) -> tuple[str, int]:
    """A letter without its tone, and the tone's rank (0 = none)."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = 0
    kept = []
    for part in decomposed:
        if part in TONES:
            tone = TONES[part]
        else:
            kept.append(part)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def word_key(word: str) -> str:
    """Digits that sort one word: letters (pass 1), vowel marks (pass 2), tones (pass 3)."""
    letters: list[str] = []
    marks: list[str] = []
    tones: list[str] = []
    for char in unicodedata.normalize("NFC", word).casefold():
        letter, tone = split_letter(char)
        base = BASE_VOWEL.get(letter, letter)
        letters.append(_LETTER_CODE.get(base) or _DIGIT_CODE.get(base) or _OTHER_CODE)
        marks.append(str(VOWEL_RANK.get(letter, 0)))
        tones.append(str(tone))
    return "".join(letters) + _END + "".join(marks) + "0" + "".join(tones) + "0"


def name_words(full_name: str) -> list[str]:
    return unicodedata.normalize("NFC", full_name).split()


def name_sort_key(full_name: str) -> str:
    """The sort key of a full name "Họ đệm Tên": given name, middle names, family name."""
    words = name_words(full_name)
    if not words:
        return ""
    ordered = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    return "".join(word_key(word) for word in ordered)


def sort_by_name(items: Iterable[T], full_name: Callable[[T], str]) -> list[T]:
    """Items in Vietnamese name order; ``full_name`` gives an item's full name."""
    return sorted(items, key=lambda item: name_sort_key(full_name(item)))


def given_name(full_name: str) -> str:
    words = name_words(full_name)
    return words[-1] if words else ""
