"""Files the demo province is built from (see README.md in this folder for their origin)."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
# The real teacher's mark book: LC-DEMO's classes, students and the group MUL10L3 come from it.
REAL_WORKBOOK = DATA_DIR / "so-diem-tt22-2025-2026-anon.xlsx"
