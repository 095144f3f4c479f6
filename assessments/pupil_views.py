"""The pupil's side of an assignment: the page and the draft editor's POSTs (the files are served
by assessments.file_views).

Thin views: assessments.submissions decides what a pupil may change and hand in, lms.permissions
who may open what. Whoever may not see an assignment gets 404, never 403."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from assessments import file_types, pupil_page, submissions
from assessments.deadlines import timetable_for
from assessments.models import Assignment, Grade, Submission, SubmissionFile
from assessments.pupil_forms import AttemptForm, DraftForm
from assessments.submissions import PupilState, StaleAttempt, SubmitError
from cms.markdown import render_markdown
from courses import permissions as course_permissions
from courses.tree import module_path_of

MB = 1024 * 1024

# --- helpers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptedFiles:
    """What the page says about the files a pupil may hand in: one short line of kinds
    ("Photos, video, PDF"), and the exact extensions for whoever opens the details."""

    kinds: str  # "photos, video, PDF"
    extensions: list[str]

    @property
    def line(self) -> str:
        return capfirst(self.kinds)


@dataclass(frozen=True)
class AttemptView:
    submission: Submission
    text_html: str
    grade: Grade | None  # only a released grade; an unreleased one is never shown
    feedback_html: str = ""


def _assignment_or_404(assignment_id: int, *, quiz_ok: bool = False) -> Assignment:
    """A live lesson's assignment. A quiz is taken on its own pages (assessments.quiz): the
    draft editor's POSTs answer 404 for it, so no attempt is made without its questions."""
    assignments = Assignment.objects.select_related("lesson").filter(
        pk=assignment_id, lesson__live=True
    )
    if not quiz_ok:  # nor a code exercise: assessments.programming
        assignments = assignments.exclude(kind__in=[Assignment.Kind.QUIZ, Assignment.Kind.CODE])
    assignment = assignments.first()
    if assignment is None:
        raise Http404
    return assignment


def _pupil_state(user, assignment: Assignment) -> PupilState | None:
    try:
        return submissions.pupil_state(user, assignment)
    except SubmitError:
        return None


def _pupil_state_or_404(user, assignment: Assignment) -> PupilState:
    state = _pupil_state(user, assignment)
    if state is None:
        raise Http404
    return state


def staff_may_preview(user, assignment: Assignment) -> bool:
    module_path = module_path_of(assignment.lesson.path)
    module_id = Page.objects.filter(path=module_path).values_list("pk", flat=True).first()
    return module_id is not None and course_permissions.can_view_lesson(
        user, assignment.course_id, module_id
    )


def _page_url(assignment: Assignment, anchor: str = "") -> str:
    url = reverse("assessments:assignment", args=[assignment.pk])
    return f"{url}#{anchor}" if anchor else url


def _allowed_extensions(assignment: Assignment) -> set[str]:
    accepted, _unknown = file_types.normalise_extensions(assignment.accepted_types)
    return set(accepted) if accepted else set(file_types.TYPES)  # empty: every kind we know


def _accepted_files(allowed: set[str]) -> AcceptedFiles:
    kinds = ", ".join(str(name) for name in file_types.plain_kinds(allowed))
    extensions = [ext for kind in file_types.KINDS.values() for ext in kind.types if ext in allowed]
    return AcceptedFiles(kinds=kinds, extensions=extensions)


def _attempt_view(submission: Submission) -> AttemptView:
    grade = pupil_page.released_grade(submission)
    return AttemptView(
        submission=submission,
        text_html=render_markdown(submission.text),
        grade=grade,
        feedback_html=render_markdown(grade.feedback) if grade else "",
    )


def _next_attempt(state: PupilState) -> int:
    if state.draft is not None:
        return state.draft.attempt
    return state.attempts[-1].attempt + 1 if state.attempts else 1


def _posted_attempt(request: HttpRequest) -> int | None:
    form = AttemptForm(request.POST)
    return form.cleaned_data["attempt"] if form.is_valid() else None


def _stale_attempt(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    messages.info(
        request,
        _(
            "This attempt has been handed in and can no longer be changed. "
            "To change your work, start a new attempt."
        ),
    )
    return redirect(_page_url(assignment))


def _body_limit(assignment: Assignment) -> int:
    return (assignment.max_file_mb * settings.LMS_SUBMISSION_MAX_FILES + 1) * MB


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


# --- the page -----------------------------------------------------------------------------------


@login_required
@require_GET
def assignment_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _assignment_or_404(assignment_id, quiz_ok=True)
    if assignment.kind == Assignment.Kind.QUIZ:  # the quiz has its own pages
        return redirect("quiz:quiz", assignment.pk)
    if assignment.kind == Assignment.Kind.CODE:  # so has a code exercise
        return redirect("programming:exercise", assignment.pk)
    state = _pupil_state(request.user, assignment)
    if state is None and not staff_may_preview(request.user, assignment):
        raise Http404

    allowed = _allowed_extensions(assignment)
    accept = ",".join(f".{ext}" for ext in sorted(allowed))
    accepted = _accepted_files(allowed)
    context = {
        "assignment": assignment,
        "lesson": assignment.lesson,
        "instructions_html": render_markdown(assignment.instructions),
        "accepted": accepted,
        "max_file_size": filesizeformat(assignment.max_file_mb * MB),
        "max_files": settings.LMS_SUBMISSION_MAX_FILES,
        "preview": state is None,
    }
    if state is None:  # staff: the assignment's own dates; groups may have their own
        timetable = timetable_for(assignment)
        context.update(timetable=timetable, window=timetable.window(timezone.now()))
        return render(request, "assessments/pupil/assignment.html", context)

    draft = state.draft
    refusal = state.refusal()
    editable = refusal is None
    top = pupil_page.page_top(state)
    context.update(
        state=state,
        top=top,
        result_feedback_html=render_markdown(top.result.feedback) if top.result else "",
        timetable=state.timetable,
        window=state.window,
        refusal=refusal,
        used_attempts=len(state.submitted),
        handed_in=[_attempt_view(s) for s in reversed(state.submitted)],
        draft=draft,
        draft_view=_attempt_view(draft) if draft is not None else None,
        next_attempt=_next_attempt(state),
        show_editor=editable and (draft is not None or not state.attempts),
    )
    if context["show_editor"]:
        context["form"] = DraftForm(
            assignment=assignment,
            accept=accept,
            files_help=accepted.kinds,
            initial={"attempt": context["next_attempt"], "text": draft.text if draft else ""},
        )
    return render(request, "assessments/pupil/assignment.html", context)


# --- POSTs: start, save, remove, hand in -------------------------------------------------------


@login_required
@require_POST
def start_attempt(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _assignment_or_404(assignment_id)
    state = _pupil_state_or_404(request.user, assignment)
    if state.draft is not None:
        messages.info(request, _("You are already working on this attempt."))
        return redirect(_page_url(assignment, "work"))
    try:
        draft = submissions.start_draft(state, request.user)
    except SubmitError as error:
        messages.error(request, str(error))
        return redirect(_page_url(assignment))
    if state.submitted:
        messages.success(
            request,
            _(
                "Attempt %(n)d started. Your text and files from the last attempt are copied: "
                "change what you need and hand it in again."
            )
            % {"n": draft.attempt},
        )
    else:
        messages.success(request, _("Attempt started."))
    return redirect(_page_url(assignment, "work"))


@csrf_exempt  # checked in _save_draft: the CSRF check parses the body, so it comes after the size
@login_required
@require_POST
def save_draft(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Save the text and add the chosen files. A request larger than all the files an attempt may
    hold is refused before Django reads its body (from CONTENT_LENGTH alone)."""
    assignment = _assignment_or_404(assignment_id)
    state = _pupil_state_or_404(request.user, assignment)
    if _content_length(request) > _body_limit(assignment):
        messages.error(
            request,
            _(
                "The files you chose are too big to send at once. Each file may be at most "
                "%(each)s; send big files one by one. Nothing was saved."
            )
            % {"each": filesizeformat(assignment.max_file_mb * MB)},
        )
        return redirect(_page_url(assignment, "work"))
    try:
        return _save_draft(request, state)
    except TooManyFilesSent:  # more than DATA_UPLOAD_MAX_NUMBER_FILES in one request
        messages.error(
            request,
            _("Too many files at once: at most %(n)d per attempt. Nothing was saved.")
            % {"n": settings.LMS_SUBMISSION_MAX_FILES},
        )
        return redirect(_page_url(assignment, "work"))


@csrf_protect
def _save_draft(request: HttpRequest, state: PupilState) -> HttpResponse:
    assignment = state.assignment
    back = redirect(_page_url(assignment, "work"))
    form = DraftForm(request.POST, request.FILES, assignment=assignment)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back

    text = form.cleaned_data["text"] if "text" in form.fields else None
    try:
        saved = submissions.save_draft(
            state, request.user, form.cleaned_data["attempt"], text, form.cleaned_data["files"]
        )
    except StaleAttempt:
        return _stale_attempt(request, assignment)
    except SubmitError as error:
        messages.error(request, str(error))
        return back
    for problem in saved.problems:
        messages.error(request, problem)
    if saved.added:
        messages.success(
            request,
            ngettext("%(n)d file added.", "%(n)d files added.", saved.added) % {"n": saved.added},
        )
    if saved.text_changed or not (saved.added or saved.problems):
        messages.success(request, _("Draft saved. Hand it in when you are ready."))
    return back


@login_required
@require_POST
def remove_file(request: HttpRequest, assignment_id: int, file_id: int) -> HttpResponse:
    assignment = _assignment_or_404(assignment_id)
    state = _pupil_state_or_404(request.user, assignment)
    if SubmissionFile.objects.filter(pk=file_id).exclude(submission__pupil=request.user).exists():
        raise Http404  # somebody else's file
    draft = state.draft
    if draft is None:
        return _stale_attempt(request, assignment)
    reason = state.refusal()
    if reason:
        messages.error(request, reason)
        return redirect(_page_url(assignment))
    row = next((f for f in draft.files.all() if f.pk == file_id), None)
    try:
        submissions.remove_file(draft, file_id)
    except SubmitError as error:
        messages.error(request, str(error))
        return redirect(_page_url(assignment))
    if row is not None:
        messages.success(request, _("“%(name)s” removed.") % {"name": row.display_name})
    return redirect(_page_url(assignment, "work"))


@login_required
@require_POST
def submit(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Hand in the draft. A repeat (double click, a second tab, a retry) changes nothing."""
    assignment = _assignment_or_404(assignment_id)
    state = _pupil_state_or_404(request.user, assignment)
    attempt = _posted_attempt(request)
    draft = state.draft
    repeat = any(s.attempt == attempt for s in state.submitted)
    if repeat or draft is None or (attempt is not None and attempt != draft.attempt):
        if repeat or state.submitted:
            messages.info(request, _("This attempt has already been handed in."))
        else:
            messages.error(request, _("Add a file or write something before handing in."))
        return redirect(_page_url(assignment))
    # The service's submit() checks the window but not the archive flag; refusal() has both.
    reason = state.refusal()
    if reason:
        messages.error(request, reason)
        return redirect(_page_url(assignment))
    try:
        handed_in = submissions.submit(draft, state)
    except SubmitError as error:
        messages.error(request, str(error))
        return redirect(_page_url(assignment, "work"))
    if handed_in.is_late:
        messages.warning(
            request,
            _("Handed in, but late. Your teacher will see it and grade it soon."),
        )
    else:
        messages.success(request, _("Handed in! Your teacher will see it and grade it soon."))
    return redirect(_page_url(assignment))
