"""A run's files on the host: a fresh private directory, written before the run, bound read-only.

Judge0's sandbox escapes (CVE-2024-28185, CVE-2024-28189) came from host code writing into, or
following links from, files the sandboxed program had touched. Here the host writes only before
the program starts, into a directory the program can never write (it is bound read-only and
owned by root), and removes it afterwards with a remover that never follows symbolic links.

A run's directory is made empty when its sandbox is prepared (before the run is asked for, with
nothing but bubblewrap and the trusted trampoline inside) and filled when the run starts, before
the trampoline is given its orders. Its name carries the host process's pid and start time, so
that the directories of a host that died are found and removed by the next one (``sweep``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

# Only root and the slot's group may enter: bubblewrap runs as the slot's uid and must reach the
# source of its bind mounts; other local users and other slots cannot even list it.
ROOT_MODE = 0o750
DIR_MODE = 0o755
FILE_MODE = 0o644
MAX_PATH_DEPTH = 16
# A memory-backed directory makes laying out and removing a run's files ~6x faster than a disk.
MEMORY_BACKED_DIR = "/dev/shm"  # noqa: S108 - mkdtemp makes a private directory inside
PREFIX = "assay-run-"
# The sandbox's /etc snapshots (layout.etc_snapshot) are named and swept the same way.
ETC_PREFIX = "assay-etc-"


class WorkDir:
    """``root/box`` becomes /box in the sandbox."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.box = root / "box"

    @classmethod
    def create(cls, files: Mapping[str, bytes], *, gid: int) -> WorkDir:
        workdir = cls.prepare(gid=gid)
        try:
            workdir.fill(files)
        except BaseException:
            workdir.remove()
            raise
        return workdir

    @classmethod
    def prepare(cls, *, gid: int) -> WorkDir:
        """An empty work directory, root-owned, that only root and the slot's group may enter."""
        base = MEMORY_BACKED_DIR if os.path.isdir(MEMORY_BACKED_DIR) else None
        prefix = owned_prefix(PREFIX)
        workdir = cls(Path(tempfile.mkdtemp(prefix=prefix, dir=base)))  # 0700, owned by root
        try:
            os.chown(workdir.root, 0, gid, follow_symlinks=False)
            os.chmod(workdir.root, ROOT_MODE, follow_symlinks=False)
            _mkdir(workdir.box)
        except BaseException:
            workdir.remove()
            raise
        return workdir

    def fill(self, files: Mapping[str, bytes]) -> None:
        """Write the run's files: only before anything untrusted has run with this directory."""
        relative = {name: checked_relative(name) for name in files}
        for name, path in relative.items():
            target = self.box / path
            for parent in reversed(target.relative_to(self.box).parents[:-1]):
                if not (self.box / parent).is_dir():
                    _mkdir(self.box / parent)
            _write_new(target, files[name])

    def remove(self) -> None:
        # rmtree works through directory descriptors and unlinks links instead of following them.
        if not shutil.rmtree.avoids_symlink_attacks:
            raise OSError("this platform's shutil.rmtree follows symbolic links")
        shutil.rmtree(self.root, ignore_errors=True)


def checked_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (
        not name
        or path.is_absolute()
        or any(part in ("..", ".", "") for part in name.split("/"))
        or len(path.parts) > MAX_PATH_DEPTH
        or "\0" in name
    ):
        raise ValueError(
            f"file name {name!r} must be a plain relative path inside the work directory"
        )
    return path


def _mkdir(path: Path) -> None:
    os.mkdir(path, DIR_MODE)
    os.chmod(
        path, DIR_MODE, follow_symlinks=False
    )  # the umask must not decide what the sandbox sees


def _write_new(path: Path, content: bytes) -> None:
    descriptor = os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE
    )
    try:
        os.fchmod(descriptor, FILE_MODE)
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


def owned_prefix(prefix: str) -> str:
    """``prefix`` and this process's pid and start time: how ``sweep`` finds it dead later."""
    return f"{prefix}{_own_tag()}-"


def sweep() -> None:
    """Remove the work directories and /etc snapshots of host processes that have exited.

    A host killed with SIGKILL (or ended by os._exit) runs no clean-up of its own.
    """
    for base in (MEMORY_BACKED_DIR, tempfile.gettempdir()):
        with contextlib.suppress(OSError):
            for entry in os.scandir(base):
                prefix = next((p for p in (PREFIX, ETC_PREFIX) if entry.name.startswith(p)), None)
                if prefix is None or not entry.is_dir(follow_symlinks=False):
                    continue
                owner = entry.name.removeprefix(prefix).split("-")
                if len(owner) < 3 or not owner[0].isdigit():  # pid, start time, random
                    continue
                if _owner_tag(int(owner[0])) != f"{owner[0]}-{owner[1]}":
                    WorkDir(Path(entry.path)).remove()


def _owner_tag(pid: int) -> str | None:
    """pid-starttime: names one process even after its pid is reused; None once it has exited."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            # Field 22, counted after the ")" that ends the command name.
            return f"{pid}-{handle.read().rsplit(')', 1)[1].split()[19]}"
    except (OSError, IndexError):
        return None


_own_tags: dict[int, str] = {}  # keyed by pid: a forked child has its own


def _own_tag() -> str:
    pid = os.getpid()
    if pid not in _own_tags:
        _own_tags[pid] = _owner_tag(pid) or str(pid)
    return _own_tags[pid]
