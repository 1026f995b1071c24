"""Safe input and output.

Output: every file is written to a temporary file beside it, then renamed into place.
A crash, a kill or a full disk mid-write therefore never leaves a half-written file, and a
previous file at the path survives intact. Without `force`, an existing file is never
replaced, even by a second run racing this one.

Input: only regular files are read (after following symlinks), and never more than a given
number of bytes, so a symlink to /dev/zero, a FIFO or a process substitution (/dev/fd/N) cannot
exhaust memory or hang a run: each is refused in one line before it is opened.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Optional, Sequence

from risk_cli.errors import InputProblems, Problem, RiskCliError

NOT_REGULAR = "is not a regular file ({kind}); give an ordinary file"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe or FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def _refuse(name: str, message: str) -> InputProblems:
    return InputProblems([Problem(name, message)])


def regular_stat(path: Path | str, name: str, directory: str = "is a directory, not a file") -> os.stat_result:
    """`os.stat` of `path` (symlinks followed), refusing anything but a regular file in one line,
    before it is ever opened: a FIFO would block the open, a device would never end."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise _refuse(name, "no such file") from None
    except PermissionError:
        raise _refuse(name, "cannot be read (permission denied)") from None
    except (OSError, ValueError) as exc:
        raise _refuse(name, f"cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise _refuse(name, directory)
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(name, NOT_REGULAR.format(kind=_kind(st.st_mode)))
    return st


def open_regular(path: Path | str, name: str, directory: str = "is a directory, not a file") -> BinaryIO:
    """`path` opened for reading in binary, if it is a regular file (see `regular_stat`). Opened
    non-blocking and checked again once open, so a file swapped for a FIFO or a device between
    the check and the open is refused too, without hanging."""
    regular_stat(path, name, directory)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise _refuse(name, "no such file") from None
    except PermissionError:
        raise _refuse(name, "cannot be read (permission denied)") from None
    except OSError as exc:
        raise _refuse(name, f"cannot be read ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise _refuse(name, f"cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _refuse(name, NOT_REGULAR.format(kind=_kind(mode)))
    return os.fdopen(fd, "rb")


def read_limited(path: Path | str, limit: int, name: str, *, directory: str = "is a directory, not a file") -> bytes:
    """The bytes of the regular file `path`, refused in one line naming it if over `limit` bytes
    (never more than limit + 1 are read, whatever the file claims its size is), or if it is
    missing, unreadable or not a regular file."""
    with open_regular(path, name, directory) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise _refuse(name, f"is {size:,} bytes; the limit is {limit:,}")
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise _refuse(name, f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > limit:  # it grew after the check
        raise _refuse(name, f"is over {limit:,} bytes; the limit is {limit:,}")
    return raw


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


def long_part(path: Path) -> str | None:
    """Why a folder path cannot exist on common file systems (one of its names is over NAME_MAX
    bytes), before asking the file system about it, which fails with no hint of the cause."""
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > NAME_MAX:
            return f"a folder name in it is {size:,} bytes long; the limit is {NAME_MAX}: give a shorter name"
    return None


def check_writable(path: Path, force: bool) -> None:
    """Fail early, before any work, if `path` cannot or must not be written."""
    if len(os.fsencode(path.name)) > NAME_MAX:
        raise RiskCliError(f"{path}: the file name is {len(os.fsencode(path.name)):,} bytes long; the limit is "
                           f"{NAME_MAX}: give a shorter name")
    try:
        _check_writable(path, force)
    except OSError as exc:
        raise RiskCliError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _check_writable(path: Path, force: bool) -> None:
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
        # a short fixed prefix, not the file's own name: `path` may be 255 bytes long already
        fd, name = tempfile.mkstemp(dir=parent, prefix=".risk-cli-", suffix=".tmp")
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
    name = Path(tempfile.mktemp(dir=parent, prefix=".risk-cli-", suffix=".old.tmp"))
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


NAME_MAX = 255  # bytes in one file name on common file systems (ext4, APFS, NTFS: 255 characters)
SHORT_STEM = 200  # bytes a shortened stem is cut to, leaving room for any suffix risk-cli adds


def fit_stem(stem: str, suffix: str) -> str:
    """`stem`, or when `stem + suffix` would be over NAME_MAX bytes, `stem` cut to SHORT_STEM bytes
    (at a character boundary) plus '-' and 12 hex digits of its SHA-256: deterministic, distinct for
    distinct stems, and the same for every suffix, so the outputs made from one input keep one stem."""
    if len((stem + suffix).encode("utf-8")) <= NAME_MAX:
        return stem
    import hashlib

    digest = hashlib.sha256(stem.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    cut = stem.encode("utf-8", "surrogateescape")[:SHORT_STEM].decode("utf-8", "ignore")
    return f"{cut}-{digest}"


def fit_name(stem: str, suffix: str) -> str:
    """The file name `stem + suffix`, its stem shortened by `fit_stem` if it would be too long."""
    return fit_stem(stem, suffix) + suffix


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
