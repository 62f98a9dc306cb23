"""Browser test helpers of the case-page and accessibility tests: the real app in a thread,
Debian's chromium via Playwright, logged-in pages, and axe-core from node_modules (package.json)."""
import json
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from inbox_support import PASSWORD, seed_people
from zsa_flow.web import create_app

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json, test-only
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--lang=de-DE"]

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"{CHROMIUM} missing: `make browser` installs Debian's chromium")


def start_server(zsa, library=None, *, people=True, **config):
    """The real app on 127.0.0.1 (free port) in a thread; returns (url, stop). Deploys `library`
    (folders or files; default: the project's processes and forms; () deploys nothing), seeds the inbox's people unless
    `people=False`; `config`: further Flask settings."""
    paths = [str(p) for p in (library if library is not None else (ROOT / "processes", ROOT / "forms"))]
    if paths:
        zsa.deploy(paths)
    if people:
        seed_people(zsa)
    app = create_app({"PLATFORM": zsa, "TESTING": True, "SECRET_KEY": "e2e", **config})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def stop():
        httpd.shutdown()
        thread.join(5)

    return f"http://127.0.0.1:{httpd.server_port}", stop


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


def new_page(browser, base, username=None, *, axe=False):
    """A page in its own context (German locale), logged in as `username` unless None. `axe`: the
    context bypasses the CSP so that axe-core can be injected (the app's own pages never need that)."""
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900}, locale="de-DE",
                                  bypass_csp=axe)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    if username:
        login(page, username)
    return page


def login(page, username):
    """Log in through the login form and wait for the landing page."""
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/(aufgaben|vorgaenge|verwaltung).*"))


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations of the current page: [(rule id, impact, [targets])]."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    return [(v["id"], v["impact"], [", ".join(map(json.dumps, n["target"])) for n in v["nodes"]][:5])
            for v in result["violations"]]
