"""Demo catalogue: home page, catalogue, three courses of lessons from lms/demo_content.py,
with generated pictures and worksheets; group enrolments and some pupils' progress."""

import json
import uuid

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from cms.models import HomePage
from courses import authoring, services
from courses import documents as course_documents
from courses.models import CatalogPage, CoursePage, CourseShare, LessonPage, ModulePage
from lms import demo_content
from lms.demo import media
from lms.demo.people import GROUPS
from lms.models import Invite

ID_NAMESPACE = uuid.UUID("6f1c1a52-6d0c-4c55-9f87-2f1e5b0b7a10")
TRACK_LABELS = {"robotics": "Робототехника", "programming": "Python", "science": "Лаборатория"}
# Covers in the same colours as the site's track badges (static/css/site.css).
TRACK_COLOURS = {"robotics": "#1c7ed6", "programming": "#7048e8", "science": "#2b8a3e"}

HOME_HERO_TITLE = "Учимся, изобретая"
HOME_HERO_TEXT = (
    "Робототехника, программирование и естественные науки для ребят 10–17 лет: "
    "собираем роботов, пишем программы и ставим настоящие опыты."
)


def _block_id(*parts: object) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(p) for p in parts)))


def ensure_images() -> dict[str, int]:
    Image = get_image_model()
    ids = {}
    for key, spec in demo_content.IMAGES.items():
        image = Image.objects.filter(title=spec["title"]).first()
        if image is None:
            png = media.picture_png(spec["color"], spec["label"], spec["shape"])
            image = Image(title=spec["title"], file=ContentFile(png, name=f"demo-{key}.png"))
            image.save()
        ids[key] = image.pk
    return ids


def _document_keys(course: dict) -> list[str]:
    return sorted(
        {
            value["document"]
            for module in course["modules"]
            for lesson in module["lessons"]
            for block_type, value in lesson["body"]
            if block_type == "file"
        }
    )


def ensure_documents(course_page: CoursePage, keys: list[str]) -> dict[str, int]:
    """The course's worksheets, in the course's own collection: its authors choose from there,
    and its pupils download them (a file in another course's collection would be refused)."""
    Document = get_document_model()
    collection = course_documents.course_collection(course_page)
    root = Collection.get_first_root_node()
    ids = {}
    for key in keys:
        spec = demo_content.DOCUMENTS[key]
        document = Document.objects.filter(title=spec["title"], collection=collection).first()
        if document is None:
            # A demo database from before course collections: move its root copy in once.
            document = Document.objects.filter(title=spec["title"], collection=root).first()
            if document is not None:
                document.collection = collection
                document.save(update_fields=["collection"])
        if document is None:
            content = spec["content"].encode("utf-8")
            document = Document(
                title=spec["title"],
                collection=collection,
                file=ContentFile(content, name=spec["filename"]),
            )
            document.save()
        ids[key] = document.pk
    return ids


def _cover_image(course: dict) -> int:
    Image = get_image_model()
    title = f"Обложка: {course['title']}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        png = media.cover_png(TRACK_COLOURS[course["track"]], TRACK_LABELS[course["track"]])
        image = Image(title=title, file=ContentFile(png, name=f"cover-{course['slug']}.png"))
        image.save()
    return image.pk


def lesson_stream(path: str, body: list, images: dict, documents: dict) -> list[dict]:
    """Turn the demo's (block type, value) pairs into StreamField raw data with stable ids."""
    stream = []
    for index, (block_type, value) in enumerate(body):
        if block_type == "image":
            value = {**value, "image": images[value["image"]]}
        elif block_type == "file":
            value = {**value, "document": documents[value["document"]]}
        elif block_type == "video":
            value = {"url": value.get("url", ""), "file": None, "caption": value.get("caption", "")}
        elif block_type == "steps":
            value = {
                "title": value.get("title", ""),
                "steps": [
                    {
                        "type": "item",
                        "id": _block_id(path, index, number),
                        "value": {
                            "title": step.get("title", ""),
                            "text": step["text"],
                            "photo": images[step["photo"]] if step.get("photo") else None,
                        },
                    }
                    for number, step in enumerate(value["steps"])
                ],
            }
        stream.append({"type": block_type, "value": value, "id": _block_id(path, index)})
    return stream


def _comparable(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _ensure_child(parent: Page, model: type[Page], slug: str, fields: dict) -> Page:
    """Find the child page by slug or create it; publish a revision only when something changed."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    changed = False
    for name, value in fields.items():
        current = getattr(page, name)
        if name == "body":
            current = list(current.raw_data)
        if name == "cover_image_id":
            current = page.cover_image_id
        if _comparable(current) != _comparable(value):
            setattr(page, name, value)
            changed = True
    if changed or not page.live:
        page.save_revision().publish()
    return page


def ensure_catalogue() -> dict[str, CoursePage]:
    images = ensure_images()
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        raise RuntimeError("The home page is missing: run `manage.py migrate` first.")
    if home.hero_title != HOME_HERO_TITLE or home.hero_text != HOME_HERO_TEXT:
        home.hero_title, home.hero_text = HOME_HERO_TITLE, HOME_HERO_TEXT
        home.title = "Технопарк"
        home.save_revision().publish()
    catalog = _ensure_child(
        home,
        CatalogPage,
        "courses",
        {
            "title": "Курсы",
            "intro": "Выберите направление: роботы, программы или лаборатория. "
            "Все курсы ведут преподаватели технопарка.",
        },
    )
    courses = {}
    for course in demo_content.COURSES:
        course_page = _ensure_child(
            catalog,
            CoursePage,
            course["slug"],
            {
                "title": course["title"],
                "track": course["track"],
                "level": course["level"],
                "age_min": course["age_min"],
                "age_max": course["age_max"],
                "hours": course["hours"],
                "summary": course["summary"],
                "learning_outcomes": "\n".join(course["learning_outcomes"]),
                "cover_image_id": _cover_image(course),
            },
        )
        courses[course["track"]] = course_page
        documents = ensure_documents(course_page, _document_keys(course))
        for module in course["modules"]:
            module_page = _ensure_child(
                course_page,
                ModulePage,
                module["slug"],
                {"title": module["title"], "summary": module.get("summary", "")},
            )
            for lesson in module["lessons"]:
                path = f"{course['slug']}/{module['slug']}/{lesson['slug']}"
                _ensure_child(
                    module_page,
                    LessonPage,
                    lesson["slug"],
                    {
                        "title": lesson["title"],
                        "summary": lesson.get("summary", ""),
                        "duration_minutes": lesson.get("duration_minutes", 45),
                        "body": lesson_stream(path, lesson["body"], images, documents),
                    },
                )
    return courses


def ensure_enrollments(found: dict, courses: dict[str, CoursePage]) -> None:
    groups = [found["groups"][name] for name, *_ in GROUPS]
    robotics_group, programming_group, visiting_group = groups
    admin = found["users"]["admin"]
    services.enroll_group(robotics_group, courses["robotics"], by=admin)
    services.enroll_group(robotics_group, courses["science"], by=admin)
    services.enroll_group(programming_group, courses["programming"], by=admin)
    services.enroll_group(programming_group, courses["science"], by=admin)
    # The visiting school takes one module of the science course, not the whole course.
    first_science_module = ModulePage.objects.child_of(courses["science"]).order_by("path").first()
    services.enroll_group(visiting_group, courses["science"], module=first_science_module, by=admin)


def ensure_sharing(found: dict, courses: dict[str, CoursePage]) -> None:
    """The park shares the first science module (the visiting group is enrolled in it) and the
    first robotics module (not yet taken: the visiting teacher can enrol their group) with the
    visiting school; teacher1 co-authors the robotics course."""
    visiting = found["schools"]["visiting"]
    methodist = found["users"]["methodist"]
    for track in ("science", "robotics"):
        module = ModulePage.objects.child_of(courses[track]).order_by("path").first()
        CourseShare.objects.get_or_create(
            course=courses[track],
            module=module,
            school=visiting,
            defaults={"created_by": methodist},
        )
    authoring.add_author(courses["robotics"], found["users"]["teacher1"], by=methodist)


# Fixed codes so the README can name them; letters and digits from the invite alphabet.
DEMO_INVITES = [
    ("KVANT26", "Робототехника — 1", "teacher1"),
    ("PYTHN26", "Программирование — 2", "teacher2"),
]


def ensure_invites(found: dict) -> None:
    from datetime import timedelta

    from django.utils import timezone

    for code, group_name, teacher in DEMO_INVITES:
        invite, _ = Invite.objects.get_or_create(
            code=code,
            defaults={
                "group": found["groups"][group_name],
                "expires_at": timezone.now() + timedelta(days=60),
                "max_uses": 30,
                "created_by": found["users"][teacher],
            },
        )
        if invite.is_expired():  # an old demo database: give the invite another two months
            invite.expires_at = timezone.now() + timedelta(days=60)
            invite.save(update_fields=["expires_at"])


def ensure_progress(found: dict, courses: dict[str, CoursePage]) -> None:
    """A lived-in demo: some pupils have already worked through a few lessons."""
    plan = [
        ("pupil1", "robotics", 4),
        ("pupil2", "robotics", 2),
        ("pupil3", "robotics", 1),
        ("pupil6", "programming", 3),
        ("pupil7", "programming", 1),
        ("pupil1", "science", 1),
    ]
    for username, track, count in plan:
        course = courses[track]
        lessons = LessonPage.objects.live().descendant_of(course).order_by("path")[:count]
        for lesson in lessons:
            services.set_lesson_completed(found["users"][username], lesson, course.pk, True)
