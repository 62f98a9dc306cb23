"""The browser every browser test uses: Debian's chromium through Playwright (page_support.launch)."""
import pytest

from page_support import launch


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = launch(p)
        yield instance
        instance.close()
