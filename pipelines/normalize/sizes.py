"""Numbers written as text: organisation sizes ('12,000', '~70', '1000-5000', '5k+')."""

from __future__ import annotations

import re

import pandas as pd

_NUMBER = r"(\d[\d,.\s]*\d|\d)\s*(k|m)?"


def _to_number(digits: str, suffix: str | None) -> float | None:
    digits = re.sub(r"[\s,]", "", digits)
    if digits.count(".") > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", digits):
        digits = digits.replace(".", "")  # '12.000' is twelve thousand
    try:
        value = float(digits)
    except ValueError:
        return None
    return value * {"k": 1e3, "m": 1e6}.get((suffix or "").lower(), 1)


def parse_org_size(values: pd.Series) -> list[int | None]:
    """Employee counts from size text, one per input value: a range gives its midpoint,
    '5k+' gives 5000; text without a number gives None."""
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
        out.append(int(round(sum(numbers) / len(numbers))) if numbers else None)
    return out
