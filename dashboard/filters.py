"""The sidebar's filters as plain data, and the SQL WHERE clause they make.

No streamlit here: ``state.py`` keeps a Filters in session state and the URL; query
functions take one and call ``where``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from pipelines.domain import OUTCOMES, STAGES


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the view to. Empty tuples and None mean 'all'."""

    date_from: dt.date | None = None          # date applied, inclusive
    date_to: dt.date | None = None
    outcomes: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()             # source_channel values
    search: str = ""                          # company or title contains (case-insensitive)
    files: tuple[str, ...] = field(default=())  # source_file values

    def to_params(self) -> dict[str, str]:
        """Query parameters for the URL (only what is set)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple) and value:
                out[f.name] = ",".join(value)
            elif isinstance(value, dt.date):
                out[f.name] = value.isoformat()
            elif isinstance(value, str) and value:
                out[f.name] = value
        return out

    @classmethod
    def from_params(cls, params: dict[str, str]) -> Filters:
        """Read filters back from URL query parameters; anything malformed is ignored."""
        def date(key):
            try:
                return dt.date.fromisoformat(params[key]) if params.get(key) else None
            except ValueError:
                return None

        def listed(key, allowed=None):
            items = tuple(v for v in str(params.get(key, "")).split(",") if v)
            return tuple(v for v in items if allowed is None or v in allowed)

        return cls(date_from=date("date_from"), date_to=date("date_to"),
                   outcomes=listed("outcomes", OUTCOMES), stages=listed("stages", STAGES),
                   sources=listed("sources"), search=str(params.get("search", ""))[:100],
                   files=listed("files"))


def where(filters: Filters, alias: str = "") -> tuple[str, list]:
    """SQL condition (without WHERE) and its parameters for ``applications_view``."""
    p = f"{alias}." if alias else ""
    parts, params = ["TRUE"], []
    if filters.date_from:
        parts.append(f"{p}applied_on >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        parts.append(f"{p}applied_on <= ?")
        params.append(filters.date_to)
    for column, values in (("outcome", filters.outcomes), ("stage_reached", filters.stages),
                           ("source_channel", filters.sources), ("source_file", filters.files)):
        if values:
            parts.append(f"{p}{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    if filters.search:
        parts.append(f"(strpos(lower(coalesce({p}company, '')), ?) > 0 OR "
                     f"strpos(lower(coalesce({p}job_title, '')), ?) > 0)")
        params.extend([filters.search.lower()] * 2)
    return " AND ".join(parts), params
