"""What the browser tests share: Debian's Chromium driven by Playwright, the collected static
files, and axe-core for accessibility audits."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

# axe-core from the npm registry, kept out of the repository (var/ is ignored); .ci/run installs it.
AXE_PREFIX = BASE_DIR / "var" / "node"
AXE_JS = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def browser_page(tmp_path):
    """A page in headless Chromium; the test fails if the page reports a Content-Security-Policy violation."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls here stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
            context = browser.new_context(locale="en-US")
            page = context.new_page()
            page.csp_violations = []  # pages must keep working under the Content-Security-Policy
            page.on(
                "console",
                lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
            )
            yield page
            page.screenshot(path=str(tmp_path / "last.png"), full_page=True)
            browser.close()
            assert not page.csp_violations, page.csp_violations
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def static_files():
    """Collect the static files before the live server (and WhiteNoise) starts."""
    call_command("collectstatic", interactive=False, verbosity=0)


def _missing_axe(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"axe-core is missing: {reason}")
    pytest.skip(f"axe-core is missing: {reason}")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The source of axe.min.js: from var/node, installed there with npm first if need be."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            _missing_axe(f"{AXE_JS} not found and npm is not installed")
        try:
            result = subprocess.run(
                [npm, "install", "--no-save", "--prefix", str(AXE_PREFIX), "axe-core@4"],
                cwd=BASE_DIR, capture_output=True, text=True, timeout=300,
            )  # fmt: skip
        except (OSError, subprocess.SubprocessError) as error:
            _missing_axe(f"npm install axe-core@4 failed: {error}")
        if result.returncode or not AXE_JS.exists():
            _missing_axe(f"npm install axe-core@4 failed ({result.returncode}): {result.stderr[-2000:]}")
    return AXE_JS.read_text(encoding="utf-8")


# axe.run() on the whole document, restricted to the WCAG 2.0/2.1 level A and AA rules; only
# what a report needs comes back (the full result holds every node that passed as well).
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((rule) => ({
    id: rule.id, impact: rule.impact, help: rule.help, helpUrl: rule.helpUrl,
    nodes: rule.nodes.map((node) => ({target: node.target, html: node.html, summary: node.failureSummary})),
  }));
}"""


class AxeAudit:
    """Runs axe-core on pages and keeps the WCAG 2.1 A/AA violations found, by page."""

    def __init__(self, source: str):
        self.source = source
        self.pages: dict[str, list[dict]] = {}

    def __call__(self, page, name: str) -> list[dict]:
        # page.evaluate() goes through the DevTools protocol, which the page's CSP (no inline
        # script) does not restrict, unlike a <script> element added to the page.
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(self.source)
        assert page.evaluate("typeof window.axe?.run === 'function'"), "axe-core did not load"
        violations = page.evaluate(RUN_AXE, WCAG_21_AA)
        self.pages[f"{name} ({page.url})"] = violations
        return violations

    @property
    def violations(self) -> dict[str, list[dict]]:
        return {page: found for page, found in self.pages.items() if found}

    def report(self) -> str:
        lines = []
        for page, found in self.violations.items():
            lines.append(f"{page}:")
            for rule in found:
                lines.append(f"  [{rule['impact']}] {rule['id']}: {rule['help']} <{rule['helpUrl']}>")
                for node in rule["nodes"]:
                    lines.append(f"    {' > '.join(map(str, node['target']))}  {node['html'][:200]}")
                    lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
        return "\n".join(lines)

    def assert_clean(self) -> None:
        if self.violations:
            report = self.report()
            print(report)
            pytest.fail(f"axe-core found WCAG 2.1 A/AA violations:\n{report}", pytrace=False)


@pytest.fixture
def axe_audit(axe_source) -> AxeAudit:
    """Call with (page, name) on each page to audit; assert_clean() at the end fails with a report."""
    return AxeAudit(axe_source)
