"""contests.setup's rules, called directly: the schedule, rules that fit the kind, what may
change once a round has started, categories, award rules in plain words, the jury, the judges
and the freeze."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from contests import board_freeze, setup, setup_people
from contests.models import AwardRule, Category, Contest, JudgeAssignment
from tests.contests.builders import add_participant, add_run, add_task, make_contest

START = datetime(2026, 11, 10, 7, 0, tzinfo=UTC)


def contest(**fields) -> Contest:
    values = {
        "slug": "olymp",
        "title": "Олимпиада",
        "kind": Contest.Kind.PROGRAMMING,
        "rules": Contest.Rules.ICPC,
        "starts_at": START,
        "ends_at": START + timedelta(hours=3),
    }
    values.update(fields)
    return Contest(**values)


def errors(candidate: Contest, **kwargs) -> dict[str, list[str]]:
    return setup.check_contest(candidate, **kwargs).errors


# --- The schedule ---------------------------------------------------------------------------


def test_a_sound_contest_passes():
    verdict = setup.check_contest(contest())
    assert verdict.ok and not verdict.warnings


def test_the_round_ends_after_it_starts():
    assert "ends_at" in errors(contest(ends_at=START))
    assert "ends_at" in errors(contest(ends_at=START - timedelta(minutes=1)))


def test_registration_closes_before_the_end_and_after_it_opens():
    late = contest(registration_closes_at=START + timedelta(hours=4))
    assert "registration_closes_at" in errors(late)
    backwards = contest(
        registration_opens_at=START - timedelta(days=1),
        registration_closes_at=START - timedelta(days=2),
    )
    assert "registration_closes_at" in errors(backwards)
    assert "registration_opens_at" in errors(
        contest(registration_opens_at=START + timedelta(hours=3))
    )
    fine = contest(
        registration_opens_at=START - timedelta(days=7),
        registration_closes_at=START + timedelta(hours=1),  # during the round: allowed
    )
    assert setup.check_contest(fine).ok


def test_the_individual_window_is_shorter_than_the_period():
    assert "window_minutes" in errors(contest(window_minutes=180))
    assert "window_minutes" in errors(contest(window_minutes=600))
    assert setup.check_contest(contest(window_minutes=179)).ok


def test_the_freeze_is_shorter_than_the_round():
    assert "freeze_minutes" in errors(contest(freeze_minutes=180))
    assert setup.check_contest(contest(freeze_minutes=60)).ok


def test_appeals_close_after_the_end():
    assert "appeals_until" in errors(contest(appeals_until=START + timedelta(hours=3)))
    assert setup.check_contest(contest(appeals_until=START + timedelta(days=2))).ok


# --- Rules, audience, teams -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "rules", "ok"),
    [
        ("programming", "icpc", True),
        ("programming", "ioi", True),
        ("programming", "judged", False),
        ("quiz", "ioi", True),
        ("quiz", "icpc", False),
        ("quiz", "judged", False),
        ("robotics", "judged", True),
        ("robotics", "ioi", False),
        ("project", "judged", True),
        ("project", "icpc", False),
    ],
)
def test_the_rules_fit_the_kind(kind, rules, ok):
    found = errors(contest(kind=kind, rules=rules))
    assert ("rules" not in found) is ok


def test_the_refusal_says_what_fits(english):
    message = errors(contest(kind="quiz", rules="icpc"))["rules"][0]
    assert "IOI" in message
    message = errors(contest(kind="robotics", rules="icpc"))["rules"][0]
    assert "judges" in message


def test_chosen_schools_need_a_school():
    assert "schools" in errors(contest(audience=Contest.Audience.SCHOOLS))
    assert setup.check_contest(contest(audience="schools"), schools_chosen=2).ok


def test_a_team_has_at_least_two_places():
    assert "team_size" in errors(contest(teams=True, team_size=1))
    assert setup.check_contest(contest(teams=True, team_size=3)).ok
    single = contest(teams=False, team_size=4)
    setup.normalise(single)
    assert single.team_size == 1


def test_reserved_slugs_are_refused():
    assert "slug" in errors(contest(slug="new"))
    assert "slug" in errors(contest(slug="Manage"))


def test_tasks_of_another_kind_block_the_rules():
    facts = setup.Facts(task_kinds=frozenset({"quiz"}))
    assert "rules" in errors(contest(rules="icpc"), facts=facts)
    assert "rules" not in errors(contest(rules="ioi"), facts=facts)


# --- Changes once the round has started -----------------------------------------------------


def during(hours: float = 1) -> datetime:
    return START + timedelta(hours=hours)


def test_rules_change_only_before_the_start_and_runs():
    before = contest()
    after = contest(rules="ioi")
    assert setup.check_contest(after, before=before, now=START - timedelta(days=1)).ok
    assert "rules" in errors(after, before=before, now=during())
    # An imported archive has runs before anyone "started": the rules are fixed too.
    assert "rules" in errors(
        after, before=before, facts=setup.Facts(runs=3), now=START - timedelta(days=1)
    )


def test_the_start_cannot_move_once_runs_are_counted():
    before = contest()
    moved = contest(starts_at=START + timedelta(minutes=30))
    assert "starts_at" in errors(moved, before=before, facts=setup.Facts(runs=1), now=during())
    # Nobody has made a run yet: an organiser may still fix a wrong start.
    assert setup.check_contest(moved, before=before, now=during(0.25)).ok


def test_the_window_cannot_switch_kinds_after_starts():
    before = contest()
    individual = contest(window_minutes=60)
    facts = setup.Facts(runs=2)
    assert "window_minutes" in errors(individual, before=before, facts=facts, now=during())
    assert setup.check_contest(individual, before=before, now=START - timedelta(hours=1)).ok


def test_a_window_length_change_warns_the_started():
    before = contest(window_minutes=60)
    longer = contest(window_minutes=90)
    verdict = setup.check_contest(longer, before=before, facts=setup.Facts(started=4), now=during())
    assert verdict.ok and len(verdict.warnings) == 1


def test_the_end_cannot_cut_runs_already_made():
    before = contest()
    earlier = contest(ends_at=START + timedelta(hours=1))
    facts = setup.Facts(runs=5, last_run_at=START + timedelta(hours=2))
    assert "ends_at" in errors(earlier, before=before, facts=facts, now=during(2.5))
    later = contest(ends_at=START + timedelta(hours=4))
    verdict = setup.check_contest(later, before=before, facts=facts, now=during(2.5))
    assert verdict.ok and verdict.warnings  # the round is running: everyone's end moves


def test_a_later_end_after_the_end_reopens_the_round_with_a_warning(english):
    before = contest()
    later = contest(ends_at=START + timedelta(hours=6))
    verdict = setup.check_contest(later, before=before, now=during(4))
    assert verdict.ok
    assert any("opens it again" in w for w in verdict.warnings)


def test_scoring_settings_warn_once_runs_count():
    before = contest()
    changed = contest(compile_error_counts=True)
    assert not setup.check_contest(changed, before=before, now=during()).warnings
    verdict = setup.check_contest(changed, before=before, facts=setup.Facts(runs=1), now=during())
    assert verdict.ok and verdict.warnings


def test_the_freeze_change_during_the_freeze_warns():
    before = contest(freeze_minutes=60)
    shorter = contest(freeze_minutes=30)
    assert not setup.check_contest(shorter, before=before, now=during(1)).warnings
    assert setup.check_contest(shorter, before=before, now=during(2.5)).warnings


def test_teams_smaller_than_a_team_are_refused():
    before = contest(teams=True, team_size=4)
    facts = setup.Facts(participants=2, largest_team=3)
    assert "team_size" in errors(contest(teams=True, team_size=2), before=before, facts=facts)
    assert "team_size" in errors(contest(teams=False), before=before, facts=facts)
    assert setup.check_contest(contest(teams=True, team_size=3), before=before, facts=facts).ok


def test_unpublishing_with_participants_and_moving_a_published_address_warn():
    before = contest(is_published=True)
    facts = setup.Facts(participants=3, task_kinds=frozenset({"programming"}))
    assert setup.check_contest(contest(is_published=False), before=before, facts=facts).warnings
    assert setup.check_contest(
        contest(is_published=True, slug="olymp-2026"), before=before, facts=facts
    ).warnings


@pytest.mark.django_db
def test_facts_of_a_stored_contest():
    stored = make_contest("facts", tasks=2, teams=True, team_size=3)
    task = stored.tasks.first()
    one = add_participant(stored, "Команда 1")
    add_participant(stored, "Команда 2", started_at=timezone.now())
    add_run(one, task, minute=5)
    last = add_run(one, task, minute=20)
    add_run(one, task, minute=200, is_practice=True)
    facts = setup.facts_of(stored)
    assert facts.runs == 2 and facts.last_run_at == last.submitted_at
    assert facts.participants == 2 and facts.started == 1
    assert facts.task_kinds == {"judged"}


# --- Categories -----------------------------------------------------------------------------


def test_class_ranges():
    assert setup.check_class_range(5, 4)
    assert setup.check_class_range(5, 5) is None
    assert setup.check_class_range(None, 4) is None


def test_overlapping_categories_are_named():
    ranges = [("5–6", 5, 6), ("7–8", 7, 8), ("8–11", 8, 11), ("все", None, None)]
    pairs = setup.overlapping(ranges)
    assert ("7–8", "8–11") in pairs
    assert ("5–6", "7–8") not in pairs
    assert ("5–6", "все") in pairs  # an empty bound is open
    assert setup.overlapping([("5–6", 5, 6), ("7–8", 7, 8)]) == []
    assert setup.overlap_warning([]) is None
    assert "7–8" in setup.overlap_warning(pairs)


def test_a_category_with_participants_cannot_go(english):
    category = Category(name="5–6 классы")
    assert setup.why_not_delete_category(category, 0) is None
    message = setup.why_not_delete_category(category, 3)
    assert "5–6 классы" in message and "3 participants" in message


# --- Award rules ----------------------------------------------------------------------------


def test_an_award_rule_needs_a_condition():
    assert "" in setup.check_award_rule(AwardRule(award="Победитель"))
    assert setup.check_award_rule(AwardRule(award="Победитель", max_place=3)) == {}
    over = AwardRule(award="Призёр", min_score=Decimal(120), min_score_is_percent=True)
    assert "min_score" in setup.check_award_rule(over)
    assert setup.check_award_rule(AwardRule(award="Призёр", min_score=Decimal(120))) == {}
    share = AwardRule(award="Призёр", max_share_percent=Decimal(0))
    assert "max_share_percent" in setup.check_award_rule(share)


def test_an_award_rule_in_plain_russian_words():
    with translation.override("ru"):
        if translation.gettext("places 1–%(n)d") == "places 1–%(n)d":
            pytest.skip("the Russian catalogue has not got the award rules' words yet")
    rule = AwardRule(
        award="Победитель", max_place=3, min_score=Decimal(50), min_score_is_percent=True
    )
    with translation.override("ru"):
        text = setup.describe_rule(rule, "5–6 классы")
    assert text.startswith("Победитель: места 1–3, не менее 50 % баллов")
    assert "5–6 классы" in text


def test_an_award_rule_in_english_words(english):
    rule = AwardRule(award="Prize-winner", min_score=Decimal("40.5"), max_share_percent=Decimal(25))
    text = setup.describe_rule(rule)
    assert text == (
        "Prize-winner: at least 40.5 points, within the best 25 % of participants (every category)"
    )
    assert setup.describe_rule(AwardRule(award="Winner", max_place=1)).startswith("Winner: place 1")


def test_a_rule_shadowed_by_an_earlier_one_warns():
    first = AwardRule(award="Победитель", max_place=1)
    same = AwardRule(award="Абсолютный победитель", max_place=1)
    other = AwardRule(award="Призёр", max_place=3)
    assert setup.check_award_order([first, other]) == []
    assert len(setup.check_award_order([first, same, other])) == 1


# --- Jury, judges, freeze -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_jury_is_staff_only(region):
    two = region["two"]
    stored = make_contest("jury")
    assert setup_people.add_jury(stored, two.visiting.teacher_a.username) == two.visiting.teacher_a
    setup_people.add_jury(stored, two.visiting.teacher_a.username.upper())  # twice: one row
    assert list(stored.jury.all()) == [two.visiting.teacher_a]
    with pytest.raises(setup.SetupError):
        setup_people.add_jury(stored, two.host.pupils_a[0].username)
    with pytest.raises(setup.SetupError):
        setup_people.add_jury(stored, "nobody-at-all")


@pytest.mark.django_db
def test_judges_of_a_category_and_task(region):
    two = region["two"]
    stored = make_contest("judges", rules="judged", kind="robotics", categories=["Младшие"])
    other = make_contest("other", rules="judged", kind="robotics", categories=["Младшие"])
    task = add_task(stored, "A")
    category = stored.categories.get()
    judge, made = setup_people.add_judge(stored, two.host.teacher_a.username, category, task)
    assert made
    again, made_again = setup_people.add_judge(stored, two.host.teacher_a.username, category, task)
    assert again == judge and not made_again
    _all, made = setup_people.add_judge(stored, two.host.teacher_a.username, None, None)
    assert made and JudgeAssignment.objects.filter(contest=stored).count() == 2
    with pytest.raises(setup.SetupError):
        setup_people.add_judge(stored, two.host.teacher_a.username, other.categories.get(), None)
    with pytest.raises(setup.SetupError):
        setup_people.add_judge(stored, two.host.pupils_a[0].username, None, None)


@pytest.mark.django_db
def test_staff_search_finds_staff_by_login_or_name(region):
    two = region["two"]
    found = setup_people.find_staff("teacher1")
    assert two.host.teacher_a in found and two.visiting.teacher_a in found
    assert not any(user.username.startswith(("a_pupil", "v_pupil")) for user in found)
    assert setup_people.find_staff("pupil") == []
    assert setup_people.find_staff("a") == []  # too short to search
    assert two.methodologist in setup_people.find_staff("methodist")


@pytest.mark.django_db
def test_unfreeze_and_refreeze_bump_the_standings_version(django_capture_on_commit_callbacks):
    stored = make_contest("freeze", freeze_minutes=30)
    now = stored.ends_at - timedelta(minutes=10)
    assert board_freeze.may_unfreeze(stored) and not board_freeze.may_refreeze(stored, now)

    def version() -> int:
        return Contest.objects.get(pk=stored.pk).standings_version

    with django_capture_on_commit_callbacks(execute=True):
        assert board_freeze.unfreeze(stored, now)
    assert stored.unfrozen_at == now and version() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert not board_freeze.unfreeze(stored, now)  # a double click changes nothing
    assert version() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert board_freeze.refreeze(stored, now)
    assert stored.unfrozen_at is None and version() == 2
    board_freeze.unfreeze(stored, now)
    assert not board_freeze.refreeze(stored, stored.ends_at + timedelta(minutes=1))  # after the end
    never = make_contest("never-frozen")
    assert not board_freeze.unfreeze(never, now)
