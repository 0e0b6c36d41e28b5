"""Demo data: "Đảng bộ Khối các cơ quan tỉnh" with 55 grassroots organisations and 287 subordinate branches
(seed article 002), among them "Đảng bộ Sở Nội vụ" with 4 branches (seed 001). Built through the services,
so the demo has the same history and timeline as real use; ``dangvu.members.demo`` adds about 4,000
member records, the committees and the member account ``dangvien``. Loaded only in demo mode, into an
empty database.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

DEMO_PASSWORD = "dangvu-demo"  # noqa: S105 (public demo password, demo mode only)

BLOC = ("Đảng bộ Khối các cơ quan tỉnh", "ĐBK", "KCQ")

GRASSROOTS_COMMITTEES = [
    "Đảng bộ Sở Nội vụ",
    "Đảng bộ Sở Tài chính",
    "Đảng bộ Sở Xây dựng",
    "Đảng bộ Sở Công Thương",
    "Đảng bộ Sở Nông nghiệp và Môi trường",
    "Đảng bộ Sở Giáo dục và Đào tạo",
    "Đảng bộ Sở Y tế",
    "Đảng bộ Sở Văn hóa, Thể thao và Du lịch",
    "Đảng bộ Sở Khoa học và Công nghệ",
    "Đảng bộ Sở Tư pháp",
    "Đảng bộ Sở Dân tộc và Tôn giáo",
    "Đảng bộ Sở Ngoại vụ",
    "Đảng bộ Thanh tra tỉnh",
    "Đảng bộ Văn phòng Ủy ban nhân dân tỉnh",
    "Đảng bộ Cơ quan Ủy ban Mặt trận Tổ quốc tỉnh",
    "Đảng bộ Bệnh viện Đa khoa tỉnh",
    "Đảng bộ Bệnh viện Sản - Nhi",
    "Đảng bộ Bệnh viện Y dược cổ truyền",
    "Đảng bộ Bệnh viện Phổi",
    "Đảng bộ Bệnh viện Tâm thần",
    "Đảng bộ Trung tâm Kiểm soát bệnh tật",
    "Đảng bộ Trường Chính trị tỉnh",
    "Đảng bộ Trường Cao đẳng Y tế",
    "Đảng bộ Trường Cao đẳng Kỹ thuật",
    "Đảng bộ Trường Trung học phổ thông Chuyên",
    "Đảng bộ Báo và Phát thanh, Truyền hình tỉnh",
    "Đảng bộ Kho bạc Nhà nước khu vực",
    "Đảng bộ Thuế tỉnh",
    "Đảng bộ Chi cục Hải quan khu vực",
    "Đảng bộ Bảo hiểm xã hội tỉnh",
    "Đảng bộ Ngân hàng Nhà nước chi nhánh tỉnh",
    "Đảng bộ Tòa án nhân dân tỉnh",
    "Đảng bộ Viện Kiểm sát nhân dân tỉnh",
    "Đảng bộ Thống kê tỉnh",
    "Đảng bộ Ban Quản lý các khu công nghiệp",
    "Đảng bộ Quỹ Đầu tư phát triển",
    "Đảng bộ Liên đoàn Lao động tỉnh",
    "Đảng bộ Tỉnh đoàn",
    "Đảng bộ Hội Nông dân tỉnh",
    "Đảng bộ Ban Quản lý dự án đầu tư xây dựng tỉnh",
]

GRASSROOTS_BRANCHES = [
    "Chi bộ Hội Liên hiệp Phụ nữ tỉnh",
    "Chi bộ Hội Cựu chiến binh tỉnh",
    "Chi bộ Liên minh Hợp tác xã tỉnh",
    "Chi bộ Hội Chữ thập đỏ tỉnh",
    "Chi bộ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
    "Chi bộ Hội Văn học Nghệ thuật tỉnh",
    "Chi bộ Hội Nhà báo tỉnh",
    "Chi bộ Hội Luật gia tỉnh",
    "Chi bộ Liên hiệp các tổ chức hữu nghị tỉnh",
    "Chi bộ Trung tâm Xúc tiến đầu tư, thương mại và du lịch",
    "Chi bộ Quỹ Bảo vệ môi trường",
    "Chi bộ Trung tâm Lưu trữ lịch sử tỉnh",
    "Chi bộ Nhà xuất bản tỉnh",
    "Chi bộ Trường Cao đẳng Sư phạm",
    "Chi bộ Ban An toàn giao thông tỉnh",
]

SO_NOI_VU_BRANCHES = [
    "Chi bộ Văn phòng Sở",
    "Chi bộ Phòng Tổ chức, biên chế và Tổ chức phi chính phủ",
    "Chi bộ Phòng Xây dựng chính quyền và Công tác thanh niên",
    "Chi bộ Ban Thi đua - Khen thưởng",
]

BRANCH_NAMES = [
    "Chi bộ Văn phòng",
    "Chi bộ Phòng Tổ chức - Hành chính",
    "Chi bộ Phòng Kế hoạch - Tài chính",
    "Chi bộ Thanh tra",
    "Chi bộ Phòng Nghiệp vụ",
    "Chi bộ Phòng Quản lý chuyên ngành",
    "Chi bộ Trung tâm Dịch vụ",
    "Chi bộ Phòng Pháp chế",
    "Chi bộ Khối đoàn thể",
    "Chi bộ Đơn vị sự nghiệp trực thuộc",
]
TOTAL_BRANCHES = 287

ACCOUNTS = [
    ("admin", "Quản trị hệ thống"),
    ("vanphong", "Văn phòng Đảng ủy Khối các cơ quan tỉnh"),
    ("bithu_snv", "Bí thư Đảng bộ Sở Nội vụ"),
    ("bithu_cb1", "Bí thư Chi bộ Văn phòng Sở (Sở Nội vụ)"),
    ("ubkt", "Ủy ban Kiểm tra Đảng ủy Khối"),
    ("dangvien", "Đảng viên Chi bộ Văn phòng Sở (chỉ xem hồ sơ của mình)"),
]


def demo_accounts() -> list[tuple[str, str]]:
    return list(ACCOUNTS)


def _branch_counts() -> list[int]:
    """How many branches each grassroots committee gets: 4 for Sở Nội vụ, the rest spread to total 287."""
    others = len(GRASSROOTS_COMMITTEES) - 1
    remaining = TOTAL_BRANCHES - len(SO_NOI_VU_BRANCHES)
    base, extra = divmod(remaining, others)
    return [len(SO_NOI_VU_BRANCHES)] + [base + (1 if i < extra else 0) for i in range(others)]


def _branch_term_start(index: int) -> dt.date:
    """Spread branch terms so the inbox has overdue, soon-ending and current terms to show."""
    if index % 23 == 0:
        return dt.date(2024, 5, 1)  # 30 months → ended 31/10/2026: congress overdue
    if index % 11 == 0:
        return dt.date(2024, 7, 1)  # 30 months → ends 31/12/2026: within the reminder window
    return dt.date(2025, 8, 1)  # under Quy định 294's 60-month pilot → 2030


@transaction.atomic
def load_demo() -> bool:
    """Load the demo organisation tree and accounts; returns False when the database is not empty."""
    from dangvu.accounts.models import Role, RoleAssignment, User
    from dangvu.accounts.services import account_open
    from dangvu.members.demo import load_members
    from dangvu.orgs.models import Organisation, OrganisationKind
    from dangvu.orgs.services import organisation_create, term_create
    from dangvu.reports.demo import load_reports

    if settings.PRODUCTION:
        raise RuntimeError("Demo data and demo accounts exist only in demo mode.")
    if Organisation.objects.exists() or User.objects.exists():
        return False

    admin = User(username="admin", full_name="Quản trị hệ thống")
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    RoleAssignment.objects.create(user=admin, role=Role.ADMIN, valid_from=dt.date(2020, 1, 1))

    def create(parent, kind, name, code, founded, short=""):
        return organisation_create(
            by=admin,
            parent=parent,
            kind=kind,
            name=name,
            short_name=short,
            code=code,
            founded_on=founded,
            reason="Nhập dữ liệu mẫu",
            decision_number="",
            decision_date=None,
        )

    bloc = create(None, OrganisationKind.UPPER, BLOC[0], BLOC[2], dt.date(1997, 3, 1), BLOC[1])
    term_create(
        by=admin,
        organisation=bloc,
        number=6,
        start_on=dt.date(2025, 7, 15),
        congress_on=dt.date(2025, 7, 15),
        reason="Nhập dữ liệu mẫu",
    )

    branch_index = 0
    snv = first_branch = None
    for number, (name, branches) in enumerate(zip(GRASSROOTS_COMMITTEES, _branch_counts(), strict=True), 1):
        code = f"KCQ.{number:02d}"
        grassroots = create(
            bloc,
            OrganisationKind.GRASSROOTS_COMMITTEE,
            name,
            code,
            dt.date(1998 + number % 12, 1 + number % 12, 1),
        )
        if number == 36:
            # One congress not yet held: the 2020–2025 term has run out.
            term_create(
                by=admin,
                organisation=grassroots,
                start_on=dt.date(2020, 6, 1),
                congress_on=dt.date(2020, 6, 1),
                reason="Nhập dữ liệu mẫu",
            )
        else:
            term_create(
                by=admin,
                organisation=grassroots,
                start_on=dt.date(2025, 5, 1 + number % 28),
                congress_on=dt.date(2025, 5, 1 + number % 28),
                reason="Nhập dữ liệu mẫu",
            )
        names = SO_NOI_VU_BRANCHES if number == 1 else _numbered(BRANCH_NAMES, branches)
        for b, branch_name in enumerate(names, 1):
            branch = create(
                grassroots, OrganisationKind.BRANCH, branch_name, f"{code}.{b:02d}", grassroots.founded_on
            )
            start = dt.date(2024, 6, 15) if (number, b) == (1, 1) else _branch_term_start(branch_index)
            term_create(
                by=admin, organisation=branch, start_on=start, congress_on=start, reason="Nhập dữ liệu mẫu"
            )
            branch_index += 1
            if number == 1 and b == 1:
                first_branch = branch
        if number == 1:
            snv = grassroots
    for number, name in enumerate(GRASSROOTS_BRANCHES, len(GRASSROOTS_COMMITTEES) + 1):
        grassroots = create(
            bloc,
            OrganisationKind.GRASSROOTS_BRANCH,
            name,
            f"KCQ.{number:02d}",
            dt.date(2000 + number % 10, 3, 1),
        )
        term_create(
            by=admin,
            organisation=grassroots,
            start_on=dt.date(2025, 6, 10),
            congress_on=dt.date(2025, 6, 10),
            reason="Nhập dữ liệu mẫu",
        )

    people = {
        "vanphong": ("Nguyễn Thị Hồng", Role.OFFICE, bloc),
        "bithu_snv": ("Trần Thế Vương", Role.SECRETARY, snv),
        "bithu_cb1": ("Đặng Văn Đức", Role.SECRETARY, first_branch),
        "ubkt": ("Lê Minh Đạo", Role.INSPECTION, bloc),
    }
    for username, (full_name, role, organisation) in people.items():
        account_open(
            by=admin,
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            role=role,
            organisation=organisation,
            valid_from=dt.date(2025, 1, 1),
            reason="Tài khoản mẫu",
        )
    load_members(admin, password=DEMO_PASSWORD)
    load_reports(admin)
    return True


def _numbered(pool: list[str], count: int) -> list[str]:
    names = []
    for i in range(count):
        base = pool[i % len(pool)]
        names.append(base if i < len(pool) else f"{base} {i // len(pool) + 1}")
    return names
