"""What the sandbox sees: bubblewrap's command line, and the orders its trampoline carries out.

A sandbox is prepared before its run is asked for (runner._Standby): bubblewrap makes the
namespaces and mounts and starts the **trampoline**, Debian's dash, which blocks reading its
orders on ORDERS_FD. When the run comes, the host writes the orders (``orders``): a short shell
script of builtins that sets the rlimits, the working directory and the environment, and execs
the program. Nothing is forked; only the program's own exec is on the run's path.
"""

from __future__ import annotations

import atexit
import glob
import math
import os
import re
import shlex
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from assay.grading.sandbox.forkserver import FAILURE_FD, ORDERS_FD
from assay.grading.sandbox.model import Limits
from assay.grading.sandbox.workdir import ETC_PREFIX, owned_prefix

BOX = "/box"
# Paths below are inside the sandbox (its private tmpfs), hence the S108 waivers.
BASE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"}  # noqa: S108
# Essential in Debian (the package cannot be removed), POSIX, and fast to start (~0.5 ms).
DASH = "/usr/bin/dash"
# The trampoline: dash's script, given when the sandbox is prepared. It exports the base
# environment, reads every line of its orders until the host closes the pipe (a line at a time so
# that a quoted argument may span lines; dash's read takes a byte per call, hence short orders),
# closes the pipe and evaluates them. The orders export the run's own variables and call ``run``
# with the rlimits, the working directory and the command line.
TRAMPOLINE = f"""fail() {{ printf '%s\\n' "$1" >&{FAILURE_FD}; exit 127; }}
run() {{
  ulimit -t "$1" && ulimit -S -t "$2" || fail 'cannot set RLIMIT_CPU'
  ulimit -f "$3" || fail 'cannot set RLIMIT_FSIZE'
  ulimit -n "$4" || fail 'cannot set RLIMIT_NOFILE'
  cd -- "$5" || fail "cannot change to $5"
  shift 5
  case $1 in
    */*) [ -f "$1" ] && [ -x "$1" ] ;;
    *) command -v "$1" ;;
  esac >/dev/null || fail "cannot execute $1"
  exec {FAILURE_FD}>&-
  unset OLDPWD
  exec "$@"
}}
export {" ".join(f"{name}={shlex.quote(value)}" for name, value in BASE_ENV.items())}
s=
while IFS= read -r l <&{ORDERS_FD}; do s="$s$l
"; done
exec {ORDERS_FD}<&-
eval "$s"
"""
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# dash's ulimit -f counts 512-byte blocks.
FILE_SIZE_BLOCKS_PER_MB = 2048
# Top-level directories that are (on merged-/usr hosts) links into /usr.
USR_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
# Host /etc entries the runtimes need: the dynamic loader's cache, the alternatives links behind
# /usr/bin/java, the JDK's configuration, Python's sitecustomize and the time zone. Nothing secret.
ETC_PATTERNS = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "alternatives",
    "java-*-openjdk",
    "python3*",
    "localtime",
)
HOSTNAME = "sandbox"


def etc_files(uid: int) -> dict[str, bytes]:
    """The generated /etc files: an account for the slot's uid and nothing else."""
    return {
        "passwd": f"sandbox:x:{uid}:{uid}:sandbox:/tmp:/usr/sbin/nologin\n".encode(),
        "group": f"sandbox:x:{uid}:\n".encode(),
        "hosts": f"127.0.0.1 localhost {HOSTNAME}\n::1 localhost\n".encode(),
    }


@lru_cache(maxsize=1)
def system_mounts() -> tuple[str, ...]:
    """bubblewrap arguments for /usr and its top-level links (cached)."""
    arguments = ["--ro-bind", "/usr", "/usr"]
    for name in USR_LINKS:
        path = Path("/") / name
        if path.is_symlink():
            arguments += ["--symlink", os.readlink(path), f"/{name}"]
        elif path.is_dir():
            arguments += ["--ro-bind", str(path), str(path)]
    return tuple(arguments)


# Keyed by pid too: a worker forked from a process that made a snapshot makes its own, and only
# the process that made a snapshot removes it at exit.
_etc_snapshots: dict[tuple[int, int], Path] = {}
_etc_lock = threading.Lock()


def etc_snapshot(uid: int) -> Path:
    """A private copy of the /etc the sandbox sees, made once per process and slot uid.

    One bind mount of a prepared directory instead of one per host entry: each bind costs
    bubblewrap a mount and a read-only remount, about 0.15 ms apiece. The copy is root-owned,
    read-only to everyone else, and removed when this process exits.
    """
    key = (os.getpid(), uid)
    with _etc_lock:
        if key in _etc_snapshots:
            return _etc_snapshots[key]
        base = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - mkdtemp inside
        root = Path(tempfile.mkdtemp(prefix=owned_prefix(ETC_PREFIX), dir=base))
        atexit.register(_remove_snapshot, root, os.getpid())
        try:
            for pattern in ETC_PATTERNS:
                for match in sorted(glob.glob(f"/etc/{pattern}")):
                    source = Path(match)
                    target = root / source.name
                    if source.is_symlink() or not source.is_dir():
                        shutil.copy2(source, target, follow_symlinks=False)
                    else:
                        shutil.copytree(source, target, symlinks=True)
            for name, content in etc_files(uid).items():
                (root / name).write_bytes(content)
            for path in [root, *root.rglob("*")]:
                if not path.is_symlink():
                    path.chmod(0o755 if path.is_dir() else 0o644)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        _etc_snapshots[key] = root
        return root


def _remove_snapshot(root: Path, owner_pid: int) -> None:
    if os.getpid() == owner_pid:  # atexit handlers are inherited by forked children
        shutil.rmtree(root, ignore_errors=True)


def bwrap_arguments(
    *,
    bwrap: str,
    workdir: Path,
    etc: Path,
    limits: Limits,
    env: Mapping[str, str],
    cwd: str,
    seccomp_fd: int,
    status_fd: int,
    argv: Sequence[str],
) -> list[str]:
    tmpfs_bytes = str(limits.tmp_mb << 20)
    arguments = [
        bwrap,
        # user, pid, network, ipc, uts, mount and (where possible) cgroup namespaces
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--die-with-parent",
        # No --new-session: the launcher has already called setsid() before the run (see
        # runner._Standby), so the program has no controlling terminal either way; bubblewrap's
        # own setsid() at start-up cost ~3 ms per run on a loaded machine.
        "--cap-drop",
        "ALL",
        "--hostname",
        HOSTNAME,
        *system_mounts(),
        "--ro-bind", str(etc), "/etc",
    ]  # fmt: skip
    arguments += [
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", tmpfs_bytes, "--tmpfs", "/dev/shm",  # noqa: S108
        "--remount-ro", "/dev",
        "--size", tmpfs_bytes, "--tmpfs", "/tmp",  # noqa: S108
        "--ro-bind", str(workdir / "box"), BOX,
        "--remount-ro", "/",
        "--chdir", cwd,
        "--clearenv",
    ]  # fmt: skip
    for name, value in env.items():
        _check_variable(name, value)
        arguments += ["--setenv", name, value]
    arguments += ["--seccomp", str(seccomp_fd), "--json-status-fd", str(status_fd), "--", *argv]
    return arguments


def trampoline() -> list[str]:
    """The prepared sandbox's first program: waits for its orders, then becomes the program."""
    return [DASH, "-c", TRAMPOLINE]


def orders(*, argv: Sequence[str], env: Mapping[str, str], cwd: str, limits: Limits) -> bytes:
    """The trampoline's orders for one run: ``run`` with rlimits, directory and ``argv``.

    A step of ``run`` that fails writes why to FAILURE_FD (the host reports a sandbox error,
    never the candidate's fault) before anything of the program runs; FAILURE_FD is closed before
    the exec, so a program cannot write there. The environment is BASE_ENV, PWD and ``env``:
    nothing else.
    """
    if not argv or not argv[0] or argv[0].startswith("-"):
        raise ValueError(f"invalid command line {list(argv)!r}")
    for name, value in env.items():
        _check_variable(name, value)
    cpu = math.ceil(limits.cpu_seconds)
    numbers = [cpu + 1, cpu, limits.file_size_mb * FILE_SIZE_BLOCKS_PER_MB, limits.open_files]
    lines = [f"export {name}={shlex.quote(value)}" for name, value in env.items()]
    # SIGXCPU at the soft CPU limit, SIGKILL one second on.
    lines.append(" ".join(["run", *map(str, numbers), *map(shlex.quote, [cwd, *argv])]))
    return ("\n".join(lines) + "\n").encode()


def _check_variable(name: str, value: str) -> None:
    if not ENV_NAME.fullmatch(name) or "\0" in value:
        raise ValueError(f"invalid environment variable {name!r}")
