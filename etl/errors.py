"""Domain errors. Each keeps its cause (raise ... from exc) and names what the user must fix."""
from __future__ import annotations


class EtlError(Exception):
    """Base of every error the ETL reports to a user."""


class FileReadError(EtlError):
    """A whole file cannot be read: unknown encoding, not a spreadsheet, no header, unknown type."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file, self.reason = file, reason


class BuildError(EtlError):
    """A build failed (a data test, an I/O error); nothing was published."""
