"""A pupil's work on an assignment: drafts, files, submitting, attempts.

A draft may change; a submitted attempt never does. A new attempt starts from a copy of the
last one (text and files; the files are shared, never copied or changed). Submitting is one
conditional UPDATE (draft -> submitted), so two submits of the same attempt at once (two tabs,
a double click, a retry) consume one attempt. A file is written to storage first and its row
second; if the row fails, the file is removed, so a failed request leaves nothing behind."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assessments import thumbnails, uploads, work_cache
from assessments.deadlines import Timetable, Window, pupil_timetable
from assessments.file_types import normalise_extensions
from assessments.models import Assignment, Submission, SubmissionFile
from courses.models import Enrolment
from courses.tree import module_path_of
from lms.models import Membership, StudyGroup, User

log = logging.getLogger("assessments")


class SubmitError(Exception):
    """A reason the pupil can read; nothing was changed."""


class StaleAttempt(SubmitError):
    """The form was sent for an attempt that is no longer the draft (an old tab, or an attempt
    handed in meanwhile); nothing was changed."""


def pupil_group(pupil: User, assignment: Assignment) -> StudyGroup | None:
    """The group through which the pupil takes this assignment's lesson (one query)."""
    module_path = module_path_of(assignment.lesson.path)
    enrolment = (
        Enrolment.objects.filter(
            is_active=True,
            group__is_archived=False,
            course_id=assignment.course_id,
            group__memberships__user=pupil,
            group__memberships__role=Membership.Role.PUPIL,
        )
        .filter(Q(module__isnull=True) | Q(module__path=module_path))
        .select_related("group__school")
        .order_by("pk")
        .first()
    )
    return enrolment.group if enrolment else None


@dataclass
class PupilState:
    """Everything the assignment page needs to know about one pupil."""

    assignment: Assignment
    group: StudyGroup
    timetable: Timetable
    window: Window
    attempts: list[Submission] = field(default_factory=list)  # oldest first, drafts included

    @property
    def draft(self) -> Submission | None:
        return next((s for s in self.attempts if s.status == Submission.Status.DRAFT), None)

    @property
    def submitted(self) -> list[Submission]:
        return [s for s in self.attempts if s.status != Submission.Status.DRAFT]

    @property
    def reopened(self) -> bool:
        """The teacher returned the last attempt for rework: one more, whatever the limits."""
        return bool(self.submitted) and self.submitted[-1].status == Submission.Status.RETURNED

    @property
    def attempts_left(self) -> int | None:
        if self.assignment.max_attempts == 0:
            return None  # unlimited
        return max(self.assignment.max_attempts - len(self.submitted), 0)

    def refusal(self) -> str | None:
        """Why a new attempt cannot be started or submitted now, or None."""
        if self.assignment.is_archived:
            return _("This assignment is archived: it no longer takes work.")
        if self.reopened:
            return None
        if self.window is Window.NOT_OPEN:
            return _("This assignment opens on %(when)s.") % {
                "when": _when(self.timetable.opens_at)
            }
        if self.window is Window.CLOSED:
            return _(
                "This assignment closed on %(when)s. Ask your teacher if you need more time."
            ) % {"when": _when(self.timetable.cutoff_at)}
        if self.attempts_left == 0 and self.draft is None:
            return _("You have used all your attempts.")
        return None


def _when(moment: datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


def pupil_state(pupil: User, assignment: Assignment, now: datetime | None = None) -> PupilState:
    group = pupil_group(pupil, assignment)
    if group is None:
        raise SubmitError(_("This assignment is not part of your group's courses."))
    timetable = pupil_timetable(assignment, pupil.pk, group.pk)
    attempts = list(
        Submission.objects.filter(assignment=assignment, pupil=pupil)
        .select_related("grade")
        .prefetch_related("files", "grade__files")
        .order_by("attempt")
    )
    return PupilState(
        assignment=assignment,
        group=group,
        timetable=timetable,
        window=timetable.window(now or timezone.now()),
        attempts=attempts,
    )


def start_draft(state: PupilState, pupil: User) -> Submission:
    """The current draft, or a new attempt copied from the last one. Idempotent."""
    if state.draft is not None:
        return state.draft
    reason = state.refusal()
    if reason:
        raise SubmitError(reason)
    previous = state.submitted[-1] if state.submitted else None
    try:
        with transaction.atomic():
            draft = Submission.objects.create(
                assignment=state.assignment,
                pupil=pupil,
                group=state.group,
                attempt=(state.attempts[-1].attempt + 1) if state.attempts else 1,
                text=previous.text if previous else "",
            )
            if previous is not None:
                SubmissionFile.objects.bulk_create(
                    [
                        SubmissionFile(
                            submission=draft,
                            file=f.file.name,
                            display_name=f.display_name,
                            kind=f.kind,
                            content_type=f.content_type,
                            size=f.size,
                            thumbnail=f.thumbnail.name if f.thumbnail else "",
                        )
                        for f in previous.files.all()
                    ]
                )
    except IntegrityError:  # another tab started the same draft (or attempt) a moment ago
        existing = Submission.objects.filter(
            assignment=state.assignment, pupil=pupil, status=Submission.Status.DRAFT
        ).first()
        if existing is None:
            raise SubmitError(
                _("This attempt has just been started elsewhere. Reload the page.")
            ) from None
        return existing
    return draft


def _own_draft(draft: Submission) -> None:
    if draft.status != Submission.Status.DRAFT:
        raise SubmitError(_("This attempt has been handed in and can no longer be changed."))


def save_text(draft: Submission, text: str) -> None:
    _own_draft(draft)
    if not draft.assignment.allow_text and text.strip():
        raise SubmitError(_("This assignment takes files only."))
    if len(text) > settings.LMS_SUBMISSION_MAX_TEXT:
        raise SubmitError(
            _("The text is too long: at most %(n)d characters.")
            % {"n": settings.LMS_SUBMISSION_MAX_TEXT}
        )
    updated = Submission.objects.filter(pk=draft.pk, status=Submission.Status.DRAFT).update(
        text=text, updated_at=timezone.now()
    )
    if not updated:
        raise SubmitError(_("This attempt has been handed in and can no longer be changed."))
    work_cache.work_changed(draft.pupil_id)  # update() sends no signal
    draft.text = text


def _check_file_count(draft: Submission) -> None:
    # Counted in the database: a draft's prefetched file list does not grow within a request.
    if SubmissionFile.objects.filter(submission_id=draft.pk).count() >= (
        settings.LMS_SUBMISSION_MAX_FILES
    ):
        raise SubmitError(
            _("At most %(n)d files per attempt.") % {"n": settings.LMS_SUBMISSION_MAX_FILES}
        )


def add_file(draft: Submission, uploaded) -> SubmissionFile:
    _own_draft(draft)
    assignment = draft.assignment
    _check_file_count(draft)
    accepted, _unknown = normalise_extensions(assignment.accepted_types)
    try:
        checked = uploads.check_upload(
            uploaded, accepted=accepted, max_bytes=assignment.max_file_mb * 1024 * 1024
        )
    except uploads.UploadError as error:
        raise SubmitError(str(error)) from error
    thumbnail = None
    if checked.kind == "image":  # before saving: storage may move a temporary upload away
        uploaded.seek(0)
        thumbnail = thumbnails.make_thumbnail(uploaded)
    uploaded.seek(0)
    stored = default_storage.save(uploads.storage_name(checked.extension), uploaded)
    thumbnail_name = ""
    try:
        if thumbnail:
            thumbnail_name = default_storage.save(
                uploads.storage_name("jpg", folder="thumbnails"), ContentFile(thumbnail)
            )
        with transaction.atomic():
            # The draft may have been submitted by another tab meanwhile: then nothing is added.
            locked = Submission.objects.select_for_update().get(pk=draft.pk)
            _own_draft(locked)
            _check_file_count(locked)
            return SubmissionFile.objects.create(
                submission=locked,
                file=stored,
                display_name=checked.display_name,
                kind=checked.kind,
                content_type=checked.content_type,
                size=checked.size,
                thumbnail=thumbnail_name,
            )
    except BaseException:
        default_storage.delete(stored)
        if thumbnail_name:
            default_storage.delete(thumbnail_name)
        raise


def remove_file(draft: Submission, file_id: int) -> None:
    """Only the draft's row goes; the stored file stays if an earlier attempt uses it."""
    _own_draft(draft)
    row = SubmissionFile.objects.filter(pk=file_id, submission=draft).first()
    if row is None:
        return  # already removed (double click)
    name, thumb = row.file.name, row.thumbnail.name if row.thumbnail else ""
    row.delete()
    if not SubmissionFile.objects.filter(file=name).exists():
        default_storage.delete(name)
        if thumb:
            default_storage.delete(thumb)


@dataclass
class DraftSaved:
    """What `save_draft` did: the draft, whether its text changed, how many files were added,
    and why the others were not (one message per distinct problem, in order)."""

    draft: Submission
    text_changed: bool
    added: int
    problems: list[str]


def save_draft(
    state: PupilState, pupil: User, attempt: int, text: str | None, files: list
) -> DraftSaved:
    """The draft editor's "save": the text (None: the assignment takes files only) and the
    chosen files, into the draft of `attempt` (started now if it is the first attempt).
    Raises StaleAttempt if `attempt` is not the current draft, SubmitError if no work may be
    changed now; each file is then added on its own, so one refused file does not turn the
    others away."""
    draft = state.draft
    if (draft is None and state.attempts) or (draft is not None and draft.attempt != attempt):
        raise StaleAttempt(_("This attempt has been handed in and can no longer be changed."))
    reason = state.refusal()
    if reason:
        raise SubmitError(reason)
    if draft is None:
        draft = start_draft(state, pupil)
    text_changed = text is not None and text != draft.text
    if text_changed:
        save_text(draft, text)
    # A fresh row: the state's draft carries prefetched files, and add_file's limit counts
    # draft.files, which would read that cache and never grow while files are added.
    target = Submission.objects.select_related("assignment").get(pk=draft.pk)
    added, problems = 0, {}
    for uploaded in files:
        try:
            add_file(target, uploaded)
            added += 1
        except SubmitError as error:
            problems.setdefault(str(error), None)  # one message per distinct problem
        except OSError:
            log.exception("Could not store an uploaded file")
            name = uploads.safe_display_name(uploaded.name or "")
            problems.setdefault(
                _("“%(name)s” could not be saved. Please try again.") % {"name": name}, None
            )
    return DraftSaved(draft=draft, text_changed=text_changed, added=added, problems=list(problems))


def submit(draft: Submission, state: PupilState, now: datetime | None = None) -> Submission:
    """Hand in the draft. A second call for the same attempt changes nothing."""
    now = now or timezone.now()
    if draft.status != Submission.Status.DRAFT:
        return draft
    if state.assignment.is_archived and not state.reopened:
        raise SubmitError(state.refusal())
    window = state.timetable.window(now)
    if not state.reopened and window is Window.CLOSED:
        raise SubmitError(state.refusal() or _("This assignment is closed."))
    if window is Window.NOT_OPEN and not state.reopened:
        raise SubmitError(state.refusal() or _("This assignment is not open yet."))
    if not draft.text.strip() and not draft.files.exists():
        raise SubmitError(_("Add a file or write something before handing in."))
    late_days = state.timetable.late_days(now)
    handed_in = Submission.objects.filter(pk=draft.pk, status=Submission.Status.DRAFT).update(
        status=Submission.Status.SUBMITTED,
        submitted_at=now,
        is_late=late_days > 0,
        late_days=late_days,
        updated_at=now,
    )
    work_cache.work_changed(draft.pupil_id)  # update() sends no signal
    draft.refresh_from_db()
    if handed_in:
        log.info("submitted: %s", draft)
        from assessments import notifications

        notifications.announce(notifications.Kind.SUBMITTED, draft.pk)
    return draft
