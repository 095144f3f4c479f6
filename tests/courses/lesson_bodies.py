"""A lesson body that uses every block type several times (pictures, files, video files, steps
with photos, assignments), for the query pins and the body cache's tests."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from courses.models import LessonPage


def make_image(title: str):
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 80, 40)).save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file.save(f"{title}.png", ImageFile(buffer, name=f"{title}.png"), save=False)
    image.save()
    return image


def make_document(title: str, extension: str = "pdf"):
    document = get_document_model()(title=title)
    document.file.save(f"{title}.{extension}", ContentFile(b"%PDF-1.4 sheet"), save=False)
    document.save()
    return document


@dataclass
class RichBody:
    images: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    videos: list = field(default_factory=list)
    assignments: list = field(default_factory=list)


def fill_every_block(lesson: LessonPage, copies: int = 3) -> RichBody:
    """Publish `lesson` with `copies` of every block type, each chooser pointing at its own
    object (so per-block fetching would cost per copy)."""
    from tests.assessments.builders import make_assignment

    made = RichBody()
    body = []
    for n in range(copies):
        image = make_image(f"robot-{lesson.pk}-{n}")
        photo = make_image(f"step-{lesson.pk}-{n}")
        document = make_document(f"sheet-{lesson.pk}-{n}")
        video = make_document(f"clip-{lesson.pk}-{n}", "mp4")
        assignment = make_assignment(lesson, title=f"Задание {n + 1}")
        made.images += [image, photo]
        made.documents.append(document)
        made.videos.append(video)
        made.assignments.append(assignment)
        body += [
            ("markdown", f"## Шаг {n}\n\nСобираем **робота** номер {n}.\n\n| a | b |\n|---|---|"),
            ("code", {"language": "cpp", "code": f"int x = {n};", "caption": "Скетч"}),
            ("image", {"image": image, "alt_text": "", "caption": f"Робот {n}"}),
            ("video", {"url": "https://youtu.be/dQw4w9WgXcQ", "file": None, "caption": ""}),
            ("video", {"url": "", "file": video, "caption": "Как едет"}),
            ("file", {"document": document, "title": "", "description": "Лист"}),
            ("callout", {"kind": "tip", "title": "", "text": f"Совет {n}"}),
            ("formula", {"latex": f"U = {n} \\cdot R", "display": True, "caption": ""}),
            (
                "steps",
                {
                    "title": "Сборка",
                    "steps": [
                        {"title": "Рама", "text": "Привинтите раму.", "photo": photo},
                        {"title": "Колёса", "text": "Наденьте колёса.", "photo": None},
                    ],
                },
            ),
            ("assignment", {"assignment": assignment}),
        ]
    lesson = LessonPage.objects.get(pk=lesson.pk)
    lesson.body = body
    lesson.save_revision().publish()
    return made
