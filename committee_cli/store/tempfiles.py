"""The one way committee-cli writes a temp file: hidden, unpredictable, never through a link.

Every file the tool writes (registry files, the change journal, rendered documents, the cache)
is first written to ``.<name>.<8 random characters>.tmp`` beside it, created with
``O_CREAT|O_EXCL|O_NOFOLLOW`` (a name planted in advance, or a symlink there, is never
opened), then renamed into place. A failure at any step removes the temp file and raises an
OSError that names the file being written, never the temp name alone.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_"
_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
          | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
TEMP_SUFFIX = ".tmp"


def temp_name(name: str) -> str:
    """A fresh hidden temp name for a file called ``name`` (8 random characters)."""
    return f".{name}.{''.join(secrets.choice(_ALPHABET) for _ in range(8))}{TEMP_SUFFIX}"


def _named(exc: OSError, target: Path) -> OSError:
    """The same error, naming the file being written."""
    return OSError(exc.errno, exc.strerror or str(exc), str(target))


def write_temp(target: Path, data: bytes | Iterable[bytes], mode: int,
               fsync: bool = True) -> Path:
    """Write ``data`` to a new temp file beside ``target`` (which is not touched); return it.
    ``data``: the bytes, or pieces written one after the other (a large payload behind a short
    header is not copied to join them)."""
    folder = target.parent
    for _ in range(100):
        tmp = folder / temp_name(target.name)
        try:
            fd = os.open(tmp, _FLAGS, 0o600)
            break
        except FileExistsError:
            continue  # taken (or planted): draw another name
        except OSError as exc:
            raise _named(exc, target) from None
    else:
        raise OSError(17, "no free temp file name", str(target))
    with _removed_on_failure(tmp, target):
        try:
            for piece in (data,) if isinstance(data, bytes) else data:
                view = memoryview(piece)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
    return tmp


def replace_file(target: Path, data: bytes | Iterable[bytes], mode: int,
                 fsync: bool = True) -> None:
    """Write ``target`` atomically: a temp file beside it, then a rename over it (``data`` as
    for ``write_temp``)."""
    tmp = write_temp(target, data, mode, fsync)
    with _removed_on_failure(tmp, target):
        os.replace(tmp, target)
    if fsync:
        fsync_dir(target.parent)


@contextlib.contextmanager
def _removed_on_failure(tmp: Path, target: Path) -> Iterator[None]:
    """Remove ``tmp`` when the block fails; an OSError then names ``target``."""
    try:
        yield
    except OSError as exc:
        discard(tmp)
        raise _named(exc, target) from None
    except BaseException:
        discard(tmp)
        raise


def discard(tmp: Path) -> None:
    """Remove a temp file if it is still there."""
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def fsync_dir(folder: Path) -> None:
    """fsync a folder so a rename in it is durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def new_file_mode() -> int:
    """The mode ``open()`` would give a new file under the current umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write ``text`` (as UTF-8), or bytes as they are, to ``path`` atomically: temp file, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    mode = new_file_mode()
    with contextlib.suppress(FileNotFoundError):
        mode = path.stat().st_mode & 0o7777
    replace_file(path, data, mode)
