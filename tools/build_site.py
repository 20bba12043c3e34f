"""Render the executed chapters to a static site in _site/ without Quarto, and check it.

nbdev-docs needs Quarto, which no package registry reachable here carries; the real site is built on GitHub by
.github/workflows/deploy.yaml (nbdev 3's quarto-ghp3 workflow). This builds what can be built here, with nbconvert's
HTML exporter (the renderer Jupyter itself ships, already a dependency of nbdev): one page per notebook, the same
directives as the README (`#| hide` dropped, `#| echo: false` input removed), every widget output shown as its
static picture (the dashboard's last frame), an index page, and an API page of every exported name with its
signature and docstring. It fails when a notebook has no page, a cell shows an error, or a figure is missing.
"""
import argparse, html, importlib, inspect, json, re, sys
from pathlib import Path
import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_readme import ROOT, prepare   # one reading of the nbdev directives for the README and the site

WIDGET = 'application/vnd.jupyter.widget-view+json'
NAV = '<nav style="padding: 8px 16px"><a href="index.html">vaegan_tutorial</a> · <a href="api.html">API reference</a></nav>'


def static_outputs(nb) -> tuple[int, list[str]]:
    "Replace widget views by their static picture (a saved notebook has no widget state); return (figures, errors)."
    figures, errors = 0, []
    for c in nb.cells:
        for o in c.get('outputs', []):
            if o.get('output_type') == 'error': errors.append(f"{o.get('ename')}: {o.get('evalue', '')[:200]}")
            data = o.get('data', {})
            if WIDGET in data and len(data) > 1: del data[WIDGET]
            figures += 'image/png' in data
    return figures, errors


def render(path: Path, out: Path) -> list[str]:
    "Write `path` as `out`/<name>.html; return the problems found."
    nb = prepare(nbformat.read(path, as_version=4))
    expected, problems = static_outputs(nb)
    ex = HTMLExporter(template_name='lab')
    ex.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'remove_input'}, enabled=True), enabled=True)
    body, _ = ex.from_notebook_node(nb)
    body = re.sub(r'href="nbs/(\w+)\.ipynb"', r'href="\1.html"', body)     # the index's chapter links, as pages
    body = re.sub(r'(<body[^>]*>)', r'\1' + NAV, body, count=1)
    page = out/('index.html' if path.stem == 'index' else f'{path.stem}.html')
    page.write_text(body)
    shown = body.count('src="data:image/png;base64,')
    if shown < expected: problems.append(f'{expected} figures in the notebook, {shown} on the page')
    return [f'{path.name}: {p}' for p in problems]


def api_page(out: Path) -> Path:
    "One page: every exported name of every module, with its signature and docstring."
    from vaegan_tutorial._modidx import d
    parts = [f'<html><head><meta charset="utf-8"><title>vaegan_tutorial API</title></head><body>{NAV}<h1>API reference</h1>']
    for mod in sorted({m for m, _ in d['syms'].items() if m.startswith('vaegan_tutorial.')}):
        m = importlib.import_module(mod)
        parts.append(f'<h2 id="{mod}">{mod}</h2><p>{html.escape((m.__doc__ or "").split(chr(10))[0])}</p><dl>')
        for name in getattr(m, '__all__', []):
            obj = getattr(m, name)
            try: sig = str(inspect.signature(obj)) if callable(obj) else ''
            except (TypeError, ValueError): sig = ''
            doc = inspect.getdoc(obj) if callable(obj) or inspect.isclass(obj) else ''
            parts.append(f'<dt id="{mod}.{name}"><code>{html.escape(name + sig)}</code></dt><dd>{html.escape(doc or "")}</dd>')
        parts.append('</dl>')
    page = out/'api.html'
    page.write_text('\n'.join(parts) + '</body></html>')
    return page


def build(out: Path, nbs: Path = ROOT/'nbs') -> list[str]:
    "Build the site of the notebooks in `nbs` into `out`; return the problems (empty: the site is complete)."
    out.mkdir(parents=True, exist_ok=True)
    problems = []
    notebooks = sorted(nbs.glob('*.ipynb'))
    for nb in notebooks: problems += render(nb, out)
    api_page(out)
    pages = {p.name for p in out.glob('*.html')}
    wanted = {'index.html' if nb.stem == 'index' else f'{nb.stem}.html' for nb in notebooks} | {'api.html'}
    problems += [f'{p}: page missing' for p in sorted(wanted - pages)]
    return problems


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=str(ROOT/'_site'), help='output folder (default _site)')
    a = ap.parse_args()
    problems = build(Path(a.out))
    for p in problems: print('site:', p)
    print(f'site: {len(list(Path(a.out).glob("*.html")))} pages in {a.out}, {len(problems)} problem(s)')
    sys.exit(1 if problems else 0)
