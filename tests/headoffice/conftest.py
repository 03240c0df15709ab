"""Sync tests keep the head-office key in a file under the test's LIANXIN_HOME, never in a real keyring."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _secrets_in_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANXIN_SYNC_SECRETS", "file")


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright (installed by .ci/run); one browser for the session."""
    import shutil

    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is not installed (apt-get install chromium; .ci/run does it)"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def postgres_url():
    """A throw-away PostgreSQL cluster (fsync off) on a free loopback port; skipped only without the binaries
    (.ci/run installs Debian's postgresql)."""
    from bench.common import postgres_binaries, postgres_cluster

    if postgres_binaries() is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
    with postgres_cluster(durable=False) as url:
        yield url
