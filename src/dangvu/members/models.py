"""Member records (the core of the résumé 2-HSĐV), their timeline, transfers, exemptions, committees.

A member record is never deleted. What a member *is* today lives on ``Member`` (status, organisation);
what they were on any date lives in ``MemberPeriod`` rows, which the services in ``services.py`` keep
in step with every lifecycle event, so counts and party age can be asked "as of" any date.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangvu.core.scoping import Action, RestrictedQuerySet, scope_for
from dangvu.core.text import normalise, person_sort_key


class CatalogueKind(models.TextChoices):
    ETHNICITY = "ethnicity", _("Dân tộc")
    RELIGION = "religion", _("Tôn giáo")
    GENERAL_EDUCATION = "general_education", _("Giáo dục phổ thông")
    QUALIFICATION = "qualification", _("Trình độ chuyên môn")
    POLITICAL_THEORY = "political_theory", _("Lý luận chính trị")


class CatalogueQuerySet(RestrictedQuerySet):
    scope_global = True


class CatalogueItem(models.Model):
    """One value of a catalogue (an ethnic group, a religion, a political theory level...): data, not code.

    Shipped values come from ``catalogues.yaml`` (synced insert-only after migrate); retired values are
    marked inactive, never deleted, because records keep pointing at them."""

    kind = models.CharField(_("danh mục"), max_length=30, choices=CatalogueKind.choices)
    code = models.CharField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=120)
    name_search = models.CharField(_("tên không dấu"), max_length=120, editable=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)

    objects = CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("mục danh mục")
        verbose_name_plural = _("danh mục")
        ordering = ["kind", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="members_catalogue_code")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_search = normalise(self.name)
        super().save(*args, **kwargs)


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Đảng viên dự bị")
    OFFICIAL = "official", _("Đảng viên chính thức")
    TRANSFERRED_OUT = "transferred_out", _("Đã chuyển sinh hoạt ra ngoài")
    EXITED = "exited", _("Đã ra khỏi Đảng")


IN_PARTY = (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL)
# A member is entered (by hand, import or API) as probationary or official.
ENTRY_STATUS_CHOICES = [(s.value, s.label) for s in IN_PARTY]


class ExitKind(models.TextChoices):
    DEATH = "death", _("Từ trần")
    REMOVAL = "removal", _("Xóa tên")
    EXPULSION = "expulsion", _("Khai trừ")
    LEAVING = "leaving", _("Xin ra khỏi Đảng")


citizen_id_validator = RegexValidator(r"^\d{12}$", _("Số CCCD gồm đúng 12 chữ số."))


class MemberQuerySet(RestrictedQuerySet):
    """Officers see the members of their subtree, the members on temporary transfer to it, and those
    being transferred into it; a member sees their own record only."""

    def restrict(self, user, action: str = Action.VIEW):
        scope = scope_for(user)
        if scope.covers_all(action):
            return self
        condition = Q(pk__in=[])
        if scope.paths_for(action):
            from dangvu.orgs.models import Organisation

            inside = Organisation.objects.filter(scope.path_q(action)).values("pk")
            condition |= Q(organisation__in=inside)
            if action == Action.VIEW:
                visiting = Transfer.objects.open().filter(to_organisation__in=inside).values("member_id")
                condition |= Q(pk__in=visiting)
        if action == Action.VIEW and scope.member_ids:
            condition |= Q(pk__in=scope.member_ids)
        return self.filter(condition)

    def in_party(self):
        return self.filter(status__in=IN_PARTY)

    def within(self, organisation):
        return self.filter(organisation__path__startswith=organisation.path)


class Member(models.Model):
    """A Party member's record. Names are stored apart and shown family-middle-given ("Nguyễn Văn An")."""

    # Identity
    family_name = models.CharField(_("họ"), max_length=60)
    middle_name = models.CharField(_("tên đệm"), max_length=80, blank=True)
    given_name = models.CharField(_("tên"), max_length=40)
    other_names = models.CharField(_("tên gọi khác"), max_length=120, blank=True)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("ngày sinh"))
    birthplace = models.CharField(_("nơi sinh"), max_length=200, blank=True)
    hometown = models.CharField(_("quê quán"), max_length=200, blank=True)
    ethnicity = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("dân tộc"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CatalogueKind.ETHNICITY},
    )
    religion = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("tôn giáo"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CatalogueKind.RELIGION},
    )
    citizen_id = models.CharField(
        _("số CCCD"), max_length=12, unique=True, null=True, blank=True, validators=[citizen_id_validator]
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("nơi ở hiện nay"), max_length=255, blank=True)
    photo = models.FileField(_("ảnh"), upload_to="members/photos/", blank=True)
    # Work and education
    occupation = models.CharField(_("nghề nghiệp"), max_length=120, blank=True)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    workplace = models.CharField(_("nơi làm việc"), max_length=200, blank=True)
    general_education = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("giáo dục phổ thông"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CatalogueKind.GENERAL_EDUCATION},
    )
    qualification = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("trình độ chuyên môn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CatalogueKind.QUALIFICATION},
    )
    political_theory = models.ForeignKey(
        CatalogueItem,
        verbose_name=_("lý luận chính trị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CatalogueKind.POLITICAL_THEORY},
    )
    foreign_language = models.CharField(_("ngoại ngữ"), max_length=120, blank=True)
    # Party
    admission_date = models.DateField(_("ngày kết nạp (ngày quyết định)"))
    admission_decision_number = models.CharField(_("số quyết định kết nạp"), max_length=60, blank=True)
    ceremony_date = models.DateField(_("ngày lễ kết nạp"), null=True, blank=True)
    official_date = models.DateField(_("ngày chính thức"), null=True, blank=True)
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, unique=True, null=True, blank=True)
    introducers = models.CharField(_("người giới thiệu"), max_length=255, blank=True)
    readmission_date = models.DateField(_("ngày kết nạp lại"), null=True, blank=True)
    # Where the member is now
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="members"
    )
    status = models.CharField(_("tình trạng"), max_length=20, choices=MemberStatus.choices)
    in_transfer = models.BooleanField(_("đang chuyển sinh hoạt chính thức"), default=False)
    exit_kind = models.CharField(
        _("hình thức ra khỏi Đảng"), max_length=20, choices=ExitKind.choices, blank=True
    )
    exit_date = models.DateField(_("ngày ra khỏi Đảng"), null=True, blank=True)
    user = models.OneToOneField(
        "accounts.User",
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member",
    )
    # Where the record came from when it was imported (traceable row by row)
    import_job = models.ForeignKey(
        "members.ImportJob",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        editable=False,
    )
    import_row = models.PositiveIntegerField(_("dòng trong tệp nhập"), null=True, blank=True, editable=False)
    # Search and order (kept by save())
    name_search = models.CharField(_("tên không dấu"), max_length=200, editable=False)
    name_sort = models.CharField(_("khóa sắp xếp"), max_length=400, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)

    objects = MemberQuerySet.as_manager()

    # Shown (pages, API, history, exports) only to the office and secretaries of the member's subtree.
    PRIVATE_FIELDS = ("citizen_id", "phone", "address")

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["name_sort", "id"]
        indexes = [
            models.Index(fields=["name_sort", "id"], name="members_name_sort_idx"),
            models.Index(fields=["organisation", "status"], name="members_org_status_idx"),
            models.Index(fields=["status", "official_date"], name="members_status_official_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(official_date__isnull=True) | Q(official_date__gt=F("admission_date")),
                name="members_official_after_admission",
                violation_error_message=_("Ngày chính thức phải sau ngày kết nạp."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_search_fields()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise models.ProtectedError("Hồ sơ đảng viên không bao giờ bị xóa.", [self])

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.family_name, self.middle_name, self.given_name) if part)

    def fill_search_fields(self) -> None:
        """Set the stored search and sort keys (``save()`` does it; call it before ``bulk_create``)."""
        self.name_search = normalise(self.full_name)
        self.name_sort = person_sort_key(self.family_name, self.middle_name, self.given_name)

    @property
    def in_party(self) -> bool:
        return self.status in IN_PARTY


class PeriodStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Dự bị")
    OFFICIAL = "official", _("Chính thức")
    OUTSIDE = "outside", _("Ngoài Đảng")


class MemberPeriodQuerySet(RestrictedQuerySet):
    scope_org_field = "organisation"

    def on(self, day):
        return self.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class MemberPeriod(models.Model):
    """Where a member was counted, and as what, from one day to another (``valid_to`` inclusive).

    ``outside`` periods are the gaps a member spent outside the Party; party age leaves them out."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="periods")
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("tổ chức"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("tình trạng"), max_length=20, choices=PeriodStatus.choices)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = MemberPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("giai đoạn sinh hoạt")
        verbose_name_plural = _("quá trình sinh hoạt")
        ordering = ["member_id", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="members_period_ordered",
            ),
            models.UniqueConstraint(fields=["member", "valid_from"], name="members_period_one_per_day"),
        ]
        indexes = [
            models.Index(fields=["valid_from", "valid_to"], name="members_period_dates_idx"),
            # Periods that ended after a date: the statistics of a past date count back from today.
            models.Index(
                fields=["valid_to"], condition=Q(valid_to__isnull=False), name="members_period_closed_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.valid_from:%d/%m/%Y}"


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Chuyển sinh hoạt đảng chính thức")
    TEMPORARY = "temporary", _("Chuyển sinh hoạt đảng tạm thời")


class TransferState(models.TextChoices):
    PREPARING = "preparing", _("Chưa cấp giấy giới thiệu")
    PENDING = "pending", _("Chờ nơi đến tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    AWAY = "away", _("Đang sinh hoạt tạm thời")
    RETURNED = "returned", _("Đã trở về")
    LEFT_SYSTEM = "left_system", _("Đã chuyển ra ngoài hệ thống")
    CANCELLED = "cancelled", _("Đã hủy")


OPEN_TRANSFER_STATES = (TransferState.PREPARING, TransferState.PENDING, TransferState.AWAY)


class TransferQuerySet(RestrictedQuerySet):
    """Both ends see a transfer: the sending organisation and the receiving one."""

    def restrict(self, user, action: str = Action.VIEW):
        scope = scope_for(user)
        if scope.covers_all(action):
            return self
        if not scope.paths_for(action):
            return self.none()
        from dangvu.orgs.models import Organisation

        inside = Organisation.objects.filter(scope.path_q(action)).values("pk")
        return self.filter(Q(from_organisation__in=inside) | Q(to_organisation__in=inside))

    def open(self):
        return self.filter(state__in=OPEN_TRANSFER_STATES)


class Transfer(models.Model):
    """A membership transfer. Official: the member moves for good once the receiving organisation accepts.
    Temporary: the member stays counted at home and attends the host organisation until they return."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("loại"), max_length=20, choices=TransferKind.choices)
    state = models.CharField(_("trạng thái"), max_length=20, choices=TransferState.choices)
    from_organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("nơi đi"), on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("nơi đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_name = models.CharField(_("nơi đến ngoài hệ thống"), max_length=255, blank=True)
    moved_on = models.DateField(_("ngày chuyển công tác, nơi cư trú"), null=True, blank=True)
    start_due = models.DateField(_("hạn làm thủ tục chuyển"), null=True, blank=True)
    letter_on = models.DateField(_("ngày cấp giấy giới thiệu"), null=True, blank=True)
    present_due = models.DateField(_("hạn xuất trình giấy giới thiệu"), null=True, blank=True)
    presented_on = models.DateField(_("ngày nơi đến tiếp nhận"), null=True, blank=True)
    start_on = models.DateField(_("sinh hoạt tạm thời từ"), null=True, blank=True)
    end_on = models.DateField(_("sinh hoạt tạm thời đến"), null=True, blank=True)
    for_study = models.BooleanField(_("đi học"), default=False)
    returned_on = models.DateField(_("ngày trở về"), null=True, blank=True)
    decision_number = models.CharField(_("số giấy giới thiệu"), max_length=60, blank=True)
    late_reason = models.CharField(_("lý do chậm"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển sinh hoạt đảng")
        verbose_name_plural = _("chuyển sinh hoạt đảng")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "kind"], name="members_transfer_state_idx"),
            models.Index(fields=["to_organisation", "state"], name="members_transfer_to_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"

    @property
    def destination(self) -> str:
        return self.to_organisation.name if self.to_organisation_id else self.to_name

    @property
    def due_on(self):
        """The next deadline of an open transfer: the letter, the presentation, or the return."""
        return {
            TransferState.PREPARING: self.start_due,
            TransferState.PENDING: self.present_due,
            TransferState.AWAY: self.end_on,
        }.get(self.state)


class ExemptionQuerySet(RestrictedQuerySet):
    scope_org_field = "member__organisation"


class Exemption(models.Model):
    """Exemption from party work and meetings for a period (tạm miễn công tác và sinh hoạt đảng)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="exemptions")
    ground = models.CharField(_("lý do"), max_length=60)
    start_on = models.DateField(_("từ ngày"))
    end_on = models.DateField(_("đến ngày"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("miễn công tác và sinh hoạt đảng")
        verbose_name_plural = _("miễn công tác và sinh hoạt đảng")
        ordering = ["member_id", "-start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="members_exemption_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Miễn sinh hoạt từ {self.start_on:%d/%m/%Y}"


class CommitteePosition(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
    STANDING = "standing", _("Ủy viên Ban Thường vụ")
    MEMBER = "member", _("Cấp ủy viên")
    INSPECTION_CHAIR = "inspection_chair", _("Chủ nhiệm Ủy ban kiểm tra")
    INSPECTION_MEMBER = "inspection_member", _("Ủy viên Ủy ban kiểm tra")


COMMITTEE_POSITIONS = (
    CommitteePosition.SECRETARY,
    CommitteePosition.DEPUTY_SECRETARY,
    CommitteePosition.STANDING,
    CommitteePosition.MEMBER,
)


class CommitteeSeatQuerySet(RestrictedQuerySet):
    scope_org_field = "term__organisation"

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(start_on__lte=on).filter(Q(end_on__isnull=True) | Q(end_on__gte=on))


class CommitteeSeat(models.Model):
    """A member's seat on the committee (or inspection commission) of one organisation for one term."""

    term = models.ForeignKey(
        "orgs.Term", verbose_name=_("nhiệm kỳ"), on_delete=models.PROTECT, related_name="seats"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="seats"
    )
    position = models.CharField(_("chức vụ"), max_length=30, choices=CommitteePosition.choices)
    full_time = models.BooleanField(_("chuyên trách"), default=False)
    start_on = models.DateField(_("từ ngày"))
    end_on = models.DateField(_("đến ngày"), null=True, blank=True)
    end_reason = models.CharField(_("lý do thôi"), max_length=255, blank=True)

    objects = CommitteeSeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("cấp ủy viên")
        verbose_name_plural = _("cấp ủy")
        ordering = ["term_id", "position", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="members_seat_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.member}"


class CorrectionState(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    DONE = "done", _("Đã xử lý")


class CorrectionRequestQuerySet(RestrictedQuerySet):
    scope_org_field = "member__organisation"


class CorrectionRequest(models.Model):
    """A member asks the office to correct their record; it stays in the office's inbox until handled."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="correction_requests")
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung đề nghị"))
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    state = models.CharField(_("trạng thái"), max_length=10, choices=CorrectionState.choices, default="open")
    handled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)
    answer = models.TextField(_("trả lời"), blank=True)

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề nghị sửa hồ sơ")
        verbose_name_plural = _("đề nghị sửa hồ sơ")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Đề nghị sửa hồ sơ {self.member}"


class ReadVia(models.TextChoices):
    PAGE = "page", _("Trang hồ sơ")
    API = "api", _("API")
    RESUME = "resume", _("Tải lý lịch")
    EXPORT = "export", _("Xuất danh sách")


class MemberReadQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = Action.VIEW):
        """Only the system administrator reads the read audit."""
        return self if scope_for(user).covers_all(Action.ADMINISTER) else self.none()


class MemberRead(models.Model):
    """Append-only audit of officers opening member records (and of list exports)."""

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)
    via = models.CharField(_("qua"), max_length=10, choices=ReadVia.choices)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)
    detail = models.CharField(_("chi tiết"), max_length=500, blank=True)

    objects = MemberReadQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt xem hồ sơ")
        verbose_name_plural = _("nhật ký xem hồ sơ")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} xem {self.member or self.detail}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise models.ProtectedError("Nhật ký xem hồ sơ không sửa được.", [self])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise models.ProtectedError("Nhật ký xem hồ sơ không xóa được.", [self])


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    FAILED = "failed", _("Có lỗi, chưa ghi gì")
    CHECKED = "checked", _("Kiểm tra xong, không lỗi (chưa ghi)")
    DONE = "done", _("Đã nhập")


class ImportJobQuerySet(RestrictedQuerySet):
    scope_org_field = "organisation"


class ImportJob(models.Model):
    """One upload of a member file: validated in full first, written in one transaction or not at all."""

    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("nhập vào"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to="imports/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    dry_run = models.BooleanField(_("chỉ kiểm tra"), default=False)
    state = models.CharField(_("trạng thái"), max_length=10, choices=ImportState.choices, default="queued")
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    created_count = models.PositiveIntegerField(_("số hồ sơ đã tạo"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    message = models.CharField(_("thông báo"), max_length=500, blank=True)
    annotated = models.FileField(_("tệp có ghi chú lỗi"), upload_to="imports/", blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("nhập dữ liệu")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Nhập {self.original_name} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def progress(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
