"""Sandbox overhead: median wall time bare vs sandboxed, throughput, and where the time goes.

Run as root: `.venv/bin/python bench/sandbox.py [--quick]`. "Bare" runs the same interpreter
with the same argv, environment, files, stdin and pipes through subprocess, with no isolation
at all, in the same run, interleaved with the sandboxed runs (one bare, one sandboxed, ...) so
that load from elsewhere on the machine biases neither. Throughput alternates short bare and
sandboxed windows for the same reason. CPU per run is the host process's and its reaped
children's user+system time (kernel work done later by kernel threads, such as a network
namespace's clean-up, is not in it; the throughput rows include it).
Targets: sandboxed `python -c pass` within 1.3x of bare; sandboxed throughput >= 80 % of bare.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assay.grading.sandbox import Limits, RunRequest, Sandbox, Verdict, cgroups, layout, runner
from assay.grading.sandbox.languages import JAVA, JAVAC, NODE, PYTHON, jvm_flags
from assay.grading.sandbox.runner import SLOT_UID_BASE
from assay.grading.sandbox.seccomp import compiled_filter
from assay.grading.sandbox.workdir import WorkDir

LIMITS = Limits(cpu_seconds=10, wall_seconds=20, memory_mb=512, pids=128)
JAVA_HELLO = (
    'public class Main { public static void main(String[] a) { System.out.println("hello"); } }\n'
)


def java_class() -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "Main.java"
        source.write_text(JAVA_HELLO)
        subprocess.run([JAVAC, "-d", directory, str(source)], check=True)
        return (Path(directory) / "Main.class").read_bytes()


def programs() -> dict[str, RunRequest]:
    return {
        "python -c pass": RunRequest(argv=[PYTHON, "-c", "pass"], files={}, limits=LIMITS),
        "python hello": RunRequest(
            argv=[PYTHON, "-B", "main.py"], files={"main.py": b"print('hello')\n"}, limits=LIMITS
        ),
        "node hello": RunRequest(
            argv=[NODE, "--max-old-space-size=512", "main.js"],
            files={"main.js": b"console.log('hello')\n"},
            limits=LIMITS,
        ),
        "java hello": RunRequest(
            argv=[JAVA, *jvm_flags(512), "-cp", ".", "Main"],
            files={"Main.class": java_class()},
            limits=LIMITS,
        ),
    }


class Bare:
    """The same request with no isolation: files in a temp dir, same argv, stdin and pipes."""

    def __init__(self, request: RunRequest) -> None:
        self.directory = tempfile.mkdtemp(prefix="assay-bench-")
        atexit.register(shutil.rmtree, self.directory, ignore_errors=True)
        for name, content in request.files.items():
            Path(self.directory, name).write_bytes(content)
        self.request = request

    def run(self) -> None:
        completed = subprocess.run(
            list(self.request.argv),
            input=self.request.stdin,
            capture_output=True,
            cwd=self.directory,
            env=dict(layout.BASE_ENV),
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(completed.stderr.decode())


def sandboxed(sandbox: Sandbox, request: RunRequest) -> Callable[[], None]:
    def run() -> None:
        result = sandbox.run(request)
        if result.verdict is not Verdict.ACCEPTED:
            raise RuntimeError(f"{result.verdict}: {result.message} {result.stderr[-300:]!r}")

    return run


def median_seconds(action: Callable[[], None], repeats: int) -> float:
    action()  # warm caches (page cache, the seccomp filter, cgroup parents)
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def cpu_seconds() -> float:
    """This process, its reaped children, and the fork servers with the launchers they reaped."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    for server in list(runner._servers.values()):  # measuring an internal part
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{server.process.pid}/stat").read_text()
            # utime, stime, cutime, cstime: fields 14-17, counted after the ")" of the name.
            ticks = stat.rsplit(")", 1)[1].split()[11:15]
            total += sum(int(tick) for tick in ticks) / os.sysconf("SC_CLK_TCK")
    return total


@dataclass
class Samples:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def paired_samples(
    first: Callable[[], None], second: Callable[[], None], repeats: int
) -> tuple[Samples, Samples]:
    """Alternate the two so that load from elsewhere on the machine biases neither."""
    first()
    second()
    samples = (Samples(), Samples())
    for _ in range(repeats):
        for action, bucket in ((first, samples[0]), (second, samples[1])):
            cpu = cpu_seconds()
            started = time.perf_counter()
            action()
            bucket.wall.append(time.perf_counter() - started)
            bucket.cpu.append(cpu_seconds() - cpu)
    return samples


def paired_throughput(
    first: list[Callable[[], None]], second: list[Callable[[], None]], seconds: float
) -> tuple[float, float]:
    """Runs per second of each, measured in alternating windows of a quarter second."""
    window = 0.25
    totals = [0.0, 0.0]
    runs = [0, 0]
    for _ in range(max(1, round(seconds / window))):
        for index, actions in enumerate((first, second)):
            count, elapsed = throughput(actions, window)
            runs[index] += count
            totals[index] += elapsed
    return runs[0] / totals[0], runs[1] / totals[1]


def throughput(actions: list[Callable[[], None]], seconds: float) -> tuple[int, float]:
    """Runs done and seconds taken with one thread per action, each looping for `seconds`."""
    counts = [0] * len(actions)
    deadline = time.perf_counter() + seconds

    def loop(index: int) -> None:
        while time.perf_counter() < deadline:
            actions[index]()
            counts[index] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(actions))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts), time.perf_counter() - started


def where_the_time_goes(repeats: int) -> None:
    hierarchy = cgroups.detect()
    started = time.perf_counter()
    compiled_filter.cache_clear()
    compiled_filter()
    compile_ms = 1000 * (time.perf_counter() - started)
    print(f"  {'seccomp filter compile (once per process)':<52} {compile_ms:7.2f} ms")

    def cgroup_cycle() -> None:
        hierarchy.create(f"bench-{os.getpid()}", LIMITS).remove()

    def workdir_cycle() -> None:
        WorkDir.create({"main.py": b"pass\n"}, gid=61000).remove()

    sandbox = Sandbox(slot=0)
    true = RunRequest(argv=["/usr/bin/true"], files={}, limits=LIMITS)
    python = RunRequest(argv=[PYTHON, "-c", "pass"], files={}, limits=LIMITS)
    workdir = WorkDir.create({}, gid=SLOT_UID_BASE)
    atexit.register(workdir.remove)
    rows = [
        (f"cgroup v{hierarchy.version} create + remove", cgroup_cycle),
        ("work directory create + remove", workdir_cycle),
        ("next sandbox: cgroup, launcher, bubblewrap, discard", standby_cycle),
        ("bare /usr/bin/true", Bare(true).run),
        ("bubblewrap alone, same flags, /usr/bin/true", bwrap_alone(workdir, true)),
        ("sandboxed /usr/bin/true (all of it)", sandboxed(sandbox, true)),
        ("bare python -c pass", Bare(python).run),
        ("bubblewrap alone, same flags, python -c pass", bwrap_alone(workdir, python)),
        ("sandboxed python -c pass (all of it)", sandboxed(sandbox, python)),
    ]
    for label, action in rows:
        print(f"  {label:<52} {1000 * median_seconds(action, repeats):7.2f} ms")
    print("CPU per run, bubblewrap's floor (its processes and the program, reaped here; kernel")
    print("threads not counted), means:")
    floor = ["--unshare-all", "--ro-bind", "/", "/"]
    bwrap = shutil.which("bwrap") or "bwrap"
    for label, argv in (
        ("bare /usr/bin/true", ["/usr/bin/true"]),
        ("bwrap --unshare-all --ro-bind / / /usr/bin/true", [bwrap, *floor, "/usr/bin/true"]),
        ("bare python -c pass", [PYTHON, "-c", "pass"]),
    ):
        print(f"  {label:<52} {1000 * cpu_per_run(argv, repeats * 3):7.2f} ms")


def cpu_per_run(argv: list[str], repeats: int) -> float:
    """User + system time of a command and everything it started, bubblewrap's reaper included.

    bubblewrap's monitor exits without waiting for its pid-1 reaper, which is orphaned to us
    (the sandbox made this process a subreaper): we reap it by the pid bubblewrap reports, so
    its time, and the time of what it reaped, count.
    """

    def once() -> None:
        status_r, status_w = os.pipe()
        arguments = argv
        if argv[0].endswith("bwrap"):
            arguments = [argv[0], "--json-status-fd", str(status_w), *argv[1:]]
        subprocess.run(arguments, capture_output=True, check=True, pass_fds=[status_w], env={})
        os.close(status_w)
        with os.fdopen(status_r, "rb") as status:
            reaper_pid, _ = runner._parse_status(status.read().decode())  # an internal helper
        if reaper_pid is not None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(reaper_pid, 0)

    once()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(repeats):
        once()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return used / repeats


def standby_cycle() -> None:
    """What each run's sandbox costs ahead of the run, while the previous run runs."""
    standby = runner._Standby(runner._host(), 0, LIMITS)  # measuring an internal step
    standby.ready()
    # Wait until bubblewrap has started the trampoline: its processes are all there.
    deadline = time.monotonic() + 5
    while len(standby.cgroup.pids()) < len(("monitor", "reaper", "trampoline")):
        if time.monotonic() > deadline:
            raise RuntimeError("the prepared sandbox did not start its trampoline")
        time.sleep(0.0002)
    standby.discard()


def bwrap_alone(workdir: WorkDir, request: RunRequest) -> Callable[[], None]:
    """bubblewrap with the sandbox's flags, started as the slot's uid; no cgroup, no seccomp."""
    arguments = layout.bwrap_arguments(
        bwrap=shutil.which("bwrap") or "bwrap",
        workdir=workdir.root,
        etc=layout.etc_snapshot(SLOT_UID_BASE),
        limits=LIMITS,
        env=layout.BASE_ENV,
        cwd=layout.BOX,
        seccomp_fd=0,
        status_fd=1,
        argv=request.argv,
    )
    arguments = [*arguments[: arguments.index("--seccomp")], "--", *request.argv]

    def drop_to_slot_uid() -> None:
        os.setsid()  # as the launcher does
        os.setgroups([])
        os.setresgid(SLOT_UID_BASE, SLOT_UID_BASE, SLOT_UID_BASE)
        os.setresuid(SLOT_UID_BASE, SLOT_UID_BASE, SLOT_UID_BASE)

    def run() -> None:
        subprocess.run(
            arguments,
            capture_output=True,
            check=True,
            env={},
            preexec_fn=drop_to_slot_uid,
        )

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    arguments = parser.parse_args()
    quick = arguments.quick
    Sandbox.check()
    sandbox = Sandbox(slot=0)

    print(f"Load average before: {load()} on {os.cpu_count()} cores")
    print("Per run, bare and sandboxed interleaved (host view: everything from request to result)")
    print(
        f"  {'program':<16} {'bare ms':>8} {'sandbox ms':>11} {'ratio':>6} {'p25 ratio':>10}"
        f" {'CPU ms bare':>12} {'sandbox':>8}  (wall: medians; CPU: means)"
    )
    repeats = {"python -c pass": 80, "python hello": 40, "node hello": 15, "java hello": 8}
    for name, request in programs().items():
        count = max(3, repeats[name] // (4 if quick else 1))
        bare, boxed = paired_samples(Bare(request).run, sandboxed(sandbox, request), count)
        wall_bare, wall_boxed = statistics.median(bare.wall), statistics.median(boxed.wall)
        quartile_ratio = quartile(boxed.wall) / quartile(bare.wall)
        print(
            f"  {name:<16} {1000 * wall_bare:8.2f} {1000 * wall_boxed:11.2f}"
            f" {wall_boxed / wall_bare:5.2f}x {quartile_ratio:9.2f}x"
            f" {1000 * statistics.mean(bare.cpu):12.2f}"
            f" {1000 * statistics.mean(boxed.cpu):8.2f}"
        )
    python = programs()["python -c pass"]
    back_to_back = [
        median_seconds(action, 40 // (4 if quick else 1))
        for action in (Bare(python).run, sandboxed(sandbox, python))
    ]
    print(
        f"  python -c pass, back to back, not interleaved (the next sandbox is prepared while"
        f" a run runs): bare {1000 * back_to_back[0]:.2f} ms, sandboxed"
        f" {1000 * back_to_back[1]:.2f} ms, {back_to_back[1] / back_to_back[0]:.2f}x"
    )
    print(f"  load average now: {load()}")

    print("Grading throughput, `python -c pass` (runs per second; one slot per worker thread;")
    print("bare and sandboxed in alternating quarter-second windows)")
    request = programs()["python -c pass"]
    seconds = 2.0 if quick else 6.0
    for workers in (1, 2):
        bares = [Bare(request).run for _ in range(workers)]
        boxes = [sandboxed(Sandbox(slot=slot), request) for slot in range(workers)]
        bare, boxed = paired_throughput(bares, boxes, seconds)
        print(
            f"  {workers} worker{'s' if workers > 1 else ' '}  bare {bare:7.1f}/s  "
            f"sandboxed {boxed:7.1f}/s  = {100 * boxed / bare:5.1f} % of bare"
            f"   (load {load()})"
        )

    print("Where the time goes (medians, not interleaved)")
    where_the_time_goes(10 if quick else 30)
    print(f"Load average after: {load()}")
    return 0


def quartile(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=4)[0]


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
