"""Made-up Vietnamese people for the demo: names, birth places, parents.

Everything is drawn from a seeded ``random.Random`` the caller owns, so the same seed gives the
same province. Names are random combinations of common words, never copied from real lists.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from hoso.academics.models import Gender

PROVINCE = "tỉnh Hòa Sơn"

# Common family names with rough weights (Nguyễn is about a third of the country).
FAMILY_NAMES: dict[str, int] = {
    "Nguyễn": 30,
    "Trần": 11,
    "Lê": 9,
    "Phạm": 7,
    "Hoàng": 5,
    "Vũ": 4,
    "Phan": 3,
    "Đặng": 3,
    "Bùi": 3,
    "Đỗ": 3,
    "Hồ": 2,
    "Ngô": 2,
    "Dương": 2,
    "Đinh": 2,
    "Đào": 2,
    "Lý": 1,
    "Lương": 1,
    "Trịnh": 1,
    "Mai": 1,
    "Tạ": 1,
    "Hà": 1,
    "Nông": 1,
    "Triệu": 1,
    "Lò": 1,
}
MALE_MIDDLE = [
    "Văn",
    "Văn",
    "Văn",
    "Đức",
    "Minh",
    "Quốc",
    "Hữu",
    "Gia",
    "Thành",
    "Anh",
    "Công",
    "Xuân",
    "Tuấn",
    "Trung",
    "Hoàng",
    "Ngọc",
    "Bảo",
    "Duy",
    "Đình",
    "Quang",
    "Mạnh",
    "Hải",
    "Nhật",
    "Thế",
]
FEMALE_MIDDLE = [
    "Thị",
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Phương",
    "Khánh",
    "Bảo",
    "Minh",
    "Hồng",
    "Thùy",
    "Mai",
    "Diệu",
    "Kim",
    "Hải",
    "Quỳnh",
    "Lan",
    "Như",
    "Bích",
]
MALE_GIVEN = [
    "An",
    "Bảo",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Đức",
    "Hải",
    "Hiếu",
    "Hòa",
    "Hoàng",
    "Huy",
    "Hùng",
    "Khang",
    "Khánh",
    "Khoa",
    "Kiên",
    "Lâm",
    "Long",
    "Lộc",
    "Mạnh",
    "Minh",
    "Nam",
    "Nghĩa",
    "Nhân",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Thịnh",
    "Toàn",
    "Trung",
    "Tú",
    "Tuấn",
    "Việt",
    "Vinh",
    "Vũ",
    "Hưng",
    "Kiệt",
    "Đăng",
    "Tùng",
]
FEMALE_GIVEN = [
    "Anh",
    "Ánh",
    "Chi",
    "Dung",
    "Diệp",
    "Giang",
    "Hà",
    "Hân",
    "Hằng",
    "Hạnh",
    "Hoa",
    "Hương",
    "Huyền",
    "Lan",
    "Linh",
    "Loan",
    "Ly",
    "Mai",
    "My",
    "Ngân",
    "Ngọc",
    "Nhi",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Quỳnh",
    "Tâm",
    "Thảo",
    "Thư",
    "Trang",
    "Trâm",
    "Uyên",
    "Vân",
    "Vy",
    "Yến",
    "Châu",
    "Đào",
    "Ân",
]

ETHNICITIES: dict[str, int] = {"Kinh": 80, "Tày": 8, "Nùng": 6, "Dao": 3, "Mường": 2, "Sán Dìu": 1}
OCCUPATIONS = (
    "Làm ruộng",
    "Công nhân",
    "Giáo viên",
    "Buôn bán",
    "Kinh doanh tự do",
    "Viên chức",
    "Lái xe",
    "Thợ xây",
    "Nội trợ",
    "Bộ đội",
)
# Places of the (made-up) province, grouped by the district office whose schools they feed.
COMMUNES: dict[str, tuple[str, ...]] = {
    "an_lac": (
        "thị trấn An Lạc, huyện An Lạc",
        "xã Tân Lập, huyện An Lạc",
        "xã Quang Trung, huyện An Lạc",
        "xã Đồng Tâm, huyện An Lạc",
        "xã Hợp Thịnh, huyện An Lạc",
    ),
    "binh_lam": (
        "xã Bình Lâm, huyện Bình Lâm",
        "xã Phú Xuân, huyện Bình Lâm",
        "xã Hưng Đạo, huyện Bình Lâm",
        "xã Minh Khai, huyện Bình Lâm",
    ),
    "city": (
        "phường Hòa Bình, thành phố Hòa Sơn",
        "phường Trần Phú, thành phố Hòa Sơn",
        "phường Đông Thành, thành phố Hòa Sơn",
        "xã Nam Sơn, thành phố Hòa Sơn",
    ),
}
HAMLETS = (
    "thôn Đông",
    "thôn Trung",
    "thôn Đoài",
    "thôn Bắc Sơn",
    "thôn Tiền Phong",
    "tổ dân phố 3",
)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass(frozen=True, slots=True)
class Person:
    full_name: str
    gender: str  # Gender value

    @property
    def family_name(self) -> str:
        return self.full_name.split()[0]


def person(rng: random.Random, *, gender: str | None = None, family: str | None = None) -> Person:
    """A made-up person; middle names agree with the gender (Thị for women, Văn for men)."""
    gender = gender or rng.choice([Gender.MALE.value, Gender.FEMALE.value])
    family = family or _weighted(rng, FAMILY_NAMES)
    male = gender == Gender.MALE
    middles = [rng.choice([m for m in (MALE_MIDDLE if male else FEMALE_MIDDLE) if m != family])]
    if rng.random() < 0.2:  # four-word names are common among children born after 2005
        second = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
        if second not in middles:
            middles.append(second)
    given = rng.choice([n for n in (MALE_GIVEN if male else FEMALE_GIVEN) if n not in middles])
    return Person(" ".join([family, *middles, given]), gender)


def birth_date(rng: random.Random, *, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def place(rng: random.Random, area: str) -> str:
    """A commune of the area, most of the time; sometimes elsewhere in the province."""
    pool = COMMUNES[area] if rng.random() < 0.85 else COMMUNES["city"]
    return f"{rng.choice(pool)}, {PROVINCE}"


def address(rng: random.Random, area: str) -> str:
    return f"{rng.choice(HAMLETS)}, {rng.choice(COMMUNES[area])}, {PROVINCE}"


def ethnicity(rng: random.Random) -> str:
    return _weighted(rng, ETHNICITIES)


def occupation(rng: random.Random) -> str:
    return rng.choice(OCCUPATIONS)
