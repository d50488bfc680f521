"""Text folded for matching: the one rule for case, accents, ß and ı, and the ways a matcher
may treat the characters that are not letters.

Every matcher in the product (statuses, headers, feedback themes, titles, sizes, matching
keys, the "no" words) folds its text here, and folds its own vocabulary the same way, so the
text and the words it is compared with always agree. The rule for one character
(``fold_char``):

* lower case by Unicode case folding ('É' → 'é', 'ß' and 'ẞ' → 'ss');
* compatibility forms as their plain letters ('ﬁ' → 'fi', full-width 'Ａ' → 'a');
* marks on letters dropped, in every script ('é' → 'e', 'ç' → 'c', 'ガ' → 'カ');
* the dotless 'ı' as 'i' (Turkish 'HAYIR', 'Hayır' and 'hayir' fold alike).

What a matcher does with everything else (punctuation, emoji, spaces) is its own choice,
stated by the function it calls: ``fold`` (words: other characters become spaces),
``fold_letters`` (letters only: the rest kept as written), ``fold_aligned`` (the same length
as the text, so a match's span is the text's span) and ``fold_pattern`` (the letters of a
regular expression written in a vocabulary file).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "fold_aligned", "fold_char", "fold_letters", "fold_pattern"]


def fold_char(char: str) -> str:
    """The fold of one character (see the module's docstring): usually one character,
    sometimes two or more ('ß' → 'ss'); a mark alone folds to ''."""
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept).replace("ı", "i")


class _Letters(dict):
    """``str.translate`` table, filled on first sight of a character: a letter or digit →
    its fold; anything else → itself."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = fold_char(char) if char.isalnum() or unicodedata.combining(char) else char
        self[code] = value
        return value


class _Aligned(dict):
    """``str.translate`` table: a letter or digit → its fold, anything else → a space."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = (fold_char(char) if char.isalnum() else
                 "" if unicodedata.combining(char) else " ")
        self[code] = value
        return value


_LETTERS = _Letters()
_ALIGNED = _Aligned()
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"(\w)\1{2,}")
_NOT_WORD = r"[\W_]"


def fold_letters(text: str) -> str:
    """``text`` with every letter and digit folded and every other character as it was."""
    return str(text).translate(_LETTERS)


def fold(text: str, *, spaces: str = _NOT_WORD, repeats: bool = False) -> str:
    """Text folded for matching words: letters and digits folded, every character matching
    ``spaces`` (by default anything that is not a letter or digit) a space, runs of spaces
    one space, the ends trimmed. With ``repeats`` a letter written three or more times in a
    row counts once ('reeejected' → 'rejected')."""
    text = fold_letters(text)
    if repeats:
        text = _REPEATS.sub(r"\1", text)
    return _SPACES.sub(" ", re.sub(f"(?:{spaces})+", " ", text)).strip()


def fold_aligned(text: str) -> tuple[str, list[int] | None]:
    """Letters and digits folded, every other character a space, without moving anything:
    returns the folded text and None when each character folded to exactly one (the usual
    case), so a span of the folded text is the same span of ``text``. When some character
    folds to more or fewer ('ß' → 'ss', a lone mark → ''), the second value gives, for each
    position of the folded text and one past its end, the position in ``text`` it comes
    from."""
    folded = text.translate(_ALIGNED)
    if len(folded) == len(text) and all(len(_ALIGNED[ord(c)]) == 1 for c in _odd(text)):
        return folded, None
    index = [i for i, char in enumerate(text) for _ in _ALIGNED[ord(char)]]
    return folded, index + [len(text)]


def _odd(text: str) -> str:
    """The characters of ``text`` whose fold may not be one character (not plain ASCII)."""
    return "" if text.isascii() else "".join(c for c in text if not c.isascii())


def fold_pattern(pattern: str) -> str:
    """A regular expression from a vocabulary file with its letters folded as the text it is
    matched against is ('diseñador' → 'disenador', 'ガ' → 'カ'). ASCII is left alone: it is
    either already folded or the expression's own syntax (``\\W``, ``\\S``, ``\\B``)."""
    if pattern.isascii():
        return pattern
    return "".join(c if c.isascii() else fold_letters(c) for c in pattern)
