"""Browser fixtures: a real `assay serve` process and Debian's headless Chromium via Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """`assay serve` in a child process, on its own SQLite file; can be killed and restarted."""

    def __init__(self, var_dir: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "ASSAY_VAR_DIR": str(var_dir),
            "ASSAY_DATABASE_URL": f"sqlite:///{var_dir / 'browser.db'}",
            "ASSAY_BASE_URL": self.url,
        }
        self.process: subprocess.Popen[bytes] | None = None
        subprocess.run(
            [sys.executable, "-m", "assay", "db", "upgrade"],
            env=self.env,
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        with open(Path(self.env["ASSAY_VAR_DIR"]) / "server.log", "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "assay", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):  # noqa: S310 - our loopback server
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("assay serve exited during start-up") from None
                time.sleep(0.2)
        raise RuntimeError("assay serve did not answer /healthz within 30 s")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("live"))
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
