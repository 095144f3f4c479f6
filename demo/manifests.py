"""Reading demo/content/: the TOML manifests and the lesson files they name.

Everything is read into plain dicts shaped like the tables of the files (README.md there);
problems() lists every broken reference, so a typo in a manifest fails before anything is
written, with the file to fix."""

from __future__ import annotations

import tomllib
from pathlib import Path

from demo.lesson_format import parse_lesson
from lms import roles

CONTENT_DIR = Path(__file__).resolve().parent / "content"
OUTCOMES = ("graded", "returned", "waiting")  # what happens to a pupil's work (work.toml)


class ContentError(ValueError):
    """A demo content file is missing, unreadable or incomplete."""


def read_toml(name: str, root: Path = CONTENT_DIR) -> dict:
    path = root / name
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise ContentError(f"{path}: no such file") from error
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path}: {error}") from error


def _text(path: Path) -> str:
    try:
        # utf-8-sig: an editor on Windows may start the file with a byte-order mark.
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise ContentError(f"{path}: no such file") from error


def require(table: dict, keys: tuple[str, ...], where: str) -> None:
    missing = [key for key in keys if key not in table]
    if missing:
        raise ContentError(f"{where}: missing {', '.join(missing)}")


def site(root: Path = CONTENT_DIR) -> dict:
    data = read_toml("site.toml", root)
    require(data, ("home", "catalogue"), "site.toml")
    require(data["home"], ("title", "hero_title", "hero_text"), "site.toml [home]")
    require(data["catalogue"], ("slug", "title", "intro", "courses"), "site.toml [catalogue]")
    return data


def images(root: Path = CONTENT_DIR) -> dict[str, dict]:
    """Pictures by key: title, description and `file`, the PNG that images/make_images.py
    drew for it (images/<key>.png)."""
    data = read_toml("images.toml", root)
    for key, spec in data.items():
        require(spec, ("title", "description"), f"images.toml [{key}]")
        spec["file"] = root / "images" / f"{key}.png"
    return data


def _picture_problems(pictures: dict) -> list[str]:
    out = []
    for key, spec in pictures.items():
        if not spec["file"].is_file():
            out.append(
                f"images.toml [{key}]: no file images/{key}.png "
                f"(draw it: python demo/content/images/make_images.py {key})"
            )
        for field in ("title", "description"):
            if len(spec[field]) > 255:
                out.append(f"images.toml [{key}]: the {field} is longer than 255 characters")
    return out


def documents(root: Path = CONTENT_DIR) -> dict[str, dict]:
    """Worksheets by key: title, file name and text (the file's final newline is not part of
    the text: the worksheets were written without one)."""
    data = read_toml("documents.toml", root)
    for key, spec in data.items():
        require(spec, ("title", "file"), f"documents.toml [{key}]")
        spec["content"] = _text(root / "documents" / spec["file"]).removesuffix("\n")
    return data


def course(slug: str, root: Path = CONTENT_DIR) -> dict:
    """One course from courses/<slug>/course.toml, its lessons' bodies parsed."""
    where = f"courses/{slug}/course.toml"
    data = read_toml(where, root)
    require(data, ("title", "track", "level", "age_min", "age_max", "hours", "cover"), where)
    data["slug"] = slug
    data.setdefault("summary", "")
    data.setdefault("learning_outcomes", [])
    data.setdefault("modules", [])
    for module in data["modules"]:
        require(module, ("slug", "title"), f"{where} [[modules]]")
        module.setdefault("summary", "")
        module.setdefault("lessons", [])
        for lesson in module["lessons"]:
            require(lesson, ("slug", "title"), f"{where} [[modules.lessons]]")
            lesson.setdefault("summary", "")
            lesson.setdefault("duration_minutes", 45)
            name = f"courses/{slug}/{module['slug']}/{lesson['slug']}.md"
            lesson["file"] = name
            lesson["body"] = parse_lesson(_text(root / name), where=name)
    return data


def courses(root: Path = CONTENT_DIR) -> list[dict]:
    """The courses in catalogue order (site.toml)."""
    return [course(slug, root) for slug in site(root)["catalogue"]["courses"]]


# The fields every row of a list in people.toml, teaching.toml and work.toml must have.
ROWS = {
    "people.toml": {
        "staff": ("username", "name"),
        "groups": ("name", "school", "teacher", "pupils"),
    },
    "teaching.toml": {
        "enrolments": ("group", "course"),
        "shares": ("course", "module", "school", "by"),
        "authors": ("course", "user", "by"),
        "invites": ("code", "group", "teacher", "days", "max_uses"),
        "progress": ("pupil", "course", "lessons"),
    },
    "work.toml": {
        "assignments": ("course", "lesson", "title", "instructions", "photos", "rubric"),
        "work": ("pupil", "course", "outcome"),
    },
}


def _rows(name: str, data: dict) -> dict:
    for section, keys in ROWS[name].items():
        data.setdefault(section, [])
        for number, row in enumerate(data[section], start=1):
            require(row, keys, f"{name} [[{section}]] number {number}")
    return data


def people(root: Path = CONTENT_DIR) -> dict:
    data = read_toml("people.toml", root)
    require(data, ("password", "academic_year", "schools", "pupils"), "people.toml")
    for key, school in data["schools"].items():
        require(school, ("name", "kind"), f"people.toml [schools.{key}]")
    return _rows("people.toml", data)


def teaching(root: Path = CONTENT_DIR) -> dict:
    data = read_toml("teaching.toml", root)
    require(data, ("enrolled_by",), "teaching.toml")
    return _rows("teaching.toml", data)


def work(root: Path = CONTENT_DIR) -> dict:
    data = read_toml("work.toml", root)
    require(data, ("defaults", "hand_in", "grading"), "work.toml")
    for row in _rows("work.toml", data)["assignments"]:
        require(row["rubric"], ("title", "criteria"), "work.toml [assignments.rubric]")
    return data


def quizzes(root: Path = CONTENT_DIR) -> dict:
    data = read_toml("quiz.toml", root)
    require(data, ("banks", "quizzes", "attempts"), "quiz.toml")
    return data


def pupil_usernames(people_data: dict) -> list[str]:
    """pupil1, pupil2, …: one per name in people.toml, in order."""
    return [f"pupil{number}" for number in range(1, len(people_data["pupils"]) + 1)]


def problems(root: Path = CONTENT_DIR) -> list[str]:
    """Every reference that points nowhere, and every lesson file no manifest names."""
    found: list[str] = []
    try:
        pictures, worksheets, all_courses = images(root), documents(root), courses(root)
        people_data, teaching_data, work_data = people(root), teaching(root), work(root)
    except ValueError as error:  # ContentError and LessonFormatError are ValueErrors
        return [str(error)]
    found += _picture_problems(pictures)
    listed = set()
    lessons = {}
    for item in all_courses:
        for module in item["modules"]:
            for lesson in module["lessons"]:
                listed.add(lesson["file"])
                lessons[f"{item['slug']}/{module['slug']}/{lesson['slug']}"] = lesson
                for block_type, value in lesson["body"]:
                    found += _missing_media(lesson["file"], block_type, value, pictures, worksheets)
    on_disk = {str(p.relative_to(root)) for p in (root / "courses").glob("*/*/*.md")}
    found += [f"{name}: no course.toml lists this lesson" for name in sorted(on_disk - listed)]
    found += _missing_people(people_data, teaching_data, work_data, all_courses, lessons)
    return found


def _missing_media(where: str, block_type: str, value, pictures: dict, worksheets: dict) -> list:
    keys = []
    if block_type == "image":
        keys.append(("image", value["image"]))
    elif block_type == "file":
        keys.append(("document", value["document"]))
    elif block_type == "steps":
        keys += [("image", step["photo"]) for step in value["steps"] if step["photo"]]
    out = []
    for kind, key in keys:
        known = pictures if kind == "image" else worksheets
        if key not in known:
            manifest = "images.toml" if kind == "image" else "documents.toml"
            out.append(f"{where}: no {kind} {key!r} in {manifest}")
    return out


def _missing_people(people_data, teaching_data, work_data, all_courses, lessons) -> list[str]:
    users = {row["username"] for row in people_data["staff"]}
    users |= set(pupil_usernames(people_data))
    groups = {row["name"] for row in people_data["groups"]}
    schools = set(people_data["schools"])
    modules = {f"{c['slug']}/{m['slug']}" for c in all_courses for m in c["modules"]}
    course_slugs = {c["slug"] for c in all_courses}
    out = []

    def check(where: str, kind: str, value, known) -> None:
        if value not in known:
            out.append(f"{where}: no {kind} {value!r}")

    for row in people_data["staff"]:
        if row.get("school"):
            check("people.toml [[staff]]", "school", row["school"], schools)
        if row.get("role"):
            check("people.toml [[staff]]", "role", row["role"], roles.ALL_ROLES)
    numbers = range(1, len(people_data["pupils"]) + 1)
    for row in people_data["groups"]:
        check("people.toml [[groups]]", "school", row["school"], schools)
        check("people.toml [[groups]]", "teacher", row["teacher"], users)
        for number in row["pupils"]:
            check("people.toml [[groups]]", "pupil number", number, numbers)
    grouped = {number for row in people_data["groups"] for number in row["pupils"]}
    for number in numbers:
        if number not in grouped:
            out.append(
                f"people.toml: pupil{number} is in no [[groups]] (a pupil's school is its group's)"
            )
    check("teaching.toml", "user", teaching_data.get("enrolled_by"), users)
    for section in ("enrolments", "shares", "authors", "progress"):
        for row in teaching_data[section]:
            where = f"teaching.toml [[{section}]]"
            check(where, "course", row["course"], course_slugs)
            if row.get("module"):
                check(where, "module", f"{row['course']}/{row['module']}", modules)
            for field, kind, known in (
                ("group", "group", groups),
                ("school", "school", schools),
                ("user", "user", users),
                ("by", "user", users),
                ("pupil", "user", users),
            ):
                if field in row:
                    check(where, kind, row[field], known)
    for row in teaching_data["invites"]:
        check("teaching.toml [[invites]]", "group", row["group"], groups)
        check("teaching.toml [[invites]]", "user", row["teacher"], users)
    check("work.toml [defaults]", "user", work_data["defaults"].get("created_by"), users)
    for row in work_data["assignments"]:
        check("work.toml [[assignments]]", "lesson", f"{row['course']}/{row['lesson']}", lessons)
    assigned = {row["course"] for row in work_data["assignments"]}
    for row in work_data["work"]:
        check("work.toml [[work]]", "user", row["pupil"], users)
        check("work.toml [[work]]", "assignment for the course", row["course"], assigned)
        check("work.toml [[work]]", "outcome", row["outcome"], OUTCOMES)
    return out
