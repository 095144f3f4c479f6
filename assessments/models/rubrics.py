"""Rubrics: criteria x levels, each level with points and a description.

Authored as a StreamField, so a methodologist builds the whole table on one admin screen. Every
criterion and level carries the block id Wagtail gives it; a grade stores a snapshot of the
chosen level (id, title, points), so editing a rubric later never changes a grade already given
(the grading page says when the rubric has changed since)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.fields import StreamField


class LevelBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Level"), max_length=120)
    points = blocks.DecimalBlock(label=_("Points"), min_value=0, max_digits=6, decimal_places=2)
    description = blocks.TextBlock(label=_("Description"), required=False)


class CriterionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Criterion"), max_length=200)
    description = blocks.TextBlock(label=_("What is looked at"), required=False)
    levels = blocks.ListBlock(LevelBlock(), label=_("Levels"), min_num=1)


@dataclass(frozen=True)
class RubricLevel:
    id: str
    title: str
    points: Decimal
    description: str


@dataclass(frozen=True)
class RubricCriterion:
    id: str
    title: str
    description: str
    levels: tuple[RubricLevel, ...]

    @property
    def max_points(self) -> Decimal:
        return max((level.points for level in self.levels), default=Decimal(0))


class Rubric(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    criteria = StreamField(
        [("criterion", CriterionBlock())], verbose_name=_("criteria"), use_json_field=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Give every criterion and level its id now and store it: a rubric written as plain
        # data (demo, import) would otherwise get new level ids each time it is read.
        self.table()
        self.criteria = self.criteria.get_prep_value()
        super().save(*args, **kwargs)

    def table(self) -> list[RubricCriterion]:
        """The rubric as plain data with stable ids."""
        result = []
        for block in self.criteria:
            value = block.value
            levels = tuple(
                RubricLevel(
                    id=str(item.id),
                    title=item.value["title"],
                    points=Decimal(item.value["points"]),
                    description=item.value["description"],
                )
                for item in value["levels"].bound_blocks
            )
            result.append(
                RubricCriterion(
                    id=str(block.id),
                    title=value["title"],
                    description=value["description"],
                    levels=levels,
                )
            )
        return result

    @property
    def max_points(self) -> Decimal:
        return sum((criterion.max_points for criterion in self.table()), start=Decimal(0))
