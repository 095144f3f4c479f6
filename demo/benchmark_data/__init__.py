"""A benchmark region for `manage.py load_benchmark_data`: schools, staff, groups, pupils and a
term of their work, written in bulk as the app itself writes those rows (region.py)."""
