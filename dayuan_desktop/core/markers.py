"""The markers a database keeps of the code that made it current, importable without SQLAlchemy.

``core.db`` (schema) and ``core.search`` (index format) use them; ``core.quick_list`` reads
them to decide, with the sqlite3 module alone, whether a database is current.
"""

# The newest migration's id. Kept here (a test checks it against the migration scripts) so
# that opening an up-to-date database does not have to load Alembic (~0.3 s at start-up).
SCHEMA_HEAD = "0010"

# The search index's format: bumped whenever normalisation or tokenisation changes
# (core/search/text.py); the store rebuilds the index on open.
SEARCH_FORMAT = "7"

# The formats whose PostgreSQL index is the same: there it is the normalised text alone, and
# formats 5 to 7 changed only SQLite's tokens. A server found at one of them is current: a
# newer app must not rebuild a newsroom's whole index for nothing, and apps of two versions
# sharing one server must not rebuild it in turn, each time one of them opens it. Start a new
# set when normalisation changes.
SERVER_TEXT_FORMATS = frozenset({"5", "6", "7"})

# app_meta's key for the token that SQLite triggers replace whenever anything an export reads
# changes (migration 0010); ``core.export.quick_export`` compares it with the last export's.
EXPORT_INPUTS_KEY = "export_inputs"
