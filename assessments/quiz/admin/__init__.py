"""The question bank and the quiz builder in the Wagtail admin (mounted at /admin/quiz/ by
assessments/quiz/wagtail_hooks.py). Views parse and render; the writes are in bank_services.py
and slots.py, the rules of who may do what in assessments/quiz/permissions.py."""
