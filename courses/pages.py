"""The course tree: Catalogue > Course > Module > Lesson, as Wagtail pages with page-type rules.

Pages only describe content and hand the request to plain functions in courses/services.py and
lms/permissions.py, which decide who sees what and record progress."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.public_cache import PublicCacheMixin, mark_public
from cms.routing import RoutedAncestorsMixin
from courses.blocks import LessonBodyBlock
from courses.documents import LessonPageForm


class CataloguePage(PublicCacheMixin, RoutedAncestorsMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from courses import services

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = services.catalogue_courses(self)
        return context


class CoursePage(RoutedAncestorsMixin, Page):
    class Track(models.TextChoices):
        ROBOTICS = "robotics", _("Robotics")
        PROGRAMMING = "programming", _("Programming")
        SCIENCE = "science", _("Natural science")

    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    age_min = models.PositiveSmallIntegerField(
        _("minimum age"), default=10, validators=[MinValueValidator(5), MaxValueValidator(18)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("maximum age"), default=17, validators=[MinValueValidator(5), MaxValueValidator(18)]
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default="beginner")
    hours = models.PositiveSmallIntegerField(
        _("hours"), default=36, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    summary = models.TextField(_("summary"), max_length=1000)
    learning_outcomes = models.TextField(
        _("learning outcomes"), blank=True, help_text=_("One outcome per line.")
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.FilterField("track"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("track"),
                FieldPanel("level"),
                FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")]),
                FieldPanel("hours"),
            ],
            heading=_("About the course"),
        ),
        FieldPanel("cover_image"),
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
    ]
    parent_page_types = ["courses.CataloguePage"]
    subpage_types = ["courses.ModulePage"]
    # The explorer lists a course's modules, and a module's lessons, in the tree's own order
    # (the order pupils follow, and the one the drag handles change). Wagtail's default is the
    # latest revision first, which reshuffles the outline on every edit. A sort the author
    # picks (?ordering=title, ...) still wins.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.age_min and self.age_max and self.age_min > self.age_max:
            raise ValidationError({"age_max": _("The maximum age cannot be below the minimum.")})

    def prepare_for_routing_cache(self) -> None:
        """The cover picture travels with the cached page chain (cms.routing): no query for it."""
        if self.cover_image_id:
            self.cover_image  # noqa: B018 - loads it into the instance's field cache

    @cached_property
    def outcomes(self) -> list[str]:
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def serve(self, request, *args, **kwargs):
        from courses import pupil_work, services

        context = self.get_context(request, *args, **kwargs)
        context.update(services.course_page_context(request.user, self, request))
        if context["access"].as_pupil:  # the pupil's assignments here, from assessments
            context.update(pupil_work.course(request, self))
        return mark_public(request, TemplateResponse(request, self.get_template(request), context))


class ModulePage(RoutedAncestorsMixin, Page):
    """The unit a park shares with visiting schools."""

    summary = models.TextField(_("summary"), blank=True, max_length=1000)

    search_fields = [*Page.search_fields, index.SearchField("summary")]
    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]
    admin_default_ordering = "ord"  # lessons in outline order (see CoursePage)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def serve(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        # A module has no page of its own: its place is the course outline.
        parent = self.get_parent()
        return redirect(f"{parent.get_url(request)}#module-{self.pk}")


class LessonPage(RoutedAncestorsMixin, Page):
    routing_joins_specific = True  # cms.routing: the routing query brings this row too
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=45, validators=[MinValueValidator(1)]
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("summary"), FieldPanel("duration_minutes")]),
        FieldPanel("body"),
    ]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    base_form_class = LessonPageForm  # refuses documents the editor may not choose

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def serve(self, request, *args, **kwargs):
        from courses import services

        result = services.lesson_page_context(request, self)
        if result.locked:
            return TemplateResponse(
                request, "courses/lesson_locked.html", {**result.context, "page": self}, status=403
            )
        context = self.get_context(request, *args, **kwargs)
        context.update(result.context)
        return TemplateResponse(request, self.get_template(request), context)

    def get_context(self, request, *args, **kwargs):
        # Here, not in serve: Wagtail's previews render get_context without serve.
        from courses.lesson_body import lesson_body

        context = super().get_context(request, *args, **kwargs)
        body = lesson_body(request, self, context)
        context.update(lesson_body=body.html, lesson_assignments=body.assignments)
        return context
