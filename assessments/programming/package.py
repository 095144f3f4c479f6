"""Import and export of a programming problem as a zip package (olympiad archives, Polygon-like
tests/01 + tests/01.a). The layout and problem.yaml are described in docs/problem-package.md.

    result = read_package(upload, max_bytes=..., max_unpacked_bytes=...)
    if result.spec is None: show result.errors        (result.warnings either way)
    data = write_package(spec)

Split for size: package_zip (the untrusted archive), package_read (layout and problem.yaml),
package_scoring (test lists, subtasks, points), package_write."""

from .package_read import DEFAULT_EXTENSIONS, DEFAULT_LANGUAGES, PackageResult, read_package
from .package_write import write_package

__all__ = [
    "DEFAULT_EXTENSIONS",
    "DEFAULT_LANGUAGES",
    "PackageResult",
    "read_package",
    "write_package",
]
