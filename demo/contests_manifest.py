"""The demo contests' manifest (content/contests.toml): read with each contest's defaults
filled in and its description file, and checked before anything is written (`problems`): every
choice, person, group, school, problem package, bank question and run source it names, and
what only a held contest or a round open now may have."""

from __future__ import annotations

from pathlib import Path

from assessments.quiz.importing import read as read_gift
from contests.models import Contest
from demo import events as demo_events
from demo import manifests
from demo.manifests import CONTENT_DIR

MANIFEST = "contests.toml"
FOLDER = "contests"
CHOICES = {
    "kind": Contest.Kind.values,
    "rules": Contest.Rules.values,
    "audience": Contest.Audience.values,
}
CRITERION_KINDS = ("item", "penalty", "time")
TEST_VERDICTS = ("WA", "TLE", "MLE", "RE", "OLE", "PE")


# --- The manifest -------------------------------------------------------------------------


def manifest(root: Path = CONTENT_DIR) -> dict:
    """contests.toml with each contest's defaults filled in and its description read."""
    data = manifests.read_toml(MANIFEST, root)
    manifests.require(data, ("organiser", "contests", "sources"), MANIFEST)
    for number, row in enumerate(data["contests"], start=1):
        where = f"{MANIFEST} [[contests]] number {number}"
        manifests.require(row, ("slug", "title", "kind", "rules", "day", "start", "end"), where)
        row.setdefault("days", 1)
        for section in ("categories", "tasks", "awards", "registrations", "codes", "runs"):
            row.setdefault(section, [])
        for section in ("appeals", "started", "absent"):
            row.setdefault(section, [])
        for entry in row["registrations"]:
            if "user" not in entry:
                manifests.require(entry, ("by", "group", "pupils"), f"{where} [[registrations]]")
        for entry in row["codes"]:
            manifests.require(entry, ("by", "school", "names"), f"{where} [[codes]]")
        for entry in row["tasks"]:
            manifests.require(entry, ("label",), f"{where} [[tasks]]")
        row["file"] = f"{FOLDER}/{row['slug']}.md"
        row["description"] = manifests._text(root / row["file"]).strip()
    data["sources"] = {source["key"]: source for source in data["sources"]}
    return data


def is_held(row: dict) -> bool:
    """Over before the day of loading (its last day is in the past)."""
    return row["day"] + row["days"] - 1 < 0


def is_open_now(row: dict) -> bool:
    """Its period began before today and ends after it."""
    return row["day"] < 0 < row["day"] + row["days"] - 1


# --- Mistakes -----------------------------------------------------------------------------


def problems(root: Path = CONTENT_DIR) -> list[str]:
    """Every mistake in contests.toml: unknown choices, people, groups, problems, questions and
    sources, runs of a contest not held, a held contest that is not over."""
    try:
        data, people = manifest(root), manifests.people(root)
        banks = {row["course"]: root / row["file"] for row in manifests.quizzes(root)["banks"]}
    except ValueError as error:
        return [str(error)]
    users = {row["username"] for row in people["staff"]} | set(manifests.pupil_usernames(people))
    groups = {row["name"]: row for row in people["groups"]}
    found: list[str] = []
    if data["organiser"] not in users:
        found.append(f"{MANIFEST}: no user {data['organiser']!r} (organiser)")
    packages = {}
    for key, source in data["sources"].items():
        where = f"{MANIFEST} [[sources]] {key}"
        found += [f"{where}: {p}" for p in _source_problems(source, root, packages)]
    titles = {course: _gift_titles(path) for course, path in banks.items()}
    known = {"users": users, "groups": groups, "schools": set(people["schools"])}
    for row in data["contests"]:
        where = f"{MANIFEST} [[contests]] {row['slug']}"
        found += [
            f"{where}: {p}"
            for p in _contest_problems(row, known, titles, packages, data["sources"])
        ]
    listed = {row["file"] for row in data["contests"]}
    on_disk = {str(p.relative_to(root)) for p in (root / FOLDER).glob("*.md")}
    found += [
        f"{name}: no contest in {MANIFEST} has this slug" for name in sorted(on_disk - listed)
    ]
    return found


def _gift_titles(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {question.title for question in read_gift(path.read_bytes()).questions}


def _source_problems(source: dict, root: Path, packages: dict) -> list[str]:
    slug = source.get("problem", "")
    if not (root / "programming" / slug / "problem.yaml").exists():
        return [f"no problem package programming/{slug}"]
    if slug not in packages:
        packages[slug] = programming_spec(slug, root)
    spec = packages[slug]
    out = []
    if source.get("language", "python") not in spec.languages:
        out.append(f"the problem does not take {source.get('language')}")
    if source.get("verdict") == "CE":
        if not source.get("compile_output"):
            out.append("a compilation error needs the compiler's compile_output")
        return out
    for number, verdict in source.get("verdicts", {}).items():
        if not number.isdigit() or not 1 <= int(number) <= len(spec.tests):
            out.append(f"the problem has no test {number}")
        elif spec.tests[int(number) - 1].is_example:
            out.append(f"test {number} is an example: a run that fails it shows its output")
        if verdict not in TEST_VERDICTS:
            out.append(f"{verdict!r} is not a verdict of a test")
    return out


def programming_spec(slug: str, root: Path = CONTENT_DIR):
    from demo import programming

    return programming.read(slug, root).spec


def _contest_problems(row, known, titles, packages, sources) -> list[str]:
    out = []
    for field, choices in CHOICES.items():
        if row[field] not in choices:
            out.append(f"{field} {row[field]!r} is not one of {', '.join(choices)}")
    out += [f"no school {key!r}" for key in row.get("schools", []) if key not in known["schools"]]
    start, end = demo_events._clock(row["start"]), demo_events._clock(row["end"])
    if start is None or end is None:
        out.append('start and end are times of day, such as "10:00"')
    elif row["days"] == 1 and end <= start:
        out.append("the round must end after it starts")
    if row["day"] == 0 or row["days"] < 1:
        out.append("day is never 0 (held or upcoming would depend on the hour), days at least 1")
    if row.get("held") and not is_held(row):
        out.append("a held contest must be over by today")
    if not row.get("held") and (row["runs"] or row["appeals"] or row["absent"]):
        out.append("runs, appeals and absent pupils are for a held contest (held = true)")
    if row["started"] and not (is_open_now(row) and row.get("window_minutes")):
        out.append("started rounds are for a contest with windows, open now")
    categories = {c["name"] for c in row["categories"]}
    labels = {t["label"]: t for t in row["tasks"]}
    for task in row["tasks"]:
        out += _task_problems(task, titles, packages)
    for award in row["awards"]:
        if award.get("category") and award["category"] not in categories:
            out.append(f"no category {award['category']!r} (award {award['award']})")
    registered = set()
    for entry in row["registrations"]:
        out += _registration_problems(entry, row, known)
        registered |= set(entry.get("pupils", [])) | {entry.get("user")}
    for entry in row["codes"]:
        if entry["by"] not in known["users"]:
            out.append(f"no user {entry['by']!r} (codes)")
        if entry["school"] not in known["schools"]:
            out.append(f"no school {entry['school']!r} (codes)")
        if entry.get("category") and entry["category"] not in categories:
            out.append(f"no category {entry.get('category')!r} (codes)")
        registered |= set(entry["names"])
    for entry in row["runs"]:
        if entry["who"] not in registered:
            out.append(f"{entry['who']!r} has runs but is not registered")
        for label, minute, key in entry["runs"]:
            out += _run_problems(row, labels.get(label), label, minute, sources.get(key), key)
    for name in row["absent"]:
        if name not in registered or name in {entry["who"] for entry in row["runs"]}:
            out.append(f"{name!r} is absent: registered, without runs")
    for entry in row["appeals"] + row["started"]:
        person = entry.get("who") or entry.get("user")
        if person not in registered:
            out.append(f"{person!r} is not registered")
        if entry.get("task") and entry["task"] not in labels:
            out.append(f"no task {entry['task']!r} (appeal)")
        for label, how in entry.get("answers", []):
            if labels.get(label, {}).get("question") is None or how not in ("right", "wrong"):
                out.append(f"answer {label!r} {how!r}: a quiz task, right or wrong")
    return out


def _task_problems(task: dict, titles: dict, packages: dict) -> list[str]:
    where = f"task {task['label']}"
    if "problem" in task:
        if task["problem"] not in packages:
            return [f"{where}: no source of [[sources]] is for the problem {task['problem']!r}"]
        return []
    if "question" in task:
        bank, title = task["question"].get("bank"), task["question"].get("title")
        if title not in titles.get(bank, set()):
            return [f"{where}: no question {title!r} in the bank of {bank!r} (quiz.toml)"]
        return []
    if task.get("kind") != "judged" or not task.get("title"):
        return [f"{where}: a problem, a question, or kind = 'judged' with a title"]
    return [
        f"{where}: criterion {c.get('name')!r}: kind is one of {', '.join(CRITERION_KINDS)}"
        for c in task.get("criteria", [])
        if c.get("kind") not in CRITERION_KINDS
    ]


def _registration_problems(entry: dict, row: dict, known: dict) -> list[str]:
    if "user" in entry:
        if entry["user"] not in known["users"]:
            return [f"no user {entry['user']!r}"]
        if row.get("self_registration") is False:
            return [f"{entry['user']}: pupils do not register themselves for this contest"]
        return []
    group = known["groups"].get(entry["group"])
    if group is None:
        return [f"no group {entry['group']!r}"]
    out = []
    if entry["by"] != group["teacher"]:
        out.append(f"{entry['by']!r} does not teach {entry['group']!r}")
    members = {f"pupil{number}" for number in group["pupils"]}
    out += [f"{p!r} is not in {entry['group']!r}" for p in entry["pupils"] if p not in members]
    if entry.get("team") and not row.get("teams"):
        out.append(f"team {entry['team']!r}: the contest has no teams")
    if len(entry["pupils"]) > row.get("team_size", 1) and row.get("teams"):
        out.append(f"team {entry.get('team')!r} has more than {row['team_size']} members")
    return out


def _run_problems(row, task, label, minute, source, key) -> list[str]:
    if task is None:
        return [f"a run of no task {label!r}"]
    if source is None:
        return [f"no source {key!r} in [[sources]]"]
    out = []
    if source["problem"] != task.get("problem"):
        out.append(f"source {key!r} is for {source['problem']}, task {label} is not")
    start, end = demo_events._clock(row["start"]), demo_events._clock(row["end"])
    if start and end and row["days"] == 1:
        length = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if not 0 <= minute < length:
            out.append(f"a run at minute {minute}: the round lasts {length} minutes")
    return out
