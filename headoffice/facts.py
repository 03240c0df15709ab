"""Report rows derived from journal entries as head office stores them (消费帮扶 by origin county).

A sale line counts its net (amount − its share of the whole-sale discount + its share of 抹零)
under its origin county; a gift box counts each component's revenue under the component's own
county (the components' revenues add up to the box line's net). Returns count negative: a
return line's ``origin_split`` when the till recorded one, else the original sale line's
components (found in what head office already holds), else the line's own county. Training
sales and returns are kept as documents but never counted.

:func:`line_facts` gives the same money one level finer, for the dashboard: per product (a gift
box's components), with quantity and delivery batch (``batch``/``lot`` on a line or component
once the till records it; empty until then). Its amounts add up to the origin facts exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pos.domain.pricing import allocate


@dataclass(frozen=True, slots=True)
class Document:
    kind: str  # sale | return
    doc_no: str
    amount_fen: int
    training: bool


@dataclass(frozen=True, slots=True)
class OriginFact:
    origin: str
    category: str
    amount_fen: int


SaleLineLookup = Callable[[str, int], Mapping[str, Any] | None]  # (receipt_no, line_no) -> sale line payload


def _net(line: Mapping[str, Any]) -> int:
    return int(line["amount"]) - int(line.get("sale_discount_share", 0)) + int(line.get("rounding_share", 0))


def _merge(facts: list[OriginFact]) -> list[OriginFact]:
    out: dict[tuple[str, str], int] = {}
    for f in facts:
        out[(f.origin, f.category)] = out.get((f.origin, f.category), 0) + f.amount_fen
    return [OriginFact(o, c, a) for (o, c), a in out.items()]


def sale_facts(payload: Mapping[str, Any]) -> list[OriginFact]:
    facts: list[OriginFact] = []
    for line in payload.get("lines", ()):
        comps = line.get("components") or ()
        if comps:
            for c in comps:
                facts.append(OriginFact(str(c.get("origin", "")), str(c.get("category", "")), int(c["revenue"])))
        else:
            facts.append(OriginFact(str(line.get("origin", "")), str(line.get("category", "")), _net(line)))
    return _merge(facts)


def return_facts(payload: Mapping[str, Any], lookup: SaleLineLookup | None = None) -> list[OriginFact]:
    facts: list[OriginFact] = []
    receipt = payload.get("receipt_no")
    for line in payload.get("lines", ()):
        refund = int(line["refund"])
        category = str(line.get("category", ""))
        split = line.get("origin_split") or ()
        if split:
            facts.extend(OriginFact(str(o), category, -int(a)) for o, a in split)
            continue
        comps = ()
        if lookup is not None and receipt and line.get("orig_line_no") is not None:
            sold = lookup(str(receipt), int(line["orig_line_no"]))
            comps = (sold or {}).get("components") or ()
        if comps:
            shares = allocate(refund, [int(c["revenue"]) for c in comps])
            facts.extend(OriginFact(str(c.get("origin", "")), str(c.get("category", category)), -s)
                         for c, s in zip(comps, shares, strict=True))
        else:
            facts.append(OriginFact(str(line.get("origin", "")), category, -refund))
    return _merge(facts)


@dataclass(frozen=True, slots=True)
class LineFact:
    origin: str
    category: str
    sku: str
    name: str
    batch: str
    weighed: bool
    quantity: int  # units, or grams when weighed; negative for returns
    amount_fen: int  # signed: returns are negative


def batch_of(*items: Mapping[str, Any]) -> str:
    """The delivery batch a line (or gift-box component) carries, the first found; "" when none."""
    for item in items:
        for key in ("batch", "batch_no", "lot"):
            value = item.get(key)
            if value is None or value == "":  # the common case, decided before the (slower) Mapping check
                continue
            if isinstance(value, Mapping):
                value = value.get("code") or value.get("batch") or value.get("id")
                if value in (None, ""):
                    continue
            return str(value)
    return ""


def _drawn_batches(payload: Mapping[str, Any]) -> dict[tuple[Any, str], str]:
    """(line_no, sku) → the delivery batch the line's first draw came from (the sale's "draws", issue 15)."""
    found: dict[tuple[Any, str], str] = {}
    draws = payload.get("draws")
    for d in draws if isinstance(draws, list) else ():
        if isinstance(d, Mapping) and d.get("batch"):
            found.setdefault((d.get("line"), str(d.get("sku", ""))), str(d["batch"]))
    return found


def _sale_line_facts(payload: Mapping[str, Any]) -> list[LineFact]:
    out: list[LineFact] = []
    drawn = _drawn_batches(payload)
    for line in payload.get("lines", ()):
        comps = line.get("components") or ()
        weighed = line.get("sold_by") == "weight"
        no = line.get("line_no")
        if comps:
            out.extend(LineFact(str(c.get("origin", "")), str(c.get("category", "")), str(c.get("sku", "")),
                                str(c.get("name", "")),
                                batch_of(c, line) or drawn.get((no, str(c.get("sku", ""))), ""), False,
                                int(c.get("quantity", 0)), int(c["revenue"])) for c in comps)
        else:
            out.append(LineFact(str(line.get("origin", "")), str(line.get("category", "")), str(line.get("sku", "")),
                                str(line.get("name", "")), batch_of(line) or drawn.get((no, str(line.get("sku", ""))), ""),
                                weighed, int(line.get("quantity", 0)), _net(line)))
    return out


def _return_line_facts(payload: Mapping[str, Any], lookup: SaleLineLookup | None) -> list[LineFact]:
    out: list[LineFact] = []
    receipt = payload.get("receipt_no")
    for line in payload.get("lines", ()):
        refund = int(line["refund"])
        category = str(line.get("category", ""))
        sku, name, weighed = str(line.get("sku", "")), str(line.get("name", "")), bool(line.get("weighed", False))
        qty = int(line.get("quantity", 0))
        sold: Mapping[str, Any] | None = None
        if lookup is not None and receipt and line.get("orig_line_no") is not None:
            sold = lookup(str(receipt), int(line["orig_line_no"]))
        comps = list((sold or {}).get("components") or ())
        sold_qty = int((sold or {}).get("quantity") or 0)
        split = [(str(o), int(a)) for o, a in (line.get("origin_split") or ())]
        if not split:
            if comps:
                split = [(str(c.get("origin", "")), s)
                         for c, s in zip(comps, allocate(refund, [int(c["revenue"]) for c in comps]), strict=True)]
            else:
                split = [(str(line.get("origin", "")), refund)]
        by_origin: dict[str, int] = {}
        for o, a in split:
            by_origin[o] = by_origin.get(o, 0) + a
        first = True
        for origin, amount in by_origin.items():
            mine = [c for c in comps if str(c.get("origin", "")) == origin]
            if mine:
                shares = allocate(amount, [int(c["revenue"]) for c in mine])
                for c, share in zip(mine, shares, strict=True):
                    cq = int(c.get("quantity", 0)) * qty // sold_qty if sold_qty else 0
                    out.append(LineFact(origin, str(c.get("category", category)), str(c.get("sku", "")),
                                        str(c.get("name", "")), batch_of(c, line, sold or {}), False, -cq, -share))
            else:
                out.append(LineFact(origin, category, sku, name, batch_of(line, sold or {}), weighed,
                                    -qty if first else 0, -amount))
            first = False
    return out


def line_facts(kind: str, payload: Mapping[str, Any], lookup: SaleLineLookup | None = None) -> list[LineFact]:
    """Product-level facts of a sale or return (none for training, nor for other kinds)."""
    if kind not in ("sale", "return") or payload.get("training"):
        return []
    return _sale_line_facts(payload) if kind == "sale" else _return_line_facts(payload, lookup)


def origin_facts_of_sale(lines: list[LineFact]) -> list[OriginFact]:
    """:func:`sale_facts` from a sale's :func:`line_facts` (the same origin, category and amount per line or
    gift-box component), so a batch that needs both works each sale line out once."""
    out: dict[tuple[str, str], int] = {}
    for f in lines:
        key = (f.origin, f.category)
        out[key] = out.get(key, 0) + f.amount_fen
    return [OriginFact(o, c, a) for (o, c), a in out.items()]


def derive(kind: str, payload_text: str | Mapping[str, Any], lookup: SaleLineLookup | None = None,
           lines: list[LineFact] | None = None) -> tuple[Document | None, list[OriginFact]]:
    """The document and origin facts of one journal entry (none for kinds that are not money).

    ``payload_text`` may be the parsed payload already, so a batch parses each entry once; ``lines``: a sale's
    :func:`line_facts`, when the caller has them already.
    """
    if kind not in ("sale", "return"):
        return None, []
    payload = json.loads(payload_text) if isinstance(payload_text, str) else payload_text
    training = bool(payload.get("training", False))
    if kind == "sale":
        doc = Document("sale", str(payload["receipt_no"]), int(payload["total"]), training)
        if training:
            return doc, []
        return doc, (origin_facts_of_sale(lines) if lines is not None else sale_facts(payload))
    doc = Document("return", str(payload["return_no"]), -int(payload.get("refund", sum(int(ln["refund"]) for ln in payload["lines"]))),
                   training)
    return doc, ([] if training else return_facts(payload, lookup))
