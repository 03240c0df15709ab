"""Head office (总部): receives every counter's journal in signed batches, serves master data, reports.

``python main.py headoffice serve --db URL --port N``. SQLite by default, PostgreSQL by URL
(``postgresql+psycopg://user@host/db``). Its own schema and alembic migrations live here,
separate from the till's.
"""
