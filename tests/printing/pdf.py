"""Reading printed PDFs in tests: text (NFC) and the fonts embedded (issue 7 fidelity checks)."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def pages_text(pdf: bytes) -> list[str]:
    return [unicodedata.normalize("NFC", page.extract_text() or "") for page in reader(pdf).pages]


def text(pdf: bytes) -> str:
    return "\n".join(pages_text(pdf))


def flat(value: str) -> str:
    """Whitespace-insensitive form (table cells wrap: a long label comes out on two lines)."""
    return "".join(unicodedata.normalize("NFC", value).split())


def contains(pdf_text: str, *labels: str) -> list[str]:
    """The labels that are missing from the text (compared without whitespace)."""
    haystack = flat(pdf_text)
    return [label for label in labels if flat(label) not in haystack]


def embedded_fonts(pdf: bytes) -> set[tuple[str, bool]]:
    """(base font name without the subset prefix, has an embedded font file) for every font used."""
    found: set[tuple[str, bool]] = set()
    for page in reader(pdf).pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        fonts = resources.get_object().get("/Font")
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = False
            if descriptor is not None:
                descriptor = descriptor.get_object()
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            name = str(target.get("/BaseFont", "")).lstrip("/")
            found.add((name.split("+", 1)[-1], embedded))
    return found
