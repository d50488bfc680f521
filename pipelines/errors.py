"""Exceptions raised by the ingestion pipeline.

Library code raises these with the file, sheet, row and column they concern; the
CLI and the dashboard translate them into one line that says what is wrong and
what to do next.
"""

from __future__ import annotations


class IngestError(Exception):
    """An input cannot be ingested; the message says why and what to do."""

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                 hint: str | None = None) -> None:
        self.file = file
        self.sheet = sheet
        self.hint = hint
        super().__init__(message)

    def __str__(self) -> str:
        where = self.file or ""
        if self.sheet:
            where += f" (sheet {self.sheet!r})"
        text = f"{where}: {self.args[0]}" if where else str(self.args[0])
        if self.hint:
            text += f" {self.hint}"
        return text


class UnreadableFile(IngestError):
    """The file cannot be opened or decoded as a table (empty, corrupt, encrypted, not a
    spreadsheet, too large once decompressed)."""


class NoApplications(IngestError):
    """The file reads as a table but holds no application rows."""


class MappingError(IngestError):
    """The columns cannot be mapped onto the canonical fields, or an override is wrong."""


def listed(names: list[str], most: int = 20) -> str:
    """Names quoted and joined for a message: the first ``most``, then how many more (a
    table can have thousands of columns)."""
    shown = ", ".join(map(repr, names[:most]))
    return shown + (f" and {len(names) - most:,} more" if len(names) > most else "")
