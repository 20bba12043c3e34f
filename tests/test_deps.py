"""What the library and the chapters import is what `pip install vaegan-tutorial` brings.

A learner who only pip-installs copies the chapters (`vaegan-tutorial notebooks`) and runs them: every package they or
the library import must be a runtime dependency in pyproject.toml, not one that arrives with the `dev` extra (as
fastcore did, through nbdev) or only through another package's dependencies (as scipy did, through scikit-learn).
"""
import ast, json, re, sys, tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COLAB_ONLY = {'google'}   # imported by the Colab set-up cell, only inside `if 'google.colab' in sys.modules`


def top_level_imports(source: str) -> set[str]:
    "The top-level module names `source` imports (absolute imports; IPython magics and shell lines skipped)."
    source = '\n'.join(l for l in source.splitlines() if not l.lstrip().startswith(('%', '!')))
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import): names |= {a.name.split('.')[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0: names.add(node.module.split('.')[0])
    return names


def imported() -> dict[str, set[str]]:
    "Third-party module -> where it is imported (chapters' code cells and the library's modules)."
    where = {}
    for nb in sorted((ROOT/'nbs').glob('*.ipynb')):
        for cell in json.loads(nb.read_text())['cells']:
            if cell['cell_type'] == 'code':
                for m in top_level_imports(''.join(cell['source'])): where.setdefault(m, set()).add(nb.name)
    for py in sorted((ROOT/'vaegan_tutorial').glob('*.py')):
        for m in top_level_imports(py.read_text()): where.setdefault(m, set()).add(py.name)
    return {m: w for m, w in where.items() if m not in sys.stdlib_module_names and m not in COLAB_ONLY | {'vaegan_tutorial'}}


def norm(name: str) -> str: return re.sub(r'[-_.]+', '-', name).lower()


def test_everything_imported_is_a_runtime_dependency():
    project = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']
    declared = {norm(re.split(r'[<>=!~ ;\[]', d, maxsplit=1)[0]) for d in project['dependencies']}
    dists = packages_distributions()
    missing = {m: sorted(w)[:3] for m, w in imported().items() if not {norm(d) for d in dists.get(m, [m])} & declared}
    assert not missing, f'imported but not in [project] dependencies: {missing}'


def test_the_check_sees_the_chapters_imports():
    "The scan itself: it finds what the chapters are known to import, so an empty result above means something."
    found = imported()
    assert {'torch', 'numpy', 'matplotlib', 'fastcore', 'ipywidgets'} <= set(found)
    assert '00_core.ipynb' in found['fastcore'] and 'dashboard.py' in found['ipywidgets']
    assert top_level_imports('import a.b as c\nfrom d.e import f\nfrom . import g\n%timeit x\n!pip list') == {'a', 'd'}
