"""Domain errors. Each keeps its cause (raise ... from exc) and names what the user must fix."""
from __future__ import annotations

import errno


class EtlError(Exception):
    """Base of every error the ETL reports to a user."""


class FileReadError(EtlError):
    """A whole file cannot be read: unknown encoding, not a spreadsheet, no header, unknown type."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file, self.reason = file, reason


class BuildError(EtlError):
    """A build failed (a data test, an I/O error); nothing was published."""


class PublishBusyError(EtlError):
    """Another publish (build, import or restore) held the lock longer than a publish waits."""


class StorageError(EtlError):
    """A file could not be written (disk full, read-only or forbidden folder); nothing was changed."""

    def __init__(self, exc: OSError, folder, doing: str):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            cause, advice = f"磁盘空间不足，无法写入 {folder}", "请清理磁盘空间后重试。"
        elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            cause, advice = f"文件夹 {folder} 不可写（只读或没有写入权限）", "请联系管理员。"
        else:
            cause, advice = f"写入 {folder} 时出错（{exc.strerror or exc}）", "请稍后重试。"
        super().__init__(f"{cause}；{doing}未完成，数据库未作更改。{advice}")
