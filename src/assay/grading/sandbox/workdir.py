"""A run's files on the host: a fresh private directory, written before the run, bound read-only.

Judge0's sandbox escapes (CVE-2024-28185, CVE-2024-28189) came from host code writing into, or
following links from, files the sandboxed program had touched. Here the host writes only before
the program starts, into a directory the program can never write (it is bound read-only and
owned by root), and removes it afterwards with a remover that never follows symbolic links.
"""

from __future__ import annotations

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


class WorkDir:
    """``root/box`` becomes /box in the sandbox."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.box = root / "box"

    @classmethod
    def create(cls, files: Mapping[str, bytes], *, gid: int) -> WorkDir:
        relative = {name: _checked_relative(name) for name in files}
        base = MEMORY_BACKED_DIR if os.path.isdir(MEMORY_BACKED_DIR) else None
        workdir = cls(Path(tempfile.mkdtemp(prefix="assay-run-", dir=base)))  # 0700, owned by root
        try:
            os.chown(workdir.root, 0, gid, follow_symlinks=False)
            os.chmod(workdir.root, ROOT_MODE, follow_symlinks=False)
            _mkdir(workdir.box)
            for name, path in relative.items():
                target = workdir.box / path
                for parent in reversed(target.relative_to(workdir.box).parents[:-1]):
                    if not (workdir.box / parent).is_dir():
                        _mkdir(workdir.box / parent)
                _write_new(target, files[name])
        except BaseException:
            workdir.remove()
            raise
        return workdir

    def remove(self) -> None:
        # rmtree works through directory descriptors and unlinks links instead of following them.
        if not shutil.rmtree.avoids_symlink_attacks:
            raise OSError("this platform's shutil.rmtree follows symbolic links")
        shutil.rmtree(self.root, ignore_errors=True)


def _checked_relative(name: str) -> PurePosixPath:
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
