"""Sandbox overhead: median wall time bare vs sandboxed, throughput, and where the time goes.

Run as root: `.venv/bin/python bench/sandbox.py [--quick]`. "Bare" runs the same command with
the same files, stdin and pipes through subprocess, with no isolation at all, in the same run.
Targets: sandboxed `python -c pass` within 1.3x of bare; sandboxed throughput >= 80 % of bare.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from assay.grading.sandbox import Limits, RunRequest, Sandbox, Verdict, cgroups, layout
from assay.grading.sandbox.languages import JAVA, JAVAC, NODE, PYTHON, jvm_flags
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


def paired_medians(
    first: Callable[[], None], second: Callable[[], None], repeats: int
) -> tuple[float, float]:
    """Alternate the two so that load from elsewhere on the machine biases neither."""
    first()
    second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for action, bucket in ((first, samples[0]), (second, samples[1])):
            started = time.perf_counter()
            action()
            bucket.append(time.perf_counter() - started)
    return statistics.median(samples[0]), statistics.median(samples[1])


def throughput(actions: list[Callable[[], None]], seconds: float) -> float:
    """Runs per second with one thread per action, each looping for `seconds`."""
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
    return sum(counts) / (time.perf_counter() - started)


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
    rows = [
        (f"cgroup v{hierarchy.version} create + remove", cgroup_cycle),
        ("work directory create + remove", workdir_cycle),
        ("bare /usr/bin/true", Bare(true).run),
        ("sandboxed /usr/bin/true (all of the above + bwrap)", sandboxed(sandbox, true)),
    ]
    for label, action in rows:
        print(f"  {label:<52} {1000 * median_seconds(action, repeats):7.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    arguments = parser.parse_args()
    quick = arguments.quick
    Sandbox.check()
    sandbox = Sandbox(slot=0)

    print(f"Load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print("Median wall time per run (host view: everything from request to result)")
    print(f"  {'program':<16} {'bare ms':>9} {'sandbox ms':>11} {'ratio':>7}")
    repeats = {"python -c pass": 40, "python hello": 40, "node hello": 15, "java hello": 8}
    for name, request in programs().items():
        count = max(3, repeats[name] // (4 if quick else 1))
        bare, boxed = paired_medians(Bare(request).run, sandboxed(sandbox, request), count)
        print(f"  {name:<16} {1000 * bare:9.2f} {1000 * boxed:11.2f} {boxed / bare:7.2f}x")

    print("Grading throughput, `python -c pass` (runs per second; one slot per worker thread)")
    request = programs()["python -c pass"]
    seconds = 1.0 if quick else 3.0
    for workers in (1, 2):
        bare = throughput([Bare(request).run for _ in range(workers)], seconds)
        boxes = [sandboxed(Sandbox(slot=slot), request) for slot in range(workers)]
        boxed = throughput(boxes, seconds)
        print(
            f"  {workers} worker{'s' if workers > 1 else ' '}  bare {bare:7.1f}/s  "
            f"sandboxed {boxed:7.1f}/s  = {100 * boxed / bare:5.1f} % of bare"
        )

    print("Where the time goes (medians)")
    where_the_time_goes(10 if quick else 30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
