"""SQL of the accountant's period reports (issue 16; :mod:`pos.services.period_reports` lays them out).

Fixed SELECTs over the read models, each an aggregate over one period of business days (``?`` pairs
are the first and last day, ``YYYY-MM-DD``, both included). Sales and returns are found through
``ix_sales_day`` / the returns' business day and never include practice (training) documents; the
report facts (``fact_figures``, ``fact_totals``) hold no practice figures at all. Costs come from the
stock moves a sale or return made (``stock_moves``: ``cost_fen`` is the change of stock value, so a
sale's cost is its negative), found by the document's journal seq (stock_moves' key begins with it).
"""

from __future__ import annotations

# -- facts: what the Zs say, per business day ---------------------------------------------------------
DAILY = ("SELECT business_day, SUM(sales_count), SUM(list_total_fen), SUM(discount_fen), SUM(override_fen), "
         "SUM(gift_fen), SUM(rounding_fen), SUM(sales_fen), SUM(returns_count), SUM(refunds_fen) FROM fact_figures "
         "WHERE business_day BETWEEN ? AND ? GROUP BY business_day ORDER BY business_day")

# 促销 and 积分抵扣 per business day (issue 17: fact_totals dim 'reduction', keys 'promotion' and 'points').
DAILY_REDUCTIONS = ("SELECT business_day, key, SUM(amount_fen) FROM fact_totals "
                    "WHERE business_day BETWEEN ? AND ? AND dim = 'reduction' GROUP BY business_day, key")

# dim: tender, category, origin, tax
BY_DIM = ("SELECT key, SUM(amount_fen), SUM(net_fen), SUM(tax_fen) FROM fact_totals "
          "WHERE business_day BETWEEN ? AND ? AND dim = ? GROUP BY key ORDER BY key")

# Net takings per tender and business day (to compare the closed days with their Zs).
TENDER_BY_DAY = ("SELECT business_day, key, SUM(amount_fen) FROM fact_totals "
                 "WHERE business_day BETWEEN ? AND ? AND dim = 'tender' GROUP BY business_day, key")

# Days with a sale, return or void (a Z closes them) in the period.
ACTIVE_DAYS = ("SELECT business_day FROM fact_figures WHERE business_day BETWEEN ? AND ? "
               "GROUP BY business_day HAVING SUM(sales_count) + SUM(returns_count) + SUM(voids_count) > 0")

# -- documents -----------------------------------------------------------------------------------------
_SALES = "FROM sales AS s JOIN sale_lines AS sl ON sl.receipt_no = s.receipt_no " \
         "WHERE s.business_day BETWEEN ? AND ? AND s.training = 0"
_RETURNS = "FROM returns AS r JOIN return_lines AS rl ON rl.return_no = r.return_no " \
           "WHERE r.business_day BETWEEN ? AND ? AND r.training = 0"

# Per product, category and business day (what 商品/分类汇总 and 毛利 add up), sales and returns.
LINE_SALES = ("SELECT sl.sku, sl.category, s.business_day, MAX(sl.name), MAX(sl.sold_by), SUM(sl.quantity), "
              f"SUM(sl.net_fen), SUM(sl.tax_fen), COUNT(*) {_SALES} GROUP BY 1, 2, 3")
LINE_RETURNS = ("SELECT rl.sku, rl.category, r.business_day, MAX(rl.name), SUM(rl.quantity), SUM(rl.refund_fen), "
                f"SUM(rl.tax_fen), COUNT(*) {_RETURNS} GROUP BY 1, 2, 3")

# The cost of the lines that drew stock: the period's sales (ix_sales_day), their moves (the moves' primary
# key starts with the sale's journal seq) and each move's line — per product, category and day, the known
# cost, the lines that moved stock and those of them with a draw of unknown cost. A line that moved nothing
# (goods not followed) has no cost known: lines − moved lines + lines with an unknown draw are the lines of
# unknown cost. A sale's cost is the stock value it took (−cost_fen); a return's the value it put back
# (−cost_fen < 0). A line is journal_seq·100000 + line_no (a sale has far fewer than 100,000 lines).
_LINE_KEY = "m.journal_seq * 100000 + m.line_no"
# Also the revenue of the draws of known cost (a draw's net is its share of the line's net; a return's is
# negative) and how many draws have a known cost: the margin is taken over the goods whose cost is known.
_MOVED_SUMS = (f"SUM(CASE WHEN m.cost_known THEN -m.cost_fen ELSE 0 END), COUNT(DISTINCT {_LINE_KEY}), "
               f"COUNT(DISTINCT CASE WHEN m.cost_known THEN NULL ELSE {_LINE_KEY} END), "
               "SUM(CASE WHEN m.cost_known THEN m.net_fen ELSE 0 END), SUM(CASE WHEN m.cost_known THEN 1 ELSE 0 END)")
MOVED_SALE_LINES = (f"SELECT sl.sku, sl.category, s.business_day, {_MOVED_SUMS} FROM sales AS s "
                    "JOIN stock_moves AS m ON m.journal_seq = s.journal_seq "
                    "JOIN sale_lines AS sl ON sl.receipt_no = s.receipt_no AND sl.line_no = m.line_no "
                    "WHERE s.business_day BETWEEN ? AND ? AND s.training = 0 AND m.kind = 'sale' GROUP BY 1, 2, 3")
MOVED_RETURN_LINES = (f"SELECT rl.sku, rl.category, r.business_day, {_MOVED_SUMS} FROM returns AS r "
                      "JOIN stock_moves AS m ON m.journal_seq = r.journal_seq "
                      "JOIN return_lines AS rl ON rl.return_no = r.return_no AND rl.line_no = m.line_no "
                      "WHERE r.business_day BETWEEN ? AND ? AND r.training = 0 AND m.kind = 'return' GROUP BY 1, 2, 3")

# Per delivery batch: revenue (sales less returns), the cost of the goods that left it in the period and
# the revenue of the draws of known cost — through the period's own sales and returns (the moves' key
# starts with the document's journal seq), so the query reads the period, not the whole history. Four
# parameters: the period twice.
BATCH_MARGIN = ("SELECT m.batch_no, SUM(m.net_fen), SUM(CASE WHEN m.cost_known THEN -m.cost_fen ELSE 0 END), "
                "SUM(CASE WHEN m.cost_known THEN 0 ELSE 1 END), MAX(b.supplier), "
                "SUM(CASE WHEN m.cost_known THEN m.net_fen ELSE 0 END), SUM(CASE WHEN m.cost_known THEN 1 ELSE 0 END) "
                "FROM (SELECT journal_seq FROM sales WHERE business_day BETWEEN ? AND ? AND training = 0 UNION ALL "
                "SELECT journal_seq FROM returns WHERE business_day BETWEEN ? AND ? AND training = 0) AS d "
                "JOIN stock_moves AS m ON m.journal_seq = d.journal_seq "
                "LEFT JOIN delivery_batches AS b ON b.batch_no = m.batch_no "
                "WHERE m.kind IN ('sale', 'return') GROUP BY m.batch_no ORDER BY m.batch_no")

REFUNDS_BY_TENDER = ("SELECT f.tender, SUM(f.amount_fen) FROM returns AS r JOIN refunds AS f ON f.return_no = r.return_no "
                     "WHERE r.business_day BETWEEN ? AND ? AND r.training = 0 GROUP BY f.tender")

# Local time of a document as text ('YYYY-MM-DD HH:MM:SS'); the one parameter is an offset like '+480 minutes'.
_LOCAL = "strftime('%Y-%m-%d %H:%M:%S', {}, ?)"

# Every sale and return of the period with its tenders, one row per tender (a document's rows together);
# times as stored (UTC), turned into local time by the caller.
SALE_DOCS_TENDERS = ("SELECT s.created_at, s.receipt_no, s.cashier, s.total_fen, s.change_fen, p.tender, p.amount_fen, "
                     "p.reference FROM sales AS s LEFT JOIN payments AS p ON p.receipt_no = s.receipt_no "
                     "WHERE s.business_day BETWEEN ? AND ? AND s.training = 0")
RETURN_DOCS_TENDERS = ("SELECT r.created_at, r.return_no, r.cashier, r.refund_fen, 0, f.tender, f.amount_fen, f.reference "
                       "FROM returns AS r LEFT JOIN refunds AS f ON f.return_no = r.return_no "
                       "WHERE r.business_day BETWEEN ? AND ? AND r.training = 0")
RETURN_TENDERS = ("SELECT f.return_no, f.tender, f.amount_fen, f.reference FROM returns AS r "
                  "JOIN refunds AS f ON f.return_no = r.return_no "
                  "WHERE r.business_day BETWEEN ? AND ? AND r.training = 0 ORDER BY f.return_no, f.idx")

RETURN_LINES = (f"SELECT {_LOCAL.format('r.created_at')}, r.return_no, r.receipt_no, r.cashier, rl.sku, rl.name, "
                "rl.quantity, rl.refund_fen, rl.tax_fen, COALESCE(sl.sold_by, p.sold_by, 'unit') "
                "FROM returns AS r JOIN return_lines AS rl ON rl.return_no = r.return_no "
                "LEFT JOIN sale_lines AS sl ON sl.receipt_no = r.receipt_no AND sl.line_no = rl.orig_line_no "
                "LEFT JOIN products AS p ON p.sku = rl.sku "
                "WHERE r.business_day BETWEEN ? AND ? AND r.training = 0 ORDER BY r.created_at, r.return_no, rl.line_no")

# Lines with a 折扣, 改价, 赠送 or a share of 抹零, in one pass (payloads are read only for the sales with
# a 折扣, 改价 or 赠送: who approved). Times as stored (UTC).
REDUCED_LINES = ("SELECT s.created_at, s.receipt_no, s.cashier, s.journal_seq, sl.line_no, sl.name, "
                 f"sl.discount_fen, sl.override_fen, sl.gift_fen, sl.rounding_fen, sl.promotion_fen, sl.points_fen {_SALES} "
                 "AND (sl.discount_fen != 0 OR sl.override_fen != 0 OR sl.gift_fen != 0 OR sl.rounding_fen != 0 "
                 "OR sl.promotion_fen != 0 OR sl.points_fen != 0)")

VOUCHERS = (f"SELECT {_LOCAL.format('s.created_at')}, s.receipt_no, p.reference, p.amount_fen, s.cashier FROM sales AS s "
            "JOIN payments AS p ON p.receipt_no = s.receipt_no "
            "WHERE s.business_day BETWEEN ? AND ? AND s.training = 0 AND p.tender = 'voucher' ORDER BY s.created_at, p.idx")

HOURS_SALES = ("SELECT CAST(strftime('%H', created_at, ?) AS INTEGER), COUNT(*), SUM(total_fen) FROM sales "
               "WHERE business_day BETWEEN ? AND ? AND training = 0 GROUP BY 1")
HOURS_REFUNDS = ("SELECT CAST(strftime('%H', created_at, ?) AS INTEGER), SUM(refund_fen) FROM returns "
                 "WHERE business_day BETWEEN ? AND ? AND training = 0 GROUP BY 1")

# -- institution accounts (挂账): per code, before the period (< first day) and in it ------------------------
ACCOUNT_CHARGED = ("SELECT p.reference, SUM(CASE WHEN s.business_day < ? THEN p.amount_fen ELSE 0 END), "
                   "SUM(CASE WHEN s.business_day BETWEEN ? AND ? THEN p.amount_fen ELSE 0 END) FROM payments AS p "
                   "JOIN sales AS s ON s.receipt_no = p.receipt_no WHERE p.tender = 'account' AND s.training = 0 "
                   "AND s.business_day <= ? GROUP BY p.reference")
ACCOUNT_RETURNED = ("SELECT f.reference, SUM(CASE WHEN r.business_day < ? THEN f.amount_fen ELSE 0 END), "
                    "SUM(CASE WHEN r.business_day BETWEEN ? AND ? THEN f.amount_fen ELSE 0 END) FROM refunds AS f "
                    "JOIN returns AS r ON r.return_no = f.return_no WHERE f.tender = 'account' AND r.training = 0 "
                    "AND r.business_day <= ? GROUP BY f.reference")
# 回款 entries (pos.services.period_reports.ACCOUNT_PAYMENT): few, read from the journal by kind.
ACCOUNT_PAID = ("SELECT json_extract(payload, '$.code'), SUM(CASE WHEN business_day < ? THEN json_extract(payload, '$.amount') "
                "ELSE 0 END), SUM(CASE WHEN business_day BETWEEN ? AND ? THEN json_extract(payload, '$.amount') ELSE 0 END) "
                "FROM journal WHERE kind = 'account_payment' AND business_day <= ? GROUP BY 1")
ACCOUNTS = "SELECT code, name, credit_limit_fen FROM accounts ORDER BY code"

ZS = ("SELECT business_day, closed_at, closed_by, net_fen, grand_total_fen, journal_seq, totals FROM closures "
      "WHERE business_day BETWEEN ? AND ? ORDER BY business_day")

USERS = "SELECT login, display_name FROM users"
VARIANTS = ("SELECT sku, style, size, color FROM products "
            "WHERE (size IS NOT NULL AND size != '') OR (color IS NOT NULL AND color != '')")
# (only those that name an approver: the rest have nothing to tell the reductions report)
PAYLOADS = "SELECT seq, payload FROM journal WHERE terminal_id = ? AND seq IN ({}) AND instr(payload, '\"approver\"') > 0"
LAST_SEQ = "SELECT MAX(seq) FROM journal WHERE terminal_id = ?"

# Promotions (issue 17): the period's sales that took one (their payload names each promotion and what it
# took off), and the returned lines of sales, with the sale's journal seq to read the line's promotion shares.
PROMO_SALES = ("SELECT s.receipt_no, j.payload FROM sales AS s JOIN journal AS j ON j.terminal_id = ? "
               "AND j.seq = s.journal_seq WHERE s.business_day BETWEEN ? AND ? AND s.training = 0 "
               "AND instr(j.payload, '\"promos\"') > 0")
PROMO_RETURNED_LINES = ("SELECT s.journal_seq, rl.orig_line_no, rl.quantity FROM returns AS r "
                        "JOIN return_lines AS rl ON rl.return_no = r.return_no JOIN sales AS s ON s.receipt_no = r.receipt_no "
                        "WHERE r.business_day BETWEEN ? AND ? AND r.training = 0 AND rl.orig_line_no IS NOT NULL "
                        "ORDER BY s.journal_seq")
PAYLOADS_WITH_PROMO = ("SELECT seq, payload FROM journal WHERE terminal_id = ? AND seq IN ({}) "
                       "AND instr(payload, '\"promo\"') > 0")

# Members: each member's sales and returns in the period with their points and amounts, the points moved
# after the period (to take the balance back to the period's end), and the members themselves.
MEMBER_DOCS = ("SELECT mp.member_id, mp.kind, mp.earned, mp.redeemed, mp.reversed, mp.redeem_fen, "
               "COALESCE(s.total_fen, r.refund_fen) FROM member_points AS mp "
               "LEFT JOIN sales AS s ON mp.kind = 'sale' AND s.receipt_no = mp.doc_no "
               "LEFT JOIN returns AS r ON mp.kind = 'return' AND r.return_no = mp.doc_no "
               "WHERE mp.business_day BETWEEN ? AND ?")
MEMBER_POINTS_AFTER = ("SELECT member_id, SUM(earned - redeemed - reversed) FROM member_points "
                       "WHERE business_day > ? GROUP BY member_id")
MEMBERS = "SELECT member_id, code, name, tier, phone_last4, points FROM members"
