"""Demo member records for the demo tree (``dangvu.demo``): about 4,000 members of "Đảng bộ Khối các cơ quan
tỉnh", 76 of them in "Đảng bộ Sở Nội vụ", the committees of the 55 grassroots organisations (428 committee
members), and the ``dangvien`` account tied to one member record.

The bulk is written with ``bulk_create`` (with the same search keys and timeline rows the services write)
and one change record describing it; the lifecycle cases the inbox should show (recognitions, transfers,
exemptions, exits, a re-admission) go through the services, so they have their history. Everything comes
from a seeded random generator and dates relative to ``today``: the same day gives the same data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from dangvu.core.calendar import add_months
from dangvu.core.text import normalise

SEED = 2025_0701
TOTAL_MEMBERS = 4000  # in the Party (probationary + official) across the bloc
SNV_CODE = "KCQ.01"
SNV_SIZES = (24, 20, 17, 15)  # Chi bộ Văn phòng Sở first: 76 in all
BIG_GRASSROOTS_BRANCH = "Chi bộ Trường Cao đẳng Sư phạm"  # left at 31: should become a grassroots committee
FEW_OFFICIALS_COMMITTEE = "KCQ.12"  # its last branch keeps 2 official + 2 probationary members
COMMITTEE_SEATS = 428  # secretary, deputies, standing members and members over the 55 grassroots orgs
MEMBER_USERNAME = "dangvien"  # Role.MEMBER on Chi bộ Văn phòng Sở, tied to one member record
REASON = "Nhập dữ liệu mẫu"

# ───────────────────────── names ─────────────────────────

# (family name, weight): the northern distribution (Hoàng and Vũ far more common than Huỳnh and Võ).
FAMILY_NAMES = [
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 48),
    ("Huỳnh", 4),
    ("Phan", 40),
    ("Vũ", 42),
    ("Võ", 5),
    ("Đặng", 22),
    ("Bùi", 22),
    ("Đỗ", 20),
    ("Hồ", 10),
    ("Ngô", 14),
    ("Dương", 12),
    ("Lý", 6),
    ("Đào", 12),
    ("Đinh", 10),
    ("Trịnh", 9),
    ("Lương", 6),
    ("Mai", 5),
    ("Tạ", 5),
    ("Kiều", 5),
    ("Khổng", 3),
    ("Lưu", 4),
    ("Triệu", 3),
    ("Hà", 6),
    ("Tô", 3),
    ("Đoàn", 6),
    ("Cao", 5),
    ("Chu", 4),
    ("Lại", 3),
    ("Nghiêm", 2),
    ("Văn", 2),
]
# Family names of the ethnic minorities most common in the northern midlands, and of the Khmer and Hoa.
ETHNIC_FAMILY_NAMES = {
    "tay": ["Hoàng", "Nông", "Lục", "Ma", "Hà", "Triệu", "Lương", "Vi"],
    "nung": ["Hoàng", "Nông", "Lý", "Lục", "Vi", "Chu"],
    "thai": ["Lò", "Cầm", "Lường", "Quàng", "Vi", "Hà"],
    "muong": ["Bùi", "Đinh", "Quách", "Hà", "Xa"],
    "dao": ["Triệu", "Bàn", "Đặng", "Lý"],
    "hoa": ["Lý", "Trương", "Lâm", "Quách", "Hứa", "Mã"],
    "khmer": ["Thạch", "Sơn", "Danh", "Kim", "Lâm"],
    "mong": ["Giàng", "Vàng", "Sùng", "Thào", "Lầu", "Mùa"],
    "san-diu": ["Diệp", "Trương", "Lâm", "Phạm"],
}
MIDDLE_NAMES = {
    "male": ["Văn", "Đức", "Hữu", "Quang", "Minh", "Mạnh", "Xuân", "Thế", "Công", "Tiến", "Trọng", "Ngọc",
             "Anh", "Duy", "Thanh", "Quốc", "Việt", "Hoàng", "Tuấn", "Đình", "Bá", "Khắc", "Trung", "Hải"],
    "female": ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Thùy", "Kim", "Mai", "Lan", "Bích",
               "Hải", "Diệu", "Khánh", "Thúy", "Hoài", "Quỳnh", "Huyền", "Thảo"],
}  # fmt: skip
GIVEN_NAMES = {
    "male": ["An", "Anh", "Bảo", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Đạt", "Định", "Đông",
             "Đức", "Giang", "Hải", "Hào", "Hiếu", "Hiệp", "Hòa", "Hoàng", "Huy", "Hùng", "Hưng", "Khánh",
             "Khoa", "Kiên", "Lâm", "Linh", "Long", "Lợi", "Mạnh", "Minh", "Nam", "Nghĩa", "Ngọc", "Phong",
             "Phúc", "Phương", "Quân", "Quang", "Quý", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh",
             "Thuận", "Tiến", "Toàn", "Trung", "Trường", "Tú", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Khải",
             "Lộc", "Hiển", "Thái", "Chung", "Đại", "Hậu", "Kiệt", "Luân", "Nhật", "Quyết", "Sỹ", "Vương"],
    "female": ["An", "Anh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
               "Hồng", "Huế", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "Minh", "My", "Nga",
               "Ngân", "Ngọc", "Nhung", "Nhàn", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thanh", "Thảo",
               "Thoa", "Thu", "Thủy", "Trang", "Tuyết", "Uyên", "Vân", "Yến", "Xuân", "Hậu", "Lụa", "Hòa",
               "Thắm", "Diệp", "Giang", "Hải", "Lý", "Nguyệt", "Phượng", "Sen", "Trâm", "Vy"],
}  # fmt: skip
MONG_NAMES = {
    "male": (["A", "Seo", "Mí"], ["Páo", "Chứ", "Dính", "Sính", "Chơ", "Pó", "Tủa"]),
    "female": (["Thị"], ["Mỷ", "Dở", "Súa", "Mai", "Chư", "Sy"]),
}

# ───────────────────────── identity ─────────────────────────

# (ethnicity code, weight): mostly Kinh; the minorities of the midlands and a few from the south.
ETHNICITIES = [
    ("kinh", 915),
    ("tay", 20),
    ("muong", 15),
    ("san-diu", 12),
    ("thai", 9),
    ("nung", 9),
    ("dao", 8),
    ("hoa", 5),
    ("khmer", 4),
    ("mong", 3),
]
# Province code (the first 3 digits of a citizen ID) → places of birth in that province.
PLACES = {
    "026": [
        "xã Đại Đồng, huyện Vĩnh Tường, tỉnh Vĩnh Phúc",
        "xã Tam Hồng, huyện Yên Lạc, tỉnh Vĩnh Phúc",
        "xã Hợp Thịnh, huyện Tam Dương, tỉnh Vĩnh Phúc",
        "xã Sơn Lôi, huyện Bình Xuyên, tỉnh Vĩnh Phúc",
        "xã Văn Quán, huyện Lập Thạch, tỉnh Vĩnh Phúc",
        "xã Đồng Thịnh, huyện Sông Lô, tỉnh Vĩnh Phúc",
        "xã Đạo Trù, huyện Tam Đảo, tỉnh Vĩnh Phúc",
        "phường Liên Bảo, thành phố Vĩnh Yên, tỉnh Vĩnh Phúc",
        "phường Trưng Trắc, thành phố Phúc Yên, tỉnh Vĩnh Phúc",
        "xã Kim Long, huyện Tam Dương, tỉnh Vĩnh Phúc",
        "xã Đồng Cương, huyện Yên Lạc, tỉnh Vĩnh Phúc",
        "xã Lũng Hòa, huyện Vĩnh Tường, tỉnh Vĩnh Phúc",
        "xã Bá Hiến, huyện Bình Xuyên, tỉnh Vĩnh Phúc",
        "phường Đồng Tâm, thành phố Vĩnh Yên, tỉnh Vĩnh Phúc",
    ],
    "025": ["xã Tiên Kiên, huyện Lâm Thao, tỉnh Phú Thọ", "phường Gia Cẩm, thành phố Việt Trì, tỉnh Phú Thọ"],
    "001": [
        "xã Tiền Phong, huyện Mê Linh, thành phố Hà Nội",
        "phường Kim Liên, quận Đống Đa, thành phố Hà Nội",
    ],
    "019": ["xã Phú Đình, huyện Định Hóa, tỉnh Thái Nguyên"],
    "024": ["xã Tân Dĩnh, huyện Lạng Giang, tỉnh Bắc Giang"],
    "036": ["xã Hải Anh, huyện Hải Hậu, tỉnh Nam Định"],
    "034": ["xã Vũ Hội, huyện Vũ Thư, tỉnh Thái Bình"],
    "038": ["xã Hoằng Lộc, huyện Hoằng Hóa, tỉnh Thanh Hóa"],
    "040": ["xã Kim Liên, huyện Nam Đàn, tỉnh Nghệ An"],
    "030": ["xã Lai Cách, huyện Cẩm Giàng, tỉnh Hải Dương"],
    "008": ["xã Tân Trào, huyện Sơn Dương, tỉnh Tuyên Quang"],
    "020": ["xã Hoàng Đồng, thành phố Lạng Sơn, tỉnh Lạng Sơn"],
    "014": ["xã Chiềng Ngần, thành phố Sơn La, tỉnh Sơn La"],
    "017": ["xã Mông Hóa, huyện Kỳ Sơn, tỉnh Hòa Bình"],
    "002": ["xã Lũng Cú, huyện Đồng Văn, tỉnh Hà Giang"],
    "094": ["xã Đại Tâm, huyện Mỹ Xuyên, tỉnh Sóc Trăng"],
    "079": ["phường 11, quận 5, Thành phố Hồ Chí Minh"],
}
KINH_PROVINCES = [("026", 78), ("025", 5), ("001", 4), ("019", 2), ("024", 2), ("036", 2), ("034", 2),
                  ("038", 2), ("040", 1), ("030", 2)]  # fmt: skip
ETHNIC_PROVINCES = {
    "tay": ["008", "020"],
    "nung": ["020"],
    "thai": ["014"],
    "muong": ["017", "025"],
    "dao": ["008", "026"],
    "hoa": ["001", "079"],
    "khmer": ["094"],
    "mong": ["002"],
    "san-diu": ["026"],
}
STREETS = ["Kim Ngọc", "Nguyễn Tất Thành", "Lam Sơn", "Mê Linh", "Trần Phú", "Hùng Vương", "Chiến Thắng",
           "Tô Hiến Thành", "Lê Xoay", "Ngô Quyền", "Đội Cấn", "Nguyễn Chí Thanh", "Hai Bà Trưng",
           "Nguyễn Văn Linh", "Trường Chinh"]  # fmt: skip
WARDS = ["phường Vĩnh Yên", "phường Vĩnh Phúc", "phường Phúc Yên", "phường Xuân Hòa", "xã Tam Dương",
         "xã Yên Lạc", "xã Bình Xuyên", "xã Vĩnh Tường", "xã Tam Đảo"]  # fmt: skip
MOBILE_PREFIXES = ["090", "091", "093", "094", "096", "097", "098", "032", "033", "035", "036",
                   "037", "038", "039", "081", "083", "084", "085", "086", "088", "070", "077"]  # fmt: skip
LANGUAGES = [("Tiếng Anh B1", 35), ("Tiếng Anh B2", 15), ("Tiếng Anh trình độ C", 12), ("Tiếng Anh A2", 10),
             ("Tiếng Trung B1", 2), ("Tiếng Pháp B1", 1), ("", 25)]  # fmt: skip

# ───────────────────────── work ─────────────────────────

# Head of the agency by a word of its name (first match); deputies are "Phó " + the head's title.
HEADS = [
    ("Bệnh viện", "Giám đốc"),
    ("Trường", "Hiệu trưởng"),
    ("Tòa án", "Chánh án"),
    ("Viện Kiểm sát", "Viện trưởng"),
    ("Thanh tra tỉnh", "Chánh Thanh tra"),
    ("Văn phòng", "Chánh Văn phòng"),
    ("Tỉnh đoàn", "Bí thư Tỉnh đoàn"),
    ("Báo", "Tổng Biên tập"),
    ("Hội", "Chủ tịch"),
    ("Liên", "Chủ tịch"),
    ("Mặt trận", "Chủ tịch"),
    ("Ban ", "Trưởng ban"),
    ("Thuế", "Trưởng Thuế tỉnh"),
    ("Hải quan", "Chi cục trưởng"),
    ("Thống kê", "Trưởng Thống kê tỉnh"),
]
# (unit head, deputy unit head, [(position, occupation, weight)]) by kind of agency.
STAFF = {
    "health": (
        "Trưởng khoa",
        "Phó Trưởng khoa",
        [
            ("Bác sĩ", "Bác sĩ", 40),
            ("Điều dưỡng", "Điều dưỡng", 35),
            ("Dược sĩ", "Dược sĩ", 8),
            ("Kỹ thuật viên xét nghiệm", "Kỹ thuật viên y", 8),
            ("Chuyên viên", "Viên chức", 9),
        ],
    ),
    "school": (
        "Trưởng khoa",
        "Phó Trưởng khoa",
        [
            ("Giảng viên chính", "Giảng viên", 25),
            ("Giảng viên", "Giảng viên", 55),
            ("Chuyên viên", "Viên chức", 20),
        ],
    ),
    "high_school": (
        "Tổ trưởng chuyên môn",
        "Tổ phó chuyên môn",
        [("Giáo viên", "Giáo viên", 85), ("Nhân viên văn phòng", "Viên chức", 15)],
    ),
    "press": (
        "Trưởng ban",
        "Phó Trưởng ban",
        [("Phóng viên", "Nhà báo", 45), ("Biên tập viên", "Nhà báo", 35), ("Kỹ thuật viên", "Viên chức", 20)],
    ),
    "court": (
        "Chánh tòa",
        "Phó Chánh tòa",
        [
            ("Thẩm phán", "Công chức", 40),
            ("Thư ký Tòa án", "Công chức", 45),
            ("Chuyên viên", "Công chức", 15),
        ],
    ),
    "procuracy": (
        "Trưởng phòng",
        "Phó Trưởng phòng",
        [
            ("Kiểm sát viên", "Công chức", 50),
            ("Kiểm tra viên", "Công chức", 35),
            ("Chuyên viên", "Công chức", 15),
        ],
    ),
    "public_service": (
        "Trưởng phòng",
        "Phó Trưởng phòng",
        [("Viên chức", "Viên chức", 50), ("Kế toán viên", "Viên chức", 15), ("Chuyên viên", "Viên chức", 35)],
    ),
    "office": (
        "Trưởng phòng",
        "Phó Trưởng phòng",
        [
            ("Chuyên viên chính", "Công chức", 25),
            ("Chuyên viên", "Công chức", 55),
            ("Cán sự", "Công chức", 8),
            ("Kế toán viên", "Công chức", 7),
            ("Nhân viên", "Người lao động", 5),
        ],
    ),
}
AGENCY_KINDS = [
    ("Bệnh viện", "health"),
    ("Kiểm soát bệnh tật", "health"),
    ("Trường Trung học", "high_school"),
    ("Trường", "school"),
    ("Báo", "press"),
    ("Nhà xuất bản", "press"),
    ("Tòa án", "court"),
    ("Viện Kiểm sát", "procuracy"),
    ("Trung tâm", "public_service"),
    ("Quỹ", "public_service"),
    ("Ban Quản lý dự án", "public_service"),
]
# Mean branch size by a word of the grassroots committee's name (default 12).
BRANCH_MEANS = [
    ("Bệnh viện Đa khoa", 22),
    ("Sản - Nhi", 18),
    ("Thuế", 19),
    ("Kiểm soát bệnh tật", 16),
    ("Báo và Phát thanh", 16),
    ("Bảo hiểm xã hội", 16),
    ("Nông nghiệp", 15),
    ("Cao đẳng", 15),
    ("Giáo dục", 14),
    ("Tài chính", 14),
    ("Trường Chính trị", 14),
    ("Y dược", 14),
    ("Chuyên", 13),
    ("Ngoại vụ", 7),
    ("Dân tộc", 7),
    ("Quỹ", 7),
    ("Hội Nông dân", 7),
    ("Tỉnh đoàn", 8),
    ("Thống kê", 8),
    ("Liên đoàn", 8),
    ("Ban Quản lý", 9),
]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _age_ok(birth: dt.date, admission: dt.date, low: int = 20, high: int = 40) -> bool:
    return add_months(birth, 12 * low) <= admission < add_months(birth, 12 * high)


def _first_match(name: str, table, default):
    return next((value for word, value in table if word in name), default)


def _agency(grassroots_name: str) -> str:
    """The agency behind a grassroots organisation: "Đảng bộ Sở Nội vụ" → "Sở Nội vụ"."""
    for prefix in ("Đảng bộ Cơ quan ", "Đảng bộ ", "Chi bộ "):
        if grassroots_name.startswith(prefix):
            return grassroots_name[len(prefix) :]
    return grassroots_name


def _workplace(branch_name: str | None, agency: str) -> str:
    if not branch_name:
        return agency
    unit = branch_name.removeprefix("Chi bộ ").rstrip("0123456789 ")
    if unit.endswith(" Sở"):
        return f"{unit} {agency.removeprefix('Sở ')}"  # "Văn phòng Sở" → "Văn phòng Sở Nội vụ"
    if unit.startswith(("Phòng", "Văn phòng", "Thanh tra", "Trung tâm", "Ban ")):
        return f"{unit}, {agency}"
    return agency


@dataclass
class Home:
    """A branch members are kept in, with what the generator needs to know about it."""

    organisation: object
    grassroots: object
    agency: str
    kind: str
    size: int = 0
    members: list = field(default_factory=list)


class _People:
    """Makes unsaved ``Member`` rows: names, identity, work and admission dates, all from one seeded rng."""

    def __init__(self, rng: random.Random, today: dt.date, catalogue: dict):
        self.rng = rng
        self.today = today
        self.catalogue = catalogue
        self.citizen_ids: set[str] = set()
        self.card_numbers: set[str] = set()
        self.emails: set[str] = set()
        self.provinces: dict[int, str] = {}  # id(member) → province code of the citizen ID

    # names

    def name(self, gender: str, ethnicity: str, birth_year: int) -> tuple[str, str, str]:
        rng = self.rng
        if ethnicity == "mong":
            middles, givens = MONG_NAMES[gender]
            return rng.choice(ETHNIC_FAMILY_NAMES["mong"]), rng.choice(middles), rng.choice(givens)
        if ethnicity in ETHNIC_FAMILY_NAMES:
            family = rng.choice(ETHNIC_FAMILY_NAMES[ethnicity])
        else:
            family = _weighted(rng, FAMILY_NAMES)
        # "Văn" and "Thị" were the usual middle names of the older generations.
        plain = 0.55 if birth_year < 1975 else 0.35 if birth_year < 1990 else 0.15
        if rng.random() < plain:
            middle = "Văn" if gender == "male" else "Thị"
        else:
            middle = rng.choice(MIDDLE_NAMES[gender])
        given = rng.choice(GIVEN_NAMES[gender])
        while given == middle:
            given = rng.choice(GIVEN_NAMES[gender])
        return family, middle, given

    # dates

    def birth_for(self, admission: dt.date, low: int = 20, high: int = 40) -> dt.date:
        """A birth date that makes the member ``low``–``high`` years old at admission (born 1962–2003)."""
        rng = self.rng
        for _attempt in range(50):
            age = rng.triangular(low, high, low + 5)
            birth = admission - dt.timedelta(days=int(age * 365.25) + rng.randint(0, 200))
            if 1962 <= birth.year <= 2003 and _age_ok(birth, admission):
                return birth
        return dt.date(max(1962, min(2003, admission.year - 25)), 6, 15)

    def official_dates(self, member, latest_admission: dt.date, earliest_admission: dt.date | None = None):
        """Admitted at 20–40 (before ``latest_admission``), ceremony within weeks, official 12 months on."""
        rng = self.rng
        for _attempt in range(50):
            birth = dt.date(int(rng.triangular(1962, 2003.99, 1981)), rng.randint(1, 12), rng.randint(1, 28))
            start = max(add_months(birth, 12 * 20) + dt.timedelta(days=1), earliest_admission or dt.date.min)
            end = min(add_months(birth, 12 * 40) - dt.timedelta(days=1), latest_admission)
            if start < end:
                break
        else:
            end = latest_admission
            birth = self.birth_for(end, 24, 30)
            start = add_months(birth, 12 * 20) + dt.timedelta(days=1)
        span = (end - start).days
        admission = start + dt.timedelta(days=int(span * rng.triangular(0, 1, 0.3)))
        member.birth_date = birth
        member.admission_date = admission
        member.ceremony_date = admission + dt.timedelta(days=rng.randint(7, 45))
        member.official_date = add_months(member.ceremony_date, 12)
        member.status = "official"

    def probation_dates(self, member, ceremony: dt.date) -> None:
        """A probationary member whose ceremony was on ``ceremony`` (admitted 1–6 weeks before)."""
        member.ceremony_date = ceremony
        member.admission_date = ceremony - dt.timedelta(days=self.rng.randint(7, 40))
        member.official_date = None
        member.status = "probationary"
        member.political_theory = self.catalogue["political_theory", "so-cap"]
        if not (member.birth_date and _age_ok(member.birth_date, member.admission_date)):
            member.birth_date = self.birth_for(member.admission_date, 21, 34)

    # the record

    def make(self, home: Home, *, probationary: bool = False, latest_admission: dt.date | None = None):
        from .models import Member

        rng = self.rng
        gender = "female" if rng.random() < (0.62 if home.kind == "health" else 0.47) else "male"
        ethnicity = _weighted(rng, ETHNICITIES)
        member = Member(gender=gender, organisation_id=home.organisation.pk)
        if probationary:
            earliest = add_months(self.today, -12) + dt.timedelta(days=35)
            ceremony = earliest + dt.timedelta(days=rng.randint(0, (self.today - earliest).days - 14))
            self.probation_dates(member, ceremony)
        else:
            latest = latest_admission or add_months(self.today, -13) - dt.timedelta(days=45)
            self.official_dates(member, latest)
        member.family_name, member.middle_name, member.given_name = self.name(
            gender, ethnicity, member.birth_date.year
        )
        member.ethnicity = self.catalogue["ethnicity", ethnicity]
        if ethnicity == "khmer":
            religion = "phat-giao" if rng.random() < 0.6 else "khong"
        else:
            religion = _weighted(rng, [("khong", 950), ("phat-giao", 30), ("cong-giao", 20)])
        member.religion = self.catalogue["religion", religion]
        if ethnicity == "kinh":
            home_province = _weighted(rng, KINH_PROVINCES)
        else:
            home_province = rng.choice(ETHNIC_PROVINCES[ethnicity])
        member.hometown = rng.choice(PLACES[home_province])
        # The citizen ID starts with the code of the province where the birth was registered.
        self.provinces[id(member)] = home_province if rng.random() < 0.85 else "026"
        if self.provinces[id(member)] == home_province:
            member.birthplace = member.hometown
        else:
            member.birthplace = rng.choice(PLACES["026"])
        member.address = f"Số {rng.randint(1, 180)}, đường {rng.choice(STREETS)}, {rng.choice(WARDS)}"
        member.general_education = self.catalogue["general_education", "12-12"]
        qualification = _weighted(
            rng, [("dai-hoc", 62), ("thac-si", 27), ("tien-si", 3), ("cao-dang", 5), ("trung-cap", 3)]
        )
        member.qualification = self.catalogue["qualification", qualification]
        theory = _weighted(rng, [("so-cap", 58), ("trung-cap", 34), ("cao-cap", 8)])
        if probationary:
            theory = "so-cap"
        member.political_theory = self.catalogue["political_theory", theory]
        member.foreign_language = _weighted(rng, LANGUAGES)
        position, occupation = _weighted(rng, [((p, o), w) for p, o, w in STAFF[home.kind][2]])
        member.position, member.occupation = position, occupation
        member.workplace = _workplace(
            home.organisation.name if home.organisation.pk != home.grassroots.pk else None, home.agency
        )
        member.admission_decision_number = f"{rng.randint(12, 980)}-QĐ/ĐUK"
        if rng.random() < 0.7:
            member.introducers = ", ".join(" ".join(self.name(g, "kinh", 1970)) for g in ("male", "female"))
        return member

    def finish(self, member) -> None:
        """Identity numbers and contacts, once the name, gender and birth date are final."""
        rng = self.rng
        century = 0 if member.birth_date.year < 2000 else 2
        digit = century + (1 if member.gender == "female" else 0)
        province = self.provinces.get(id(member), "026")
        while True:
            number = f"{province}{digit}{member.birth_date.year % 100:02d}{rng.randrange(10**6):06d}"
            if number not in self.citizen_ids:
                self.citizen_ids.add(number)
                member.citizen_id = number
                break
        if member.official_date is not None:
            while True:
                card = f"{rng.choice(('26', '25'))}{rng.randrange(10**6):06d}"
                if card not in self.card_numbers:
                    self.card_numbers.add(card)
                    member.card_number = card
                    break
        if rng.random() < 0.75:
            member.phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**7):07d}"
        if rng.random() < 0.6:
            initials = "".join(
                normalise(part)[0] for part in (member.family_name, member.middle_name) if part
            )
            local = f"{normalise(member.given_name).replace(' ', '')}{initials}"
            domain = "vinhphuc.gov.vn"
            if rng.random() < 0.3:
                local = normalise(member.full_name).replace(" ", "") + f"{member.birth_date.year % 100:02d}"
                domain = "gmail.com"
            email, n = f"{local}@{domain}", 1
            while email in self.emails:
                n += 1
                email = f"{local}{n}@{domain}"
            self.emails.add(email)
            member.email = email
        member.fill_search_fields()


# ───────────────────────── sizes ─────────────────────────


def _plan_sizes(rng: random.Random, homes: list[Home], few: Home) -> None:
    """Members per branch: 5–25 in subordinate branches, under 30 in grassroots branches except one,
    76 in Sở Nội vụ, 4 in the branch with too few official members; ``TOTAL_MEMBERS`` in all."""
    adjustable = []
    for home in homes:
        if home is few:
            home.size = 4
        elif home.grassroots.code == SNV_CODE:
            home.size = SNV_SIZES[int(home.organisation.code[-2:]) - 1]
        elif home.organisation.pk == home.grassroots.pk:
            home.size = 31 if home.organisation.name == BIG_GRASSROOTS_BRANCH else rng.randint(10, 28)
        else:
            mean = _first_match(home.grassroots.name, BRANCH_MEANS, 12)
            home.size = max(5, min(25, round(rng.gauss(mean, 3.5))))
            adjustable.append(home)
    missing = TOTAL_MEMBERS - sum(home.size for home in homes)
    while missing:
        home = rng.choice(adjustable)
        if missing > 0 and home.size < 25:
            home.size += 1
            missing -= 1
        elif missing < 0 and home.size > 5:
            home.size -= 1
            missing += 1


def _committee_sizes(grassroots: list, members_of: dict, gb_seats: int) -> dict:
    """Committee size of each grassroots committee, by its members, adjusted so that all grassroots
    organisations together have ``COMMITTEE_SEATS`` committee members."""
    sizes = {}
    for organisation in grassroots:
        n = len(members_of[organisation.pk])
        sizes[organisation.pk] = 5 if n < 50 else 7 if n < 90 else 9 if n < 130 else 11 if n < 180 else 13
    fixed = {organisation.pk for organisation in grassroots if organisation.code == SNV_CODE}
    by_size = sorted(
        (o for o in grassroots if o.pk not in fixed), key=lambda o: len(members_of[o.pk]), reverse=True
    )
    missing = COMMITTEE_SEATS - gb_seats - sum(sizes.values())
    turn = 0
    while missing and turn < 100 * len(by_size):
        organisation = by_size[turn % len(by_size)] if missing > 0 else by_size[-1 - turn % len(by_size)]
        turn += 1
        size = sizes[organisation.pk]
        if missing > 0 and size < 15:
            sizes[organisation.pk] += 1
            missing -= 1
        elif missing < 0 and size > 5:
            sizes[organisation.pk] -= 1
            missing += 1
    return sizes


# ───────────────────────── the loader ─────────────────────────


def load_members(admin, today: dt.date | None = None, *, password: str | None = None) -> dict:
    """Add the member records, committees and the member account to the demo tree (``load_demo`` calls
    this after creating the tree and the officers' accounts). Returns a few counts."""
    from dangvu.accounts.models import Role, User
    from dangvu.accounts.services import account_open
    from dangvu.core.audit import record_change
    from dangvu.core.models import ChangeAction
    from dangvu.core.signals import counts_changed
    from dangvu.orgs.models import Organisation, OrganisationKind, Term

    from . import services
    from .models import CatalogueItem, CommitteeSeat, Member, MemberPeriod

    if password is None:
        from dangvu.demo import DEMO_PASSWORD as password
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    catalogue = {(item.kind, item.code): item for item in CatalogueItem.objects.all()}
    people = _People(rng, today, catalogue)

    bloc = Organisation.objects.get(code="KCQ")
    tree = list(
        Organisation.objects.filter(path__startswith=bloc.path, depth__gt=bloc.depth).order_by("path")
    )
    grassroots = [o for o in tree if o.parent_id == bloc.pk]
    homes: list[Home] = []
    for organisation in grassroots:
        agency = _agency(organisation.name)
        kind = _first_match(agency, AGENCY_KINDS, "office")
        if organisation.kind == OrganisationKind.GRASSROOTS_BRANCH:
            homes.append(Home(organisation, organisation, agency, kind))
        for branch in (o for o in tree if o.parent_id == organisation.pk):
            homes.append(Home(branch, organisation, agency, kind))
    few = [h for h in homes if h.grassroots.code == FEW_OFFICIALS_COMMITTEE][-1]
    _plan_sizes(rng, homes, few)

    # The members, in memory first: who sits on which committee decides their positions.
    for home in homes:
        cap = 0 if home.size < 7 else max(1, home.size // 6)
        for _ in range(home.size):
            probationary = home is not few and cap > 0 and rng.random() < 0.05
            cap -= probationary
            home.members.append(people.make(home, probationary=probationary))
        # The head of the unit (and a deputy in the bigger ones) are among its members.
        officials = sorted((m for m in home.members if m.official_date), key=lambda m: m.birth_date)
        for member, title in zip(officials[: 2 if home.size >= 8 else 1], STAFF[home.kind][:2], strict=False):
            member.position = title
            if member.political_theory.code == "so-cap":
                member.political_theory = catalogue["political_theory", "trung-cap"]
    few.members[0:2] = [people.make(few, probationary=True) for _ in range(2)]
    members_of = defaultdict(list)  # grassroots organisation → its members
    for home in homes:
        members_of[home.grassroots.pk].extend(home.members)
    home_of = {id(m): home for home in homes for m in home.members}
    reserved: set[int] = set()  # ids of members given a part already

    terms = {}
    for term in Term.objects.filter(organisation__in=grassroots).order_by("organisation_id", "start_on"):
        terms[term.organisation_id] = term  # the latest term of each
    snv = next(o for o in grassroots if o.code == SNV_CODE)
    first_home = next(h for h in homes if h.grassroots.pk == snv.pk)
    first_branch = first_home.organisation

    def rename(member, family, middle, given):
        member.family_name, member.middle_name, member.given_name = family, middle, given
        member.gender, member.ethnicity = "male", catalogue["ethnicity", "kinh"]

    def pool(candidates, before: dt.date, home_filter=None):
        return [
            m
            for m in candidates
            if id(m) not in reserved
            and m.official_date is not None
            and m.official_date < before
            and (home_filter is None or home_filter(home_of[id(m)]))
        ]

    # Committees: seats decided in memory, written after the members.
    seat_plan = []  # (term, member, position, full_time)
    gb_seats = sum(
        (5 if h.size >= 30 else 3 if h.size >= 9 else 2)
        for h in homes
        if h.organisation.pk == h.grassroots.pk
    )
    sizes = _committee_sizes(
        [o for o in grassroots if o.kind == OrganisationKind.GRASSROOTS_COMMITTEE], members_of, gb_seats
    )
    biggest = sorted(sizes, key=lambda pk: len(members_of[pk]), reverse=True)[:3]
    vuong = duc = None
    for organisation in grassroots:
        term = terms[organisation.pk]
        agency = _agency(organisation.name)
        head = _first_match(agency, HEADS, "Giám đốc")
        eligible = pool(members_of[organisation.pk], term.start_on - dt.timedelta(days=365))
        if organisation.kind == OrganisationKind.GRASSROOTS_BRANCH:
            count = len(members_of[organisation.pk])
            size = 5 if count >= 30 else 3 if count >= 9 else 2
        else:
            size = sizes[organisation.pk]
        chosen = sorted(rng.sample(eligible, size), key=lambda m: m.birth_date)
        if organisation.pk == snv.pk:
            # The demo accounts' people: the secretary of Sở Nội vụ and of its first branch.
            office = pool(first_home.members, term.start_on - dt.timedelta(days=365))
            vuong, duc = [m for m in office if all(m is not c for c in chosen)][:2]
            chosen = [vuong, *chosen[: size - 2], duc]
            rename(vuong, "Trần", "Thế", "Vương")
            rename(duc, "Đặng", "Văn", "Đức")
        deputies = 2 if size >= 11 else 1 if size >= 2 else 0
        standing = 2 if size >= 13 else 1 if size >= 9 else 0
        positions = ["secretary", *["deputy_secretary"] * deputies, *["standing"] * standing]
        positions += ["member"] * (size - len(positions))
        unit_head = STAFF[_first_match(agency, AGENCY_KINDS, "office")][0]
        for member, position in zip(chosen, positions, strict=True):
            reserved.add(id(member))
            seat_plan.append((term, member, position, position == "secretary" and organisation.pk in biggest))
            member.position = {
                "secretary": head,
                "deputy_secretary": f"Phó {head}",
                "standing": f"Phó {head}",
            }.get(position, unit_head)
            member.political_theory = catalogue[
                "political_theory",
                "cao-cap" if position != "member" else rng.choice(["trung-cap", "cao-cap"]),
            ]
            if position in ("secretary", "deputy_secretary") and rng.random() < 0.7:
                member.qualification = catalogue["qualification", rng.choice(["thac-si", "tien-si"])]
        if organisation.kind == OrganisationKind.GRASSROOTS_COMMITTEE:
            # Inspection commission: chaired by a committee member, two more members.
            chair = rng.choice(
                [m for m, p in zip(chosen, positions, strict=True) if p == "member" and m is not duc]
            )
            seat_plan.append((term, chair, "inspection_chair", False))
            others = rng.sample(pool(members_of[organisation.pk], term.start_on), 2)
            for member in others:
                reserved.add(id(member))
                seat_plan.append((term, member, "inspection_member", False))
    duc.position = "Chánh Văn phòng Sở"
    vuong.position = "Giám đốc Sở Nội vụ"
    dangvien = pool(first_home.members, today)[0]
    reserved.add(id(dangvien))

    # Probation: a few ending within 30 days, two overdue for recognition, three to recognise now.
    year_ago = add_months(today, -12)

    def take(count, home_filter, before=today):
        candidates = [
            m
            for home in homes
            if home.size >= 8 and home.grassroots.pk != snv.pk and home_filter(home)
            for m in home.members
        ]
        picked = rng.sample(pool(candidates, before), count)
        reserved.update(id(m) for m in picked)
        return picked

    def any_home(home):
        return home.organisation.kind == OrganisationKind.BRANCH

    soon = [*take(3, any_home), pool(first_home.members, today)[0]]
    reserved.add(id(soon[-1]))
    for member, days in zip(soon, (6, 13, 21, 27), strict=True):
        people.probation_dates(member, year_ago + dt.timedelta(days=days))
    overdue = take(2, any_home)
    for member, days in zip(overdue, (75, 110), strict=True):
        people.probation_dates(member, year_ago - dt.timedelta(days=days))
    to_recognise = take(3, any_home)
    for member, days in zip(to_recognise, (18, 30, 45), strict=True):
        people.probation_dates(member, year_ago - dt.timedelta(days=days))

    # Lifecycle cases handled through the services below.
    def branch_of(word):
        return lambda home: any_home(home) and word in home.grassroots.name

    health = branch_of("Bệnh viện Đa khoa")
    moving = take(4, any_home, before=today - dt.timedelta(days=400))
    temporary = take(1, health) + take(2, any_home)
    exempted = take(3, any_home)
    readmitted = take(1, any_home)[0]
    people.official_dates(readmitted, add_months(today, -12 * 18), add_months(today, -12 * 22))
    # Records no longer counted: exits and a transfer out of the system (on top of TOTAL_MEMBERS).
    exit_plan = [
        ("death", 40), ("death", 210), ("death", 400), ("death", 700), ("removal", 45), ("removal", 160),
        ("removal", 300), ("removal", 520), ("leaving", 90), ("leaving", 380),
    ]  # fmt: skip
    extra_homes = [h for h in homes if any_home(h) and h.size >= 8 and h.grassroots.pk != snv.pk]
    exits = []
    for kind, days_ago in exit_plan:
        home = rng.choice(extra_homes)
        on = today - dt.timedelta(days=days_ago)
        member = people.make(home, latest_admission=on - dt.timedelta(days=3 * 365))
        exits.append((member, kind, on))
        home.members.append(member)
        home_of[id(member)] = home
    unqualified = exits[4][0]  # removed at the end of probation: not recognised as official
    people.probation_dates(unqualified, add_months(today - dt.timedelta(days=60), -12))
    leaving_home = rng.choice(extra_homes)
    left_system = people.make(leaving_home, latest_admission=today - dt.timedelta(days=3 * 365))
    leaving_home.members.append(left_system)

    # Write the bulk.
    founded = {home.organisation.pk: home.organisation.founded_on for home in homes}
    everyone = [m for home in homes for m in home.members]
    for member in everyone:
        people.finish(member)
    Member.objects.bulk_create(everyone, batch_size=500)
    periods = []
    for member in everyone:
        since = max(member.admission_date, founded[member.organisation_id])
        periods.extend(services.initial_periods(member, since))
    MemberPeriod.objects.bulk_create(periods, batch_size=1000)
    counts_changed.send(sender=Member, organisations={home.organisation.pk for home in homes})
    in_party = sum(home.size for home in homes)
    record_change(
        obj=bloc,
        action=ChangeAction.BULK,
        by=admin,
        organisation=bloc,
        data={
            "members": len(everyone),
            "in_party": in_party,
            "probationary": sum(m.status == "probationary" for m in everyone),
            "branches": len(homes),
            "periods": len(periods),
        },
        reason=f"{REASON}: {len(everyone)} hồ sơ đảng viên của {len(homes)} chi bộ",
        effective_on=today,
    )
    seats = [
        CommitteeSeat(
            term=term,
            member=member,
            position=position,
            full_time=full_time,
            start_on=term.congress_on or term.start_on,
        )
        for term, member, position, full_time in seat_plan
    ]
    CommitteeSeat.objects.bulk_create(seats, batch_size=500)
    counts_changed.send(sender=CommitteeSeat, organisations={seat.term.organisation_id for seat in seats})
    record_change(
        obj=bloc,
        action=ChangeAction.BULK,
        by=admin,
        organisation=bloc,
        data={
            "seats": len(seats),
            "committee_members": sum(
                s.position in ("secretary", "deputy_secretary", "standing", "member") for s in seats
            ),
            "organisations": len(grassroots),
        },
        reason=f"{REASON}: cấp ủy, ủy ban kiểm tra của {len(grassroots)} tổ chức cơ sở đảng",
        effective_on=today,
    )

    # Lifecycle through the services, so each case has its history.
    for member, days in zip(to_recognise, (10, 14, 20), strict=True):
        decided = min(today, add_months(member.ceremony_date, 12) + dt.timedelta(days=days))
        services.member_recognise(
            by=admin, member=member, decided_on=decided, decision_number=f"{rng.randint(100, 900)}-QĐ/ĐUK"
        )
    _transfers(admin, today, rng, moving, temporary, homes, home_of)
    grounds = [
        (
            "far_from_organisation",
            120,
            240,
            "Đi công tác dài hạn tại công trình ở vùng sâu, xa nơi sinh hoạt",
        ),
        ("no_organisation_nearby", 200, 165, "Đi học tập ở nước ngoài, nơi đến không có tổ chức đảng"),
        ("far_from_organisation", 60, None, "Theo gia đình đi chữa bệnh dài ngày ở xa"),
    ]
    for member, (ground, since, until, note) in zip(exempted, grounds, strict=True):
        services.exemption_grant(
            by=admin,
            member=member,
            ground=ground,
            start_on=today - dt.timedelta(days=since),
            end_on=today + dt.timedelta(days=until) if until else None,
            decision_number=f"{rng.randint(10, 99)}-QĐ/ĐU",
            note=note,
        )
    reasons = {
        "death": "Từ trần",
        "removal": "Xóa tên: tự ý bỏ sinh hoạt đảng ba tháng trong năm không có lý do chính đáng",
        "leaving": "Xin ra khỏi Đảng vì hoàn cảnh gia đình",
    }
    for member, kind, on in exits:
        services.member_exit(
            by=admin,
            member=member,
            kind=kind,
            on=on,
            decision_number="" if kind == "death" else f"{rng.randint(100, 900)}-QĐ/ĐUK",
            decision_date=None if kind == "death" else on,
            reason="Xóa tên: không đủ tư cách đảng viên chính thức khi hết thời gian dự bị"
            if member is unqualified
            else reasons[kind],
        )
    _readmit(admin, today, readmitted)
    services.transfer_official_start(
        by=admin,
        member=left_system,
        moved_on=today - dt.timedelta(days=200),
        to_name="Đảng bộ phường Việt Trì, tỉnh Phú Thọ",
        letter_on=today - dt.timedelta(days=190),
        decision_number=f"{rng.randint(100, 900)}-GGT/ĐUK",
    )

    # Accounts tied to member records.
    member_user = account_open(
        by=admin,
        username=MEMBER_USERNAME,
        password=password,
        full_name=dangvien.full_name,
        email=dangvien.email,
        role=Role.MEMBER,
        organisation=first_branch,
        valid_from=dt.date(2025, 1, 1),
        reason="Tài khoản mẫu",
    )
    services.member_link_user(by=admin, member=dangvien, user=member_user, reason="Tài khoản mẫu")
    for username, member in (("bithu_cb1", duc), ("bithu_snv", vuong)):
        user = User.objects.filter(username=username).first()
        if user is not None:
            services.member_link_user(by=admin, member=member, user=user, reason="Tài khoản mẫu")
    services.seat_add(
        by=admin,
        term=Term.objects.filter(organisation=first_branch).latest("start_on"),
        member=duc,
        position="secretary",
        reason=REASON,
    )
    return {"members": len(everyone), "in_party": in_party, "seats": len(seats) + 1}


def _transfers(
    admin, today: dt.date, rng: random.Random, moving: list, temporary: list, homes, home_of
) -> None:
    """Official transfers between branches (pending, one overdue, one being prepared, one accepted) and
    temporary ones (one back within 30 days, one away for study, one hosted by another branch)."""
    from . import services

    def destination(member):
        source = home_of[id(member)].grassroots.pk
        options = [
            h
            for h in homes
            if h.organisation.kind == "branch"
            and h.grassroots.pk != source
            and h.grassroots.code != SNV_CODE
            and h.size >= 8
        ]
        return rng.choice(options)

    def letter():
        return f"{rng.randint(100, 900)}-GGT/ĐUK"

    def days(n):
        return today - dt.timedelta(days=n)

    pending, overdue, preparing, accepted = moving
    for member, moved, issued in ((pending, 25, 18), (overdue, 100, 90)):
        services.transfer_official_start(
            by=admin,
            member=member,
            moved_on=days(moved),
            to_organisation=destination(member).organisation,
            letter_on=days(issued),
            decision_number=letter(),
        )
    services.transfer_official_start(
        by=admin, member=preparing, moved_on=days(12), to_organisation=destination(preparing).organisation
    )
    new_home = destination(accepted)
    transfer = services.transfer_official_start(
        by=admin,
        member=accepted,
        moved_on=days(150),
        to_organisation=new_home.organisation,
        letter_on=days(140),
        decision_number=letter(),
    )
    services.transfer_accept(by=admin, transfer=transfer, presented_on=days(125))
    services.member_update(
        by=admin,
        member=accepted,
        changes={"workplace": _workplace(new_home.organisation.name, new_home.agency)},
        reason=f"Chuyển công tác về {new_home.agency}",
    )

    rotation, study, secondment = temporary
    back_on = today + dt.timedelta(days=18)
    services.transfer_temporary_start(
        by=admin,
        member=rotation,
        start_on=add_months(back_on, -6),
        end_on=back_on,
        to_name="Chi bộ Trung tâm Y tế khu vực Tam Đảo (bác sĩ luân phiên)",
        decision_number=letter(),
    )
    start = add_months(today, -8)
    services.transfer_temporary_start(
        by=admin,
        member=study,
        start_on=start,
        end_on=add_months(start, 18),
        to_name="Chi bộ lớp Cao cấp lý luận chính trị, Học viện Chính trị khu vực I",
        for_study=True,
        decision_number=letter(),
    )
    start = days(60)
    services.transfer_temporary_start(
        by=admin,
        member=secondment,
        start_on=start,
        end_on=add_months(start, 6),
        to_organisation=destination(secondment).organisation,
        decision_number=letter(),
    )


def _readmit(admin, today: dt.date, member) -> None:
    """Removed seven years ago, re-admitted after the waiting time, recognised official again."""
    from . import services

    left = add_months(today, -12 * 7)
    member = services.member_exit(
        by=admin,
        member=member,
        kind="removal",
        on=left,
        decision_number="57-QĐ/ĐUK",
        decision_date=left,
        reason="Xóa tên: không đóng đảng phí ba tháng trong năm không có lý do chính đáng",
    )
    decided = add_months(today, -38)
    ceremony = decided + dt.timedelta(days=16)
    member = services.member_readmit(
        by=admin,
        member=member,
        organisation=member.organisation,
        decided_on=decided,
        decision_number="214-QĐ/ĐUK",
        ceremony_date=ceremony,
        reason="Kết nạp lại: đã sửa chữa khuyết điểm, phấn đấu tốt",
    )
    services.member_recognise(
        by=admin,
        member=member,
        decided_on=add_months(ceremony, 12) + dt.timedelta(days=21),
        decision_number="388-QĐ/ĐUK",
    )
