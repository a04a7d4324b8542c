"""Atomic file writes: a reader never sees a half-written file."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from modelrace.models.system.errors import OutputError


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it.

    A symbolic link is followed: the file it points to is replaced, and the link stays. A device,
    FIFO or socket is refused, and nothing is replaced. Raises OutputError with a clear message when
    the folder is missing or not writable; no temporary file is left behind.
    """
    target = destination(path)
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {folder} ({exc.strerror}); choose a writable folder") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if hasattr(os, "fchmod"):  # POSIX: mkstemp makes 0600; users expect their usual mode
                os.fchmod(handle.fileno(), _mode_for(target))
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        _remove_quietly(Path(tmp))
        raise OutputError(f"{path}: could not be written ({exc.strerror}); check free space and permissions") from exc
    except BaseException:
        _remove_quietly(Path(tmp))
        raise


_NOT_FILES = ((stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
              (stat.S_ISSOCK, "a socket"))


def destination(path: Path) -> Path:
    """The file a write to ``path`` replaces: ``path`` itself, or the file its symbolic link(s) point to.

    Raises OutputError (one line, nothing touched) for a folder, a device, a FIFO, a socket, a link
    that loops, or a missing folder.
    """
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # a link that loops, or a path through a file
        raise OutputError(f"{path}: cannot be written ({exc.strerror}); give a plain file name") from exc
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a folder; give a file name such as {path / 'result.json'}")
    for check, kind in _NOT_FILES:
        if mode is not None and check(mode):
            raise OutputError(f"{path}: is {kind}, not a file; nothing was written to it, give a file name instead")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist; create it or choose another path")
    return target


def _mode_for(path: Path) -> int:
    """The permission bits a plain ``open(path, "w")`` would give: the old file's, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    try:  # Linux shows it without changing it (os.umask can only read it by setting it)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically (see :func:`write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def check_writable(path: Path) -> None:
    """Fail early, before any work, if ``path`` could not be written later.

    Creates and removes a temporary file beside it (beside the file a link points to), so that
    permission, missing-folder and special-file problems surface before a long race, not after it.
    """
    target = destination(path)
    folder = target.parent
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(f"{path}: the file is read-only; choose another path or change its permissions")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".probe", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {folder} ({exc.strerror}); choose a writable folder") from exc
    os.close(fd)
    _remove_quietly(Path(tmp))


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
