"""Checking and naming pupils' uploads: accepted kinds, bad input, names, thumbnails."""

import gzip
import io
import re
import struct
import tarfile
import zipfile
import zlib
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from PIL import Image, ImageFile

from assessments.file_types import TYPES, normalise_extensions
from assessments.thumbnails import make_thumbnail
from assessments.uploads import (
    HEAD_BYTES,
    CheckedFile,
    UploadError,
    check_upload,
    safe_display_name,
    storage_name,
)

MB = 1024 * 1024


# --- sample files -----------------------------------------------------------------------------


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30)).save(out, fmt, **save)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in (entries or {"robot.py": b"print('hi')\n"}).items():
            archive.writestr(name, data)
    return out.getvalue()


def tar_bytes(mode: str) -> bytes:
    out = io.BytesIO()
    data = b"int led = 13;\n"
    info = tarfile.TarInfo("sketch.ino")
    info.size = len(data)
    with tarfile.open(fileobj=out, mode=mode) as archive:
        archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def binary_stl(triangles: int = 2, header: bytes = b"solid made by a CAD program") -> bytes:
    # Many CAD programs begin the binary header with "solid" too: the size must decide.
    return header.ljust(80, b" ") + struct.pack("<I", triangles) + b"\x00" * (50 * triangles)


def png_with_size(width: int, height: int) -> bytes:
    """A real 1×1 PNG whose header then claims another size (with a valid CRC)."""
    data = bytearray(image_bytes("PNG", (1, 1)))
    ihdr = 8 + 4 + 4  # signature, chunk length, b"IHDR"
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    chunk = bytes(data[ihdr - 4 : ihdr + 13])  # type + 13 bytes of IHDR data
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", zlib.crc32(chunk))
    return bytes(data)


ZERO_PAD = b"\x00" * 64
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + ZERO_PAD
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalogue >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + ZERO_PAD
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + ZERO_PAD
MACHO = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + ZERO_PAD
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'

SAMPLES: dict[str, tuple[bytes, str]] = {
    # extension: (content, expected content type)
    "jpg": (image_bytes("JPEG"), "image/jpeg"),
    "jpeg": (image_bytes("JPEG"), "image/jpeg"),
    "png": (image_bytes("PNG"), "image/png"),
    "gif": (image_bytes("GIF"), "image/gif"),
    "webp": (image_bytes("WEBP"), "image/webp"),
    "heic": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + ZERO_PAD, "image/heic"),
    "heif": (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic" + ZERO_PAD, "image/heif"),
    "mp4": (MP4, "video/mp4"),
    "m4v": (b"\x00\x00\x00\x1cftypM4V \x00\x00\x00\x01" + ZERO_PAD, "video/x-m4v"),
    "mov": (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + ZERO_PAD, "video/quicktime"),
    "webm": (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm" + ZERO_PAD, "video/webm"),
    "mkv": (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01matroska" + ZERO_PAD, "video/x-matroska"),
    "avi": (b"RIFF\x00\x10\x00\x00AVI LIST" + ZERO_PAD, "video/x-msvideo"),
    "zip": (zip_bytes(), "application/zip"),
    "7z": (b"7z\xbc\xaf\x27\x1c\x00\x04" + ZERO_PAD, "application/x-7z-compressed"),
    "rar": (b"Rar!\x1a\x07\x01\x00" + ZERO_PAD, "application/vnd.rar"),
    "tar.gz": (tar_bytes("w:gz"), "application/gzip"),
    "tgz": (gzip.compress(b"not even a tar, we never unpack"), "application/gzip"),
    "tar": (tar_bytes("w"), "application/x-tar"),
    "sb3": (zip_bytes({"project.json": b"{}"}), "application/x.scratch.sb3"),
    "sb2": (zip_bytes({"project.json": b"{}"}), "application/x.scratch.sb2"),
    "pdf": (PDF, "application/pdf"),
    "docx": (
        zip_bytes({"[Content_Types].xml": b"<Types/>"}),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        zip_bytes({"[Content_Types].xml": b"<Types/>"}),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pptx": (
        zip_bytes({"[Content_Types].xml": b"<Types/>"}),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odt": (zip_bytes({"mimetype": b"x"}), "application/vnd.oasis.opendocument.text"),
    "ods": (zip_bytes({"mimetype": b"x"}), "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": (zip_bytes({"mimetype": b"x"}), "application/vnd.oasis.opendocument.presentation"),
    "py": (
        "#!/usr/bin/env python3\nprint('Привет, робот!')\n".encode(),
        "text/plain; charset=utf-8",
    ),
    "ino": (b"void setup() {\n\tpinMode(13, OUTPUT);\n}\n", "text/plain; charset=utf-8"),
    "c": (b"int main(void) { return 0; }\n", "text/plain; charset=utf-8"),
    "cpp": (b"#include <iostream>\nint main() {}\r\n", "text/plain; charset=utf-8"),
    "h": (b"#pragma once\n", "text/plain; charset=utf-8"),
    "hpp": (b"#pragma once\n", "text/plain; charset=utf-8"),
    "js": (b"console.log('hi');\n", "text/plain; charset=utf-8"),
    "ts": (b"const n: number = 1;\n", "text/plain; charset=utf-8"),
    "java": (b"class Robot {}\n", "text/plain; charset=utf-8"),
    "cs": (b"class Robot {}\n", "text/plain; charset=utf-8"),
    "html": (b"<!doctype html><p>Hi</p>\n", "text/plain; charset=utf-8"),
    "css": (b"p { color: red; }\n", "text/plain; charset=utf-8"),
    "json": (b'{"speed": 3}\n', "text/plain; charset=utf-8"),
    "md": ("# Отчёт\n".encode(), "text/plain; charset=utf-8"),
    "txt": ("Отчёт по лабораторной".encode("cp1251"), "text/plain; charset=windows-1251"),
    "csv": (b"t;v\n0;1.5\n", "text/plain; charset=utf-8"),
    "stl": (b"solid cube\n  facet normal 0 0 1\nendsolid cube\n", "model/stl"),
}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The browser's content type is deliberately wrong: it must never be trusted.
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def check(name: str, content: bytes, accepted: list[str] | None = None, max_bytes: int = 10 * MB):
    return check_upload(upload(name, content), accepted=accepted or [], max_bytes=max_bytes)


def refusal(name: str, content: bytes, accepted: list[str] | None = None, **kw) -> UploadError:
    with pytest.raises(UploadError) as caught, translation.override("en"):
        check(name, content, accepted, **kw)
    return caught.value


class NeverRead:
    """An upload whose content must not be touched."""

    def __init__(self, name: str, size: int) -> None:
        self.name, self.size = name, size

    def _fail(self, *args, **kwargs):
        raise AssertionError("the content was read")

    read = seek = chunks = open = __iter__ = _fail


class ReadSpy:
    """Delegates to a real upload and fails on any read larger than the first 64 KB."""

    def __init__(self, uploaded) -> None:
        self._uploaded = uploaded
        self.name, self.size = uploaded.name, uploaded.size
        self.reads: list[int] = []

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._uploaded.seek(offset, whence)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > HEAD_BYTES:
            raise AssertionError(f"read({size}) reads too much")
        self.reads.append(size)
        return self._uploaded.read(size)

    def chunks(self, *args, **kwargs):
        raise AssertionError("the whole file was read")


# --- accepted kinds ---------------------------------------------------------------------------


def test_every_accepted_type_has_a_sample():
    assert set(SAMPLES) == set(TYPES)


@pytest.mark.parametrize("extension", sorted(SAMPLES))
def test_every_accepted_type_is_accepted(extension):
    content, content_type = SAMPLES[extension]
    checked = check(f"Работа.{extension}", content, accepted=[extension])
    assert checked == CheckedFile(
        display_name=f"Работа.{extension}",
        extension=extension,
        kind=TYPES[extension][0],
        size=len(content),
        content_type=content_type,
    )


def test_binary_stl_is_judged_by_its_size_even_if_its_header_says_solid():
    assert check("arm.stl", binary_stl(3), ["stl"]).content_type == "model/stl"
    assert refusal("arm.stl", binary_stl(3)[:-1], ["stl"]).code == "content"


def test_upper_case_extension_and_alias():
    checked = check("IMG_0001.JPEG", image_bytes("JPEG"), accepted=["jpg"])
    assert (checked.display_name, checked.extension) == ("IMG_0001.JPEG", "jpeg")


def test_empty_accepted_list_means_every_known_type():
    assert check("robot.pdf", PDF, accepted=[]).kind == "pdf"


def test_png_named_jpg_is_still_a_photo():
    checked = check("robot.jpg", image_bytes("PNG"), accepted=["jpg"])
    assert (checked.kind, checked.content_type) == ("image", "image/png")


def test_text_cut_inside_a_character_is_still_utf8():
    content = ("a" + "ё" * 40_000).encode()  # the 64 KB cut falls inside an "ё"
    assert check("notes.txt", content, ["txt"]).content_type == "text/plain; charset=utf-8"


def test_text_that_starts_with_mz_is_not_a_program():
    assert check("notes.txt", b"MZ is how an .exe starts\n", ["txt"]).kind == "text"


# --- bad input --------------------------------------------------------------------------------


def test_zero_byte_file_is_refused():
    error = refusal("Отчёт.pdf", b"", ["pdf"])
    assert error.code == "empty"
    assert str(error) == "“Отчёт.pdf” is empty. Please choose the file again."


def test_file_over_the_limit_is_refused_before_its_content_is_read():
    with pytest.raises(UploadError) as caught, translation.override("en"):
        check_upload(NeverRead("video.mp4", 6 * MB), accepted=["mp4"], max_bytes=5 * MB)
    assert caught.value.code == "too_large"
    assert str(caught.value) == "“video.mp4” is larger than the limit of 5.0\xa0MB."


def test_file_at_the_limit_is_accepted():
    assert check("a.pdf", PDF, ["pdf"], max_bytes=len(PDF)).size == len(PDF)


def test_only_the_first_64_kb_of_a_large_file_is_read(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    content = zip_bytes({"video.bin": bytes(range(256)) * 8192})  # 2 MB, stored uncompressed
    temporary = TemporaryUploadedFile("robot.zip", "application/zip", len(content), None)
    try:
        temporary.write(content)
        temporary.seek(300)
        spy = ReadSpy(temporary)
        assert check_upload(spy, accepted=["zip"], max_bytes=10 * MB).kind == "archive"
        assert spy.reads == [HEAD_BYTES]
        assert temporary.tell() == 0  # left ready for saving
    finally:
        temporary.close()


@pytest.mark.parametrize("program", [PE, ELF, MACHO, b"#!/bin/sh\nrm -rf ~\n"])
def test_program_renamed_to_jpg_is_refused(program):
    error = refusal("photo.jpg", program, ["jpg"])
    assert error.code == "program"
    assert "looks like a program, not a .jpg file" in str(error)


def test_program_renamed_to_txt_is_refused_as_a_program():
    assert refusal("notes.txt", PE, ["txt"]).code == "program"


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("photo.jpg", PDF, "an image"),
        ("video.mp4", SAMPLES["heic"][0], "a video"),
        ("report.docx", PDF, "a document"),
        ("robot.zip", b"this is not an archive", "an archive"),
        ("notes.txt", bytes(range(1, 32)) * 10, "a text file"),
        ("notes.txt", b"text\x00with a NUL", "a text file"),
        ("photo.png", SVG, "an image"),
    ],
)
def test_content_that_does_not_match_its_extension_is_refused(name, content, what):
    error = refusal(name, content, [name.rsplit(".", 1)[1]])
    assert error.code == "content"
    assert f"is not {what}, although its name ends in .{name.rsplit('.', 1)[1]}" in str(error)


def test_svg_is_refused_even_if_the_teacher_lists_it():
    error = refusal("drawing.svg", SVG, ["svg", "png"])
    assert error.code == "svg"
    assert "can contain scripts" in str(error)


def test_svg_renamed_to_xml_is_refused_as_not_accepted():
    assert refusal("drawing.xml", SVG, ["png", "xml"]).code == "type"


@pytest.mark.parametrize("name", ["robot.exe", "photo\u202egpj.exe", "Makefile", "a.jpg.exe"])
def test_extension_not_accepted_lists_the_accepted_ones(name):
    error = refusal(name, PE, ["jpg", "pdf"])
    assert error.code == "type"
    assert str(error).endswith("Accepted file types: .jpeg, .jpg, .pdf.")


def test_bidi_override_cannot_disguise_the_extension():
    error = refusal("photo\u202egpj.exe", PE, ["jpg"])
    assert str(error).startswith("“photogpj.exe”")


def test_message_uses_the_safe_name():
    error = refusal("../../секрет/" + "я" * 300 + ".jpg", b"", ["jpg"])
    assert re.fullmatch(r"“я{116}\.jpg” is empty\. .*", str(error))


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("C:\\Users\\x\\evil.jpg", "evil.jpg"),
        ("Отчёт по лабораторной №3.pdf", "Отчёт по лабораторной №3.pdf"),
        ("робот 🤖.jpg", "робот 🤖.jpg"),
        ("семья 👨\u200d👩\u200d👧.png", "семья 👨\u200d👩\u200d👧.png"),
        ("....", "file"),
        ("..", "file"),
        ("", "file"),
        (".jpg", "file.jpg"),
        ("...hidden.txt", "hidden.txt"),
        ("ph\x00o\x07to\n1.jpg", "photo 1.jpg"),
        ("photo\u202egpj.exe", "photogpj.exe"),
        ("\u2067robot\u2069\u200b\ufeff.png", "robot.png"),
        ('a<b>c:d"e|f?g*h.png', "abcdefgh.png"),
        ("  many \t  spaces   .jpg", "many spaces.jpg"),
        ("report.pdf. . ", "report.pdf"),
        ("e\u0301tude.txt", "\u00e9tude.txt"),
        ("CON.txt", "CON_.txt"),
        ("robot.TAR.GZ", "robot.TAR.GZ"),
    ],
)
def test_safe_display_name(name, expected):
    assert safe_display_name(name) == expected


@pytest.mark.parametrize("stem", ["a" * 300, "ж" * 300, "🤖" * 300])
def test_long_name_is_cut_keeping_its_extension(stem):
    name = safe_display_name(stem + ".jpg")
    assert len(name) == 120
    assert name == stem[:116] + ".jpg"


def test_long_name_is_not_cut_inside_an_emoji_sequence():
    name = safe_display_name("a" * 114 + "👨\u200d👩\u200d👧.jpg")
    assert name == "a" * 114 + "👨.jpg"


def test_long_name_keeps_a_double_extension():
    assert safe_display_name("x" * 300 + ".tar.gz", max_length=20) == "x" * 13 + ".tar.gz"


def test_long_name_without_extension():
    assert safe_display_name("x" * 300) == "x" * 120


def test_storage_name_is_generated():
    checked = check("Отчёт Иванова.pdf", PDF, ["pdf"])
    fixed = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=fixed):
        first, second = storage_name(checked.extension), storage_name(".JPG")
    assert re.fullmatch(r"submissions/2026/11/[0-9a-f]{32}\.pdf", first)
    assert re.fullmatch(r"submissions/2026/11/[0-9a-f]{32}\.jpg", second)
    assert "Иванов" not in first
    assert first[:-4] != second[:-4]
    assert storage_name("tar.gz").endswith(".tar.gz")
    assert re.fullmatch(
        r"thumbnails/\d{4}/\d{2}/[0-9a-f]{32}", storage_name("", folder="thumbnails")
    )


@pytest.mark.parametrize("extension", ["../x", "jpg/../../x", "пдф", "a" * 11])
def test_storage_name_refuses_a_strange_extension(extension):
    with pytest.raises(ValueError):
        storage_name(extension)


def test_storage_name_refuses_a_strange_folder():
    with pytest.raises(ValueError):
        storage_name("jpg", folder="../etc")


# --- accepted types setting -------------------------------------------------------------------


def test_normalise_extensions():
    assert normalise_extensions(".jpg, png; PDF  zip") == (["jpeg", "jpg", "pdf", "png", "zip"], [])
    assert normalise_extensions("*.STL\n.Tar.Gz") == (["stl", "tar.gz", "tgz"], [])
    assert normalise_extensions("") == ([], [])


def test_normalise_extensions_reports_unknown_ones():
    known, unknown = normalise_extensions("jpg, .EXE, svg, svg, xml")
    assert known == ["jpeg", "jpg"]
    assert unknown == [".EXE", "svg", "xml"]


@pytest.mark.parametrize("keywords", ["images, code", "фото; код"])
def test_normalise_extensions_keywords(keywords):
    known, unknown = normalise_extensions(keywords)
    assert unknown == []
    assert {"jpg", "png", "heic", "webp", "py", "ino", "txt", "sb3"} <= set(known)
    assert not {"pdf", "zip", "mp4"} & set(known)


def test_normalise_extensions_every_keyword():
    known, _ = normalise_extensions("images video archives code documents models")
    assert known == sorted(TYPES)


# --- thumbnails -------------------------------------------------------------------------------


def open_thumbnail(data: bytes | None) -> Image.Image:
    assert data is not None
    thumbnail = Image.open(io.BytesIO(data))
    assert thumbnail.format == "JPEG"
    return thumbnail


def test_thumbnail_of_a_big_photo():
    source = upload("robot.jpg", image_bytes("JPEG", (4000, 3000)))
    source.seek(100)
    assert open_thumbnail(make_thumbnail(source)).size == (480, 360)
    assert source.tell() == 0  # left ready for saving


def test_thumbnail_from_bytes_with_a_smaller_size():
    thumbnail = make_thumbnail(image_bytes("WEBP", (300, 600)), max_size=100)
    assert open_thumbnail(thumbnail).size == (50, 100)


def test_thumbnail_applies_exif_orientation():
    photo = Image.new("RGB", (400, 200), (0, 0, 255))
    photo.paste((255, 0, 0), (0, 0, 200, 200))  # the left half is red
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: rotate 90° clockwise to show
    out = io.BytesIO()
    photo.save(out, "JPEG", exif=exif)
    thumbnail = open_thumbnail(make_thumbnail(out.getvalue())).convert("RGB")
    assert thumbnail.size == (200, 400)
    red, _, blue = thumbnail.getpixel((100, 50))  # the left half is now on top
    assert red > 200 and blue < 60


def test_thumbnail_of_a_transparent_png_is_on_white():
    transparent = io.BytesIO()
    Image.new("RGBA", (100, 100), (0, 0, 0, 0)).save(transparent, "PNG")
    pixel = open_thumbnail(make_thumbnail(transparent.getvalue())).convert("RGB").getpixel((50, 50))
    assert min(pixel) > 240


@pytest.mark.parametrize("size", [(100_000, 100_000), (8000, 6000)])
def test_decompression_bomb_gives_no_thumbnail(size):
    assert make_thumbnail(png_with_size(*size)) is None


def test_picture_over_the_pixel_guard_is_never_decoded(monkeypatch):
    picture = image_bytes("PNG", (64, 48))
    monkeypatch.setattr("assessments.thumbnails.MAX_THUMBNAIL_PIXELS", 64 * 48 - 1)
    with mock.patch.object(ImageFile.ImageFile, "load") as load:
        assert make_thumbnail(picture) is None
    assert not load.called
    monkeypatch.setattr("assessments.thumbnails.MAX_THUMBNAIL_PIXELS", 64 * 48)
    assert make_thumbnail(picture) is not None


@pytest.mark.parametrize(
    "content",
    [
        SAMPLES["heic"][0],  # Pillow cannot read HEIC by itself: a file icon is fine
        image_bytes("JPEG", (800, 600))[:2000],  # truncated
        PDF,
        b"",
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n",  # EPS would run Ghostscript
    ],
)
def test_unreadable_picture_gives_no_thumbnail(content):
    assert make_thumbnail(content) is None
