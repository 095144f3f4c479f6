"""Assignments, attempts, grades and rubrics."""

from assessments.models.assignments import Assignment, Extension, GroupDeadline
from assessments.models.grade_files import GradeFile
from assessments.models.notifications import Notification
from assessments.models.rubrics import Rubric
from assessments.models.submissions import Grade, GradeChange, Submission, SubmissionFile

__all__ = [
    "Assignment",
    "Extension",
    "Grade",
    "GradeChange",
    "GradeFile",
    "GroupDeadline",
    "Notification",
    "Rubric",
    "Submission",
    "SubmissionFile",
]
