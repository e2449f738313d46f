"""Fixtures of the systemd integration tests; the helpers are in sd_harness.py."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from sd_harness import Daemon, Journald, NotifyListener, journald_refusal


@pytest.fixture
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Unix socket paths are limited to 107 bytes, so stay out of pytest's long default directory names.
    path = Path(f"/tmp/optunad-sd-{uuid.uuid4().hex[:10]}")
    path.mkdir(mode=0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def daemons() -> list[Daemon]:
    """Daemons a test starts; any still running afterwards are killed."""
    started: list[Daemon] = []
    yield started
    for daemon in started:
        daemon.kill()


@pytest.fixture
def listener(workdir: Path) -> NotifyListener:
    listener = NotifyListener(workdir)
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def journald() -> Journald:
    refusal = journald_refusal()
    if refusal:
        pytest.skip(refusal)
    journald = Journald()
    yield journald
    journald.stop()
