"""The role names: Django auth groups created by a data migration. One place for the spelling."""

PUPIL = "Pupil"
TEACHER = "Teacher"
METHODOLOGIST = "Methodologist"
SCHOOL_ADMIN = "School admin"

ALL_ROLES = (PUPIL, TEACHER, METHODOLOGIST, SCHOOL_ADMIN)
