"""Background work of printing. Celery is not configured yet: ``run_batch`` is the plain function
a Celery task wraps in production (``@shared_task def print_batch(batch_id): run_batch(batch_id)``),
and the embedded mode calls inline (docs/printing.md)."""

from __future__ import annotations

from hoso.printing.models import PrintBatch
from hoso.printing.services import print_batch_run


def run_batch(batch_id: int) -> PrintBatch:
    return print_batch_run(batch_id=batch_id)
