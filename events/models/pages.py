"""Event pages: the events index and one event, as Wagtail pages.

The pages describe the event; who may register, the waiting list and check-in are plain
functions (events.audience, events.registering, events.checkin) that the views call."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import ContentBlock
from cms.routing import RoutedAncestorsMixin


class EventIndexPage(RoutedAncestorsMixin, Page):
    """The events list: upcoming and past, filters, a month calendar, the iCal feed."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("events index")

    def get_context(self, request, *args, **kwargs):
        from events import listing, permissions

        context = super().get_context(request, *args, **kwargs)
        context.update(listing.index_context(self, request))
        context["can_see_report"] = permissions.can_see_report(request.user)
        return context


class EventPage(RoutedAncestorsMixin, Page):
    class Kind(models.TextChoices):
        MASTER_CLASS = "master_class", _("master class")
        OPEN_DAY = "open_day", _("open day")
        PROJECT_WEEK = "project_week", _("project week")
        LECTURE = "lecture", _("lecture")
        EXCURSION = "excursion", _("excursion")
        WORKSHOP = "workshop", _("teacher workshop")
        COURSE = "course", _("professional development course")
        OTHER = "other", _("other")

    class Audience(models.TextChoices):
        PUPILS = "pupils", _("pupils")
        TEACHERS = "teachers", _("teachers")
        ALL = "all", _("pupils and teachers")

    class Track(models.TextChoices):
        ROBOTICS = "robotics", _("Robotics")
        PROGRAMMING = "programming", _("Programming")
        SCIENCE = "science", _("Natural science")
        ENGINEERING = "engineering", _("Engineering and design")
        CAREERS = "careers", _("Careers")
        TEACHING = "teaching", _("Teaching practice")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default="master_class")
    track = models.CharField(_("track"), max_length=20, choices=Track.choices, blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default="pupils"
    )
    min_class = models.PositiveSmallIntegerField(
        _("from class"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
        help_text=_("For pupils: the lowest school class (1–11) that may come."),
    )
    max_class = models.PositiveSmallIntegerField(
        _("to class"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two lines for the list.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
        help_text=_("Leave empty for no limit."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: as soon as published.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: when the event starts."),
    )
    teachers_register_groups = models.BooleanField(
        _("teachers register their pupils"), default=True
    )
    self_registration = models.BooleanField(
        _("pupils and teachers with an account register themselves"), default=True
    )
    guests_register = models.BooleanField(
        _("open to visitors without an account"),
        default=False,
        help_text=_("A visitor gives a name, school and e-mail and confirms it by a link."),
    )
    requires_moderation = models.BooleanField(
        _("registrations are confirmed by the organisers"), default=False
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a freed place"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
        help_text=_("When a place frees, the first on the waiting list gets this long to confirm."),
    )
    hours = models.DecimalField(
        _("academic hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text=_("For professional development: the hours written on the certificate."),
    )
    certificates = models.BooleanField(_("certificates for those who came"), default=True)
    contact = models.CharField(_("organiser's contact"), max_length=200, blank=True)
    linked_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("contest or shared module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    cancellation_note = models.TextField(_("why it is cancelled"), blank=True)
    body = StreamField(ContentBlock(), verbose_name=_("description"), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("track")]),
                FieldRowPanel(
                    [FieldPanel("audience"), FieldPanel("min_class"), FieldPanel("max_class")]
                ),
            ],
            heading=_("What and for whom"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel([FieldPanel("place"), FieldPanel("address")]),
                FieldPanel("online_url"),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("capacity"),
                        FieldPanel("registration_opens_at"),
                        FieldPanel("registration_closes_at"),
                    ]
                ),
                FieldPanel("teachers_register_groups"),
                FieldPanel("self_registration"),
                FieldPanel("guests_register"),
                FieldPanel("requires_moderation"),
                FieldPanel("offer_hours"),
            ],
            heading=_("Registration"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("hours"), FieldPanel("certificates")]),
                FieldPanel("contact"),
            ],
            heading=_("Certificates and contact"),
        ),
        PageChooserPanel("linked_page", ["courses.ModulePage"]),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("is_cancelled"), FieldPanel("cancellation_note")],
            heading=_("Cancellation"),
        ),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > timedelta(days=62):
            errors["ends_at"] = _("An event lasts at most two months.")
        if self.min_class and self.max_class and self.min_class > self.max_class:
            errors["max_class"] = _("“To class” must not be lower than “from class”.")
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if closes and self.ends_at and closes > self.ends_at:
            errors["registration_closes_at"] = _("Registration must close by the end of the event.")
        if self.audience == self.Audience.TEACHERS and (self.min_class or self.max_class):
            errors["min_class"] = _("Classes apply only to events for pupils.")
        if self.online_url and not self.online_url.lower().startswith(("https://", "http://")):
            errors["online_url"] = _("Give a web address that starts with https://.")
        if errors:
            raise ValidationError(errors)

    # --- Plain facts the views and templates read ------------------------------------------

    @property
    def registration_closes(self):
        return self.registration_closes_at or self.starts_at

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.is_cancelled or now >= self.registration_closes:
            return False
        return self.registration_opens_at is None or now >= self.registration_opens_at

    def is_past(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    @property
    def for_pupils(self) -> bool:
        return self.audience in (self.Audience.PUPILS, self.Audience.ALL)

    @property
    def for_teachers(self) -> bool:
        return self.audience in (self.Audience.TEACHERS, self.Audience.ALL)

    def get_context(self, request, *args, **kwargs):
        from events import registration_panel

        context = super().get_context(request, *args, **kwargs)
        context.update(registration_panel.context(self, request))
        return context
