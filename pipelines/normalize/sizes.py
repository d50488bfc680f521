"""Scope written as text: organisation sizes ('12,000', '~70', '1000-5000', '5k+', 'small',
'enterprise'), organisation types, reach, people managed and budgets."""

from __future__ import annotations

import re

import pandas as pd

_NUMBER = r"(\d[\d,.\s]*\d|\d)\s*(k|m)?"
_NUMBER_DECIMAL = r"(\d[\d,.]*\d|\d)\s*(k|m|mn|bn)?\b"


def _to_number(digits: str, suffix: str | None) -> float | None:
    digits = re.sub(r"[\s,]", "", digits)
    if digits.count(".") > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", digits):
        digits = digits.replace(".", "")  # '12.000' is twelve thousand
    try:
        value = float(digits)
    except ValueError:
        return None
    return value * {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}.get((suffix or "").lower(), 1)


# Sizes said in words: a typical employee count for each.
SIZE_WORDS = {"micro": 5, "tiny": 5, "solo": 1, "small": 25, "smb": 100, "sme": 100, "kmu": 100,
              "pme": 100, "pyme": 100, "mid size": 250, "midsize": 250, "mid sized": 250,
              "medium": 250, "mid market": 500, "large": 5000, "enterprise": 10000,
              "big": 5000, "fortune 500": 50000, "multinational": 20000, "huge": 50000}


def parse_org_size(values: pd.Series) -> list[int | None]:
    """Employee counts from size text, one per input value: a range gives its midpoint,
    '5k+' gives 5000, 'small' or 'enterprise' a typical count (SIZE_WORDS); anything else
    gives None."""
    plain = pd.to_numeric(values.astype("string").str.fullmatch(r"\d{1,7}").map(
        {True: 1, False: 0}).astype("float") * 0 + pd.to_numeric(values, errors="coerce"),
        errors="coerce")
    out: list[int | None] = []
    for value, number in zip(values.tolist(), plain.tolist(), strict=True):
        if number == number and number > 0:  # not NaN: a plain whole number
            out.append(int(number))
            continue
        numbers = [_to_number(d, s) for d, s in re.findall(_NUMBER, str(value), flags=re.I)]
        numbers = [n for n in numbers if n is not None and 0 < n < 1e7][:2]
        if not numbers:
            out.append(_size_word(value))
            continue
        out.append(int(round(sum(numbers) / len(numbers))))
    return out


def _words_of(value: object) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", str(value).casefold()).strip() + " "


def _size_word(value: object) -> int | None:
    words = _words_of(value)
    return next((n for w, n in SIZE_WORDS.items() if f" {w} " in words), None)


ORG_TYPES = {  # type → its words; the first type whose word the text holds wins
    "startup": ("startup", "start up", "seed", "series a", "series b", "series c", "scale up",
                "scaleup", "early stage", "pre seed", "venture backed", "vc backed"),
    "public_sector": ("public sector", "government", "gov", "council", "federal", "municipal",
                      "ministry", "state agency", "public administration", "civil service",
                      "nhs", "public body", "local authority", "city of", "county",
                      "offentlicher dienst", "secteur public", "sector publico", "behorde",
                      "overheid", "university", "public university", "school district"),
    "nonprofit": ("nonprofit", "non profit", "not for profit", "charity", "charitable", "ngo",
                  "foundation", "association", "gemeinnutzig", "gemeinnuetzig", "verein", "ong",
                  "asbl", "sin animo de lucro", "sin fines de lucro", "organisation a but non "
                  "lucratif", "social enterprise", "trust", "third sector", "voluntary"),
    "company": ("company", "corporate", "corporation", "enterprise", "private", "public company",
                "listed", "plc", "inc", "ltd", "llc", "gmbh", "ag", "sa", "agency",
                "consultancy", "firm", "business", "sme", "smb", "multinational", "retailer",
                "bank", "manufacturer", "for profit", "unternehmen", "entreprise", "empresa"),
}


def _first_kind(values: pd.Series, kinds: dict[str, tuple[str, ...]]) -> list[str | None]:
    """For each text, the first kind one of whose words it holds (whole words), else None."""
    out = []
    for value in values.tolist():
        words = _words_of(value) if isinstance(value, str) else ""
        out.append(next((kind for kind, names in kinds.items()
                         if any(f" {n} " in words for n in names)), None))
    return out


def parse_org_type(values: pd.Series) -> list[str | None]:
    """Organisation type from free text: startup, nonprofit, public_sector, company, or None."""
    return _first_kind(values, ORG_TYPES)


REACH = {  # reach word → reach; wider reach first, so 'national and global' is global
    "global": ("global", "international", "worldwide", "multinational", "world wide", "emea",
               "apac", "latam", "americas", "europe", "weltweit", "mondial", "mundial"),
    "national": ("national", "nationwide", "country", "countrywide", "federal", "bundesweit",
                 "nacional"),
    "regional": ("regional", "state", "provincial", "multi state", "multi site", "region"),
    "local": ("local", "city", "community", "municipal", "lokal", "site"),
}


def parse_reach(values: pd.Series) -> list[str | None]:
    """Reach from free text: global, national, regional, local, or None."""
    return _first_kind(values, REACH)


def parse_amount(values: pd.Series) -> list[float | None]:
    """A count or an amount from text ('12', '~40 people', '$2.5m', '500k'); a range gives its
    midpoint; text without a number gives None."""
    out: list[float | None] = []
    for value in values.tolist():
        numbers = [_to_number(d, s) for d, s in re.findall(_NUMBER_DECIMAL, str(value),
                                                            flags=re.I)]
        numbers = [n for n in numbers if n is not None and n >= 0][:2]
        out.append(sum(numbers) / len(numbers) if numbers and value is not None else None)
    return out
