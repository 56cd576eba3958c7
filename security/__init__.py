"""Who may sign in, what each role may do, and the audit trail of who did what.

Kept beside the warehouse, never in it: a publish or a rollback replaces the DuckDB file, and must
rewind neither accounts nor the audit trail. No Streamlit and no read side here, so the command line,
the ETL and the web layer can all use it.

- `security.roles`: the role × action matrix (reference data in `security/reference/permissions.csv`).
- `security.accounts`: local accounts (argon2id), lockout, sessions, one-time tickets (SQLite).
- `security.audit`: the append-only, hash-chained audit trail (JSON Lines).
- `security.cli`: `python -m etl users ...` and `python -m etl audit ...`.
"""
