"""Every chapter's first code cell sets the course up in Google Colab, and does nothing anywhere else.

We run that cell twice: as it runs here (no `google.colab`), and with a stand-in `google.colab` module, recording
what it would install and whether it switches the widget manager on; pip itself is not run.
"""
import json, subprocess, sys, tomllib, types
from importlib.metadata import version
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT/'nbs').glob('*.ipynb'))


def first_code_cell(nb: Path) -> str:
    cells = json.loads(nb.read_text())['cells']
    return next(''.join(c['source']) for c in cells if c['cell_type'] == 'code')


def run_cell(source: str, monkeypatch, colab: bool) -> tuple[list, list]:
    "Execute the cell with subprocess.run recorded; with `colab`, a stand-in google.colab is importable."
    calls, widgets = [], []
    monkeypatch.setattr(subprocess, 'run', lambda cmd, **kw: calls.append((cmd, kw)))
    if colab:
        colab_mod = types.ModuleType('google.colab')
        colab_mod.output = types.SimpleNamespace(enable_custom_widget_manager=lambda: widgets.append(True))
        monkeypatch.setitem(sys.modules, 'google', types.ModuleType('google'))
        monkeypatch.setitem(sys.modules, 'google.colab', colab_mod)
    else:
        monkeypatch.delitem(sys.modules, 'google.colab', raising=False)
    exec(compile(source, 'colab-cell', 'exec'), {})
    return calls, widgets


def test_every_chapter_starts_with_the_same_colab_cell():
    cells = {nb.name: first_code_cell(nb) for nb in NOTEBOOKS}
    assert len(set(cells.values())) == 1, [k for k, v in cells.items() if v != cells['00_core.ipynb']]
    assert "if 'google.colab' in sys.modules:" in cells['00_core.ipynb']


@pytest.mark.parametrize('nb', NOTEBOOKS, ids=lambda p: p.stem)
def test_outside_colab_the_cell_does_nothing(nb, monkeypatch):
    calls, widgets = run_cell(first_code_cell(nb), monkeypatch, colab=False)
    assert calls == [] and widgets == []


def test_in_colab_it_installs_from_the_repository_and_keeps_colabs_torch(monkeypatch):
    calls, widgets = run_cell(first_code_cell(NOTEBOOKS[0]), monkeypatch, colab=True)
    (cmd, kw), = calls
    repo = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']['urls']['Repository']
    assert cmd[:4] == [sys.executable, '-m', 'pip', 'install'] and kw.get('check') is True
    assert cmd[-1] == f'vaegan-tutorial @ git+{repo}'
    keep = Path(cmd[cmd.index('-c') + 1]).read_text().split()
    assert keep == [f'{p}=={version(p)}' for p in ('torch', 'torchvision', 'numpy')]   # pinned to what Colab has
    assert widgets == [True]


@pytest.mark.parametrize('nb', [nb for nb in NOTEBOOKS if nb.stem != 'index'], ids=lambda p: p.stem)
def test_every_chapter_has_an_open_in_colab_badge_for_itself(nb):
    "The badge in the chapter's opening cell opens this very notebook from the repository named in pyproject.toml (the index has one per chapter)."
    repo = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']['urls']['Repository']
    first = ''.join(json.loads(nb.read_text())['cells'][0]['source'])
    link = f"https://colab.research.google.com/github/{repo.removeprefix('https://github.com/')}/blob/main/nbs/{nb.name}"
    assert f'[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({link})' in first, first[:300]
