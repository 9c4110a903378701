"""Dutch text analysis shared by the sparse index and the answer composer.

    tokenize(text)   lower-cased words and numbers (NFKC, casefold, no diacritics)
    analyse(text)    stemmed content terms: tokenize → no stop words → Snowball stem → d/t fold
    sound_key(term)  a rough Dutch "sounds like" form, to match typos and spelling variants
    char_ngrams(t)   character 3- and 4-grams of a token (with word-boundary markers)

Both sides of a comparison must go through the same function: `analyse(passage)` and
`analyse(question)` give terms that can be compared directly. `analyse(question, query=True)`
additionally drops conversational filler that is content in a document but not in a question
("kun je me ff snel vertellen ...").
"""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_DUTCH

__all__ = [
    "NUMBER_TEENS",
    "NUMBER_TENS",
    "NUMBER_UNITS",
    "NUMBER_WORDS",
    "QUERY_FILLERS",
    "STOP_WORDS",
    "analyse",
    "char_ngrams",
    "content_tokens",
    "is_stop_word",
    "normalise",
    "sound_key",
    "stem",
    "tokenize",
]

# Dutch number words and their values: one table for the query's written numbers
# (kb/numbers.py), the answer types and the count check (assistant/).
NUMBER_UNITS = {"twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9}
NUMBER_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
                "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19}
NUMBER_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
               "tachtig": 80, "negentig": 90, "honderd": 100, "duizend": 1000}
# As a regex alternation ("één" written out; "honderdvijftig", "duizenden" included).
NUMBER_WORDS = "|".join(["één", *NUMBER_UNITS, *NUMBER_TEENS, *(w for w in NUMBER_TENS if w not in ("honderd", "duizend")),
                         r"honderd\w*", r"duizend\w*"])

# bm25s' Dutch list (the Snowball list, 101 words) plus the inflected forms, pronouns, prepositions
# and adverbs it lacks, the question words (a question's "hoe/wat/welke" says what kind of answer is
# wanted, not what it is about) and informal filler from chat messages.
_EXTRA_STOP_WORDS = """
    aan af al alle allebei alleen alles als altijd ander andere anders
    ben bent bij binnen boven buiten
    daar daarbij daardoor daarin daarmee daarna daarnaast daarom daarop daarvan daarvoor dan
    dat de deze die dien dit doch doet door doordat dus
    echter een eens eerder elk elke en enige enkele er erg ermee ervan ervoor
    gaan gaat ge geen geweest
    had hadden hare heb hebben hebt heeft hem hen het hier hierbij hierin hiervan hiervoor hij
    hoe hoewel hun
    ieder iedere iemand iets ik in is
    ja je jij jou jouw jullie
    kan kon konden kun kunnen kunt
    later maar mag me meer men met mij mijn moest moesten moet moeten mocht mogen
    na naar naast nee niet niets nog nu
    of om omdat onder ons onze ook op over
    per reeds
    sinds sommige steeds
    te tegen terwijl tijdens toch toen tot tussen
    u uit uw
    van vanaf vanuit veel via voor vooral
    waar waarbij waardoor waarin waarmee waarna waarom waarop waarover waarvan waarvoor wanneer
    want waren was wat we wel welk welke werd werden wezen wie wij wil wilde wilden wilt word
    wordt worden
    zal ze zelf zich zichzelf zij zijn zo zoals zodat zonder zou zouden zullen zult
    hoeveel hoelang hoezo welke waarom wanneer
    ff effe even eventjes gewoon eigenlijk nou hoor hè he hé hoi hallo hey hee svp aub pls plz
    please thanks thx bedankt graag ok oke oké okay ofzo zeg trouwens
    """
STOP_WORDS: frozenset[str] = frozenset(STOPWORDS_DUTCH) | frozenset(_EXTRA_STOP_WORDS.split())

# Words that carry content in a document ("snel hulp krijgen", "de vraag naar woningen") but are
# only politeness or filler in a question. Dropped from queries only.
QUERY_FILLERS: frozenset[str] = frozenset(
    """snel vertellen vertel uitleggen leg uit zeggen zeg weten weet vraag vraagje info informatie
    iets beetje kort korte samenvatting samenvatten vat noem noemen geef geven graag help helpen
    document documenten tekst teksten staat staan
    allemaal allerlei precies ongeveer ooit weer echt zoal meestal tegenwoordig inmiddels verder
    eigenlijk vooral""".split()
)

_STEMMER = Stemmer.Stemmer("dutch")
_STEMMER_LOCK = threading.Lock()  # a Stemmer instance must not be used by two threads at once
# Everything that is neither a letter nor a digit separates words ("_" too).
_TOKEN = re.compile(r"[^\W_]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def normalise(text: str) -> str:
    """NFKC (ligatures, full-width forms), casefold, and drop diacritics (ë → e, é → e).

    Dropping diacritics is safe for Dutch: they only mark pronunciation ("coördinatie",
    "ideeën", "privé"), never tell two words apart that matter here, and users often omit them.
    """
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", decomposed.translate(_combining_marks()))


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """Every combining code point, for str.translate: 10x faster than a test per character
    (which was most of the analysis time of a 100k-passage index). Built once, ±50 ms."""
    return {cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))}


def tokenize(text: str) -> list[str]:
    """Words and numbers, lower-cased; single letters are dropped ("s" of "auto's"), digits kept."""
    return [t for t in _TOKEN.findall(normalise(text)) if len(t) > 1 or t.isdigit()]


def is_stop_word(token: str) -> bool:
    return token in STOP_WORDS


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Snowball Dutch stem, then final -dt/-d folded to -t.

    PyStemmer 3 ships Snowball 3's "dutch", which also strips the "ge-" prefix ("gemeente" →
    "meen", "gebied" → "bied", "georganiseerd" → "organiseer"); the classic algorithm is
    "dutch_porter". Both gave the same retrieval quality on the dev questions (within noise).

    Dutch writes the same sound as d or t at the end of a word, and writers mix them up:
    "beschermd wonen" / "beschermt wonen", "georganiseerd" / "georganiseert". Folding them
    after stemming makes those one term (collisions such as "rad"/"rat" do not matter here).
    """
    with _STEMMER_LOCK:
        s = _STEMMER.stemWord(token)
    if s.endswith("dt"):
        s = s[:-2] + "t"
    elif s.endswith("d") and len(s) > 3:
        s = s[:-1] + "t"
    return s


def content_tokens(text: str, query: bool = False) -> list[str]:
    """`tokenize` without stop words (and, for a query, without question filler); not stemmed."""
    drop = STOP_WORDS | QUERY_FILLERS if query else STOP_WORDS
    return [t for t in tokenize(text) if t not in drop]


def analyse(text: str, query: bool = False) -> list[str]:
    """Stemmed content terms of `text`, in order (duplicates kept: BM25 counts them)."""
    return [stem(t) for t in content_tokens(text, query)]


# Spelling variants that sound (nearly) the same in Dutch. Order matters: "sch" before "ch",
# "ph" before "h" rules, "ck" before "c".
_SOUND_RULES = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"qu"), "kw"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"ch"), "g"),
    (re.compile(r"c"), "k"),
    (re.compile(r"y|ij"), "ei"),
    (re.compile(r"ou"), "au"),
    (re.compile(r"dt\b|d\b"), "t"),
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters: "warren" ~ "waren", "aa" ~ "a"
]


@lru_cache(maxsize=200_000)
def sound_key(term: str) -> str:
    """A rough phonetic form: "alphen" and "alfen", "functie" and "funktie", "warren" and "waren"
    get the same key. Only used to match query words the index does not know."""
    key = normalise(term)
    for pattern, repl in _SOUND_RULES:
        key = pattern.sub(repl, key)
    return key


def char_ngrams(token: str, n: tuple[int, ...] | range = range(3, 5)) -> list[str]:
    """Character n-grams of `token` (default 3 and 4) with "^"/"$" marking the word boundaries.

    A token shorter than the smallest n yields itself (marked), so it still has one gram.
    """
    padded = f"^{token}$"
    grams = [padded[i : i + size] for size in n for i in range(len(padded) - size + 1)]
    return grams or [padded]
