"""Parse free-text salary cells ('$80k-$100k', '5-12LPA', '€55.000', '$45/hr') into numbers.

`parse_salary` takes the distinct raw values of one salary column and returns one row per
value, on the same index. A currency is only reported when the cell shows one (a symbol or
an ISO code), except that lakh/crore amounts are Indian rupees. No function raises on any
cell value: what cannot be read becomes NaN/None.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_REAL = (int, float, np.integer, np.floating)
COLUMNS = ["salary_min", "salary_max", "salary_currency", "salary_period"]

MULTIPLIERS = {
    "k": 1e3, "thousand": 1e3, "千": 1e3, "万": 1e4,
    "m": 1e6, "mn": 1e6, "million": 1e6,
    "l": 1e5, "lpa": 1e5, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5,
    "cr": 1e7, "crore": 1e7, "crores": 1e7,
}  # fmt: skip
INDIAN_MULTIPLIERS = {"l", "lpa", "lakh", "lakhs", "lac", "lacs", "cr", "crore", "crores"}

CURRENCY_CODES = {
    "usd", "eur", "gbp", "inr", "cad", "aud", "nzd", "chf", "sgd", "hkd", "jpy", "cny",
    "sek", "nok", "dkk", "pln", "czk", "huf", "zar", "aed", "mxn", "brl", "ils", "krw",
}  # fmt: skip
CURRENCY_ALIASES = {
    "$": "USD", "us$": "USD", "c$": "CAD", "ca$": "CAD", "a$": "AUD", "au$": "AUD",
    "nz$": "NZD", "s$": "SGD", "hk$": "HKD", "€": "EUR", "£": "GBP", "₹": "INR",
    "rs": "INR", "rs.": "INR", "euro": "EUR", "euros": "EUR", "rmb": "CNY",
}  # fmt: skip

_CODES = "|".join(sorted(CURRENCY_CODES))
_CURRENCY = re.compile(
    rf"(?P<currency>(?<![a-z])(?:{_CODES}|euros?|rmb)(?![a-z])"
    r"|(?<![a-z])(?:us|ca|c|au|a|nz|s|hk)?\$|[€£₹]|(?<![a-z])rs\.?(?=\s*\d))",
    re.IGNORECASE,
)
_NUMBER = r"\d+(?:(?:[.,']|[ \u00a0\u202f](?=\d{3}(?!\d)))\d+)*"
_MULT = r"(?:k|thousand|million|mn|m|lpa|lakhs?|lacs?|l|crores?|cr|万|千)(?![a-z])"
_CUR_TOKEN = r"(?:(?:us|ca|c|au|a|nz|s|hk)?\$|[€£₹]|rs\.?|[a-z]{3})?"
_AMOUNT = re.compile(
    rf"(?<![\d.,])(?P<lo>{_NUMBER})(?![\d%]|[.,']\d)\s*(?P<lo_mult>{_MULT})?"
    rf"(?:\s*{_CUR_TOKEN}\s*(?:-|–|—|~|\bto\b|\bbis\b|\band\b)\s*{_CUR_TOKEN}\s*"
    rf"(?P<hi>{_NUMBER})(?![\d%]|[.,']\d)\s*(?P<hi_mult>{_MULT})?)?",
    re.IGNORECASE,
)
_PERIODS = {
    "hour": r"/\s*h(?:ou)?r|\bper\s+hour|\bhourly|\ban\s+hour|\bp/?h\b|/\s*h\b|\bph\b"
    r"|/\s*std|\bpro\s+stunde|\bstundenlohn",
    "month": r"/\s*mo(?:nth)?\b|\bper\s+month|\bmonthly|\ba\s+month|\bpcm\b|\bp/?m\b|/\s*m\b"
    r"|/\s*monat|\bpro\s+monat|\bmonatlich",
    "year": r"/\s*y(?:ea)?r|/\s*annum|\bper\s+(?:year|annum)|\bannual|\byearly|\bp\.a\.?"
    r"|\bpa\b|\bctc\b|/\s*a\b|/\s*jahr|\bpro\s+jahr|\bj[aä]hrlich",
}
_UP_TO = re.compile(r"\bup\s*to\b|\bupto\b|\bmax(?:imum)?\b|<|\bbis\b", re.IGNORECASE)
_AT_LEAST = re.compile(r"\bfrom\b|\bmin(?:imum)?\b|\bat\s+least\b|>|\+\s*$|\bab\b", re.IGNORECASE)


def _text(value: object) -> str | None:
    """The cell as text, or None for blanks and non-text cells."""
    return value if isinstance(value, str) and value.strip() else None


def _typed_amount(value: object) -> float:
    """A typed numeric cell as a positive finite float, else NaN."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, _REAL):
        return np.nan
    try:
        amount = float(value)
    except (TypeError, ValueError, OverflowError):
        return np.nan
    return amount if np.isfinite(amount) and amount > 0 else np.nan


def _number(token: object, has_multiplier: bool) -> float:
    """'80,000' / '55.000' / '6,00,000' / '1.2' / '55.000,50' / "100'000" as a float."""
    if not isinstance(token, str):
        return np.nan
    token = re.sub(r"[ '\u00a0\u202f]", "", token)
    dot, comma = token.rfind("."), token.rfind(",")
    if dot >= 0 and comma >= 0:  # the last separator is the decimal one
        thousands, decimal = (",", ".") if dot > comma else (".", ",")
        token = token.replace(thousands, "").replace(decimal, ".")
    elif comma >= 0:
        grouped = re.fullmatch(r"\d{1,3}(?:,\d{2,3})*,\d{3}", token)
        token = token.replace(",", "") if grouped else token.replace(",", ".", 1)
    elif token.count(".") > 1 or (re.fullmatch(r"\d{1,3}\.\d{3}", token) and not has_multiplier):
        token = token.replace(".", "")  # European thousands: 55.000, 1.200.000
    try:
        return float(token)
    except ValueError:
        return np.nan


def _numbers(tokens: pd.Series, multipliers: pd.Series) -> pd.Series:
    """`_number` of each token (whether it has a multiplier changes how '1.500' reads)."""
    pairs = zip(tokens, multipliers.notna(), strict=True)
    return pd.Series([_number(t, has) for t, has in pairs], tokens.index, dtype=float)


def _amounts(parts: pd.DataFrame) -> pd.DataFrame:
    """Columns `lo`, `hi` (floats, multipliers applied) and `indian` from regex groups."""
    lo_mult = parts["lo_mult"].str.casefold()
    hi_mult = parts["hi_mult"].str.casefold()
    lo, hi = _numbers(parts["lo"], lo_mult), _numbers(parts["hi"], hi_mult)
    shared = lo.le(hi)  # '80-100k' means 80k-100k, '5-12LPA' means 5-12 lakh
    lo_mult = lo_mult.fillna(hi_mult.where(shared))
    hi_mult = hi_mult.fillna(lo_mult.where(shared))
    lo = lo * lo_mult.map(MULTIPLIERS).fillna(1.0)
    hi = hi * hi_mult.map(MULTIPLIERS).fillna(1.0)
    indian = lo_mult.isin(INDIAN_MULTIPLIERS) | hi_mult.isin(INDIAN_MULTIPLIERS)
    return pd.DataFrame({"lo": lo.where(lo > 0), "hi": hi.where(hi > 0), "indian": indian})


def _currency(texts: pd.Series, indian: pd.Series) -> pd.Series:
    """ISO currency code shown in each text (INR for lakh/crore amounts), else None."""
    token = texts.str.extract(_CURRENCY, expand=False).str.casefold()
    code = token.map(lambda t: CURRENCY_ALIASES.get(t, t.upper()) if isinstance(t, str) else None)
    return code.where(code.notna(), np.where(indian, "INR", None))


def _period(texts: pd.Series) -> pd.Series:
    """'hour', 'month' or 'year' when the text states the pay period, else None."""
    period = pd.Series(None, index=texts.index, dtype=object)
    for name, pattern in _PERIODS.items():
        found = texts.str.contains(pattern, case=False, regex=True).fillna(False).astype(bool)
        period = period.where(period.notna() | ~found, name)
    return period


def _parse_texts(texts: pd.Series) -> pd.DataFrame:
    """The four salary columns for text cells."""
    parts = texts.str.extract(_AMOUNT)
    amounts = _amounts(parts)
    lo, hi = amounts["lo"], amounts["hi"]
    single = hi.isna()
    up_to = single & texts.str.contains(_UP_TO, regex=True).fillna(False).astype(bool)
    at_least = single & ~up_to & texts.str.contains(_AT_LEAST).fillna(False).astype(bool)
    low, high = np.fmin(lo, hi).where(~up_to), np.fmax(lo, hi).where(~at_least)
    found = low.notna() | high.notna()
    indian_year = pd.Series(np.where(amounts["indian"], "year", None), index=texts.index)
    return pd.DataFrame({
        "salary_min": low,
        "salary_max": high,
        "salary_currency": _currency(texts, amounts["indian"]).where(found, None),
        "salary_period": _period(texts).fillna(indian_year).where(found, None),
    })  # fmt: skip


def parse_salary(values: pd.Series) -> pd.DataFrame:
    """One row per value (same index): salary_min/max (float), salary_currency, _period.

    A single amount gives min == max; 'up to 90k' gives only a max and '80k+' only a min.
    Currency is an ISO code or missing; period is 'year', 'month', 'hour' or missing.
    """
    raw = pd.Series(values.to_numpy(dtype=object), dtype=object)
    typed = raw.map(_typed_amount).astype(float)
    texts = pd.Series([_text(v) for v in raw], dtype=object).dropna()
    out = pd.DataFrame({
        "salary_min": typed, "salary_max": typed,
        "salary_currency": pd.Series(None, index=raw.index, dtype=object),
        "salary_period": pd.Series(None, index=raw.index, dtype=object),
    })  # fmt: skip
    if len(texts):
        out.loc[texts.index, COLUMNS] = _parse_texts(texts)[COLUMNS]
    out = out.astype({"salary_min": float, "salary_max": float})
    out = out.astype({"salary_currency": "str", "salary_period": "str"})
    return out.set_axis(values.index)
