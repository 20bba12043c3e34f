"""The installed library as a newcomer gets it: the built wheel in a clean virtual environment, run from outside the repository.

The temporary venv sees the test environment's site-packages through a .pth file (for torch and the other
dependencies, so nothing is downloaded); the package itself comes only from the wheel. A .pth line adds a plain
path, so the editable install of the development venv (a finder hooked in by its own .pth) does not leak in.
"""
import json, os, re, subprocess, sys, sysconfig, tomllib, zipfile
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]


def sh(*cmd, cwd=None, timeout=600):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, timeout=timeout)
    assert r.returncode == 0, f'{cmd} exited {r.returncode}:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}'
    return r.stdout


@pytest.fixture(scope='module')
def wheel_venv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('wheel')
    offline = ['--no-build-isolation'] if _has_setuptools() else []   # our setuptools if it will do, else pip fetches one
    sh(sys.executable, '-m', 'pip', 'wheel', '--no-deps', '-q', *offline, '-w', tmp/'dist', ROOT)
    whl, = (tmp/'dist').glob('vaegan_tutorial-*.whl')
    venv = tmp/'venv'
    sh(sys.executable, '-m', 'venv', venv)
    py = venv/'bin'/'python'
    site = Path(sh(py, '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])').strip())
    (site/'_test_deps.pth').write_text(sysconfig.get_paths()['purelib'] + '\n')
    sh(py, '-m', 'pip', 'install', '-q', '--no-deps', whl)
    return whl, venv, tmp


def _has_setuptools() -> bool:
    try:
        import setuptools
        return int(setuptools.__version__.split('.')[0]) >= 77
    except ImportError:
        return False


def test_the_wheel_holds_the_library_and_the_course(wheel_venv):
    whl, _, _ = wheel_venv
    names = zipfile.ZipFile(whl).namelist()
    modules = {Path(n).stem for n in names if n.startswith('vaegan_tutorial/') and n.endswith('.py')}
    assert {'core', 'data', 'nets', 'training', 'dashboard', 'vae', 'gan', 'vaegan', 'bigan', 'aae', 'metrics', 'compare', 'cli'} <= modules
    nbs = {Path(n).name for n in names if n.startswith('vaegan_tutorial/notebooks/') and n.endswith('.ipynb')}
    assert nbs == {p.name for p in (ROOT/'nbs').glob('*.ipynb')}
    assert 'vaegan_tutorial/notebooks/figures/compare_steps.json' in names
    assert any(n.endswith('.dist-info/licenses/LICENSE') for n in names), names[-8:]   # Apache-2.0 asks for its text to travel


def test_import_every_module_from_the_wheel_outside_the_repo(wheel_venv):
    _, venv, tmp = wheel_venv
    out = sh(venv/'bin'/'python', '-c', 'import vaegan_tutorial, importlib, pkgutil; print(vaegan_tutorial.__file__); '
             '[importlib.import_module("vaegan_tutorial." + m.name) for m in pkgutil.iter_modules(vaegan_tutorial.__path__)]; '
             'from vaegan_tutorial import *; assert callable(train) and "train(" in vaegan_tutorial.__doc__; '
             'print(vaegan_tutorial.__version__)', cwd=tmp)
    where, version = out.split()
    assert Path(where).is_relative_to(venv) and version == __import__('vaegan_tutorial').__version__


def test_the_installed_command_lists_trains_and_copies_the_course(wheel_venv):
    _, venv, tmp = wheel_venv
    exe = venv/'bin'/'vaegan-tutorial'
    assert 'vaegan' in sh(exe, 'list', cwd=tmp)
    sh(exe, 'train', 'ae', '--steps', '20', '--out', 'run', '--no-progress', cwd=tmp)
    assert (tmp/'run'/'checkpoint.pt').exists() and (tmp/'run'/'recon.png').exists()
    out = sh(exe, 'notebooks', 'course', cwd=tmp)
    assert 'vaegan-tutorial lab course' in out
    assert {p.name for p in (tmp/'course').glob('*.ipynb')} == {p.name for p in (ROOT/'nbs').glob('*.ipynb')}
    assert sh(exe, 'lab', 'course', '--dry-run', cwd=tmp).split()[-3:] == ['-m', 'jupyterlab', 'course']


def test_a_copied_chapter_runs_on_the_installed_wheel(wheel_venv):
    "A learner with only the wheel copies the course and runs a chapter (quick budget) in a kernel of that venv."
    _, venv, tmp = wheel_venv
    sh(venv/'bin'/'vaegan-tutorial', 'notebooks', 'mine', cwd=tmp)
    nb = json.loads((tmp/'mine'/'03_training.ipynb').read_text())
    nb['cells'].append({'cell_type': 'code', 'execution_count': None, 'id': 'where', 'metadata': {}, 'outputs': [],
                        'source': 'import sys, vaegan_tutorial; print(sys.executable); print(vaegan_tutorial.__file__)'})
    (tmp/'mine'/'03_training.ipynb').write_text(json.dumps(nb))
    # only the venv's own kernel: no user or system kernelspec may point somewhere else
    env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'} | {'VAEGAN_QUICK': '1', 'JUPYTER_PATH': str(tmp/'jp'),
                                                                       'JUPYTER_DATA_DIR': str(tmp/'jp')}
    r = subprocess.run([venv/'bin'/'python', '-m', 'nbconvert', '--to', 'notebook', '--execute', '--output', 'ran.ipynb',
                        '--ExecutePreprocessor.timeout=600', 'mine/03_training.ipynb'], capture_output=True, text=True,
                       cwd=tmp, env=env, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]   # nbconvert stops at the first cell that raises
    ran = json.loads((tmp/'mine'/'ran.ipynb').read_text())
    printed = ''.join(''.join(o['text']) for o in ran['cells'][-1]['outputs'] if o.get('name') == 'stdout').split()
    assert len(printed) == 2 and all(Path(p).is_relative_to(venv) for p in printed), printed   # the venv's python and the wheel's library


def test_the_package_page_links_resolve():
    "README.md is also the package's page on PyPI: its links into the repository are absolute, and each names a file that exists."
    text = (ROOT/'README.md').read_text()
    links = re.findall(r'\]\(([^)\s]+)\)', text)
    relative = [l for l in links if not re.match(r'https?:|#|mailto:', l)]
    assert not relative, relative[:5]
    repo = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']['urls']['Repository']
    raw = repo.replace('https://github.com/', 'https://raw.githubusercontent.com/') + '/main/'
    ours = [l.removeprefix(f'{repo}/blob/main/').removeprefix(raw) for l in links if l.startswith((f'{repo}/blob/main/', raw))]
    assert len(ours) >= 17 and any(p.startswith('README_files/') for p in ours), ours   # the chapters and the pictures
    assert [p for p in ours if not (ROOT/p).exists()] == []
