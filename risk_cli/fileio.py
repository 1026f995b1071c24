"""Safe output: every file is written to a temporary file beside it, then renamed into place.

A crash, a kill or a full disk mid-write therefore never leaves a half-written file, and a
previous file at the path survives intact. Without `force`, an existing file is never
replaced, even by a second run racing this one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

from risk_cli.errors import RiskCliError


# Temporary files being written now, so that a process ended by a signal (a batch worker on
# SIGTERM) can remove them before it exits; see remove_pending().
_PENDING: set[str] = set()


def remove_pending() -> None:
    """Remove every temporary file this process is writing (for a signal handler about to exit).
    A file already renamed into place is complete and stays."""
    for name in list(_PENDING):
        try:
            os.unlink(name)
        except OSError:
            pass
    _PENDING.clear()


def check_writable(path: Path, force: bool) -> None:
    """Fail early, before any work, if `path` cannot or must not be written."""
    if path.is_dir():
        raise RiskCliError(f"{path}: is a directory; give a file name")
    if path.exists() and not force:
        raise RiskCliError(f"{path}: already exists; use --force to replace it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise RiskCliError(f"{path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise RiskCliError(f"{path}: cannot write in the folder {parent} (permission denied)")


def atomic_write(path: Path, write: Callable[[Path], None], force: bool = True) -> None:
    """Call `write(tmp)` to fill a temporary file, then move it to `path` in one step."""
    path = Path(path)
    check_writable(path, force)
    parent = path.parent if str(path.parent) else Path(".")
    mine = set(_PENDING)
    try:
        tmp = _temp_beside(path)
        write(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        if force:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
        _sync_folder(parent)
    except OSError as exc:
        raise RiskCliError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        _forget_new(mine)  # the temporary file, whenever Ctrl-C or SIGTERM came


def atomic_write_all(files: Sequence[tuple[Path, Callable[[Path], None]]], force: bool = True) -> None:
    """Write several files all or nothing: each `write(tmp)` fills a temporary file beside its path,
    and only when every one is complete are they moved into place. If anything fails (a full disk,
    a file that appeared meanwhile, Ctrl-C or SIGTERM), the temporary files are removed and any file
    already moved into place is taken back out (a file it replaced, with `force`, is put back), so
    either every file is written or none is. Raises RiskCliError naming the file that failed."""
    staged: list[tuple[Path, Path]] = []  # (path, its temporary file)
    placed: list[tuple[Path, Optional[Path]]] = []  # (path, the backup of what it replaced)
    current = Path(files[0][0]) if files else Path(".")
    done = False
    mine = set(_PENDING)
    try:
        for path, write in files:
            current = Path(path)
            check_writable(current, force)
            tmp = _temp_beside(current)
            staged.append((current, tmp))
            write(tmp)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
        for path, tmp in staged:
            current = path
            backup = _backup(path) if force else None
            try:
                if force:
                    os.replace(tmp, path)
                else:
                    _link_new(tmp, path)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            placed.append((path, backup))
        for folder in {p.parent if str(p.parent) else Path(".") for p, _ in staged}:
            _sync_folder(folder)
        done = True
    except OSError as exc:
        raise RiskCliError(f"{current}: cannot write ({exc.strerror or exc})") from None
    finally:
        for _, tmp in staged:
            _quietly(tmp.unlink, True)
            _PENDING.discard(str(tmp))
        _forget_new(mine)  # one made just as Ctrl-C came, before it was staged
        for path, backup in reversed(placed):
            if done:
                if backup is not None:
                    _quietly(backup.unlink, True)
            elif backup is not None:
                _quietly(os.replace, backup, path)
            else:
                _quietly(path.unlink, True)


def _temp_beside(path: Path) -> Path:
    """A new temporary file beside `path`, listed in _PENDING before Ctrl-C or SIGTERM can land
    (they are held off while it is made), so the caller's clean-up always finds it."""
    parent = path.parent if str(path.parent) else Path(".")
    held = {signal.SIGINT, signal.SIGTERM}
    mask = getattr(signal, "pthread_sigmask", None)
    old = mask(signal.SIG_BLOCK, held) if mask else None
    try:
        fd, name = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
        _PENDING.add(name)
        os.close(fd)
    finally:
        if mask:
            mask(signal.SIG_SETMASK, old)
    return Path(name)


def _forget_new(before: set[str]) -> None:
    """Remove the temporary files listed since `before` was taken that are still there."""
    for name in _PENDING - before:
        _quietly(os.unlink, name)
        _PENDING.discard(name)


def _backup(path: Path) -> Optional[Path]:
    """A second name for the file at `path` (a hard link), to put it back if the files written
    with it cannot all be written; None when nothing is there or links are not possible."""
    if not path.exists():
        return None
    parent = path.parent if str(path.parent) else Path(".")
    name = Path(tempfile.mktemp(dir=parent, prefix=f".{path.name}.", suffix=".old.tmp"))
    try:
        os.link(path, name)
    except OSError:
        return None
    return name


def _quietly(fn: Callable[..., Any], *args: Any) -> None:
    """Clean-up that must not hide the error being reported."""
    try:
        fn(*args)
    except OSError:
        pass


def atomic_write_text(path: Path, text: str, force: bool = True) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"), force)


def atomic_write_bytes(path: Path, data: bytes, force: bool = True) -> None:
    atomic_write(path, lambda tmp: tmp.write_bytes(data), force)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable: until the folder is synced, a power cut can lose the new
    name even though the file's bytes are on disk. Not every platform can open a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _link_new(tmp: Path, path: Path) -> None:
    """Put `tmp` at `path` only if nothing is there, atomically (a racing run cannot clobber it)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise RiskCliError(f"{path}: already exists; use --force to replace it") from None
    except OSError:
        # no hard links on this file system: check, then rename (a small race window remains)
        if path.exists():
            raise RiskCliError(f"{path}: already exists; use --force to replace it") from None
        os.replace(tmp, path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


LOCK_NAME = ".risk-cli.lock"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the output folder for one run: a second risk-cli writing there at the same time is
    refused at once, before it writes anything ("another risk-cli is writing to FOLDER").

    The lock is an exclusive, non-blocking flock on FOLDER/.risk-cli.lock, removed when the run
    ends (a run killed with kill -9 leaves the file, but the kernel releases the lock, so the next
    run takes it). The folder is created if missing, and removed again if the run wrote nothing
    in it. Where locks are not available (no fcntl, or a file system without them) the run goes
    on unlocked: each output is still created without replacing anything unless --force.
    """
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    folder = Path(folder)
    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RiskCliError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None
    lock = folder / LOCK_NAME
    fd: Optional[int] = None
    try:
        while True:
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
            except OSError as exc:
                why = "permission denied" if exc.errno in (errno.EACCES, errno.EPERM) else (exc.strerror or str(exc))
                raise RiskCliError(f"{folder}: cannot write in this folder ({why})") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                os.close(fd)
                fd = None
                if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise RiskCliError(f"another risk-cli is writing to {folder}; wait for it to finish, "
                                       "or write to another folder") from None
                break  # this file system has no locks: go on without
            try:  # the run that held it may have removed the file just before it was locked here
                if os.path.samestat(os.fstat(fd), os.stat(lock)):
                    break
            except OSError:
                pass
            os.close(fd)
            fd = None
        yield
    finally:
        if fd is not None:
            _quietly(os.unlink, lock)
            os.close(fd)
        if made:
            _quietly(os.rmdir, folder)  # only if empty: the run wrote nothing there


def free_name(path: Path) -> Path:
    """`path`, or `name-2.ext`, `name-3.ext`... whichever does not exist yet."""
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1
