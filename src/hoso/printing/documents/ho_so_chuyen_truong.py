"""ho-so-chuyen-truong: the transfer package (R6.3, R13.4; forms.md §6): the transcript's cover and
information page, the current year's results, blank yearly pages for the following grades of the
level and two spare grades, in one file. Always an ad hoc print with its reason."""

from __future__ import annotations

from hoso.printing.documents.common import PrintRequest
from hoso.printing.documents.hoc_ba import Transcript, build_transcript


def build(request: PrintRequest) -> Transcript:
    return build_transcript(request, transfer=True)
