"""The course in a real browser: JupyterLab on a loopback port, driven by headless Chromium (Playwright).

One JupyterLab server serves the course as a learner gets it: `copy_notebooks`, what `vaegan-tutorial notebooks DIR`
writes, with outputs cleared and quick budgets (`VAEGAN_QUICK`). Every chapter is opened and Run All Cells is clicked,
two chapters at a time (two kernels on the two cores); no cell may show an error, every dashboard a chapter starts must
appear with its pictures, and each dashboard's last frame is saved in tests/screenshots/chapters/ as evidence. Cells
that `nbdev-test` skips (`tst_flags` in pyproject.toml: the full-length runs) are left out of the copies, so the
browser runs what the test suite runs.

In the dashboard chapter, once it has run, the test adds a cell with a long live run of its GAN dashboard and does
what a learner does there: the image changes while training runs, a slider moved mid-run reaches the optimizer, Pause stops within a
second, Step advances one player (screenshots tests/screenshots/1-running.png, 2-paused.png, 3-stepped.png).

While working on a chapter, `VAEGAN_CHAPTERS=04,41 pytest tests/test_browser.py` runs only the chapters named.
"""
import json, os, re, secrets, shutil, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SHOTS = ROOT/'tests'/'screenshots'
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
LIVE = '04_dashboard.ipynb'    # the chapter where the test adds a live run and drives it
PARALLEL = 2                   # chapters (kernels) at a time
LONGEST = ('41', '20', '40', '30', '60')   # started first; only the order depends on it

try: from playwright.sync_api import sync_playwright
except ImportError: sync_playwright = None

if CHROMIUM is None or sync_playwright is None:
    reason = 'needs Debian chromium and the playwright package (.ci/run installs both)'
    if os.environ.get('CI'): raise RuntimeError(reason)   # in CI a missing browser is a failure, not a skip
    pytest.skip(reason, allow_module_level=True)

from vaegan_tutorial.cli import copy_notebooks

from nbdev.config import get_config
from nbdev.test import nb_test_cells

SKIP = get_config().tst_flags
SKIP = SKIP.split() if isinstance(SKIP, str) else list(SKIP)
DASHBOARD_NEW, DASHBOARD_RUN = re.compile(r'(\w+) = Dashboard\('), re.compile(r'\s*(\w+)\.run\(')


def _settings(d: Path) -> None:
    "JupyterLab user settings for a quiet, predictable page: no news, no autosave, every cell in the DOM."
    for ext, plugin, value in [('apputils-extension', 'notification', {'fetchNews': 'false', 'checkForUpdates': False}),
                               ('docmanager-extension', 'plugin', {'autosave': False}),
                               ('notebook-extension', 'tracker', {'windowingMode': 'none'})]:
        p = d/f'@jupyterlab/{ext}'/f'{plugin}.jupyterlab-settings'
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(value))


def prepare(path: Path) -> tuple[int, int]:
    """Make the copied chapter at `path` what the test suite runs: only the code cells nbdev-test runs (nbdev's own
    choice, `nb_test_cells` with the project's tst_flags), no stored outputs (what the test sees, the browser drew).
    Return how many code cells it has and how many dashboards it starts."""
    nb = json.loads(path.read_text())
    keep = {c.id for c in nb_test_cells(path, SKIP)}
    src = lambda c: ''.join(c['source']) if isinstance(c['source'], list) else c['source']
    nb['cells'] = [c for c in nb['cells'] if c['cell_type'] != 'code' or (c['id'] in keep and src(c).strip())]
    dashboards, known, shown = 0, set(), set()   # a dashboard shows once, at its first run(); later runs update it
    for c in nb['cells']:
        if c['cell_type'] != 'code': continue
        c['outputs'], c['execution_count'] = [], None
        for line in src(c).splitlines():
            if m := DASHBOARD_NEW.match(line): known.add(m[1]); shown.discard(m[1])
            if (m := DASHBOARD_RUN.match(line)) and (m[1] in known or m[1].endswith('dash')) and m[1] not in shown:
                shown.add(m[1]); dashboards += 1
    path.write_text(json.dumps(nb))
    return sum(c['cell_type'] == 'code' for c in nb['cells']), dashboards


def api(base: str, token: str, path: str, method: str = 'GET'):
    "A call to the Jupyter server's REST API; the decoded JSON answer, or None when there is none."
    req = urllib.request.Request(f'{base}/api/{path}', method=method, headers={'Authorization': f'token {token}'})
    with urllib.request.urlopen(req, timeout=30) as r: body = r.read()
    return json.loads(body) if body else None


@pytest.fixture(scope='module')
def lab(tmp_path_factory):
    """A JupyterLab server on a free loopback port serving the course; yields (base url, token, {chapter: (code cells,
    dashboards)}, log). At the end every kernel still running is shut down before the server stops."""
    tmp = tmp_path_factory.mktemp('lab')
    copy_notebooks(tmp/'course')
    only = os.environ.get('VAEGAN_CHAPTERS')   # e.g. VAEGAN_CHAPTERS=04,41 runs those chapters only, while you work on them
    chapters = {p.name: prepare(p) for p in sorted((tmp/'course').glob('*.ipynb'))
                if not only or p.name.startswith(tuple(only.split(',')))}
    assert chapters, f'VAEGAN_CHAPTERS={only!r} names no chapter'
    _settings(tmp/'settings')
    s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
    token, base = secrets.token_hex(16), f'http://127.0.0.1:{port}'
    # each kernel gets one of the two cores: torch's default (all cores per process) oversubscribes them
    env = {**os.environ, 'JUPYTERLAB_SETTINGS_DIR': str(tmp/'settings'), 'JUPYTERLAB_WORKSPACES_DIR': str(tmp/'workspaces'),
           'VAEGAN_QUICK': '1', 'OMP_NUM_THREADS': str(max(1, (os.cpu_count() or 1) // PARALLEL))}
    env.pop('IN_TEST', None)
    log = open(tmp/'server.log', 'w')
    srv = subprocess.Popen([str(BIN/'jupyter'), 'lab', '--no-browser', f'--port={port}', '--ServerApp.ip=127.0.0.1',
                            '--allow-root', '--LabApp.expose_app_in_browser=True', f'--IdentityProvider.token={token}',
                            f'--ServerApp.root_dir={tmp/"course"}'],
                           env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            assert srv.poll() is None, f'JupyterLab exited with {srv.returncode}:\n{(tmp/"server.log").read_text()[-3000:]}'
            try: socket.create_connection(('127.0.0.1', port), 0.2).close(); break
            except OSError: time.sleep(0.2)
        yield base, token, chapters, tmp/'server.log'
    finally:
        try:
            for k in api(base, token, 'kernels'): api(base, token, f'kernels/{k["id"]}', 'DELETE')
        except Exception as e: print(f'could not shut the kernels down: {e}')
        srv.terminate()
        try: srv.wait(30)
        except subprocess.TimeoutExpired: srv.kill()
        log.close()


KERNEL = "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel"
KERNEL_READY = f"() => {{ const k = ({KERNEL})(); return !!k && k.connectionStatus === 'connected' && k.status === 'idle'; }}"
ERRORS = '[data-mime-type="application/vnd.jupyter.error"]'


def run_all(page) -> None:
    """Run All Cells from the menu, once the notebook's kernel is connected and idle (the toolbar's indicator reads
    'idle' before a kernel exists, and a click then runs nothing)."""
    page.wait_for_function(KERNEL_READY, timeout=120_000)
    page.locator('.lm-MenuBar-itemLabel', has_text='Run').first.click()
    page.get_by_role('menuitem', name='Run All Cells', exact=True).click()


def cells(page) -> tuple[int, int, int]:
    "Code cells run, queued, and in all, from their prompts: [3] run, [*] queued or running, [ ] not yet."
    prompts = page.locator('.jp-CodeCell .jp-InputPrompt').all_inner_texts()
    return sum(bool(re.search(r'\[\d+\]', t)) for t in prompts), sum('[*]' in t for t in prompts), len(prompts)


def progress(page) -> str:
    "How far Run All got: cells run, cells queued, dashboards drawn, and the first error shown, if any."
    done, queued, total = cells(page)
    errors = page.locator(ERRORS)
    first = errors.first.inner_text()[:1500] if errors.count() else 'none'
    return (f'{done} of {total} code cells run, {queued} queued, '
            f'{page.locator(".vaegan-dashboard").count()} dashboards drawn; first error: {first}')


def status(dash) -> str: return dash.locator('.vaegan-status').inner_text()
def step_count(dash) -> int: return int(dash.locator('.vaegan-stepcount').inner_text())
def strip(dash) -> tuple[str, dict]:
    "The highlighted player and each player's count, as the page shows them."
    boxes = dash.locator('.vaegan-player')
    counts = {}
    for t in boxes.all_inner_texts():
        name, n = t.split(' × ')
        counts[name] = int(n)
    return dash.locator('.vaegan-current').get_attribute('data-player'), counts


class Chapter:
    """One chapter in one browser page: Run All, then watch it until every cell has run.

    A cell that fails ends the chapter with its error. While the kernel is busy the chapter is working, however long a
    cell takes. A kernel that stays idle or dead with cells still queued for `stall` seconds has stranded the queue
    (a kernel restarted under a loaded CI machine once did): the page is reloaded and run again, as a learner would,
    at most `retries` times; and no chapter may take more than `limit` seconds in all."""
    def __init__(self, page, base: str, token: str, name: str, code_cells: int, dashboards: int, stall: float = 90,
                 retries: int = 1, limit: float = 900):
        self.page, self.name, self.code_cells, self.dashboards = page, name, code_cells, dashboards
        self.stall, self.retries, self.limit, self.base, self.token = stall, retries, limit, base, token
        self.start = self.since = time.time()
        page.goto(f'{base}/lab/workspaces/{Path(name).stem}/tree/{name}?token={token}')
        run_all(page)

    def done(self) -> bool:
        "Look once: True when the chapter has run; raises AssertionError with what the page shows when it failed."
        page = self.page
        errors = page.locator(ERRORS)
        if errors.count(): raise AssertionError(f'{self.name}: a cell failed in the browser: {errors.first.inner_text()[:2000]}')
        ran, queued, total = cells(page)
        assert total == self.code_cells, f'{self.name}: the page shows {total} code cells, the notebook has {self.code_cells}'
        if ran == total and queued == 0 and page.locator('.vaegan-dashboard').count() >= self.dashboards: return True
        assert time.time() - self.start < self.limit, f'{self.name}: not done after {self.limit} s: {progress(page)}'
        if page.evaluate(f"() => ({KERNEL})()?.status") == 'busy': self.since = time.time()
        elif time.time() - self.since > self.stall:
            assert self.retries > 0, f'{self.name}: Run All Cells kept stalling: {progress(page)}'
            print(f'{self.name}: the kernel sat idle with cells queued ({progress(page)}); reloading and running all again')
            self.retries -= 1
            page.reload(); run_all(page)
            self.since = time.time()
        return False

    def check(self) -> str:
        "Every dashboard the chapter started is on the page with its pictures; save each one's last frame."
        dashes = self.page.locator('.vaegan-dashboard')
        assert dashes.count() == self.dashboards, \
            f'{self.name}: expected {self.dashboards} dashboards, the page shows {dashes.count()}'
        for i in range(self.dashboards):
            dash = dashes.nth(i)
            deadline = time.time() + 30   # the last frame is drawn when the run ends
            while not status(dash).startswith('idle'):   # the live mode trains in the background; the chapter awaits it
                assert not status(dash).startswith('error') and time.time() < deadline, \
                    f'{self.name}: dashboard {i + 1} reads {status(dash)!r} after every cell ran'
                time.sleep(0.2)
            for panel in ('losses', 'views', 'pictures'):   # each panel's image is loaded and has a size
                width = dash.locator(f'.vaegan-{panel}').evaluate('e => e.complete ? e.naturalWidth : 0')
                assert width > 100, f'{self.name}: dashboard {i + 1} shows no {panel} image (width {width})'
            dash.scroll_into_view_if_needed()
            dash.screenshot(path=str(SHOTS/'chapters'/f'{Path(self.name).stem}-{i + 1}.png'))
        return f'{self.name}: {self.code_cells} cells, {self.dashboards} dashboards, {time.time() - self.start:.0f} s'

    def shut_down(self) -> None:
        "Stop the chapter's kernel, as closing it in JupyterLab would, to give its memory back (best effort)."
        try:
            kid = self.page.evaluate(f"() => ({KERNEL})()?.id")
            if kid: api(self.base, self.token, f'kernels/{kid}', 'DELETE')
        except Exception as e: print(f'{self.name}: could not shut its kernel down ({e}); the fixture will')


def test_every_chapter_runs_all_in_jupyterlab(lab):
    base, token, chapters, server_log = lab
    if not os.environ.get('VAEGAN_CHAPTERS'): assert len(chapters) >= 16 and chapters[LIVE][1] >= 1, chapters
    (SHOTS/'chapters').mkdir(parents=True, exist_ok=True)
    # the longest chapters first, so that the two kernels finish together (measured here: 41 ~260 s, 20/30/40 ~130 s)
    rank = lambda name: LONGEST.index(name[:2]) if name[:2] in LONGEST else len(LONGEST)
    todo = sorted(chapters.items(), key=lambda kv: (rank(kv[0]), kv[0]))
    failures, passed = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM,
                                     args=['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'])
        new_page = lambda: browser.new_page(viewport={'width': 1400, 'height': 1100})
        pages = [new_page() for _ in range(PARALLEL)]
        running: dict[int, Chapter] = {}
        try:
            while todo or running:
                for slot in range(PARALLEL):
                    if slot not in running and not todo: continue
                    name, page = running[slot].name if slot in running else todo[0][0], pages[slot]
                    try:
                        if slot not in running:
                            name, (code_cells, dashboards) = todo.pop(0)
                            running[slot] = Chapter(page, base, token, name, code_cells, dashboards)
                        ch = running[slot]
                        if not ch.done(): continue
                        passed.append(ch.check()); print(passed[-1], flush=True)
                        if ch.name == LIVE:   # a learner adds a cell with a long live run and plays with it
                            add_cell_and_run(page, 'gdash.run(100_000)')
                            drive(page, running_dashboard(page))
                    except Exception as e:   # a failed check, or the page did not show what a check waited for
                        failures.append(f'{name}: {e}'); print('FAILED', failures[-1][:300], flush=True)
                        try: page.screenshot(path=str(SHOTS/'chapters'/f'failure-{Path(name).stem}.png'), full_page=True)
                        except Exception: pass
                    if slot in running: running.pop(slot).shut_down()
                    if page.is_closed(): pages[slot] = new_page()
                time.sleep(0.5)
        finally: browser.close()
    if failures:
        log = server_log.read_text()
        events = [l for l in log.splitlines() if re.search(r'[Kk]ernel|Timeout|restart|Restart|dead', l)]
        print('--- kernel events in the server log ---\n' + '\n'.join(events[-40:]))
    assert not failures, '\n\n'.join(failures)
    assert len(passed) == len(chapters)


def add_cell_and_run(page, code: str) -> None:
    """Add a code cell below the last one, with `code` in it, and start it: JupyterLab's own commands for Insert Cell
    Below and Run (not awaited: the cell may train for long; the test watches the page instead)."""
    page.evaluate("""async (code) => {
        const app = window.jupyterapp, nb = app.shell.currentWidget.content;
        nb.activeCellIndex = nb.widgets.length - 1;
        await app.commands.execute('notebook:insert-cell-below');
        await app.commands.execute('notebook:change-cell-to-code');
        nb.activeCell.model.sharedModel.setSource(code);
        void app.commands.execute('notebook:run-cell');
    }""", code)


def running_dashboard(page, timeout: float = 60):
    "The dashboard that is training (a dashboard run again trains in its existing output, where the chapter showed it)."
    deadline = time.time() + timeout
    while time.time() < deadline:
        dashes = page.locator('.vaegan-dashboard')
        for i in range(dashes.count()):
            if status(dashes.nth(i)).startswith('running'): return dashes.nth(i)
        time.sleep(0.3)
    raise AssertionError(f'no dashboard started training within {timeout} s of running the added cell: {progress(page)}')


def drive(page, dash):
    "Everything a learner does with a live dashboard, with the checks."
    deadline = time.time() + 120
    while not (status(dash).startswith('running') and step_count(dash) > 100):
        assert time.time() < deadline, f'the live run did not start: {status(dash)!r}'
        time.sleep(0.3)
    dash.scroll_into_view_if_needed()
    dash.screenshot(path=str(SHOTS/'1-running.png'))

    # The picture changes while training runs, and the step count goes up.
    img, n0 = dash.locator('.vaegan-pictures').get_attribute('src'), step_count(dash)
    deadline = time.time() + 30
    while dash.locator('.vaegan-pictures').get_attribute('src') == img:
        assert time.time() < deadline, 'the pictures did not change while training ran'
        time.sleep(0.2)
    assert step_count(dash) > n0

    # A slider moved mid-run reaches the optimizer at its next update (the status shows the optimizer's lr).
    lr = dash.locator('.vaegan-lr[data-player="gen"]')
    assert '1.0e-04' not in lr.inner_text()
    readout = dash.locator('.vaegan-slider-lr_gen .widget-readout')
    readout.click(); page.keyboard.press('Control+A'); page.keyboard.type('1.0e-4'); page.keyboard.press('Enter')
    deadline = time.time() + 10
    while '1.0e-04' not in lr.inner_text():
        assert time.time() < deadline, f'the slider did not reach the optimizer: {lr.inner_text()!r}'
        time.sleep(0.1)
    assert status(dash).startswith('running')

    # Pause, clicked mid-run, stops training at the next iteration boundary: within a second, or within three
    # iterations' time on a machine so loaded that one iteration takes longer than a third of a second.
    rate = float(re.search(r'([\d.]+) steps/s', status(dash)).group(1))
    limit = max(1.0, 3 / max(rate, 0.1))
    dash.locator('.vaegan-pause').click()
    t = time.time()
    while not status(dash).startswith('paused'):
        assert time.time() - t < limit, f'still {status(dash)!r} {limit:.1f} s after Pause'
        time.sleep(0.05)
    stopped = step_count(dash)
    time.sleep(1.0)
    assert step_count(dash) == stopped, 'training went on after Pause'
    assert f'paused at step {stopped}' in status(dash)
    dash.screenshot(path=str(SHOTS/'2-paused.png'))

    # Step: exactly one optimizer step of the next player; the strip lights that player and counts one more.
    current, counts = strip(dash)
    for expected in (['dis', 'gen'] if current == 'gen' else ['gen', 'dis']):
        dash.locator('.vaegan-step').click()
        deadline = time.time() + 10
        while strip(dash)[1] == counts:
            assert time.time() < deadline, 'Step did not change the strip'
            time.sleep(0.05)
        now, new_counts = strip(dash)
        assert now == expected, (now, expected)
        assert {k: new_counts[k] - counts[k] for k in counts} == {expected: 1, ({'dis', 'gen'} - {expected}).pop(): 0}
        counts = new_counts
    assert step_count(dash) == stopped + 1   # dis then gen: one whole iteration
    dash.screenshot(path=str(SHOTS/'3-stepped.png'))
