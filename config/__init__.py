"""The Django project: settings (base, dev, test, production), urls, wsgi, asgi. No models, no
rules: the apps (lms, cms, courses, assessments, teaching, schools, demo) hold those."""
