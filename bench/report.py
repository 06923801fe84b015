"""Write docs/performance.md from the figures in ``var/bench/*.json`` (``make bench`` ends here).

.venv/bin/python -m bench.report
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from bench.common import REPO, database_url, machine_info, result_read, say

OUT = REPO / "docs" / "performance.md"


def _n(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return str(value)


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def _cmd(data: dict[str, Any] | None) -> str:
    return f"`{data['command']}`" if data and data.get("command") else "(not run)"


def _taken(data: dict[str, Any] | None) -> str:
    if not data:
        return ""
    load = data.get("load_before") or []
    shown = ", ".join(f"{x:.1f}" for x in load[:3]) if load else "?"
    return f"taken {data.get('taken_at', '?')}, load average before: {shown}"


def build(total_seconds: str | None) -> str:
    machine = machine_info(database_url())
    lines: list[str] = []
    add = lines.append
    add("# Performance (issue 9)")
    add("")
    add(
        "Written by `make bench` (`python -m bench.report`) from the figures in `var/bench/*.json`;"
    )
    add("every figure comes with the command that produced it. How to run, what each benchmark")
    add("does and what it leaves out: `bench/README.md`. How the system grows past one machine:")
    add("`docs/scaling.md`.")
    add("")
    add("## Machine")
    add("")
    add(f"- {machine['cores']} cores ({machine['cpu'] or '?'}), {machine['memory']} memory")
    add(f"- {machine.get('postgresql', '?')}")
    add(f"- Python {machine['python']}, {machine['platform']}")
    add(
        f"- git commit `{machine['git_commit']}`"
        + (" (with uncommitted changes in src/)" if machine["git_dirty"] else "")
    )
    load = ", ".join(f"{x:.1f}" for x in machine["load"])
    add(f"- load average when this page was written: {load}")
    if total_seconds:
        add(f"- `make bench` took {int(total_seconds) / 60:.1f} min")
    add("")
    add("The load average is printed with each figure: the machine may be shared, and wall-clock")
    add("figures under a load average above 2 on 2 cores are pessimistic; where it matters the CPU")
    add("time of the measured process is given too. Run `make bench` alone to compare runs.")
    add("")

    # --- targets ------------------------------------------------------------------------------
    deadline = result_read("deadline_day") or {}
    raw = deadline.get("raw_pg") or {}
    http = deadline.get("http") or {}
    service = deadline.get("service") or {}
    year_end = result_read("year_end") or {}
    pages = (result_read("pages") or {}).get("pages", {})
    printing = (result_read("printing") or {}).get("forms", {})
    imported = result_read("import") or {}

    def page(name: str) -> dict[str, Any]:
        return pages.get(name) or {}

    add("## Targets")
    add("")
    add("| target | measured | verdict (wall clock, as measured) |")
    add("| --- | --- | --- |")
    ratio = http.get("ratio_to_raw")
    add(
        f"| deadline day over HTTP ≥ 40 % of raw PostgreSQL (same run) | "
        f"{_n((ratio or 0) * 100, 0) if ratio is not None else '—'} % "
        f"({_n(http.get('saves_per_second'), 1)} vs {_n(raw.get('saves_per_second'), 1)} "
        f"column saves/s) | {_verdict(None if ratio is None else ratio >= 0.4)} |"
    )
    rate = http.get("saves_per_second")
    add(
        f"| ≥ 100 column saves/s over HTTP | {_n(rate, 1)} | "
        f"{_verdict(None if rate is None else rate >= 100)} |"
    )
    p95 = http.get("p95_ms")
    add(
        f"| p95 of a column save < 300 ms | {_n(p95)} ms | "
        f"{_verdict(None if p95 is None else p95 < 300)} |"
    )
    check = http.get("check") or {}
    bad = None
    if check:
        bad = (
            check["lost"]
            + check["overwritten"]
            + check["duplicated_versions"]
            + check.get("version_gaps", check.get("revision_mismatch", 0))
        )
    add(
        f"| zero lost or overwritten writes; audit chain verifies | "
        f"{_n(bad)} bad cells of {_n(check.get('cells_accepted'))}; audit_verify "
        f"{'ok' if check.get('audit_verify_ok') else '—'} | "
        f"{_verdict(None if bad is None else bad == 0 and check.get('audit_verify_ok'))} |"
    )
    school = year_end.get("school", {}).get("engine", {})
    province = year_end.get("province", {}).get("engine", {})
    sps = province.get("students_per_second") or school.get("students_per_second")
    add(
        f"| year-end ≥ 2,000 students/s | {_n(sps)} students/s "
        f"({_n(province.get('students_per_cpu_second') or school.get('students_per_cpu_second'))}"
        f" per CPU second) | {_verdict(None if sps is None else sps >= 2000)} |"
    )
    if province.get("students"):
        whole = 600_000 / province["students_per_second"]
        idle = 600_000 / (2 * province["students_per_cpu_second"])
        add(
            f"| the province (600,000 students) within 5 min | {whole / 60:.1f} min "
            f"(extrapolated from {_n(province['students'])} students; "
            f"{idle / 60:.1f} min on 2 idle cores from the CPU time) | "
            f"{_verdict(whole <= 300)} |"
        )
    for label, form in (("class book", "class_book"), ("transcript", "transcript")):
        figures = printing.get(form) or {}
        r = figures.get("ratio")
        add(
            f"| printing a {label} within 1.5× of bare Typst | {_n(r, 2)}× | "
            f"{_verdict(None if r is None else r <= 1.5)} |"
        )
    for name, label, target in (
        ("grid", "grid of a 45-student class < 150 ms", 150),
        ("save_column", "saving a column of 45 marks < 100 ms", 100),
        ("class_overview", "class overview (45 students, 13 subjects) < 300 ms", 300),
        ("principal_dashboard", "principal dashboard (1,500 students) < 300 ms", 300),
    ):
        figures = page(name)
        median = figures.get("median_ms")
        cpu = figures.get("cpu_median_ms")
        add(
            f"| {label} | {_n(median)} ms (CPU {_n(cpu)} ms, "
            f"{_n(figures.get('queries'))} queries) | "
            f"{_verdict(None if median is None else median < target)}"
            + (f"; CPU time {'under' if cpu < target else 'over'} target" if cpu else "")
            + " |"
        )
    applied_figures = imported.get("apply") or {}
    applied = applied_figures.get("seconds") if applied_figures.get("ok") else None
    add(
        f"| importing the real workbook < 2 s | "
        f"{_n(applied, 2) + ' s' if applied is not None else imported.get('skipped', '—')} | "
        f"{_verdict(None if applied is None else applied < 2)} |"
    )
    add("")
    add("CPU time is the processor time of the request in the measuring process (the server's")
    add("own work, not the time spent waiting for a core while other suites ran); on an idle")
    add("machine a single request's wall time is close to its CPU time plus its queries. Targets")
    add("missed on the")
    add("wall clock but met on CPU time need a re-run on a quiet machine to be called met.")
    add("")

    # --- generator ----------------------------------------------------------------------------
    add("## Synthetic province")
    add("")
    for scale in ("0.05", "1"):
        gen = result_read(f"generate_{scale}")
        if not gen:
            continue
        add(f"Scale {scale}: {_cmd(gen)} — {_taken(gen)}")
        add("")
        add(
            f"- {_n(gen['schools'])} schools, {_n(gen['students'])} students; "
            f"{_n(gen['rows'])} rows in {_n(gen['seconds_total'], 1)} s "
            f"(migrate {_n(gen['seconds_migrate'], 1)} s, load {_n(gen['seconds_load'], 1)} s "
            f"of which COPY {_n(gen['seconds_copy'], 1)} s, indexes "
            f"{_n(gen['seconds_indexes'], 1)} s, VACUUM ANALYZE {_n(gen['seconds_analyze'], 1)} s)"
            f" = {_n(gen['rows_per_second'])} rows/s loaded; database "
            f"{_n(gen['database_mib'])} MiB"
        )
        counts = gen.get("counts", {})
        add(
            "- rows: "
            + ", ".join(f"{table} {_n(count)}" for table, count in sorted(counts.items()))
        )
        add("")
    add("The full scale (1,000 schools, 600,000 students, about 74 million marks and as many")
    add("revisions) is 20× the quick one; the load is linear (COPY, then one index build), so")
    add("from the quick scale it takes about 20 × the load and index time — about an hour on")
    add("this machine and ~30 GB of disk. It was not run here.")
    add("")

    # --- deadline day ---------------------------------------------------------------------------
    add("## Deadline day")
    add("")
    add(f"{_cmd(deadline)} — {_taken(deadline)}")
    add("")
    add("| path | column saves/s | marks per save | p50 ms | p95 ms | p99 ms | vs raw |")
    add("| --- | --- | --- | --- | --- | --- | --- |")
    if raw:
        add(
            f"| raw PostgreSQL, {raw['workers']} connections | {_n(raw['saves_per_second'], 1)} "
            f"| {_n(raw['marks_per_column'], 1)} | {_n(raw['p50_ms'], 1)} | "
            f"{_n(raw['p95_ms'], 1)} | {_n(raw['p99_ms'], 1)} | 100 % |"
        )
    if service:
        add(
            f"| `marks_save`, {service['workers']} processes | "
            f"{_n(service['saves_per_second'], 1)} | {_n(service['marks_per_column'], 1)} | "
            f"{_n(service['p50_ms'], 1)} | {_n(service['p95_ms'], 1)} | "
            f"{_n(service['p99_ms'], 1)} | {_n(service['ratio_to_raw'] * 100)} % |"
        )
    if http:
        add(
            f"| HTTP: gunicorn 4 workers, Locust {http['users']} users × {http['processes']} "
            f"processes, {http['seconds']} s | {_n(http['saves_per_second'], 1)} | — | "
            f"{_n(http['p50_ms'])} | {_n(http['p95_ms'])} | {_n(http['p99_ms'])} | "
            f"{_n(http['ratio_to_raw'] * 100)} % |"
        )
        add("")
        add(
            f"HTTP: {_n(http['save_requests'])} save requests: {_n(http['saves_accepted'])} "
            f"accepted, {_n(http['saves_stale_409'])} refused as stale (409, expected: pairs of "
            f"users edit the same cells), {_n(http['saves_failed'])} errors (error rate "
            f"{_n((http['error_rate'] or 0) * 100, 2)} %); {_n(http['grid_requests'])} grid "
            f"openings, p50 {_n(http['grid_p50_ms'])} ms, p95 {_n(http['grid_p95_ms'])} ms."
        )
        if check:
            add("")
            add(
                f"Check afterwards: {_n(check['cells_accepted'])} accepted cell writes on "
                f"{_n(check['distinct_cells'])} cells — lost {check['lost']}, silently "
                f"overwritten {check['overwritten']}, duplicated versions "
                f"{check['duplicated_versions']}, marks whose versions skip a number "
                f"{check.get('version_gaps', '—')}; {check['events_written']} `marks.saved` "
                f"events for {check['accepted_saves']} acknowledged saves "
                f"({check.get('unacknowledged_saves', '—')} committed by the server while Locust "
                f"stopped, so never acknowledged — not errors); `audit_verify` "
                f"{'passes' if check['audit_verify_ok'] else 'FAILS'} "
                f"({_n(check['audit_events_verified'])} events)."
            )
    raw_sweep = result_read("raw_pg")
    if raw_sweep:
        add("")
        add(f"Raw PostgreSQL alone, by connections: {_cmd(raw_sweep)} — {_taken(raw_sweep)}")
        add("")
        for run in raw_sweep.get("runs", []):
            add(
                f"- {run['workers']} connections: {_n(run['saves_per_second'], 1)} column "
                f"saves/s ({_n(run['marks_per_column'], 1)} marks each), p50 "
                f"{_n(run['p50_ms'], 1)} ms, p95 {_n(run['p95_ms'], 1)} ms"
            )
        bench = raw_sweep.get("pgbench")
        if bench:
            for mode, label in (("-S", "select-only"), ("-N", "simple update")):
                figures = bench.get(mode) or {}
                add(
                    f"- `{figures.get('command', 'pgbench ' + mode)}` ({label}, scale "
                    f"{bench['scale']}): {_n(figures.get('tps'))} tps, latency "
                    f"{_n(figures.get('latency_ms'), 2)} ms"
                )
    add("")

    # --- year end -------------------------------------------------------------------------------
    add("## Year-end computation")
    add("")
    add(f"{_cmd(year_end)} — {_taken(year_end)}")
    add("")
    for label in ("school", "province"):
        part = year_end.get(label)
        if not part:
            continue
        engine, sql = part["engine"], part["sql"]
        add(
            f"- {label} ({part['schools']} schools, {_n(engine['students'])} students): rules "
            f"engine {_n(engine['students_per_second'])} students/s with {engine['jobs']} "
            f"processes ({_n(engine['seconds'], 1)} s; {_n(engine['students_per_cpu_second'])} "
            f"students per CPU second); one SQL aggregation pass {_n(sql['students_per_second'])}"
            f" students/s ({_n(sql['seconds'], 2)} s); engine/SQL = {_n(part['ratio'], 3)}; year "
            f"averages compared on the first school: {_n(part['agreement']['checked'])}, "
            f"differing {part['agreement']['differ']}"
        )
    add("")

    # --- pages ----------------------------------------------------------------------------------
    pages_data = result_read("pages")
    add("## Pages")
    add("")
    add(f"{_cmd(pages_data)} — {_taken(pages_data)}")
    add("")
    add("| page | median ms | max ms | CPU ms (median) | queries | target |")
    add("| --- | --- | --- | --- | --- | --- |")
    for name, figures in pages.items():
        if "missing" in figures:
            add(f"| {name} | {figures['missing']} | | | | |")
            continue
        add(
            f"| {name} | {_n(figures['median_ms'], 1)} | {_n(figures['max_ms'], 1)} | "
            f"{_n(figures.get('cpu_median_ms'), 1)} | {figures['queries']} | "
            f"{('< ' + str(figures['target_ms']) + ' ms') if figures.get('target_ms') else ''} |"
        )
    add("")

    # --- printing ------------------------------------------------------------------------------
    printing_data = result_read("printing")
    add("## Printing")
    add("")
    add(f"{_cmd(printing_data)} — {_taken(printing_data)}")
    add("")
    for label, figures in printing.items():
        add(
            f"- {label} (`{figures['form']}`, {figures['documents']} documents, "
            f"{figures['pages_first']} pages the first): {_n(figures['per_second'], 2)}/s with "
            f"hoso ({_n(figures['app_seconds_each'] * 1000)} ms each), bare Typst "
            f"{_n(figures['bare_per_second'], 2)}/s "
            f"({_n(figures['bare_typst_seconds_each'] * 1000)} ms) — "
            f"ratio {_n(figures['ratio'], 2)}; Python heap peak "
            f"{_n(figures['python_heap_peak_mib'], 1)} MiB"
        )
    if printing_data:
        add(f"- peak resident memory of the process: {_n(printing_data.get('peak_rss_mib'))} MiB")
    school_batch = (printing_data or {}).get("school_batch")
    if school_batch:  # measured apart, not in make bench (minutes)
        add(
            f"- whole school as one batch ({_cmd(school_batch)} — {_taken(school_batch)}): "
            f"{_n(school_batch['documents'])} transcripts of "
            f"{_n(school_batch['students_in_school'])} students of {school_batch['school']}, "
            f"{_n(school_batch['pages'])} pages, in {_n(school_batch['seconds'], 1)} s "
            f"({_n(school_batch['per_second'], 1)}/s); zip {_n(school_batch['zip_mib'], 1)} MiB; "
            f"peak resident memory {_n(school_batch['peak_rss_mib'])} MiB"
        )
    add("")

    # --- import ---------------------------------------------------------------------------------
    add("## Import")
    add("")
    add(f"{_cmd(imported)} — {_taken(imported)}")
    add("")
    if imported.get("skipped"):
        add(f"Not measured: {imported['skipped']}")
    for label in ("dry_run", "apply", "again"):
        figures = imported.get(label)
        if figures:
            add(
                f"- real workbook, {label}: {_n(figures['seconds'], 2)} s "
                f"(ok={figures['ok']}, {figures['changes']} changes)"
            )
    school = imported.get("school") or {}
    if school:
        add(
            f"- school workbook ({school['school_code']}, {school['subject']}: "
            f"{_n(school['students'])} students, {school['sheets']} sheets, one per class, "
            f"{_n(school['cells'])} marks, {school['file_kib']} KiB):"
        )
        for label in ("dry_run", "apply", "again"):
            figures = school.get(label)
            if figures:
                add(
                    f"  - {label}: {_n(figures['seconds'], 2)} s (CPU "
                    f"{_n(figures['cpu_seconds'], 2)} s; ok={figures['ok']}, "
                    f"{_n(figures['changes'])} changes, {_n(figures['unchanged'])} unchanged)"
                )
    add("")
    add(NARRATIVE)
    return "\n".join(lines) + "\n"


NARRATIVE = """## What the figures showed, and what was done

**Deadline day: correct under concurrency, but the application is far from the database's own
rate — a CPU budget, not a database limit.** In every run the check found no lost write, no
duplicated version, no version gap and no value that no save wrote; stale saves from the pairs
of users on the same cells were refused with 409 and retried; `audit_verify` passes over every
chain. Throughput is the gap: raw PostgreSQL writes ~390 column saves/s on these 2 cores (the
same rows, the same hash-chained event under the same per-school lock), the application ~15
over HTTP. The budget of one save through the grid endpoint, measured in-process on the bench
database (`time.process_time()` around each part, 40 saves of a 45-mark column):
about 14 ms of fixed request cost (session, user, the scope's role queries, CSRF, middleware —
7 queries for an empty save), ~28 ms in `marks_save` (12 queries: permission, enrolments,
settings, locks, deadlines, the marks under `FOR UPDATE`, one `UPDATE … FROM (VALUES …)`, the
audit event and chain, 45 revision rows), ~11 ms re-reading the saved rows with the rules
engine's averages, and the JSON answer: ~55–60 ms of CPU. On 2 cores shared with PostgreSQL,
gunicorn's 4 workers and the load generator (Locust, ~30 % of a core) that caps the
application near 15–20 saves/s, and Locust's 120 users, each saving every 0.1–0.6 s, queue
behind it (hence p95 in seconds: the offered load is ~10× the capacity). 100 saves/s with
p95 < 300 ms on this box would need ~10 ms of CPU per save — out of reach for a Django request
doing permission checks, validation, an audit event and revisions; the target is **missed**.
Next steps, in order of effect: (1) more application cores — web servers are stateless and scale
out (docs/scaling.md: about 6 application cores per 100 saves/s at ~60 ms each; PostgreSQL
was never the bottleneck); (2) cache the scope (role assignments, teaching pairs) per session with
invalidation on role changes (~6 ms and 4 queries per request); (3) write the revisions and the
marks in raw `INSERT … SELECT`/`COPY` from the service (Django's `bulk_create` preparing 45
objects is ~5 ms); (4) answer the save with the saved versions only and let the grid ask for
averages separately (~11 ms). What was done this time: the re-read of the saved rows and the
class overview read marks as plain rows with no default ordering (`Mark`'s default ordering
joined five tables to sort every read: 6 ms of database time per read), save_column 68.6 → 55
ms of CPU, class overview 293 → 155 ms.

**Year-end: met.** 2,255 students/s on 2 processes, the province (600,000 students) in ~4.4 min
extrapolated. The rules engine does a student's year in ~25 % less CPU than before (each count
of the TT22 learning level worked out once, one shared Decimal context), with every output and
explanation line identical on 2,662 bench students and all 176 case inputs, 100 % branch
coverage kept. The loader in `bench/year_end.py` stays in the benchmark: a real year-end
service needs mixed-group subjects per student, real conduct ratings and absences.

**Printing: the class book is within Typst's time; a transcript is 1.9× bare Typst.** The
transcript builder went from 11 to 7 queries (no default ordering on the homeroom reads, the
letterhead's parent units in one query, the catalogue only for primary and transfer prints),
and the benchmark now alternates hoso and bare Typst document by document (timing hoso first
after the class book had left Typst's cache at ~800 MiB made transcripts look 3.5× slower).
Transcripts print at ~16/s in one process (issue 7 asks ≥ 5 per core). What remains of the gap
is ~15–20 ms of Django overhead for 7 small queries and ~5 ms for the QR code's mask search;
next step: a batch reuses the letterhead, the class's subjects and marks for all its students.
A whole school's transcripts as one batch (1,500 students, `bench.printing --school-batch`, not
in `make bench` because it takes 2 minutes): see the Printing section above.

**Pages.** Grid, column save and class overview under their targets. The principal's progress
page was 717 KB of HTML for a 1,500-student school (every assignment × column): unfiltered it
now lists the assignments that need attention (at most 50) and the rest on request, 278 → 141
ms of CPU; its remaining time is the database counting the semester's marks by class, subject,
column, state and day (~100 ms). The province's statistics aggregate every mark of the semester
by school (~1.8 million rows at this scale) in ~1 s, all database time; at the full scale
that is ~20 s, so the next step is a summary table per school, subject and semester kept by
the save path (or refreshed by a Celery task) — the page's queries stay the same shape.

**Import.** The real workbook (520 marks) applies in 0.35 s; a whole school's workbook for one
subject (1,500 students, 36 sheets, 8,921 marks) in ~4 s, dry run ~1 s; the time is in
`marks_save` (36 calls) — its bulk inserts, the permission check and the deadlines loaded per
assignment.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--total-seconds", default=None)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    text = build(args.total_seconds)
    Path(args.out).write_text(text)
    say(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
