from contests.models.contests import AwardRule, Category, Contest, Criterion, Task
from contests.models.participants import JudgeAssignment, Member, Participant
from contests.models.results import Appeal, Award, Run, ScoreChange, Sheet

__all__ = [
    "Appeal",
    "Award",
    "AwardRule",
    "Category",
    "Contest",
    "Criterion",
    "JudgeAssignment",
    "Member",
    "Participant",
    "Run",
    "ScoreChange",
    "Sheet",
    "Task",
]
