"""The programming problems' admin under /admin/programming/ (namespace "programming_admin")."""
