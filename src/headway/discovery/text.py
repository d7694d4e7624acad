"""Text analysis for the similarity index: tokens, identifiers, stop words and a small stemmer.

Pure Python, no Django and no numpy: `headway.discovery.similarity` turns these tokens into
vectors. Words are lower-cased, stop words and single characters dropped, and reduced by a
crude suffix stemmer (`stem`); identifiers such as ``getFileStatus``, ``org.apache.Foo``,
``snake_case`` and ``HADOOP-1234`` are split into their words and also kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

_TOKEN_RE: Final = re.compile(r"\w+(?:[.\-]\w+)*")
_PART_SPLIT_RE: Final = re.compile(r"[._\-]+")
# Lower-to-upper ("fileSystem"), acronym-to-word ("HDFSClient") and digit-to-word ("HTTP2Client"),
# but a plural acronym stays whole ("APIs", not "AP" + "Is").
_CAMEL_RE: Final = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z0-9])(?=[A-Z][a-z])(?![A-Z]s$)")
# Markup tags such as Jira's {code:java} or {noformat} carry no meaning of their own.
_MARKUP_RE: Final = re.compile(r"\{[a-zA-Z]+(?::[^{}\n]{0,80})?\}")

#: English function words, plus the web noise of bug reports ("http", "www"), dropped as words.
STOP_WORDS: Final = frozenset(
    """
    a about above after again against all almost also am an and any are aren as at be because
    been before being below between both but by can cannot could couldn did didn do does doesn
    doing don done down during each either else etc even ever every few for from further had
    hadn has hasn have haven having he her here hers herself him himself his how however i ie
    if in into is isn it its itself just let ll me might more most much must mustn my myself
    no nor not now of off on once only or other others otherwise our ours ourselves out over
    own per please re same shall shan she should shouldn since so some such than that the
    their theirs them themselves then there therefore these they this those though through
    thus to too under until up upon us ve very via was wasn we were weren what when where
    whether which while who whom whose why will with within without won would wouldn yet you
    your yours yourself yourselves eg http https www com html
    """.split()
)


def _has_vowel(text: str) -> bool:
    return any(ch in "aeiouy" for ch in text)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Reduce an English word to a crude stem so that its inflections meet.

    A light suffix stripper (plurals, -ed, -ing, -ation, final e), consistent rather than
    linguistically right: "configure", "configured", "configuration" all become "configur".
    Words with digits or underscores are left alone.
    """
    if len(word) <= 3 or not word.isalpha():
        return word
    w = word
    if w.endswith(("ies", "ied")) and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses") or w.endswith(("ches", "shes", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and not w.endswith("eed"):
            base = w[: -len(suffix)]
            if not _has_vowel(base):
                break
            if len(base) < 3:
                base += "e"  # "used", "using" -> "use"
            elif len(base) >= 4 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # "stopped" -> "stop", but "called" keeps its "ll"
            w = base
            break
    if w.endswith("ation") and len(w) >= 9:
        w = w[:-5]
    if w.endswith("e") and len(w) >= 4:
        w = w[:-1]
    return w


@dataclass(frozen=True, slots=True)
class Analysis:
    """The tokens of one text: `words` for matching, `compounds` (identifiers kept whole, lower
    case), `surface` (lower-case original tokens, for character n-grams)."""

    words: tuple[str, ...]
    compounds: tuple[str, ...]
    surface: tuple[str, ...]


def _split_compound(token: str) -> list[str]:
    parts: list[str] = []
    for piece in _PART_SPLIT_RE.split(token):
        parts.extend(p for p in _CAMEL_RE.split(piece) if p)
    return parts


@lru_cache(maxsize=200_000)
def _analyze_token(token: str, stem_words: bool, split_code: bool) -> tuple[tuple[str, ...], str]:
    parts = _split_compound(token) if split_code else [token]
    is_compound = len(parts) > 1 or (not split_code and bool(_PART_SPLIT_RE.search(token)))
    words = []
    for part in parts:
        if stem_words and len(part) > 2 and part[-1] == "s" and part[:-1].isupper():
            part = part[:-1]  # "APIs", "URLs": the stemmer would not know these plurals
        lower = part.lower()
        if len(lower) < 2 or lower in STOP_WORDS:
            continue
        words.append(stem(lower) if stem_words else lower)
    return tuple(words), token.lower() if is_compound else ""


def analyze(text: str, *, stem_words: bool = True, split_code: bool = True) -> Analysis:
    """Tokenize `text`: words (stop words dropped, stemmed), identifiers split and also kept.

    ``getFileStatus`` yields the words "get", "file", "status" and the compound
    "getfilestatus"; ``org.apache.Foo`` and ``snake_case`` likewise. Compounds are also in
    `words`, right after their parts, so they count in the word channel as well.
    """
    words: list[str] = []
    compounds: list[str] = []
    surface: list[str] = []
    for token in _TOKEN_RE.findall(_MARKUP_RE.sub(" ", text)):
        token_words, compound = _analyze_token(token, stem_words, split_code)
        words.extend(token_words)
        if compound:
            words.append(compound)
            compounds.append(compound)
        lower = token.lower()
        if len(lower) >= 2 and lower not in STOP_WORDS:
            surface.append(lower)
    return Analysis(tuple(words), tuple(compounds), tuple(surface))


def tokenize(text: str) -> list[str]:
    """The word tokens of `text` as the index sees them (see `analyze`)."""
    return list(analyze(text).words)


def char_ngrams(tokens: Iterable[str], low: int = 3, high: int = 5) -> list[str]:
    """Character n-grams of each token padded with a space on both sides."""
    grams: list[str] = []
    for token in tokens:
        padded = f" {token} "
        for n in range(low, high + 1):
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams
