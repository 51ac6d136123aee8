"""The course in a real browser: JupyterLab + headless Chromium, driven by Playwright.

Starts JupyterLab from this environment on 127.0.0.1 (a free port, a token),
opens every notebook of the English edition, runs all cells and checks that
no cell shows an error and every widget renders as a widget. On notebook 02
it moves the scale slider with the keyboard and checks that the figure and
the status line change to what the package computes for the new value.

The browser is Debian's chromium (``apt-get install chromium``), launched
by path: Playwright's own browser download cannot work here. With CI=true a
missing browser or Playwright fails the test; elsewhere it is skipped with
instructions.
"""

import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EDITION = ROOT / "notebooks" / "en"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
TOKEN = "initcourse-browser-test"


def _require(condition, message):
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(port, path, method="GET"):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        body = resp.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1; stopped by its own handle whatever happens."""
    tmp = tmp_path_factory.mktemp("lab")
    port = _free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_DATA_DIR=str(tmp / "data"))
    # the kernelspec and the widget extension come from this environment
    env["JUPYTER_PATH"] = os.pathsep.join([str(Path(sys.prefix) / "share" / "jupyter")])
    # every cell in the DOM (JupyterLab 4 windows long notebooks by default)
    settings = tmp / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    # no "Would you like to get notified about Jupyter news?" toast over the page
    notes = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    notes.mkdir(parents=True)
    (notes / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           f"--ServerApp.token={TOKEN}", "--ServerApp.password=", f"--ServerApp.root_dir={EDITION}",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           f"--LabApp.workspaces_dir={tmp / 'workspaces'}", f"--LabApp.user_settings_dir={tmp / 'settings'}",
           "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(tmp / "lab.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _api(port, "/api/status")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not start: {(tmp / 'lab.log').read_text()}") from None
                time.sleep(0.5)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    _require(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM),
             f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "Playwright for Python is missing: pip install -r requirements.txt")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _shutdown_kernels(port):
    for session in _api(port, "/api/sessions"):
        _api(port, f"/api/sessions/{session['id']}", method="DELETE")


# One execution prompt per code cell of the visible notebook ("[ ]:", "[*]:" or "[3]:").
PROMPTS = """() => { const prompts = [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')].map(
    c => c.querySelector('.jp-InputArea-prompt').textContent.trim())"""


def _open_and_run_all(page, port, name):
    # ?reset: a fresh workspace, only this notebook open
    page.goto(f"http://127.0.0.1:{port}/lab/tree/{name}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    page.wait_for_selector(".jp-StatusBar-Widget >> text=/Idle/", timeout=60_000)
    # "Run All" clicked the instant the kernel turns idle can do nothing: retry until the first
    # code cell has started ([*]) or finished ([1])
    for _ in range(5):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(PROMPTS + "; return /\\[(\\*|\\d+)\\]/.test(prompts[0]) }",
                                   timeout=10_000)
            break
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: try again
            continue
    n_code = sum(c["cell_type"] == "code" for c in json.loads((EDITION / name).read_text())["cells"])
    # done when every code cell has an execution count and none is pending ([*])
    page.wait_for_function(
        PROMPTS.replace("() =>", "n =>")
        + "; return prompts.length === n && prompts.every(t => /\\[\\d+\\]/.test(t)) }",
        arg=n_code, timeout=90_000)


def _problems(page):
    """Errors, tracebacks and widgets that did not render, as text."""
    return page.evaluate(
        """() => {
            const out = [];
            for (const el of document.querySelectorAll('.jp-OutputArea-output')) {
                const t = el.textContent;
                if (el.dataset.mimeType === 'application/vnd.jupyter.stderr' || /Traceback/.test(t))
                    out.push('error output: ' + t.slice(0, 200));
                if (/Error displaying widget|Loading widget/.test(t))
                    out.push('widget not rendered: ' + t.slice(0, 200));
                if (/\\b(IntSlider|FloatLogSlider|FloatSlider|Dropdown|VBox|\\w+Explorer)\\(/.test(t)
                        && !el.querySelector('.jupyter-widgets'))
                    out.push('widget shown as text: ' + t.slice(0, 200));
            }
            return out;
        }""")


NOTEBOOKS = sorted(p.name for p in EDITION.glob("*.ipynb"))


def test_every_notebook_runs_in_jupyterlab_and_its_widgets_render(lab, browser, tmp_path):
    assert NOTEBOOKS, "no notebooks found"
    for name in NOTEBOOKS:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        try:
            _open_and_run_all(page, lab, name)
            widgets = page.locator(".jp-OutputArea-output .jupyter-widgets")
            try:
                widgets.first.wait_for(timeout=30_000)
            except Exception:  # noqa: BLE001 - reported below, with what the page shows instead
                pass
            assert _problems(page) == [], name
            assert widgets.count() > 0, f"{name}: no widget rendered"
            page.screenshot(path=str(tmp_path / f"{name}.png"))
        finally:
            page.close()
            _shutdown_kernels(lab)


def _status_text(page):
    return page.locator(".widget-html").filter(has_text="layer 5").last.inner_text()


def test_moving_the_scale_slider_redraws_with_the_packages_numbers(lab, browser, tmp_path):
    import initcourse as ic

    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    try:
        _open_and_run_all(page, lab, "02_scale_effects.ipynb")
        explorer = page.locator(".jp-OutputArea-output .jupyter-widgets").last
        image = page.locator(".jp-OutputArea-output .jupyter-widgets img").last
        image.wait_for(timeout=30_000)
        before_src, before_status = image.get_attribute("src"), _status_text(page)
        explorer.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "02_before.png"), full_page=True)

        handle = page.locator(".widget-hslider .noUi-handle").first
        handle.focus()
        for _ in range(4):       # log slider, step 0.05 in the exponent
            handle.press("ArrowRight")
        page.wait_for_timeout(1500)  # let the key presses land; the readout shows where
        readout = page.locator(".widget-hslider .widget-readout").first.inner_text()
        k = round(math.log10(float(readout)) / 0.05)   # snapped to the exponent grid (step 0.05)
        assert k >= 1, readout
        expected = ic.scale_explorer("sigmoid", scale=10 ** (0.05 * k), depth=5)
        want = re.search(r"layer 5: std [0-9.e+-]+", expected.status.value).group(0)
        assert want not in before_status
        # the status line ends at the package's number for the new setting, and the image changed
        page.wait_for_function(
            "w => [...document.querySelectorAll('.widget-html')].some(e => e.textContent.includes(w))",
            arg=want, timeout=30_000)
        assert image.get_attribute("src") != before_src
        page.screenshot(path=str(tmp_path / "02_after.png"), full_page=True)
        _shutdown_kernels(lab)
    finally:
        page.close()
