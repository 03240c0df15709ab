"""Table definitions (SQLAlchemy Core). Money columns are INTEGER fen; never Numeric (REAL in SQLite)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

stores = Table(
    "stores",
    metadata,
    Column("code", String, primary_key=True),
    Column("name", Text, nullable=False),
    Column("counter_name", Text, nullable=False),
    Column("address", Text, nullable=False, default=""),
)

users = Table(
    "users",
    metadata,
    Column("login", String, primary_key=True),
    Column("display_name", Text, nullable=False),
    Column("role", String, nullable=False),
    Column("pin_hash", Text, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("locked_until", String, nullable=True),
    Column("created_at", String, nullable=False),
)

products = Table(
    "products",
    metadata,
    Column("sku", String, primary_key=True),
    Column("store_code", String, nullable=True),  # NULL: sold at every store
    Column("barcode", String, nullable=True, unique=True),
    Column("plu", String, nullable=True),
    Column("name", Text, nullable=False),
    Column("category", Text, nullable=False, default=""),
    Column("origin", Text, nullable=False, default=""),
    Column("unit", Text, nullable=False, default="件"),
    Column("sold_by", String, nullable=False, default="unit"),
    Column("price_fen", Integer, nullable=False),
    Column("tax_rate_bp", Integer, nullable=True),
    Column("style", Text, nullable=True),
    Column("size", Text, nullable=True),
    Column("color", Text, nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("updated_at", String, nullable=False),
)
Index("ix_products_plu", products.c.plu)

journal = Table(
    "journal",
    metadata,
    Column("terminal_id", String, primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String, nullable=False),
    Column("business_day", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String, nullable=False),
    Column("hash", String, nullable=False),
)
Index("ix_journal_kind_day", journal.c.kind, journal.c.business_day)
# A business day's first and last seq and its number of entries (what a Z records) from the index alone.
Index("ix_journal_day_seq", journal.c.business_day, journal.c.seq)

sales = Table(
    "sales",
    metadata,
    Column("receipt_no", String, primary_key=True),
    Column("terminal_id", String, nullable=False),
    Column("journal_seq", Integer, nullable=False),
    Column("business_day", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("cashier", String, nullable=False),
    Column("subtotal_fen", Integer, nullable=False),
    Column("total_fen", Integer, nullable=False),
    Column("paid_fen", Integer, nullable=False),
    Column("change_fen", Integer, nullable=False),
    Column("training", Boolean, nullable=False, default=False),
    UniqueConstraint("terminal_id", "journal_seq", name="uq_sales_journal"),
)
Index("ix_sales_day", sales.c.terminal_id, sales.c.business_day)

sale_lines = Table(
    "sale_lines",
    metadata,
    Column("receipt_no", String, primary_key=True),
    Column("line_no", Integer, primary_key=True, autoincrement=False),
    Column("sku", String, nullable=False),
    Column("barcode", String, nullable=True),
    Column("name", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("sold_by", String, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price_fen", Integer, nullable=False),
    Column("amount_fen", Integer, nullable=False),
    Column("category", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("tax_rate_bp", Integer, nullable=True),
    # list value − (discount + override + gift + rounding) = net; tax is the line's part of the sale's
    # per-rate tax (pos.domain.reductions, pos.domain.tax). Filled for older rows by migration 0008.
    Column("list_value_fen", Integer, nullable=False, server_default="0"),
    Column("discount_fen", Integer, nullable=False, server_default="0"),  # 折扣
    Column("override_fen", Integer, nullable=False, server_default="0"),  # 改价 (signed)
    Column("gift_fen", Integer, nullable=False, server_default="0"),  # 赠送
    Column("rounding_fen", Integer, nullable=False, server_default="0"),  # 抹零, positive in the customer's favour
    Column("net_fen", Integer, nullable=False, server_default="0"),
    Column("tax_fen", Integer, nullable=False, server_default="0"),
    Column("promotion_fen", Integer, nullable=False, server_default="0"),  # 促销 (issue 17, migration 0015)
    Column("points_fen", Integer, nullable=False, server_default="0"),  # 积分抵扣
)

payments = Table(
    "payments",
    metadata,
    Column("receipt_no", String, primary_key=True),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("tender", String, nullable=False),
    Column("amount_fen", Integer, nullable=False),
    Column("reference", Text, nullable=True),
)

Index("ix_payments_reference", payments.c.tender, payments.c.reference)

# Sales put on hold (挂单), kept across restarts until recalled (取单). Rebuilt from hold/recall entries.
held_sales = Table(
    "held_sales",
    metadata,
    Column("hold_no", Integer, primary_key=True, autoincrement=False),
    Column("terminal_id", String, nullable=False),
    Column("journal_seq", Integer, nullable=False),
    Column("created_at", String, nullable=False),
    Column("cashier", String, nullable=False),
    Column("lines", Integer, nullable=False),
    Column("total_fen", Integer, nullable=False),
    Column("cart", Text, nullable=False),  # canonical JSON of the cart
)

returns = Table(
    "returns",
    metadata,
    Column("return_no", String, primary_key=True),
    Column("terminal_id", String, nullable=False),
    Column("journal_seq", Integer, nullable=False),
    Column("business_day", String, nullable=False),
    Column("created_at", String, nullable=False),
    Column("receipt_no", String, nullable=True),  # NULL: returned without a receipt
    Column("cashier", String, nullable=False),
    Column("refund_fen", Integer, nullable=False),
    Column("training", Boolean, nullable=False, default=False),
)
Index("ix_returns_receipt", returns.c.receipt_no)

return_lines = Table(
    "return_lines",
    metadata,
    Column("return_no", String, primary_key=True),
    Column("line_no", Integer, primary_key=True, autoincrement=False),
    Column("orig_line_no", Integer, nullable=True),
    Column("sku", String, nullable=False),
    Column("name", Text, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("refund_fen", Integer, nullable=False),
    Column("category", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("tax_rate_bp", Integer, nullable=True),
    Column("tax_fen", Integer, nullable=False, server_default="0"),  # the line's part of the refund's tax
)

refunds = Table(
    "refunds",
    metadata,
    Column("return_no", String, primary_key=True),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("tender", String, nullable=False),
    Column("amount_fen", Integer, nullable=False),
    Column("reference", Text, nullable=True),
)

# Master data (not ledger): institution accounts for 机关单位挂账, and gift-box contents.
accounts = Table(
    "accounts",
    metadata,
    Column("code", String, primary_key=True),
    Column("name", Text, nullable=False),
    Column("credit_limit_fen", Integer, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

bundle_components = Table(
    "bundle_components",
    metadata,
    Column("bundle_sku", String, primary_key=True),
    Column("component_sku", String, primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("weight", Integer, nullable=True),  # revenue weight; NULL = the component's list price
)

# Shifts (班次) of this terminal's cash drawer, opened with a counted float and closed with a blind count.
shifts = Table(
    "shifts",
    metadata,
    Column("shift_no", Integer, primary_key=True, autoincrement=False),
    Column("terminal_id", String, nullable=False),
    Column("business_day", String, nullable=False),
    Column("opened_seq", Integer, nullable=False),
    Column("opened_at", String, nullable=False),
    Column("opened_by", String, nullable=False),
    Column("opening_float_fen", Integer, nullable=False),
    Column("closed_seq", Integer, nullable=True),
    Column("closed_at", String, nullable=True),
    Column("closed_by", String, nullable=True),
    Column("expected_cash_fen", Integer, nullable=True),
    Column("counted_cash_fen", Integer, nullable=True),
)

cash_movements = Table(
    "cash_movements",
    metadata,
    Column("journal_seq", Integer, primary_key=True, autoincrement=False),
    Column("shift_no", Integer, nullable=False),
    Column("kind", String, nullable=False),  # cash_in / cash_out
    Column("amount_fen", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("by_login", String, nullable=False),
    Column("approver", String, nullable=True),
)

# Z closures (日结), one per business day and terminal; the totals are the entry's JSON.
closures = Table(
    "closures",
    metadata,
    Column("business_day", String, primary_key=True),
    Column("terminal_id", String, nullable=False),
    Column("journal_seq", Integer, nullable=False),
    Column("closed_at", String, nullable=False),
    Column("closed_by", String, nullable=False),
    Column("net_fen", Integer, nullable=False),
    Column("grand_total_fen", Integer, nullable=False),
    Column("totals", Text, nullable=False),
)

# The manager's reconciliation of a day: declared statement figures, notes, approval (locks the day).
day_reconciliations = Table(
    "day_reconciliations",
    metadata,
    Column("business_day", String, primary_key=True),
    Column("terminal_id", String, nullable=False),
    Column("journal_seq", Integer, nullable=False),
    Column("declared", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column("declared_by", String, nullable=False),
    Column("approved_by", String, nullable=True),
    Column("approved_seq", Integer, nullable=True),
)

# Report facts (pos/store/facts.py, issue 14 points 1 and 3): running totals of what the journal's
# entries add to period totals, kept in each entry's own transaction, so Z, X and 交班 read a few
# dozen rows (pos/store/totals.py) and never re-read payloads. Per (business day, shift), the sums of
# what ``PeriodTotals.add`` takes from each entry (pos.domain.closing), so Σ rows = period_totals(entries)
# to the fen, dict keys included. shift_no: the entry's shift; one that names none (voids before
# issue 11) counts in the shift that was open when it was journaled, 0 when none was. journal_seq: the
# last entry that added to the row (so ``ledger verify`` names it when the row differs). An entry is
# one fixed upsert per row; an update changes neither key nor index, so a sale dirties the two
# tables' pages and nothing else.
#
# fact_figures: PeriodTotals' count and money fields, one row per day and shift that had a sale,
# return, void or cash movement (a practice sale only counts in training_count).
fact_figures = Table(
    "fact_figures",
    metadata,
    Column("business_day", String, primary_key=True),
    Column("shift_no", Integer, primary_key=True, autoincrement=False),  # 0: no shift was open
    Column("sales_count", Integer, nullable=False),
    Column("returns_count", Integer, nullable=False),
    Column("voids_count", Integer, nullable=False),
    Column("training_count", Integer, nullable=False),
    Column("void_fen", Integer, nullable=False),
    Column("gross_fen", Integer, nullable=False),
    Column("list_total_fen", Integer, nullable=False),
    Column("discount_fen", Integer, nullable=False),
    Column("override_fen", Integer, nullable=False),
    Column("gift_fen", Integer, nullable=False),
    Column("rounding_fen", Integer, nullable=False),  # signed, as on the sales
    Column("sales_fen", Integer, nullable=False),
    Column("refunds_fen", Integer, nullable=False),
    Column("cash_in_fen", Integer, nullable=False),
    Column("cash_out_fen", Integer, nullable=False),
    Column("journal_seq", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# fact_totals: PeriodTotals' figures by key. dim 'tender' (net taken per tender: sales' tenders after
# change, returns' refunds negative), 'category', 'origin' (gift boxes by their components' counties,
# returned ones by their origin split): amount_fen. dim 'tax', key the rate label: tax_by_rate's gross
# (amount_fen), net and tax; by_rate_fen is by_tax_rate's figure, NULL while no entry added one. A row
# exists iff some entry added that key (even when it sums to 0): then the key is shown.
fact_totals = Table(
    "fact_totals",
    metadata,
    Column("business_day", String, primary_key=True),
    Column("shift_no", Integer, primary_key=True, autoincrement=False),
    Column("dim", String, primary_key=True),
    Column("key", Text, primary_key=True),
    Column("amount_fen", Integer, nullable=False),  # signed: returns negative
    Column("net_fen", Integer, nullable=False),
    Column("tax_fen", Integer, nullable=False),
    Column("by_rate_fen", Integer, nullable=True),
    Column("journal_seq", Integer, nullable=False),
    sqlite_with_rowid=False,
)
# A shift's rows (X, 交班) whatever days they fell on; only a new key inserts into it.
Index("ix_fact_totals_shift", fact_totals.c.shift_no)

# -- Stock by delivery batch (issue 15; pos/store/stock.py writes these from journal entries) -----------
# A delivery batch (山海快车 SHKC-2026-48 …) as received: the receiving record kept six months.
delivery_batches = Table(
    "delivery_batches",
    metadata,
    Column("batch_no", String, primary_key=True),
    Column("supplier", Text, nullable=False),
    Column("contact", Text, nullable=False),
    Column("arrival", String, nullable=False),
    Column("kept_until", String, nullable=False),
    Column("received_by", String, nullable=False),
    Column("source", Text, nullable=False),
    Column("lots", Integer, nullable=False),
    Column("total_cost_fen", Integer, nullable=False),
    Column("journal_seq", Integer, nullable=False),  # the first receipt of the batch
)

# One line of a batch. Quantities are grams when weighed (then unit_cost_fen is per kg), else units.
# on_hand, out_qty and out_cost_fen are running: what the lot holds, and what left it (net of
# returns) at what cost — pos.domain.stock.LotPosition, so a draw's cost is the cumulative rule's.
lots = Table(
    "lots",
    metadata,
    Column("lot_id", String, primary_key=True),
    Column("sku", String, nullable=False),
    Column("name", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("batch_no", String, nullable=False),
    Column("journal_seq", Integer, nullable=False),
    Column("received_on", String, nullable=False),
    Column("expiry", String, nullable=True),
    Column("production_date", String, nullable=True),
    Column("weighed", Boolean, nullable=False),
    Column("received_qty", Integer, nullable=False),
    Column("unit_cost_fen", Integer, nullable=False),
    Column("cost_fen", Integer, nullable=False),
    Column("origin", Text, nullable=False),
    Column("certificate_no", Text, nullable=False),
    Column("certificate_qr", Text, nullable=False),
    Column("quarantine_no", Text, nullable=False),
    Column("on_hand", Integer, nullable=False),
    Column("out_qty", Integer, nullable=False),
    Column("out_cost_fen", Integer, nullable=False),
    # on_hand > 0, written only when that changes (migration 0019): ix_lots_expiring is partial on it, so a sale
    # that lowers a lot's stock without emptying it leaves the index alone (partial on on_hand, SQLite rewrote
    # the lot's entry at every change of on_hand)
    Column("in_stock", Boolean, nullable=False, server_default="0"),
)
# a product's lots holding stock, in expiry order (the draw of a sale); its last lot received (migration 0020)
Index("ix_lots_sku", lots.c.sku, lots.c.in_stock, lots.c.expiry)
Index("ix_lots_received", lots.c.sku, lots.c.received_on, lots.c.journal_seq, lots.c.lot_id)
Index("ix_lots_batch", lots.c.batch_no)

# A tracked product's quantity that belongs to no lot: negative when sold past zero, positive when a
# count found goods of a product that never had a lot. A row exists once the product is tracked
# without a lot or went short; with lots and no row, it is 0.
stock_unlotted = Table(
    "stock_unlotted",
    metadata,
    Column("sku", String, primary_key=True),
    Column("quantity", Integer, nullable=False),
    Column("journal_seq", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Per product with lots or unlotted stock, what `stock list` shows (migration 0013): on hand (lots and
# unlotted), value at cost, lots received and holding stock, first expiry with stock. pos/store/stock.py
# rewrites a product's row from its lots in the transaction of every entry that moves its stock.
# Migration 0016 adds the catalogue's name, category and by_weight, which `stock list` shows without a join:
# not declared here (they are not from the journal, so `ledger verify` neither rebuilds nor compares them);
# SQLite triggers keep them equal to the product's in the transaction that writes either table.
stock_summary = Table(
    "stock_summary",
    metadata,
    Column("sku", String, primary_key=True),
    Column("on_hand", Integer, nullable=False),
    Column("value_fen", Integer, nullable=False),
    Column("unlotted", Integer, nullable=False),
    Column("lots", Integer, nullable=False),
    Column("lots_with_stock", Integer, nullable=False),
    Column("first_expiry", String, nullable=True),
    Column("weighed", Boolean, nullable=False),
    Column("last_received", String, nullable=True),
    # first_expiry as a day number (date.toordinal()), for the days left of a long list (migration 0017)
    Column("first_day", Integer, nullable=True),
    sqlite_with_rowid=False,
)
Index("ix_lots_expiring", lots.c.expiry, sqlite_where=(lots.c.in_stock == 1) & lots.c.expiry.isnot(None))

# Every change of stock, one row per lot touched: quantity is the change of on hand (receipts +,
# sales −, returns +, write-offs −, counts ±), cost_fen the change of stock value (same sign), net_fen
# the revenue of a sale's draw (a return's negative). Σ quantity per lot = the lot's on hand.
stock_moves = Table(
    "stock_moves",
    metadata,
    Column("journal_seq", Integer, primary_key=True, autoincrement=False),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("kind", String, nullable=False),  # receive, sale, return, write_off, adjust
    Column("business_day", String, nullable=False),
    Column("sku", String, nullable=False),
    Column("lot_id", String, nullable=True),  # NULL: unlotted (sold past zero, flagged)
    Column("batch_no", String, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("cost_fen", Integer, nullable=False),
    Column("net_fen", Integer, nullable=False),
    Column("cost_known", Boolean, nullable=False),
    Column("doc_no", String, nullable=False),  # receipt, return, batch, write-off or count number
    Column("line_no", Integer, nullable=False),  # the document's line (0: none)
    sqlite_with_rowid=False,
)
# Only by batch (trace --batch, one batch's report): a receipt's moves are read by their key (its journal seq), and
# nothing looks moves up by product or lot (migration 0018 dropped those indexes: fewer pages for a sale to write).
Index("ix_stock_moves_batch", stock_moves.c.batch_no, stock_moves.c.kind)

# Count sheets (盘点) waiting for a manager's approval: working papers, not ledger data (the approved
# adjustment is journaled as a stock_count entry). expected is what the books held when the sheet was
# taken in (as_of_seq), so selling on while it waits makes no variance.
count_sheets = Table(
    "count_sheets",
    metadata,
    Column("count_no", Integer, primary_key=True, autoincrement=False),
    Column("created_at", String, nullable=False),
    Column("by_login", String, nullable=False),
    Column("source", Text, nullable=False),
    Column("as_of_seq", Integer, nullable=False),
    Column("lines", Text, nullable=False),  # JSON: [[sku, counted, expected], …]
    Column("state", String, nullable=False),  # pending, approved, abandoned
    Column("journal_seq", Integer, nullable=True),  # the stock_count entry, once approved
)

# Members (issue 17; pos/store/members.py): read models of member_add / member_change entries and of the
# "member" of sale and return payloads. No clear phone number: a keyed hash to look up, the last 4 for the
# pick list, and the number encrypted under the store's member key (a file, never in the database).
members = Table(
    "members",
    metadata,
    Column("member_id", String, primary_key=True),
    Column("store", String, nullable=False),
    Column("phone_hash", String, nullable=False, unique=True),  # HMAC-SHA256(member key, phone), hex
    Column("phone_last4", String, nullable=False),
    Column("phone_enc", Text, nullable=False),  # AES-GCM, base64 (nonce + ciphertext)
    Column("key_id", String, nullable=False),  # which member key hashed and encrypted it
    Column("name", Text, nullable=False),
    Column("tier", String, nullable=False),
    Column("birthday", String, nullable=True),  # MM-DD
    Column("code", String, nullable=False, unique=True),  # the member card's barcode / QR text
    Column("points", Integer, nullable=False),
    Column("created_at", String, nullable=False),
    Column("created_by", String, nullable=False),
    Column("journal_seq", Integer, nullable=False),  # the member_add entry
    Column("updated_seq", Integer, nullable=False),  # the last entry that changed the row
)
Index("ix_members_last4", members.c.phone_last4)
# Points earned, redeemed and reversed, one row per sale or return of a member.
member_points = Table(
    "member_points",
    metadata,
    Column("journal_seq", Integer, primary_key=True, autoincrement=False),
    Column("member_id", String, nullable=False),
    Column("business_day", String, nullable=False),
    Column("kind", String, nullable=False),  # sale, return
    Column("doc_no", String, nullable=False),  # receipt or return number
    Column("earned", Integer, nullable=False),
    Column("redeemed", Integer, nullable=False),
    Column("reversed", Integer, nullable=False),
    Column("redeem_fen", Integer, nullable=False),
)
Index("ix_member_points_member", member_points.c.member_id, member_points.c.journal_seq)

# Read models that `ledger verify` rebuilds from the journal and compares, in this order.
LEDGER_READ_MODELS = (sales, sale_lines, payments, held_sales, returns, return_lines, refunds, shifts, cash_movements,
                      closures, day_reconciliations, fact_figures, fact_totals, delivery_batches, lots, stock_unlotted,
                      stock_moves, stock_summary, members, member_points)

# Product search (pos/search_index.py, pos/services/search.py): lower-case terms per product,
# answered by prefix range scans on the primary key. WITHOUT ROWID: the (term, sku) key *is* the
# row, so the table is one b-tree with nothing to look up after the scan. The sku index exists
# so that re-importing a product can delete its old terms without a full scan.
product_search = Table(
    "product_search",
    metadata,
    Column("term", Text, primary_key=True),
    Column("sku", Text, primary_key=True),
    sqlite_with_rowid=False,
)
Index("ix_product_search_sku", product_search.c.sku)

# Head-office sync (pos/services/sync.py): one row per sync cycle, for the status screen and support.
# The watermark, enrolled URL and master-data version are meta keys (sync:*); the secret is never here.
sync_runs = Table(
    "sync_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String, nullable=False),
    Column("finished_at", String, nullable=False),
    Column("url", Text, nullable=True),
    Column("ok", Boolean, nullable=False),
    Column("sent", Integer, nullable=False),
    Column("acknowledged_seq", Integer, nullable=False),
    Column("master_version", Integer, nullable=False),
    Column("changes", Integer, nullable=False),
    Column("error", Text, nullable=True),
    Column("error_zh", Text, nullable=True),
)

from sqlalchemy import LargeBinary  # noqa: E402 - kept with the one table that needs it

# Print queue (pos/services/print_queue.py): jobs that did not reach the printer, kept with their
# exact bytes until the cashier retries or abandons them. Not ledger data: the sale is already
# journaled; this is only the paper copy waiting for a printer.
print_jobs = Table(
    "print_jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", String, nullable=False),
    Column("receipt_no", String, nullable=True),
    Column("kind", String, nullable=False),  # receipt, reprint, test, raw
    Column("bytes", LargeBinary, nullable=False),
    Column("text", Text, nullable=True),
    Column("attempts", Integer, nullable=False, default=1),
    Column("last_error", Text, nullable=True),
    Column("state", String, nullable=False, default="pending"),  # pending, printed, abandoned
    Column("updated_at", String, nullable=True),
)
Index("ix_print_jobs_state", print_jobs.c.state, print_jobs.c.id)
