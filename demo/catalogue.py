"""Demo catalogue: the home page, the catalogue and its courses from demo/content/, with the
pictures and worksheets the lessons name. Pages are found by slug and republished only when
something in the files changed."""

from __future__ import annotations

import hashlib
import json
import uuid

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from cms.models import HomePage
from courses import documents as course_documents
from courses.models import CataloguePage, CoursePage, LessonPage, ModulePage
from demo import media

# Block ids derive from the lesson's path and the block's place, so a second load (or a load
# on another machine) writes the same body and publishes nothing new.
ID_NAMESPACE = uuid.UUID("6f1c1a52-6d0c-4c55-9f87-2f1e5b0b7a10")


def _block_id(*parts: object) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(p) for p in parts)))


def ensure_images(specs: dict[str, dict]) -> dict[str, int]:
    """The lessons' pictures (images.toml, the PNG files in images/); their ids by key.

    A picture is found by its file's name (or, in a database whose file got another name, by
    its title) and updated in place when its drawing, title or description changed, so the
    lessons keep pointing at it and nothing is republished; otherwise nothing is written."""
    Image = get_image_model()
    ids = {}
    for key, spec in specs.items():
        png = spec["file"].read_bytes()
        digest = hashlib.sha1(png).hexdigest()  # noqa: S324 - Wagtail's own file_hash
        name = f"demo-{key}.png"
        image = (
            Image.objects.filter(file=f"original_images/{name}").first()
            or Image.objects.filter(title=spec["title"]).first()
        )
        if image is None:
            image = Image(title=spec["title"], description=spec["description"])
        elif image.get_file_hash() == digest:
            if (image.title, image.description) != (spec["title"], spec["description"]):
                image.title, image.description = spec["title"], spec["description"]
                image.save(update_fields=["title", "description"])
            ids[key] = image.pk
            continue
        else:  # a new drawing: its old file and sizes go
            image.renditions.all().delete()
            image.file.delete(save=False)
            image.title, image.description = spec["title"], spec["description"]
        image.file = ContentFile(png, name=name)
        image.file_hash, image.file_size = digest, len(png)
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


def ensure_documents(course_page: CoursePage, keys: list[str], specs: dict) -> dict[str, int]:
    """The course's worksheets, in the course's own collection: its authors choose from there,
    and its pupils download them (a file in another course's collection would be refused)."""
    Document = get_document_model()
    collection = course_documents.course_collection(course_page)
    root = Collection.get_first_root_node()
    ids = {}
    for key in keys:
        spec = specs[key]
        document = Document.objects.filter(title=spec["title"], collection=collection).first()
        if document is None:
            # A demo database from before course collections: move its root copy in once.
            document = Document.objects.filter(title=spec["title"], collection=root).first()
            if document is not None:
                document.collection = collection
                document.save(update_fields=["collection"])
        if document is None:
            document = Document(
                title=spec["title"],
                collection=collection,
                file=ContentFile(spec["content"].encode("utf-8"), name=spec["file"]),
            )
            document.save()
        ids[key] = document.pk
    return ids


def _cover_image(course: dict) -> int:
    Image = get_image_model()
    title = f"Обложка: {course['title']}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        png = media.cover_png(course["cover"]["color"], course["cover"]["label"])
        image = Image(title=title, file=ContentFile(png, name=f"cover-{course['slug']}.png"))
        image.save()
    return image.pk


def lesson_stream(path: str, body: list, images: dict, documents: dict) -> list[dict]:
    """Turn a lesson's (block type, value) pairs into StreamField raw data with stable ids."""
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


def _comparable(value: object) -> str:
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


def ensure_catalogue(
    site: dict, courses: list[dict], image_specs: dict, document_specs: dict
) -> dict[str, CoursePage]:
    """Home page, catalogue, courses, modules and lessons; returns the course pages by slug."""
    images = ensure_images(image_specs)
    home_data, catalogue_data = site["home"], site["catalogue"]
    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        raise RuntimeError("The home page is missing: run `manage.py migrate` first.")
    if home.hero_title != home_data["hero_title"] or home.hero_text != home_data["hero_text"]:
        home.hero_title, home.hero_text = home_data["hero_title"], home_data["hero_text"]
        home.title = home_data["title"]
        home.save_revision().publish()
    catalogue = _ensure_child(
        home,
        CataloguePage,
        catalogue_data["slug"],
        {"title": catalogue_data["title"], "intro": catalogue_data["intro"]},
    )
    pages = {}
    for course in courses:
        course_page = _ensure_child(
            catalogue,
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
        pages[course["slug"]] = course_page
        documents = ensure_documents(course_page, _document_keys(course), document_specs)
        for module in course["modules"]:
            module_page = _ensure_child(
                course_page,
                ModulePage,
                module["slug"],
                {"title": module["title"], "summary": module["summary"]},
            )
            for lesson in module["lessons"]:
                path = f"{course['slug']}/{module['slug']}/{lesson['slug']}"
                _ensure_child(
                    module_page,
                    LessonPage,
                    lesson["slug"],
                    {
                        "title": lesson["title"],
                        "summary": lesson["summary"],
                        "duration_minutes": lesson["duration_minutes"],
                        "body": lesson_stream(path, lesson["body"], images, documents),
                    },
                )
    return pages
