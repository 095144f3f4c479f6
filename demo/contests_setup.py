"""Demo contests as the organisers set them up (content/contests.toml): the contest's fields,
its categories, tasks (the demo's programming problems, questions of the demo banks at the
version they have now, a judged task with its score sheet), award rules and judges.

Found before anything is added, by slug, name and label: a reload changes what the manifest
changed and adds nothing twice. A task added through contests.setup_tasks.add_task (the
organisers' form calls it); a judge through contests.setup_people.add_judge."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assessments.programming import authoring
from assessments.programming.models import Problem
from assessments.quiz.models import Question
from contests import setup_people, setup_tasks
from contests.models import AwardRule, Category, Contest, Criterion, Task
from courses.models import CoursePage
from demo import events as demo_events
from demo import programming
from demo.manifests import ContentError

# Contest fields a contest in the manifest may set; the rest keep the model's defaults.
CONTEST_FIELDS = (
    "kind",
    "rules",
    "audience",
    "self_registration",
    "teams",
    "team_size",
    "window_minutes",
    "freeze_minutes",
    "penalty_minutes",
    "compile_error_counts",
    "best_per_subtask",
    "practice_after_end",
)
# Moments of the manifest ({ day, time }) and the contest fields they set.
MOMENTS = {
    "registration_opens": "registration_opens_at",
    "registration_closes": "registration_closes_at",
    "appeals_until": "appeals_until",
}
TASK_FIELDS = ("runs_allowed", "runs_count", "tie_break", "judges_combine")
PYTHON_COURSE = "python-basics"  # where demo.programming keeps the problems


def contest_fields(row: dict, day: date) -> dict:
    """The contest's fields from its manifest row, dated for the day of loading."""
    starts_at, ends_at = demo_events.schedule(row, day)
    fields = {
        "title": row["title"],
        "description": row["description"],
        "starts_at": starts_at,
        "ends_at": ends_at,
        "is_published": True,
    }
    for name in CONTEST_FIELDS:
        fields[name] = row.get(name, Contest._meta.get_field(name).get_default())
    for key, name in MOMENTS.items():
        fields[name] = moment(row[key], day) if key in row else None
    return fields


def moment(spec: dict, day: date):
    """A moment of the manifest ({ day = N, time = "HH:MM" }) when loaded on `day`."""
    return demo_events.schedule(
        {"day": spec["day"], "days": 1, "start": spec["time"], "end": spec["time"]}, day
    )[0]


def ensure_contest(row: dict, day: date, organiser, schools: dict) -> Contest:
    """Find the contest by slug or create it; save only the fields that changed."""
    fields = contest_fields(row, day)
    contest = Contest.objects.filter(slug=row["slug"]).first()
    if contest is None:
        contest = Contest.objects.create(slug=row["slug"], created_by=organiser, **fields)
    else:
        changed = [name for name, value in fields.items() if getattr(contest, name) != value]
        for name in changed:
            setattr(contest, name, fields[name])
        if changed:
            contest.save(update_fields=changed)
    chosen = {schools[key].pk for key in row.get("schools", [])}
    if set(contest.schools.values_list("pk", flat=True)) != chosen:
        contest.schools.set(chosen)
    _categories(contest, row["categories"])
    _award_rules(contest, row["awards"])
    return contest


def _categories(contest: Contest, rows: list[dict]) -> None:
    for order, row in enumerate(rows):
        wanted = {
            "min_class": row.get("min_class"),
            "max_class": row.get("max_class"),
            "order": order,
        }
        category, created = Category.objects.get_or_create(
            contest=contest, name=row["name"], defaults=wanted
        )
        if not created and any(getattr(category, k) != v for k, v in wanted.items()):
            Category.objects.filter(pk=category.pk).update(**wanted)


def _award_rules(contest: Contest, rows: list[dict]) -> None:
    categories = {c.name: c for c in contest.categories.all()}
    for order, row in enumerate(rows):
        category = categories[row["category"]] if row.get("category") else None
        wanted = {
            "category": category,
            "max_place": row.get("max_place"),
            "min_score": Decimal(str(row["min_score"])) if "min_score" in row else None,
            "min_score_is_percent": row.get("min_score_percent", False),
            "max_share_percent": (
                Decimal(str(row["max_share_percent"])) if "max_share_percent" in row else None
            ),
        }
        rule = AwardRule.objects.filter(contest=contest, award=row["award"], order=order).first()
        if rule is None:
            AwardRule.objects.create(contest=contest, award=row["award"], order=order, **wanted)
        elif any(getattr(rule, k) != v for k, v in wanted.items()):
            AwardRule.objects.filter(pk=rule.pk).update(**wanted)


# --- Tasks ----------------------------------------------------------------------------------


def problem_of(slug: str, courses: dict[str, CoursePage], by) -> Problem:
    """The demo's problem of the package `slug` (demo.programming stores them in the Python
    course, by title); stored unchecked if it is not there (the demo loaded without judging)."""
    spec = programming.read(slug).spec
    course = courses.get(PYTHON_COURSE)
    found = Problem.objects.filter(course=course, title=spec.title).order_by("pk").first()
    return found or authoring.store(spec, course=course, by=by, check=False)


def question_of(spec: dict, courses: dict[str, CoursePage]) -> Question:
    question = (
        Question.objects.filter(category__course=courses[spec["bank"]], latest__title=spec["title"])
        .select_related("latest")
        .order_by("pk")
        .first()
    )
    if question is None:
        raise ContentError(f"contests.toml: no question {spec['title']!r} in {spec['bank']}")
    return question


def ensure_tasks(contest: Contest, row: dict, courses: dict, by) -> dict[str, Task]:
    """The contest's tasks by label: added through the organisers' service, then given their
    problem, question or score sheet. A quiz task keeps the version it was first given."""
    existing = {task.label: task for task in Task.objects.filter(contest=contest)}
    tasks = {}
    for spec in row["tasks"]:
        task = existing.get(spec["label"])
        kind, title, extra = _task_source(spec, courses, by)
        if task is None:
            task = setup_tasks.add_task(
                contest,
                label=spec["label"],
                title=title,
                kind=kind,
                max_score=Decimal(str(spec.get("max_score", 100))),
            )
        wanted = {"title": title, **extra}
        wanted.update({name: spec[name] for name in TASK_FIELDS if name in spec})
        if task.question_id is not None:
            wanted.pop("question", None)  # the version shown in the round stays
        if "max_score" in spec:
            wanted["max_score"] = Decimal(str(spec["max_score"]))
        if kind == Task.Kind.JUDGED:
            # The points are the best sheet's (times the runs when they add up), as the
            # organisers' form computes them.
            runs = Task(
                runs_allowed=wanted.get("runs_allowed", task.runs_allowed),
                runs_count=wanted.get("runs_count", task.runs_count),
            )
            criteria = _criteria(task, spec.get("criteria", []))
            wanted["max_score"] = setup_tasks.sheet_max(runs, criteria)
        changed = {k: v for k, v in wanted.items() if getattr(task, k) != v}
        if changed:
            Task.objects.filter(pk=task.pk).update(**changed)
            for name, value in changed.items():
                setattr(task, name, value)
        tasks[task.label] = task
    return tasks


def _task_source(spec: dict, courses: dict, by) -> tuple[str, str, dict]:
    if "problem" in spec:
        problem = problem_of(spec["problem"], courses, by)
        return Task.Kind.PROGRAMMING, spec.get("title", problem.title), {"problem": problem}
    if "question" in spec:
        question = question_of(spec["question"], courses)
        title = spec.get("title", question.latest.title)
        return Task.Kind.QUIZ, title, {"question": question.latest}
    return Task.Kind.JUDGED, spec["title"], {"statement": spec.get("statement", "").strip()}


def _criteria(task: Task, rows: list[dict]) -> list[Criterion]:
    """The score sheet's lines, as the organisers' form leaves them (once: then edited)."""
    criteria = list(task.criteria.all())
    if criteria or not rows:
        return criteria
    return Criterion.objects.bulk_create(
        Criterion(
            task=task,
            name=row["name"],
            kind=row["kind"],
            points=Decimal(str(row.get("points", 1))),
            max_count=row.get("max_count", 1),
            order=order,
        )
        for order, row in enumerate(rows)
    )


def ensure_judges(contest: Contest, row: dict) -> int:
    categories = {c.name: c for c in contest.categories.all()}
    for entry in row.get("judges", []):
        category = categories[entry["category"]] if entry.get("category") else None
        setup_people.add_judge(contest, entry["user"], category, None)
    return len(row.get("judges", []))
