"""The question bank (categories, questions, versions), quizzes (settings, slots) and attempts."""

from assessments.quiz.models.attempts import AttemptQuestion, MarkChange, QuizAttempt, Regrade
from assessments.quiz.models.bank import Question, QuestionCategory, QuestionVersion, TaggedQuestion
from assessments.quiz.models.quizzes import Quiz, QuizSlot

__all__ = [
    "AttemptQuestion",
    "MarkChange",
    "Question",
    "QuestionCategory",
    "QuestionVersion",
    "Quiz",
    "QuizAttempt",
    "QuizSlot",
    "Regrade",
    "TaggedQuestion",
]
