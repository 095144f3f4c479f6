"""People: users, schools, study groups and who belongs to which group in what role."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from lms.logins import LoginValidator, login_key, normalise_login
from lms.text import clean_line


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value})


class UserManager(DjangoUserManager):
    """Logins are found by their key (lms.logins), so "Ivanov", "ivanov" and a full-width or
    Cyrillic-lettered spelling sign in to the same account, on every database."""

    use_in_migrations = False  # migrations use plain managers: no save() rules there

    def get_by_natural_key(self, username: str):
        login = normalise_login(username)
        # At most two rows: the exact login, and the one with its key. The exact one wins, for
        # a login that kept its spelling beside an older look-alike (migration 0004).
        found = list(self.filter(models.Q(username=login) | models.Q(login_key=login_key(login))))
        found.sort(key=lambda user: user.username != login)
        if not found:
            raise self.model.DoesNotExist
        return found[0]

    def pupils_of(self, group) -> models.QuerySet:
        """The pupils of a study group (its memberships in the pupil role)."""
        return self.filter(memberships__group=group, memberships__role=Membership.Role.PUPIL)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for user in objs:  # bulk_create skips save(): prepare each row as save() would
            user.prepare_for_save()
        return super().bulk_create(objs, *args, **kwargs)


class User(AbstractUser):
    """A person: pupil, teacher, methodologist or administrator. Children often have no e-mail,
    so the login is the identity and the display name is what everyone sees."""

    username = models.CharField(
        _("login"),
        max_length=150,
        unique=True,
        validators=[LoginValidator()],
        help_text=_("Latin or Cyrillic letters (not both), digits and @ . + - _"),
        error_messages={"unique": _("This login is already taken.")},
    )
    # The login as it is compared (lms.logins.login_key): unique, so a look-alike is taken too.
    login_key = models.CharField(max_length=150, unique=True, editable=False)

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the language chosen in the browser or the site default."),
    )
    # The school whose data this person belongs to (pupils, teachers, school admins). Empty for
    # platform-wide staff: methodologists and superusers. Schools never see each other's people.
    school = models.ForeignKey(
        "lms.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("school"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    objects = UserManager()

    def __str__(self) -> str:
        return self.get_display_name()

    @classmethod
    def normalize_username(cls, username: str) -> str:
        return normalise_login(username)

    def prepare_for_save(self) -> None:
        """Normalised login and its key; names without invisible characters (lms.text)."""
        self.username = normalise_login(self.username)
        self.login_key = login_key(self.username)
        self.first_name = clean_line(self.first_name)
        self.last_name = clean_line(self.last_name)
        self.display_name = clean_line(self.display_name)

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        super().save(*args, **kwargs)

    def validate_unique(self, exclude=None) -> None:
        """Forms (ours, Django's and Wagtail's admin) report a look-alike login as taken."""
        super().validate_unique(exclude)
        if exclude and "username" in exclude:
            return
        clash = User.objects.filter(login_key=login_key(self.username)).exclude(pk=self.pk)
        if clash.exists():
            raise ValidationError({"username": _("This login is already taken.")})

    def get_display_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class School(models.Model):
    class Kind(models.TextChoices):
        HOST = "host", _("host park")
        VISITING = "visiting", _("visiting school")

    name = models.CharField(_("name"), max_length=200, unique=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Samara", validators=[validate_time_zone]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.VISITING)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name, self.city = clean_line(self.name), clean_line(self.city)
        super().save(*args, **kwargs)


class StudyGroup(models.Model):
    """A class of pupils at one school, taught by one or more teachers."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="groups", verbose_name=_("school")
    )
    name = models.CharField(_("name"), max_length=150)
    academic_year = models.CharField(
        _("academic year"), max_length=9, help_text=_("For example 2026/2027.")
    )
    is_archived = models.BooleanField(_("archived"), default=False)

    class Meta:
        verbose_name = _("study group")
        verbose_name_plural = _("study groups")
        ordering = ["school__name", "name"]
        # view_studygroup (Django's default) covers the roster and progress.
        permissions = [
            ("manage_studygroup", _("Can manage the roster and invites of the group")),
            ("grade_studygroup", _("Can grade the work of the group's pupils")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name", "academic_year"], name="unique_group_name_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.academic_year})"

    def save(self, *args, **kwargs):
        self.name = clean_line(self.name)
        super().save(*args, **kwargs)


class Membership(models.Model):
    class Role(models.TextChoices):
        PUPIL = "pupil", _("pupil")
        TEACHER = "teacher", _("teacher")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    group = models.ForeignKey(
        StudyGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="one_membership_per_group")
        ]
        indexes = [models.Index(fields=["group", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.group} ({self.get_role_display()})"


# django-guardian with direct foreign keys (not the generic object_pk text column): permission
# checks and "which groups may this teacher see" become indexed integer joins.
class StudyGroupUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(StudyGroup, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("teacher's permission on a group")
        verbose_name_plural = _("teachers' permissions on groups")


class StudyGroupGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(StudyGroup, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("role's permission on a group")
        verbose_name_plural = _("roles' permissions on groups")
