from assessments.programming.models.exercises import CodeDraft, CodeExercise, CodeRun
from assessments.programming.models.judging import CodeSubmission, JudgedTest
from assessments.programming.models.languages import ProgrammingLanguage
from assessments.programming.models.problems import Problem, ProblemLanguage, ProblemTest, Subtask

__all__ = [
    "CodeDraft",
    "CodeExercise",
    "CodeRun",
    "CodeSubmission",
    "Problem",
    "ProblemLanguage",
    "ProgrammingLanguage",
    "Subtask",
    "ProblemTest",
    "JudgedTest",
]
