"""Search terms for a product: what a cashier may start typing to find it.

Cashiers type pinyin (full or initials: ``bingtangxin``, ``btxpg``) or Chinese on an IME, often
for a word in the middle of the name (``pg`` / ``苹果`` for 茂县冰糖心苹果). The index therefore
holds, per product, a small set of lower-case *terms*, and a search is a prefix match on them
(``term >= q AND term < q + max_char``) that the (term, sku) primary key answers directly:

* full pinyin without tones and initials, starting at every token of the name;
* the name itself (punctuation and spaces dropped) starting at every Han character;
* the SKU, the barcode and the PLU.

Suffixes are capped at :data:`MAX_POSITIONS` starting positions so a long name cannot blow up
the index. Polyphones get pypinyin's phrase-based reading only (薄壳 → baoke, 长款 → changkuan):
a cashier who types the other reading finds the product by its Chinese or another word. This module adapts pypinyin (so it lives outside pos.domain, which is stdlib only).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from pos.domain.catalog import Product

MAX_POSITIONS = 12

# Runs of Han characters (pinyin comes from these) and of ASCII letters/digits (kept as typed).
# Everything else — spaces, brackets, ×, full stops — is dropped from terms and queries alike.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3007"
_TOKEN_RUN = re.compile(rf"[{_HAN}]+|[a-z0-9]+")
_KEEP = re.compile(rf"[{_HAN}a-z0-9]")
_IS_HAN = re.compile(rf"[{_HAN}]")


def normalize(text: str) -> str:
    """Lower-case, full-width folded (NFKC), only Han characters and ASCII letters/digits kept.

    Terms and queries go through the same function, so ``ＭＸ－Ｆ００１``, ``mx-f001`` and
    ``MXF001`` all meet the term ``mxf001``, and ``苹果（特级）`` meets ``苹果特级``.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(_KEEP.findall(folded))


@lru_cache(maxsize=65_536)
def _segment_pinyin(words: str) -> tuple[str, ...]:
    """Toneless pinyin of one segment, one syllable per character.

    pypinyin resolves polyphones (多音字) by looking a whole segment up in its phrase dictionary
    (银行 → yin hang, 长款 → chang kuan), so we convert segment by segment exactly as
    ``lazy_pinyin`` does. Cached, because catalogues repeat the same words (冰糖, 苹果, 礼盒)
    endlessly and pypinyin's style conversion costs ~30 µs a name.
    """
    from pypinyin import Style, pinyin  # loaded on first indexing: its dictionaries cost ~0.4 s at start-up

    syllables = [alts[0] for alts in pinyin(words, style=Style.NORMAL, heteronym=False, errors="default")]
    if len(syllables) != len(words):  # a character without pinyin came back merged: keep them apart
        return tuple(_char_pinyin(ch) for ch in words)
    return tuple(s.lower() for s in syllables)


@lru_cache(maxsize=65_536)
def _run_pinyin(run: str) -> tuple[str, ...]:
    """Pinyin of a run of Han characters (茂县冰糖心苹果), segmented the way pypinyin does.

    Cached whole too: segmentation is the dearest step, and runs recur across variants.
    """
    from pypinyin.seg.simpleseg import seg

    return tuple(syllable for words in seg(run) for syllable in _segment_pinyin(words))


@lru_cache(maxsize=65_536)
def _char_pinyin(ch: str) -> str:
    from pypinyin import Style, pinyin

    return pinyin(ch, style=Style.NORMAL, heteronym=False, errors="default")[0][0].lower()


def _tokens(name: str) -> list[tuple[str, str]]:
    """(full, initial) per token: a Han character gives its syllable and the syllable's first
    letter; a run of ASCII letters/digits (500ml, XL) is one token typed the same in both modes."""
    out: list[tuple[str, str]] = []
    for run in _TOKEN_RUN.findall(unicodedata.normalize("NFKC", name).lower()):
        if _IS_HAN.match(run):
            out.extend((syllable, syllable[0]) for syllable in _run_pinyin(run))
        else:
            out.append((run, run))
    return out


def name_tokens(name: str) -> list[str]:
    """``松阳山茶油 500ml`` → ``['song', 'yang', 'shan', 'cha', 'you', '500ml']``."""
    return [full for full, _ in _tokens(name)]


def _suffix_terms(parts: list[str]) -> Iterator[str]:
    """The concatenation of ``parts`` starting at each of the first MAX_POSITIONS positions."""
    for i in range(min(len(parts), MAX_POSITIONS)):
        yield "".join(parts[i:])


def name_terms(name: str) -> frozenset[str]:
    """Full pinyin, initials and Chinese terms for a product name, from every starting position."""
    return _name_terms(name)


@lru_cache(maxsize=8_192)  # variants (sizes, colours) share one name; re-imports repeat names
def _name_terms(name: str) -> frozenset[str]:
    tokens = _tokens(name)
    terms = set(_suffix_terms([full for full, _ in tokens]))
    terms.update(_suffix_terms([initial for _, initial in tokens]))
    # The name as typed on a Chinese IME, from each Han character (not from inside 500ml).
    text = normalize(name)
    starts = [i for i, ch in enumerate(text) if _IS_HAN.match(ch)][:MAX_POSITIONS]
    terms.update(text[i:] for i in starts)
    return frozenset(terms)


def terms_for(sku: str, name: str, barcode: str | None = None, plu: str | None = None,
              style: str | None = None) -> set[str]:
    """All search terms of one product (the migration back-fills with this, from plain columns).

    A variant's style (款式, e.g. 羽绒服-男款) is searchable too, so the till can find every
    size and colour of a style from any one of them.
    """
    terms = set(name_terms(name))
    if style:
        terms |= set(name_terms(style))
    for code in (sku, barcode, plu):
        if code:
            terms.add(normalize(code))
    # One ASCII character is never searched for (the search answers [] to it), so don't store it.
    return {t for t in terms if t and not (len(t) == 1 and t.isascii())}


def search_terms(product: Product) -> set[str]:
    """Lower-case search terms for ``product`` (see the module docstring)."""
    return terms_for(product.sku, product.name, product.barcode, product.plu, product.style)


__all__ = ["MAX_POSITIONS", "name_terms", "name_tokens", "normalize", "search_terms", "terms_for"]
