"""Problem packages (zip): the round trip, the layout's variants and hostile archives. Pure
functions, no database. Messages are read in English; tests assert on names and counts."""

from __future__ import annotations

import io
import stat
import struct
import time
import warnings
import zipfile

import pytest
from django.utils.translation import override

from assessments.programming import package_zip
from assessments.programming.package import PackageResult, read_package, write_package
from assessments.programming.spec import (
    Comparison,
    LanguageLimits,
    ProblemSpec,
    Scoring,
    SubtaskSpec,
)
from assessments.programming.spec import (
    TestSpec as TSpec,  # not collected as a test class
)

MB = 1024 * 1024
SIMPLE_YAML = "title: Сумма двух чисел\n"


def make_zip(files: dict[str, bytes | str], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, content in files.items():
            zf.writestr(name, content.encode() if isinstance(content, str) else content)
    return out.getvalue()


def simple_files(**extra: bytes | str) -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {
        "problem.yaml": SIMPLE_YAML,
        "statement.md": "Даны $a$ и $b$.",
        "tests/01": "1 2\n",
        "tests/01.a": "3\n",
        "tests/02": "5 5\n",
        "tests/02.a": "10\n",
    }
    files.update(extra)
    return files


def read(data: bytes | io.BytesIO, **limits: object) -> PackageResult:
    kwargs: dict = {"max_bytes": 10 * MB, "max_unpacked_bytes": 50 * MB, **limits}
    with override("en"):
        return read_package(data, **kwargs)


def refused(result: PackageResult, *needles: str) -> str:
    assert result.spec is None
    assert result.errors
    text = "\n".join(result.errors)
    for needle in needles:
        assert needle in text
    return text


def warned(result: PackageResult, *needles: str) -> None:
    text = "\n".join(result.warnings)
    for needle in needles:
        assert needle in text, result.warnings


def patch_entry(
    data: bytes,
    name: str,
    *,
    flag: int | None = None,
    size: int | None = None,
    method: int | None = None,
) -> bytes:
    """Rewrite one entry's general-purpose flag, declared uncompressed size or method, in both
    its local header and its central directory record (what a hostile archiver can do)."""
    buf = bytearray(data)
    encoded = name.encode()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        local = zf.getinfo(name).header_offset
    central = next(
        i
        for i in range(len(buf))
        if buf[i : i + 4] == b"PK\x01\x02" and buf[i + 46 : i + 46 + len(encoded)] == encoded
    )
    for at, flag_at, method_at, size_at in ((local, 6, 8, 22), (central, 8, 10, 24)):
        if flag is not None:
            struct.pack_into("<H", buf, at + flag_at, flag)
        if method is not None:
            struct.pack_into("<H", buf, at + method_at, method)
        if size is not None:
            struct.pack_into("<I", buf, at + size_at, size)
    return bytes(buf)


# --- the round trip -------------------------------------------------------------------------


def full_spec() -> ProblemSpec:
    return ProblemSpec(
        title="Сумма двух чисел",
        statement="# Сумма\n\nДаны $a$ и $b$, $|a|, |b| \\le 10^9$. Выведите $a+b$.\n",
        time_limit_s=1.5,
        memory_limit_mb=128,
        output_limit_kb=64,
        languages={
            "python": LanguageLimits(
                time_limit_s=3.0, starter_code="a, b = map(int, input().split())\n"
            ),
            "cpp": LanguageLimits(starter_code="#include <iostream>\nint main() {}\n"),
        },
        comparison=Comparison.CHECKER,
        checker="import sys\n# проверка ответа\nprint('ok')\n",
        scoring=Scoring.SUBTASKS,
        subtasks=[SubtaskSpec(points=30, title="a, b ≤ 100"), SubtaskSpec(points=70.5)],
        tests=[
            TSpec("1 2\n", "3\n", "01", is_example=True, subtask=0),
            TSpec("-5 5\n", "0\n", "02", is_example=True, subtask=0),
            TSpec("100 100\n", "200\n", "03", subtask=0),
            TSpec("1000000000 1\n", "1000000001\n", "05", subtask=1),
            TSpec("Привет: not a number\n", "ошибка\n", "12", subtask=1),
        ],
        solutions={
            "python": "print(sum(map(int, input().split())))\n",
            "cpp": "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; }\n",
        },
    )


def test_round_trip_with_subtasks_checker_languages_and_starters():
    spec = full_spec()
    result = read(write_package(spec))
    assert result.errors == []
    assert result.spec == spec


def test_round_trip_with_per_test_points_and_float_comparison():
    spec = ProblemSpec(
        title="Площадь «круга»: π·r²",
        statement="Выведите $\\pi r^2$.",
        languages={"python": LanguageLimits()},
        comparison=Comparison.FLOAT,
        float_tolerance=1e-4,
        scoring=Scoring.PER_TEST,
        tests=[
            TSpec("1\n", "3.14159\n", "1", is_example=True, points=10),
            TSpec("2\n", "12.566\n", "2", points=33.33),
            TSpec("10\n", "314.159\n", "10", points=56.67),
        ],
        solutions={"python": "import math\nprint(math.pi * int(input()) ** 2)\n"},
    )
    result = read(write_package(spec))
    assert result.errors == [] and result.warnings == []
    assert result.spec == spec


def test_round_trip_all_or_nothing_without_examples():
    spec = ProblemSpec(
        title="Все или ничего",
        scoring=Scoring.ALL_OR_NOTHING,
        languages={"cpp": LanguageLimits()},
        tests=[TSpec("1\n", "1\n", "01"), TSpec("2\n", "2\n", "02")],
    )
    assert read(write_package(spec)).spec == spec


def test_written_package_has_the_documented_layout_and_is_deterministic():
    data = write_package(full_spec())
    assert data == write_package(full_spec())
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert set(names) == {
        "problem.yaml", "statement.md", "checker.py",
        "tests/01", "tests/01.a", "tests/02", "tests/02.a", "tests/03", "tests/03.a",
        "tests/05", "tests/05.a", "tests/12", "tests/12.a",
        "solutions/main.py", "solutions/main.cpp", "starter/main.py", "starter/main.cpp",
    }  # fmt: skip
    text = zipfile.ZipFile(io.BytesIO(data)).read("problem.yaml").decode()
    assert "Сумма двух чисел" in text  # readable, not \u escapes
    assert "tests: 1-3" in text and "5,12" in text


def test_tests_without_numeric_names_are_renumbered_on_export():
    spec = ProblemSpec(title="T", tests=[TSpec("a", "b", "sample"), TSpec("c", "d", "")])
    back = read(write_package(spec)).spec
    assert back is not None
    assert [t.name for t in back.tests] == ["01", "02"]
    assert [t.input for t in back.tests] == ["a", "c"]


def test_export_refuses_a_language_without_an_extension():
    spec = ProblemSpec(title="T", tests=[TSpec("1", "1", "1")], solutions={"java": "class A {}"})
    with pytest.raises(ValueError, match="java"):
        write_package(spec)


# --- the layout's variants ------------------------------------------------------------------


def test_minimal_package_takes_the_defaults():
    files = simple_files()
    files.update({"tests/03": "0 0\n", "tests/03.a": "0\n"})
    result = read(make_zip(files))
    spec = result.spec
    assert spec is not None, result.errors
    assert spec.title == "Сумма двух чисел"
    assert spec.statement == "Даны $a$ и $b$."
    assert set(spec.languages) == {"python", "cpp"}
    assert (spec.time_limit_s, spec.memory_limit_mb, spec.output_limit_kb) == (1.0, 256, 1024)
    assert spec.comparison == Comparison.TRAILING and spec.scoring == Scoring.PER_TEST
    assert [t.points for t in spec.tests] == [33.33, 33.33, 33.34]
    assert [t.is_example for t in spec.tests] == [True, False, False]


def test_documented_example_yaml():
    yaml_text = """\
title: Сумма двух чисел
time_limit: 1          # seconds, default for every language
memory_limit: 256      # MB
output_limit: 1024     # KB
languages:
  python: {time_limit: 2}
  cpp: {}
comparison: trailing
float_tolerance: 1e-6
scoring: subtasks
examples: [1, 2]
subtasks:
  - {points: 30, tests: "1-5", title: "a, b ≤ 100"}
  - {points: 70, tests: "6-10,12"}
"""
    files: dict[str, bytes | str] = {"problem.yaml": yaml_text}
    for n in [*range(1, 11), 12]:
        files[f"tests/{n:02}"] = f"{n} {n}\n"
        files[f"tests/{n:02}.a"] = f"{2 * n}\n"
    result = read(make_zip(files))
    spec = result.spec
    assert spec is not None, result.errors
    assert spec.float_tolerance == 1e-6  # YAML 1.1 reads 1e-6 as a string
    assert spec.languages["python"].time_limit_s == 2.0
    assert spec.languages["cpp"].time_limit_s is None
    assert [s.points for s in spec.subtasks] == [30, 70]
    assert spec.subtasks[0].title == "a, b ≤ 100"
    assert [t.subtask for t in spec.tests] == [0] * 5 + [1] * 6
    assert [t.name for t in spec.tests if t.is_example] == ["01", "02"]


def test_in_out_and_dat_ans_pairs_and_gaps_are_ordered_numerically():
    files = {
        "problem.yaml": SIMPLE_YAML,
        "tests/10.in": "ten", "tests/10.out": "10",
        "tests/2.dat": "two", "tests/2.ans": "2",
        "tests/1": "one", "tests/1.a": "1",
    }  # fmt: skip
    spec = read(make_zip(files)).spec
    assert spec is not None
    assert [(t.name, t.input, t.answer) for t in spec.tests] == [
        ("1", "one", "1"), ("2", "two", "2"), ("10", "ten", "10"),
    ]  # fmt: skip


def test_a_package_zipped_with_its_folder_is_accepted():
    files = {f"sum/{name}": content for name, content in simple_files().items()}
    files["__MACOSX/sum/._problem.yaml"] = b"\x00\x05junk"
    files["sum/.DS_Store"] = b"junk"
    result = read(make_zip(files))
    assert result.spec is not None, result.errors
    assert len(result.spec.tests) == 2


def test_a_folder_two_levels_deep_is_not_searched():
    files = {f"a/b/{name}": content for name, content in simple_files().items()}
    refused(read(make_zip(files)), "problem.yaml")


def test_statement_ru_md_is_accepted():
    files = simple_files()
    del files["statement.md"]
    files["statement.ru.md"] = "Условие"
    assert read(make_zip(files)).spec.statement == "Условие"


def test_a_checker_implies_checker_comparison():
    spec = read(make_zip(simple_files(**{"checker.py": "print(1)"}))).spec
    assert spec.comparison == Comparison.CHECKER and spec.checker == "print(1)"


def test_checker_comparison_needs_a_checker():
    files = simple_files(**{"problem.yaml": SIMPLE_YAML + "comparison: checker\n"})
    refused(read(make_zip(files)), "checker.py")


def test_solution_files_of_any_name_and_the_main_one_among_several():
    files = simple_files(**{
        "solutions/sum.cc": "int main() {}",
        "solutions/main.py": "print(3)",
        "solutions/wrong.py": "print(4)",
        "solutions/Main.java": "class Main {}",
    })  # fmt: skip
    result = read(make_zip(files))
    assert result.spec is not None, result.errors
    assert result.spec.solutions == {"cpp": "int main() {}", "python": "print(3)"}
    warned(result, "solutions/wrong.py", "solutions/Main.java")


def test_several_solutions_for_one_language_and_none_named_main():
    files = simple_files(**{"solutions/a.py": "1", "solutions/b.py": "2"})
    refused(read(make_zip(files)), "solutions/a.py", "solutions/b.py")


def test_a_solution_for_a_language_the_problem_does_not_have_is_ignored():
    files = simple_files(**{
        "problem.yaml": SIMPLE_YAML + "languages: [python]\n",
        "solutions/main.cpp": "int main() {}",
        "starter/main.cpp": "int main() {}",
    })  # fmt: skip
    result = read(make_zip(files))
    assert result.spec is not None and result.spec.solutions == {}
    assert set(result.spec.languages) == {"python"}
    warned(result, "solutions/main.cpp", "starter/main.cpp")


def test_known_languages_and_extensions_are_passed_in():
    files = simple_files(**{
        "problem.yaml": SIMPLE_YAML + "languages: {java: {time_limit: 3}}\n",
        "solutions/Main.java": "class Main {}",
    })  # fmt: skip
    with override("en"):
        result = read_package(
            make_zip(files), max_bytes=MB, max_unpacked_bytes=MB,
            languages=("python", "java"), extensions={".py": "python", ".java": "java"},
        )  # fmt: skip
    assert result.spec is not None, result.errors
    assert result.spec.languages["java"].time_limit_s == 3.0
    assert result.spec.solutions == {"java": "class Main {}"}


def test_points_as_one_number_per_test_and_partial_mapping():
    files = simple_files(**{"problem.yaml": SIMPLE_YAML + "points: 5\n"})
    assert [t.points for t in read(make_zip(files)).spec.tests] == [5, 5]
    files = simple_files(**{"problem.yaml": SIMPLE_YAML + "points: {'1': 7}\n"})
    result = read(make_zip(files))
    assert [t.points for t in result.spec.tests] == [7, 0]
    warned(result, "02")


def test_examples_can_be_none():
    files = simple_files(**{"problem.yaml": SIMPLE_YAML + "examples: []\n"})
    assert not any(t.is_example for t in read(make_zip(files)).spec.tests)


def test_unknown_yaml_keys_and_unused_files_are_warnings():
    files = simple_files(**{"problem.yaml": SIMPLE_YAML + "author: Иванов\n", "gen.cpp": "x"})
    result = read(make_zip(files))
    assert result.spec is not None
    warned(result, "author", "gen.cpp")


# --- encodings and line endings -------------------------------------------------------------


def test_yaml_with_a_bom_is_read_silently():
    files = simple_files(**{"problem.yaml": b"\xef\xbb\xbf" + SIMPLE_YAML.encode()})
    result = read(make_zip(files))
    assert result.spec.title == "Сумма двух чисел" and result.warnings == []


def test_yaml_and_statement_in_cp1251_are_converted_with_a_warning():
    files = simple_files(**{
        "problem.yaml": SIMPLE_YAML.encode("cp1251"),
        "statement.md": "Условие задачи".encode("cp1251"),
    })  # fmt: skip
    result = read(make_zip(files))
    assert result.spec.title == "Сумма двух чисел"
    assert result.spec.statement == "Условие задачи"
    warned(result, "problem.yaml", "statement.md")


def test_tests_in_cp1251_with_crlf_are_normalised_with_warnings():
    files = simple_files(**{
        "tests/01": "Привет  \r\nмир\r\n".encode("cp1251"),
        "tests/01.a": b"\xef\xbb\xbf3\r\n",
    })  # fmt: skip
    result = read(make_zip(files))
    test = result.spec.tests[0]
    assert test.input == "Привет  \nмир\n"  # trailing spaces kept: only \r\n changes
    assert test.answer == "3\n"
    assert len(result.warnings) == 3  # cp1251, BOM, \r\n
    warned(result, "tests/01", "tests/01.a")


def test_a_file_in_neither_utf8_nor_cp1251_is_an_error():
    refused(read(make_zip(simple_files(**{"tests/02.a": b"\x98\xff"}))), "tests/02.a")


# --- what a package must have ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "needles"),
    [
        ({"tests/02.a": None}, ["tests/02"]),
        ({"tests/02": None}, ["tests/02.a"]),
        ({"tests/02.in": "x"}, ["tests/02", "tests/02.in"]),
        ({"tests/002": "x", "tests/002.a": "x"}, ["tests/002", "tests/02"]),
        ({"problem.yaml": None}, ["problem.yaml"]),
        ({"problem.yaml": "title: T\nlanguages: {python: {}, java: {}}\n"}, ["java"]),
        ({"problem.yaml": "title: T\nlanguages: 3\n"}, ["languages"]),
        ({"problem.yaml": "time_limit: 1\n"}, ["title"]),
        ({"problem.yaml": "title: T\ntime_limit: -1\n"}, ["time_limit"]),
        ({"problem.yaml": "title: T\nmemory_limit: 25.5\n"}, ["memory_limit"]),
        ({"problem.yaml": "title: T\ntime_limit: .inf\n"}, ["time_limit"]),
        ({"problem.yaml": "title: T\ncomparison: fuzzy\n"}, ["comparison"]),
        ({"problem.yaml": "title: T\nscoring: best\n"}, ["scoring"]),
        ({"problem.yaml": "title: T\nexamples: [3]\n"}, ["examples", "3"]),
        ({"problem.yaml": "title: T\nexamples: one\n"}, ["examples", "one"]),
        ({"problem.yaml": "title: T\npoints: {1: lots}\n"}, ["1"]),
        ({"problem.yaml": "title: T\npoints: {7: 10}\n"}, ["7"]),
        ({"problem.yaml": "title: T\npoints: [1, 2]\n"}, ["points"]),
        ({"problem.yaml": "- title\n- T\n"}, ["problem.yaml"]),
        ({"problem.yaml": "just a title\n"}, ["problem.yaml"]),
        ({"problem.yaml": "title: [unclosed\n"}, ["line 2"]),
        ({"problem.yaml": "title: " + "[" * 5000 + "\n"}, ["problem.yaml"]),
        ({"problem.yaml": "title: T\nmemory_limit: " + "9" * 5000 + "\n"}, ["problem.yaml"]),
    ],
)
def test_bad_content_is_an_error(change, needles):
    files = simple_files()
    for name, content in change.items():
        if content is None:
            del files[name]
        else:
            files[name] = content
    refused(read(make_zip(files)), *needles)


def test_no_tests_at_all():
    files = {"problem.yaml": SIMPLE_YAML, "statement.md": "x"}
    refused(read(make_zip(files)), "tests")


def subtask_files(subtasks: str, count: int = 3) -> dict[str, bytes | str]:
    files: dict[str, bytes | str] = {"problem.yaml": "title: T\nsubtasks:\n" + subtasks}
    for n in range(1, count + 1):
        files[f"tests/{n:02}"], files[f"tests/{n:02}.a"] = str(n), str(n)
    return files


def test_subtasks_with_gaps_in_the_numbering():
    files = subtask_files("- {points: 40, tests: 1}\n- {points: 60, tests: [2, '5-6']}\n", 2)
    files.update({"tests/05": "5", "tests/05.a": "5", "tests/06": "6", "tests/06.a": "6"})
    spec = read(make_zip(files)).spec
    assert spec.scoring == Scoring.SUBTASKS  # implied by the subtasks list
    assert [(t.name, t.subtask) for t in spec.tests] == [("01", 0), ("02", 1), ("05", 1), ("06", 1)]


@pytest.mark.parametrize(
    ("subtasks", "needles"),
    [
        ("- {points: 50, tests: 1-2}\n- {points: 50, tests: 3-4}\n", ["4"]),
        ("- {points: 50, tests: 1-2}\n- {points: 50, tests: 2-3}\n", ["2"]),
        ("- {points: 50, tests: 1-2}\n", ["03"]),
        ("- {points: many, tests: 1-3}\n", ["subtask 1"]),
        ("- {points: 10}\n- {points: 90, tests: 1-3}\n", ["subtask 1"]),
        ("- {points: 10, tests: 3-1}\n", ["3-1"]),
        ("- {points: 10, tests: 1-999999999}\n", ["1-999999999"]),
        ("- 100\n", ["subtask 1"]),
        ("  []\n", ["subtasks"]),
    ],
)
def test_bad_subtasks(subtasks, needles):
    refused(read(make_zip(subtask_files(subtasks))), *needles)


def test_an_unreadable_subtask_list_is_reported_once():
    files = subtask_files("- {points: 50, tests: 1-2}\n- {points: 50, tests: 2-9}\n")
    assert len(refused(read(make_zip(files)), "2-9").splitlines()) == 1


def test_a_language_time_limit_error_names_the_language():
    files = simple_files(**{"problem.yaml": "title: T\nlanguages: {cpp: {time_limit: 0}}\n"})
    refused(read(make_zip(files)), "cpp")


def test_anything_unexpected_is_still_a_message():
    refused(read("not bytes at all"))  # type: ignore[arg-type]


# --- hostile archives -----------------------------------------------------------------------


def test_not_a_zip():
    refused(read(b"PK\x03\x04 not really a zip"))
    refused(read(b""))
    refused(read("Сумма".encode() * 100))


def test_a_file_object_is_read_up_to_the_limit():
    data = make_zip(simple_files())
    assert read(io.BytesIO(data)).spec is not None
    refused(read(io.BytesIO(data), max_bytes=len(data) - 1))
    refused(read(data, max_bytes=len(data) - 1))


def test_a_truncated_zip():
    data = make_zip(simple_files())
    for cut in (10, len(data) // 2, len(data) - 10):
        refused(read(data[:cut]))


def test_declared_sizes_over_the_limit_are_refused_before_decompressing():
    files = simple_files(**{"tests/03": b"0" * (2 * MB), "tests/03.a": "0"})
    refused(read(make_zip(files), max_unpacked_bytes=MB))


def test_declared_sizes_that_lie_are_refused():
    files = simple_files(**{"tests/03": b"0" * (5 * MB), "tests/03.a": "0"})
    data = patch_entry(make_zip(files), "tests/03", size=10)
    refused(read(data, max_unpacked_bytes=MB), "tests/03")


def test_bytes_are_counted_while_decompressing():
    """Whatever an entry declares, decompressing stops at the limit (a stream without end)."""

    class Endless(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, b):
            b[: len(b)] = b"\0" * len(b)
            return len(b)

    class FakeZip:
        def open(self, info):
            return Endless()

    info = zipfile.ZipInfo("tests/01")
    info.file_size, info.compress_size = 10, 10
    archive = package_zip.Archive(zf=FakeZip(), members={"tests/01": info})  # type: ignore[arg-type]
    with override("en"):
        assert package_zip.read_members(archive, ["tests/01"], max_unpacked_bytes=MB) is None
    assert len(archive.errors) == 1


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2])
def test_a_high_compression_ratio_is_refused(method):
    files = simple_files(**{"tests/03": b"\0" * (9 * MB), "tests/03.a": "0"})
    data = make_zip(files, method=method)
    assert len(data) < 100_000
    refused(read(data, max_unpacked_bytes=100 * MB), "tests/03")


def test_a_big_test_of_equal_numbers_is_not_a_bomb():
    big = b"1000000000 " * 1_000_000  # 10 MB, deflates ~515:1
    result = read(make_zip(simple_files(**{"tests/03": big, "tests/03.a": "0"})))
    assert result.spec is not None, result.errors
    assert len(result.spec.tests[2].input) == len(big)


@pytest.mark.parametrize(
    "name", ["../problem.yaml", "tests/../../etc/passwd", "/etc/passwd", "tests\\01", "C:/tests/01",
             "c:evil"],
)  # fmt: skip
def test_unsafe_names_are_refused(name):
    files = simple_files(**{name: "x"})
    refused(read(make_zip(files)), name)


def test_a_nul_in_a_name_is_refused():
    data = make_zip(simple_files(**{"tests/03X.txt": "x"}))
    data = data.replace(b"tests/03X.txt", b"tests/03\x00.txt")
    refused(read(data), "tests/03")


def test_symlinks_are_ignored_with_a_warning():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in simple_files().items():
            zf.writestr(name, content)
        for name, target in (("tests/03", "/etc/passwd"), ("tests/03.a", "../../secret")):
            link = zipfile.ZipInfo(name)
            link.create_system = 3
            link.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(link, target)
    result = read(out.getvalue())
    assert result.spec is not None, result.errors
    assert [t.name for t in result.spec.tests] == ["01", "02"]
    warned(result, "tests/03", "tests/03.a")


def test_duplicate_names_are_refused():
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile itself warns of the duplicate
        for name, content in simple_files().items():
            zf.writestr(name, content)
        zf.writestr("tests/01.a", "4\n")
    refused(read(out.getvalue()), "tests/01.a")


def test_names_equal_once_normalised_are_duplicates():
    refused(read(make_zip(simple_files(**{"tests//01.a": "4", "./tests/02": "x"}))), "tests/01.a")


def test_too_many_files():
    refused(read(make_zip(simple_files()), max_files=5), "6")


def test_encrypted_entries_are_refused():
    data = patch_entry(make_zip(simple_files()), "tests/02", flag=0x1)
    refused(read(data), "tests/02")


def test_an_unsupported_compression_method_is_refused():
    data = patch_entry(make_zip(simple_files()), "tests/02", method=99)
    refused(read(data), "tests/02")


def test_a_yaml_over_64_kb_is_refused():
    files = simple_files(**{"problem.yaml": SIMPLE_YAML + "# " + "x" * 70_000 + "\n"})
    refused(read(make_zip(files)), "problem.yaml")


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.mark.parametrize(
    "key",
    ["title", "languages", "comparison", "scoring", "subtasks", "points", "examples", "time_limit"],
)
def test_a_billion_laughs_yaml_is_harmless(key):
    files = simple_files(**{"problem.yaml": BILLION_LAUGHS + f"{key}: *i\n"})
    started = time.monotonic()
    result = read(make_zip(files))
    assert time.monotonic() - started < 2
    refused(result)
    assert all(len(message) < 1000 for message in result.errors + result.warnings)


def test_messages_are_capped():
    files: dict[str, bytes | str] = {"problem.yaml": SIMPLE_YAML}
    for n in range(1, 200):
        files[f"tests/{n:03}"] = "x"  # no answers: one error each
    result = read(make_zip(files))
    assert len(result.errors) == 51
