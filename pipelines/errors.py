"""Exceptions raised by the ingestion pipeline, and what the user can choose to get past them.

Library code raises these with the file and sheet they concern, a message that says what is
wrong, a hint in plain words that fit any screen, and, where the user can fix it by choosing
something (a column for a field, a sheet), a ``Choice`` saying what. The message never names
a command-line flag or a widget: the CLI and the dashboard each turn the ``Choice`` into
their own words (a flag to type, "choose status for that column in the mapping
table").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """Something the user can choose to fix an import.

    ``what`` is ``"field"`` (say which column holds ``field``, or one of ``others``),
    ``"sheet"`` (choose the sheet or table that lists the applications) or ``"column"`` (a
    mapping named ``column``, which is not one of the file's). ``options`` are what there is
    to choose from: the file's columns, or its sheets."""

    what: str
    field: str | None = None
    others: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    column: str | None = None


class IngestError(Exception):
    """An input cannot be ingested; the message says why, the hint and the choice what to
    do."""

    def __init__(self, message: str, *, file: str | None = None, sheet: str | None = None,
                 hint: str | None = None, choice: Choice | None = None) -> None:
        self.file = file
        self.sheet = sheet
        self.hint = hint
        self.choice = choice
        super().__init__(message)

    @property
    def message(self) -> str:
        """What is wrong, without the file's name or a hint."""
        return str(self.args[0])

    def where(self) -> str:
        """The file (and sheet) concerned: 'tracker.xlsx (sheet 'Jobs')', or ''."""
        where = self.file or ""
        if self.sheet:
            where += f" (sheet {self.sheet!r})"
        return where

    def __str__(self) -> str:
        where = self.where()
        text = f"{where}: {self.message}" if where else self.message
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
