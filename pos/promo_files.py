"""Promotion files on disk (CSV or XLSX, the columns of issue 17) → promotions.

The one reader used by the till's ``promo import`` and by head office's promotion upload: the cells
come from the catalogue file adapter (:mod:`pos.catalog_files`: encodings, Excel cells, file errors),
the rules from :mod:`pos.domain.promo_file` (every bad row named, the file refused whole).
"""

from __future__ import annotations

import os

from pos.catalog_files import read_catalog_file
from pos.domain.promo_file import parse_promotions
from pos.domain.promotions import Promotion


def read_promotion_file(path: str | os.PathLike[str], *, version: int) -> tuple[Promotion, ...]:
    """The promotions of a file, each stamped with ``version``; raises CatalogFileError for a file that
    cannot be read and PromoFileError (every bad row) for one that breaks the rules."""
    f = read_catalog_file(path)
    keys = [h.strip() for h in f.header]
    # The reader leaves blank rows out: put them back empty so each bad row is named by its own number.
    by_no = dict(f.rows)
    last = max(by_no, default=f.header_row)
    rows = [{k: (cells[i] if i < len(cells) else "") for i, k in enumerate(keys) if k}
            for cells in (by_no.get(n, []) for n in range(f.header_row + 1, last + 1))]
    return parse_promotions(rows, version=version, first_row=f.header_row + 1)
