"""Vietnamese name order (shared/design/interfaces.md, "Names in Vietnamese order")."""

from __future__ import annotations

import random
import unicodedata

import pytest

from hoso.core.names import name_sort_key, sort_by_name

INTERFACES_EXAMPLE = [
    "Lê Văn An",
    "Trần Thị Ân",
    "Phạm Ngọc Anh",
    "Nguyễn Đức Ánh",
    "Vũ Bảo Châu",
    "Đỗ Minh Chi",
    "Hoàng Văn Dũng",
    "Bùi Thị Đào",
    "Ngô Quốc Đạt",
]


def test_the_interfaces_example_sorts_in_its_published_order() -> None:
    for seed in range(25):
        shuffled = INTERFACES_EXAMPLE[:]
        random.Random(seed).shuffle(shuffled)
        assert sort_by_name(shuffled, lambda name: name) == INTERFACES_EXAMPLE


@pytest.mark.parametrize(
    ("first", "second", "why"),
    [
        ("Trần Văn An", "Lê Thị Bình", "given name first: An before Bình, whatever the family"),
        ("Nguyễn Thị Lan", "Nguyễn Văn Lan", "same given name: middle names decide (Thị < Văn)"),
        ("Đỗ Văn Nam", "Lê Văn Nam", "then the family name: D < L (Đ after D but before L)"),
        ("Lê Nam", "Lê Văn Nam", "fewer middle names first (nothing sorts before a word)"),
        ("Hà Minh Duy", "Hà Minh Đức", "đ is a letter after d"),
        ("Lê Thị Hoa", "Lê Thị Hòa", "tone only breaks a tie: none before huyền"),
        ("Lê Thị Hòa", "Lê Thị Hỏa", "huyền before hỏi"),
        ("Lê Thị Hỏa", "Lê Thị Hõa", "hỏi before ngã"),
        ("Lê Thị Hõa", "Lê Thị Hóa", "ngã before sắc"),
        ("Lê Thị Hóa", "Lê Thị Họa", "sắc before nặng"),
        ("Trần An", "Trần Ăn", "a before ă when the letters are otherwise equal"),
        ("Trần Ăn", "Trần Ân", "ă before â"),
        ("Lê Văn Ôn", "Lê Văn Ơn", "ô before ơ"),
        ("Lê Thị Tu", "Lê Thị Tư", "u before ư"),
        ("Lê Thị Tư", "Lê Thị Tuấn", "a word ends before a longer one with the same start"),
        ("Lê Văn Y", "Lê Văn Yến", "short word first"),
        ("Lý Thị Ngọc", "Lý Thị Nguyệt", "o before u"),
        ("Phan Văn Khang", "Phan Văn Khánh", "letters before tones: kh-a-n-g < kh-a-n-h"),
    ],
)
def test_pairs_sort_in_vietnamese_order(first: str, second: str, why: str) -> None:
    assert name_sort_key(first) < name_sort_key(second), why


def test_case_spacing_and_normal_form_do_not_matter() -> None:
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    assert name_sort_key(nfd) == name_sort_key("Nguyễn Thị Ánh Tuyết")
    assert name_sort_key("  NGUYỄN   thị ÁNH tuyết ") == name_sort_key("Nguyễn Thị Ánh Tuyết")


def test_the_key_is_digits_only_so_every_database_collation_agrees() -> None:
    assert name_sort_key("Nguyễn Thị Ánh Tuyết").isdigit()
    assert name_sort_key("Đặng O'Neil-Smith 2").isdigit()


def test_an_empty_name_sorts_first() -> None:
    assert name_sort_key("") == ""
    assert name_sort_key("") < name_sort_key("A")


def test_single_word_names_sort_by_that_word() -> None:
    assert name_sort_key("Bình") < name_sort_key("Chi")
