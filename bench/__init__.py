"""Benchmarks of hoso (issue 9): one module per benchmark, run as ``python -m bench.<name>``.

Not part of the application (not under ``src/``) and not run by ``make test``; ``make bench`` runs
them all at the quick scale and writes ``docs/performance.md``.
"""
