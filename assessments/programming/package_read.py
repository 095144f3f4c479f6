"""A problem package (zip) -> ProblemSpec. The layout is in docs/problem-package.md. Every
problem is reported as a message (translatable); nothing here raises on what an upload holds."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import yaml
from django.utils.translation import gettext as _

from .package_scoring import TestKeys, as_number
from .package_zip import Archive, list_names, open_archive, read_members
from .spec import Comparison, LanguageLimits, ProblemSpec, Scoring, TestSpec

logger = logging.getLogger(__name__)

DEFAULT_LANGUAGES: tuple[str, ...] = ("python", "cpp")
DEFAULT_EXTENSIONS: Mapping[str, str] = {
    ".py": "python",
    ".cpp": "cpp",
    ".cc": "cpp",
    ".cxx": "cpp",
}
YAML_MAX_BYTES = 64 * 1024  # with aliases a small yaml can describe a huge structure
INPUT_SUFFIXES = ("", ".in", ".dat")
ANSWER_SUFFIXES = (".a", ".out", ".ans")
MAX_MESSAGES = 50
YAML_KEYS = {
    "title",
    "time_limit",
    "memory_limit",
    "output_limit",
    "languages",
    "comparison",
    "float_tolerance",
    "scoring",
    "examples",
    "subtasks",
    "points",
}
_TEST_NAME = re.compile(r"([0-9]{1,9})(\.[A-Za-z]+)?")
_BOM = b"\xef\xbb\xbf"


@dataclass
class PackageResult:
    spec: ProblemSpec | None = None  # None whenever there are errors
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.spec is not None


def read_package(
    data: bytes | BinaryIO,
    *,
    max_bytes: int,
    max_files: int = 2000,
    max_unpacked_bytes: int,
    languages: Collection[str] = DEFAULT_LANGUAGES,
    extensions: Mapping[str, str] = DEFAULT_EXTENSIONS,
) -> PackageResult:
    """Read a problem package; errors (and no spec) instead of exceptions for any bad input."""
    try:
        archive = open_archive(data, max_bytes=max_bytes, max_files=max_files)
        if archive.errors:
            return _result(None, archive.errors, archive.warnings)
        reader = _Reader(archive, tuple(languages), extensions)
        spec = reader.read(max_unpacked_bytes)
        return _result(spec, reader.errors, reader.warnings)
    except Exception:
        # Last resort: an upload must get a message, never a server error.
        logger.exception("Reading a problem package failed")
        return _result(None, [_("The package could not be read (internal error).")], [])


def _result(spec: ProblemSpec | None, errors: list[str], warnings: list[str]) -> PackageResult:
    def capped(messages: list[str]) -> list[str]:
        if len(messages) <= MAX_MESSAGES:
            return messages
        more = _("… and %(count)d more.") % {"count": len(messages) - MAX_MESSAGES}
        return [*messages[:MAX_MESSAGES], more]

    return PackageResult(None if errors else spec, capped(errors), capped(warnings))


class _Reader:
    def __init__(
        self, archive: Archive, languages: tuple[str, ...], extensions: Mapping[str, str]
    ) -> None:
        self.archive = archive
        self.known = languages
        self.extensions = {ext.lower(): lang for ext, lang in extensions.items()}
        self.errors = archive.errors
        self.warnings = archive.warnings
        self.files: dict[str, bytes] = {}
        self.cp1251: list[str] = []
        self.crlf: list[str] = []
        self.bom: list[str] = []

    def err(self, message: str) -> None:
        self.errors.append(message)

    # --- which member is what --------------------------------------------------------------

    def _classify(self) -> tuple[list[str], dict[int, dict[str, list[str]]], list[str]]:
        used: list[str] = []
        tests: dict[int, dict[str, list[str]]] = {}
        ignored: list[str] = []
        for name in self.archive.members:
            folder, _sep, base = name.rpartition("/")
            if name in ("problem.yaml", "statement.md", "statement.ru.md", "checker.py"):
                used.append(name)
            elif folder == "tests" and (m := _TEST_NAME.fullmatch(base)):
                suffix = (m.group(2) or "").lower()
                kind = (
                    "in" if suffix in INPUT_SUFFIXES else "ans" if suffix in ANSWER_SUFFIXES else ""
                )
                if not kind:
                    ignored.append(name)
                    continue
                tests.setdefault(int(m.group(1)), {"in": [], "ans": []})[kind].append(name)
                used.append(name)
            elif folder in ("solutions", "starter") and self._language_of(base):
                used.append(name)
            else:
                ignored.append(name)
        return used, tests, ignored

    def _language_of(self, base: str) -> str | None:
        dot = base.rfind(".")
        return self.extensions.get(base[dot:].lower()) if dot > 0 else None

    # --- text ------------------------------------------------------------------------------

    def text(self, name: str, *, is_test: bool = False) -> str | None:
        raw = self.files[name]
        if raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
            if is_test:  # elsewhere a BOM is only an editor's habit: dropped silently
                self.bom.append(name)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1251")
            except UnicodeDecodeError:
                self.err(_("“%(name)s” is not text in UTF-8 or Windows-1251.") % {"name": name})
                return None
            self.cp1251.append(name)
        if "\r\n" in text:
            text = text.replace("\r\n", "\n")
            if is_test:
                self.crlf.append(name)
        return text

    def _note_conversions(self) -> None:
        if self.cp1251:
            self.warnings.append(
                _("Read as Windows-1251 and converted to UTF-8: %(names)s.")
                % {"names": list_names(self.cp1251)}
            )
        if self.bom:
            self.warnings.append(
                _("A UTF-8 byte order mark was removed from: %(names)s.")
                % {"names": list_names(self.bom)}
            )
        if self.crlf:
            self.warnings.append(
                _("Windows line endings (\\r\\n) were changed to \\n in: %(names)s.")
                % {"names": list_names(self.crlf)}
            )

    # --- the whole package -----------------------------------------------------------------

    def read(self, max_unpacked_bytes: int) -> ProblemSpec | None:
        used, test_files, ignored = self._classify()
        if "problem.yaml" not in self.archive.members:
            self.err(_("The package has no problem.yaml."))
            return None
        if self.archive.members["problem.yaml"].file_size > YAML_MAX_BYTES:
            self.err(
                _("problem.yaml is larger than %(size)d KB.") % {"size": YAML_MAX_BYTES // 1024}
            )
            return None
        files = read_members(self.archive, used, max_unpacked_bytes=max_unpacked_bytes)
        if files is None:
            return None
        self.files = files
        if ignored:
            self.warnings.append(
                _("These files are not part of the package format and were ignored: %(names)s.")
                % {"names": list_names(sorted(ignored))}
            )
        doc = self._yaml()
        if doc is None:
            return None
        tests = self._tests(test_files)
        spec = self._spec(doc, tests)
        self._note_conversions()
        return spec if not self.errors else None

    def _yaml(self) -> dict[str, Any] | None:
        if len(self.files["problem.yaml"]) > YAML_MAX_BYTES:  # the declared size can lie
            self.err(
                _("problem.yaml is larger than %(size)d KB.") % {"size": YAML_MAX_BYTES // 1024}
            )
            return None
        source = self.text("problem.yaml")
        if source is None:
            return None
        try:
            doc = yaml.safe_load(source)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 0
            self.err(_("problem.yaml is not valid YAML (line %(line)d).") % {"line": line})
            return None
        except (RecursionError, ValueError, OverflowError):  # deep nesting, 5000-digit numbers
            self.err(_("problem.yaml is too complex to read."))
            return None
        if not isinstance(doc, dict):
            self.err(_("problem.yaml must be a mapping of keys such as “title: …”."))
            return None
        unknown = [str(k)[:40] for k in doc if k not in YAML_KEYS]
        if unknown:
            self.warnings.append(
                _("Unknown keys in problem.yaml were ignored: %(keys)s.")
                % {"keys": list_names(unknown)}
            )
        return doc

    def _tests(self, test_files: dict[int, dict[str, list[str]]]) -> list[TestSpec]:
        tests: list[TestSpec] = []
        for number in sorted(test_files):
            found = test_files[number]
            names = found["in"] + found["ans"]
            if len(found["in"]) > 1 or len(found["ans"]) > 1:
                self.err(
                    _("Test %(number)d has several files: %(names)s.")
                    % {"number": number, "names": list_names(sorted(names))}
                )
                continue
            if not found["ans"]:
                self.err(
                    _("“%(name)s” has no answer file (such as “%(name)s.a”).")
                    % {"name": found["in"][0]}
                )
                continue
            if not found["in"]:
                self.err(
                    _("“%(name)s” is an answer without an input file.") % {"name": found["ans"][0]}
                )
                continue
            stems = {n.rpartition("/")[2].split(".")[0] for n in names}
            if len(stems) > 1:
                self.err(
                    _("Test %(number)d has several files: %(names)s.")
                    % {"number": number, "names": list_names(sorted(names))}
                )
                continue
            given, answer = (
                self.text(found["in"][0], is_test=True),
                self.text(found["ans"][0], is_test=True),
            )
            if given is not None and answer is not None:
                tests.append(TestSpec(input=given, answer=answer, name=stems.pop()))
        if not tests and not self.errors:
            self.err(
                _("The package has no tests: put them in tests/ as 01 and 01.a, 02 and 02.a, …")
            )
        return tests

    # --- problem.yaml's fields -------------------------------------------------------------

    def _spec(self, doc: dict[str, Any], tests: list[TestSpec]) -> ProblemSpec | None:
        title = doc.get("title")
        if not isinstance(title, str) or not title.strip():
            self.err(_("problem.yaml needs a title, such as “title: Sum of two numbers”."))
            title = ""
        spec = ProblemSpec(title=title, tests=tests)
        spec.time_limit_s = self._number(doc, "time_limit", spec.time_limit_s)
        spec.memory_limit_mb = self._integer(doc, "memory_limit", spec.memory_limit_mb)
        spec.output_limit_kb = self._integer(doc, "output_limit", spec.output_limit_kb)
        spec.languages = self._languages(doc.get("languages", _ABSENT))
        if "checker.py" in self.files:
            spec.checker = self.text("checker.py") or ""
        default = Comparison.CHECKER if spec.checker else Comparison.TRAILING
        spec.comparison = self._choice(doc, "comparison", Comparison, default)
        if spec.comparison == Comparison.CHECKER and not spec.checker:
            self.err(_("“comparison: checker” needs a checker.py in the package."))
        elif spec.checker and spec.comparison != Comparison.CHECKER:
            self.warnings.append(_("checker.py is kept but not used: comparison is not “checker”."))
        spec.float_tolerance = self._number(doc, "float_tolerance", spec.float_tolerance, zero=True)
        default = Scoring.SUBTASKS if "subtasks" in doc else Scoring.PER_TEST
        spec.scoring = self._choice(doc, "scoring", Scoring, default)
        spec.statement = self._statement()
        spec.solutions = self._sources("solutions", spec.languages)
        for lang, code in self._sources("starter", spec.languages).items():
            spec.languages[lang].starter_code = code
        if not tests:
            return None
        keys = TestKeys(tests, self.errors, self.warnings)
        keys.examples(doc)
        if spec.scoring == Scoring.SUBTASKS:
            spec.subtasks = keys.subtasks(doc.get("subtasks"))
        elif "subtasks" in doc:
            self.warnings.append(_("“subtasks” is ignored: scoring is not “subtasks”."))
        if spec.scoring == Scoring.PER_TEST:
            keys.points(doc.get("points"))
        elif "points" in doc:
            self.warnings.append(_("“points” is ignored: scoring is not “per_test”."))
        return spec

    def _bad(self, key: str, expected: str) -> None:
        self.err(
            _("problem.yaml: “%(key)s” must be %(expected)s.") % {"key": key, "expected": expected}
        )

    def _number(
        self, doc: dict[str, Any], key: str, default: float, *, zero: bool = False, label: str = ""
    ) -> float:
        if key not in doc:
            return default
        value = as_number(doc[key])
        if value is None or value < 0 or (value == 0 and not zero):
            self._bad(label or key, _("a number of at least 0") if zero else _("a number above 0"))
            return default
        return value

    def _integer(self, doc: dict[str, Any], key: str, default: int) -> int:
        value = as_number(doc[key]) if key in doc else default
        if value is None or value <= 0 or value != int(value):
            self._bad(key, _("a whole number above 0"))
            return default
        return int(value)

    def _choice(self, doc: dict[str, Any], key: str, enum: Any, default: Any) -> Any:
        value = doc.get(key, default)
        try:
            # Only text reaches the enum: its error message is the repr of the value, and an
            # aliased YAML structure's repr is the billion laughs.
            return enum(value if isinstance(value, str) else "")
        except ValueError:
            self._bad(key, _("one of %(choices)s") % {"choices": ", ".join(e.value for e in enum)})
            return default

    def _languages(self, raw: Any) -> dict[str, LanguageLimits]:
        if raw is _ABSENT:  # not given: every language the platform knows
            return {code: LanguageLimits() for code in self.known}
        if isinstance(raw, list) and all(isinstance(code, str) for code in raw):
            raw = dict.fromkeys(raw)
        if not isinstance(raw, dict) or not raw:
            self._bad("languages", _("a mapping such as “python: {time_limit: 2}”"))
            return {}
        out: dict[str, LanguageLimits] = {}
        for code, value in raw.items():
            if not isinstance(code, str) or code not in self.known:
                self.err(
                    _("problem.yaml: unknown language “%(code)s” (known: %(known)s).")
                    % {"code": str(code)[:40], "known": ", ".join(self.known)}
                )
                continue
            limits = LanguageLimits()
            if isinstance(value, dict):
                if set(value) - {"time_limit"}:
                    self.warnings.append(
                        _("problem.yaml: only “time_limit” is read for language %(code)s.")
                        % {"code": code}
                    )
                if value.get("time_limit") is not None:
                    limits.time_limit_s = self._number(
                        value, "time_limit", 1.0, label=f"languages: {code}: time_limit"
                    )
            elif value is not None:
                self._bad(code, _("a mapping such as “{time_limit: 2}”"))
            out[code] = limits
        return out

    def _statement(self) -> str:
        names = [n for n in ("statement.md", "statement.ru.md") if n in self.files]
        if len(names) > 1:
            self.warnings.append(_("statement.ru.md is ignored: statement.md is used."))
        return (self.text(names[0]) or "") if names else ""

    def _sources(self, folder: str, languages: dict[str, LanguageLimits]) -> dict[str, str]:
        """solutions/ or starter/: one file per language, main.<ext> when there are several."""
        by_language: dict[str, list[str]] = {}
        for name in sorted(self.files):
            if name.startswith(folder + "/"):
                lang = self._language_of(name.rpartition("/")[2])
                by_language.setdefault(lang or "", []).append(name)
        out: dict[str, str] = {}
        for lang, names in by_language.items():
            if lang not in languages:
                self.warnings.append(
                    _("Ignored, the problem has no language “%(lang)s”: %(names)s.")
                    % {"lang": lang, "names": list_names(names)}
                )
                continue
            main = [n for n in names if n.rpartition("/")[2].rsplit(".", 1)[0] == "main"]
            if len(names) > 1 and len(main) != 1:
                self.err(
                    _(
                        "%(folder)s/ has several files for %(lang)s (%(names)s): "
                        "name the one to use main with its extension."
                    )
                    % {"folder": folder, "lang": lang, "names": list_names(names)}
                )
                continue
            chosen = names[0] if len(names) == 1 else main[0]
            if len(names) > 1:
                others = [n for n in names if n != chosen]
                self.warnings.append(
                    _("Only %(chosen)s is used; ignored: %(names)s.")
                    % {"chosen": chosen, "names": list_names(others)}
                )
            source = self.text(chosen)
            if source is not None:
                out[lang] = source
        return out


_ABSENT = object()
