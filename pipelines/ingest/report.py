"""An ImportReport as the lines a person reads after an import."""

from __future__ import annotations

from collections.abc import Callable

from pipelines.errors import Choice, listed
from pipelines.ingest.importer import ImportReport

_LAYOUT_WORDS = {
    "status_column": "one row per application with a status column",
    "stage_columns": "one column per stage",
    "linkedin": "LinkedIn 'Job Applications' export (no status: outcomes unknown)",
    "transitions": "a list of stage transitions",
    "multi_status": "a status column listing several statuses per cell",
}


def format_report(report: ImportReport, say: Callable[[Choice], str] | None = None) -> str:
    """Plain-text import report: counts first, then what was left out and why. ``say`` puts
    what the user may choose to do (``report.asks``) in the words of the screen showing it;
    without it those are left out."""
    where = report.source_file + (f" · sheet {report.sheet!r}" if report.sheet else "")
    if report.already_imported:
        return (f"{where}: already imported with the same columns (import "
                f"#{report.import_id}); nothing changed.")
    lines = [
        f"{where}",
        f"  layout: {_LAYOUT_WORDS.get(report.layout, report.layout)}; header on row "
        f"{report.header_row}",
        f"  rows read: {report.rows_read:,}",
        f"  applications: {report.applications_loaded:,} "
        f"({report.applications_new:,} new, {report.applications_updated:,} updated)",
        f"  rows skipped: {report.rows_skipped:,}",
    ]
    lines += [f"    - {reason}: {count:,}" for reason, count in report.skipped.items()]
    mapped = [f"{col} → {fld}" for col, fld in report.mapping.items() if fld != "ignore"]
    lines.append("  columns: " + ("; ".join(mapped) if mapped else "none mapped"))
    if report.unmapped_columns:
        lines.append("  unmapped columns (kept, not used): " + listed(report.unmapped_columns))
    if report.date_order:
        lines.append(f"  dates read {report.date_order}")
    lines += [f"  note: {warning}" for warning in report.warnings]
    lines += [f"  note: {say(choice)}" for choice in report.asks if say]
    if report.unknown_statuses:
        total = sum(report.unknown_statuses.values())
        shown = ", ".join(f"{s!r} ×{n}" for s, n in list(report.unknown_statuses.items())[:10])
        noun = "application" if total == 1 else "applications"
        lines.append(f"  statuses not understood ({total:,} {noun}, kept verbatim and "
                     f"counted as active): {shown}")
    if report.unparsed_dates:
        shown = "; ".join(f"{col}: " + ", ".join(map(repr, vals))
                          for col, vals in report.unparsed_dates.items())
        lines.append(f"  dates not understood ({report.unparsed_date_rows:,} values, left "
                     f"empty): {shown}")
    return "\n".join(lines)
