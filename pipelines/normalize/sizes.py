"""Scope written as text: organisation sizes ('12,000', '~70', '1000-5000', '5k+', 'small',
'enterprise'), organisation types, reach, people managed and budgets."""

from __future__ import annotations

import re

import pandas as pd

from pipelines.domain import DONE_WORDS, EMPTY, NO, NOT_DONE_WORDS, YES, folded
from pipelines.textfold import fold

_NUMBER = r"(\d[\d,.]*\d|\d)\s*(k|m|mn|bn|mil|tsd|tausend|thousand)?(?![a-z])"
# Two numbers joined like this are a range ('50-100', '1000 to 5000', '10 bis 50').
_RANGE = re.compile(_NUMBER + r"\s*\+?\s*(?:-|–|—|to|bis|a|à|tot|al)\s*" + _NUMBER, re.I)
_SCALE = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "mil": 1e3, "tsd": 1e3, "tausend": 1e3,
          "thousand": 1e3}


def _to_number(digits: str, suffix: str | None) -> float | None:
    digits = re.sub(r"[\s,]", "", digits)
    if digits.count(".") > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", digits):
        digits = digits.replace(".", "")  # '12.000' is twelve thousand
    try:
        value = float(digits)
    except ValueError:
        return None
    return value * _SCALE.get((suffix or "").lower(), 1)


def _amount(text: str) -> float | None:
    """The number a text gives: the midpoint of a range, else its first number."""
    if found := _RANGE.search(text):
        low, high = _to_number(*found.group(1, 2)), _to_number(*found.group(3, 4))
        if low is not None and high is not None:
            return (low + high) / 2
    if found := re.search(_NUMBER, text, flags=re.I):
        return _to_number(*found.group(1, 2))
    return None


# Sizes said in words: a typical employee count for each. Stock-index names come first, so
# the number in 'FTSE 100' or 'Fortune 500' is not read as a head count.
INDEX_WORDS = {"fortune 500": 50000, "fortune 1000": 20000, "fortune 100": 80000,
               "global 2000": 30000, "ftse 100": 50000, "ftse 250": 10000, "s p 500": 50000,
               "sp 500": 50000, "dax": 50000, "mdax": 10000, "cac 40": 50000, "ibex 35": 30000,
               "aex": 30000, "nasdaq 100": 30000, "dow jones": 80000, "nikkei 225": 30000,
               "euro stoxx 50": 80000, "inc 5000": 150}
SIZE_WORDS = {"solo": 1, "freelance": 1, "one person": 1, "micro": 5, "tiny": 5,
              "a handful": 5, "a dozen": 12, "a few dozen": 40, "several dozen": 50,
              "small": 25, "klein": 25, "kleines": 25, "pequena": 25,
              "pequeno": 25, "petite": 25, "klein bedrijf": 25, "smb": 100, "sme": 100,
              "kmu": 100, "pme": 100, "pyme": 100, "mkb": 100, "a couple hundred": 200,
              "couple hundred": 200, "a few hundred": 300, "few hundred": 300,
              "several hundred": 500, "mid size": 250, "midsize": 250, "mid sized": 250,
              "medium": 250, "mediana": 250, "mediano": 250, "moyenne": 250, "middelgroot": 250,
              "mittelstand": 250, "mittelstandisch": 250, "mittleres": 250,
              "mid market": 500, "biggish": 2000, "couple thousand": 2000,
              "a few thousand": 3000, "few thousand": 3000, "several thousand": 5000,
              "large": 5000, "big": 5000, "grande": 5000, "grande empresa": 5000,
              "grosse": 5000, "grossunternehmen": 5000, "groot": 5000, "enterprise": 10000,
              "konzern": 10000, "corporate": 10000, "multinational": 20000, "huge": 50000,
              "massive": 50000, "enormous": 50000, "giant": 50000, "global giant": 50000}


def parse_org_size(values: pd.Series) -> list[int | None]:
    """Employee counts from size text, one per input value: a range gives its midpoint,
    '5k+' gives 5000, 'small', 'Mittelstand' or 'FTSE 100' a typical count (SIZE_WORDS,
    INDEX_WORDS); anything else gives None."""
    out: list[int | None] = []
    for value in values.tolist():
        text = str(value) if value is not None else ""
        if text.isdecimal() and len(text) <= 7:  # the common case: a plain whole number
            out.append(int(text) or None)
            continue
        words = _words_of(text)
        index = next((n for w, n in INDEX_WORDS.items() if f" {w} " in words), None)
        number = None if index else _amount(text)
        count = round(number) if number is not None and 0 < number < 1e7 else 0
        if index or not count:  # no number, or one that is not a head count ('0.3')
            out.append(index or _size_word(words))
            continue
        out.append(int(count))
    return out


def _words_of(value: object) -> str:
    """The text folded (``pipelines.textfold``) to its Latin letters and digits, words
    separated by single spaces, a space at each end."""
    return f" {fold(str(value), spaces='[^a-z0-9]')} "


def _size_word(words: str) -> int | None:
    return next((n for w, n in SIZE_WORDS.items() if f" {w} " in words), None)


TYPE_WORDS = {  # type → its words; the first type whose word the text holds wins
    "startup": ("startup", "start up", "seed", "series a", "series b", "series c", "scale up",
                "scaleup", "early stage", "pre seed", "venture backed", "vc backed",
                "founding team", "stealth"),
    "public_sector": ("public sector", "government", "gov", "govt", "council", "federal",
                      "municipal", "kommunal", "kommunales", "ministry", "ministerium",
                      "state agency", "public administration", "civil service", "nhs",
                      "public body", "local authority", "city of", "county", "behorde",
                      "offentlicher dienst", "offentliche", "offentlicher", "verwaltung",
                      "secteur public", "fonction publique", "administration publique",
                      "sector publico", "setor publico", "administracion publica",
                      "administracion", "administracao publica", "organismo publico",
                      "empresa publica", "banco publico", "banco central", "central bank",
                      "publieke sector", "overheid", "gemeente", "rijksoverheid",
                      "pubblica amministrazione", "settore pubblico", "university",
                      "public university", "school district", "intergovernmental",
                      "organismo internacional", "united nations", "un agency",
                      "state owned", "quango", "regulator", "autoridad"),
    "nonprofit": ("nonprofit", "non profit", "not for profit", "charity", "charitable", "ngo",
                  "foundation", "association", "gemeinnutzig", "gemeinnuetzig", "verein", "ong",
                  "asbl", "sin animo de lucro", "sin fines de lucro", "organisation a but non "
                  "lucratif", "social enterprise", "trust", "third sector", "voluntary",
                  "stiftung", "fundacion", "fundacao", "fondation", "fondazione", "stichting",
                  "501c3", "501 c 3", "cic", "think tank"),
    "company": ("company", "corporate", "corporation", "enterprise", "private", "public company",
                "listed", "plc", "inc", "ltd", "llc", "gmbh", "ag", "sa", "agency",
                "consultancy", "consultora", "consultoria", "firm", "business", "sme", "smb",
                "multinational", "retailer", "bank", "banco", "manufacturer", "for profit",
                "unternehmen", "entreprise", "empresa", "konzern", "familienunternehmen",
                "einzelunternehmen", "borsennotiert", "mittelstand", "studio", "fintech",
                "saas", "scale", "bedrijf", "azienda", "societa", "kmu", "pme", "pyme",
                "mkb", "b2b", "b2c", "ftse", "fortune"),
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
    return _first_kind(values, TYPE_WORDS)


# Countries, and the names of a few groups of them, to tell national from global reach.
COUNTRIES = ("uk", "united kingdom", "great britain", "britain", "england", "scotland",
             "wales", "northern ireland", "ireland", "us", "usa", "united states", "america",
             "canada", "mexico", "brazil", "brasil", "argentina", "chile", "colombia", "peru",
             "germany", "deutschland", "austria", "osterreich", "switzerland", "schweiz",
             "france", "spain", "espana", "portugal", "italy", "italia", "netherlands",
             "nederland", "belgium", "belgie", "luxembourg", "denmark", "sweden", "sverige",
             "norway", "finland", "poland", "polska", "czechia", "hungary", "romania",
             "greece", "turkey", "turkiye", "israel", "egypt", "nigeria", "kenya",
             "south africa", "india", "pakistan", "bangladesh", "china", "japan", "korea",
             "singapore", "malaysia", "indonesia", "philippines", "vietnam", "thailand",
             "australia", "new zealand", "uae", "saudi arabia", "qatar")
_GROUPS = ("global", "international", "worldwide", "multinational", "world wide", "emea",
           "apac", "latam", "americas", "europe", "europa", "eu", "weltweit", "mondial",
           "mundial", "internacional", "internationaal", "dach", "benelux", "nordics",
           "nordic", "cee", "mena", "asia", "africa", "north america", "latin america")
REACH_WORDS = {  # reach → its words; wider reach first, so 'national and global' is global
    "global": _GROUPS,
    "national": ("national", "nationwide", "country", "countrywide", "federal", "bundesweit",
                 "nacional", "landelijk", "nazionale", "uk wide", "us wide", *COUNTRIES),
    "regional": ("regional", "state", "provincial", "multi state", "multi site", "region",
                 "statewide", "county wide", "greater", "sud", "nord", "south", "north",
                 "east", "west", "midlands", "bayern", "bavaria", "nrw", "california",
                 "texas", "catalonia", "cataluna", "andalucia", "scotland wide",
                 "suddeutschland", "norddeutschland", "westdeutschland", "ostdeutschland"),
    "local": ("local", "city", "community", "municipal", "lokal", "site", "borough", "town",
              "london", "berlin", "paris", "madrid", "new york", "nyc", "only", "stadt",
              "ciudad", "ville", "gemeente", "local authority"),
}


def parse_reach(values: pd.Series) -> list[str | None]:
    """Reach from free text: global, national, regional, local, or None. Two or more
    countries ('UK & Ireland', 'UK/US') reach across borders: global."""
    out = _first_kind(values, REACH_WORDS)
    for i, value in enumerate(values.tolist()):
        if out[i] in ("national", None) and isinstance(value, str):
            words = re.sub(r" england (and )?wales ", " england ", _words_of(value))
            if sum(f" {c} " in words for c in COUNTRIES) >= 2:
                out[i] = "global"
    return out


def parse_amount(values: pd.Series) -> list[float | None]:
    """A count or an amount from text ('12', '~40 people', '$2.5m', '500k', '4 (2 senior)');
    a range gives its midpoint; text without a number gives None."""
    return [None if value is None else _amount(str(value)) for value in values.tolist()]


_YES = YES | folded(DONE_WORDS)
_NO = NO | EMPTY | folded(NOT_DONE_WORDS)


def parse_yes_no(values: pd.Series) -> list[bool | None]:
    """A checkbox column: yes / ✓ / a date / a note mean True, no / blank-like words False,
    anything else None ('maybe'). A number of hours or people above zero means True."""
    out: list[bool | None] = []
    for value in values.tolist():
        text = str(value).strip() if value is not None else ""
        word = fold(text) or text
        if word in _YES:
            out.append(True)
        elif word in _NO:
            out.append(False)
        elif re.fullmatch(r"\d{1,4}([./-]\d{1,2}){1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", text):
            out.append(True)  # a date: done on that day
        elif re.fullmatch(r"\d+(\.\d+)?", text):
            out.append(float(text) > 0)
        else:
            out.append(None)
    return out
