"""Render the executed chapters to a static site in _site/ without Quarto, and check it.

nbdev-docs needs Quarto, which no package registry reachable here carries; the real site is built on GitHub by
.github/workflows/deploy.yaml (nbdev 3's quarto-ghp3 workflow). This builds what can be built here, with nbconvert's
HTML exporter (the renderer Jupyter itself ships, already a dependency of nbdev): one page per notebook, the same
directives as the README (`#| hide` dropped, `#| echo: false` input removed), every widget output shown as its
static picture (the dashboard's last frame), an index page, and an API page of every exported name with its
signature and docstring. It fails when a notebook has no page, a cell shows an error, a figure is missing, or an
in-page link has no target.
"""
import argparse, html, importlib, inspect, json, re, sys
from pathlib import Path
import mistune, nbformat
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
    ids = set(re.findall(r'\b(?:id|name)="([^"]+)"', body))
    problems += [f'a link to #{h}, which no heading or anchor on the page has' for h in dict.fromkeys(re.findall(r'href="#([^"]+)"', body)) if h not in ids]
    return [f'{path.name}: {p}' for p in problems]


MATHJAX = ('<script type="text/x-mathjax-config">MathJax.Hub.Config({tex2jax: {inlineMath: [["$","$"]], processEscapes: true}});</script>'
           '<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js?config=TeX-AMS_CHTML-full,Safe"></script>')
STYLE = ('<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:auto;padding:0 1em} dt{margin-top:.8em}'
         ' dd p{margin:.2em 0} code{font-size:90%} .methods{margin-left:1.5em} nav{font-size:95%}</style>')


class _Shown:
    "A parameter's default as the API page shows it: a function by its name, no memory addresses, long values cut."
    def __init__(self, value, width: int = 40):
        text = value.__name__ if callable(value) and hasattr(value, '__name__') else repr(value)
        text = re.sub(r' (object )?at 0x[0-9a-f]+>', '>', text)
        self.text = text if len(text) <= width else text[:width - 3] + '…'
    def __repr__(self): return self.text


def signature(obj, method: bool = False) -> str:
    "`obj`'s signature with its annotations evaluated (written as strings under `from __future__ import annotations`) and its defaults shown short; a `method`'s without `self`."
    try:
        try: sig = inspect.signature(obj, eval_str=True)
        except Exception: sig = inspect.signature(obj)
    except (TypeError, ValueError): return ''
    params = [p.replace(default=_Shown(p.default)) if p.default is not p.empty else p for p in sig.parameters.values()]
    if method and params and params[0].name in ('self', 'cls'): params = params[1:]
    return str(sig.replace(parameters=params))


def md(text: str) -> str:
    "A docstring as HTML (its Markdown: code, links, emphasis; maths stays $...$ for MathJax)."
    return mistune.html(text or '')


def members(cls) -> list[tuple[str, object]]:
    "The public methods and properties `cls` itself defines (not those it inherits), in source order."
    return [(k, v) for k, v in vars(cls).items() if not k.startswith('_') and (inspect.isfunction(v) or isinstance(v, (property, classmethod, staticmethod)))]


def chapters_of(nbs: Path) -> dict[str, str]:
    "Module -> the page of the chapter that exports it (from nbdev's index: its page names drop the chapter number)."
    from vaegan_tutorial._modidx import d
    pages = {re.sub(r'^\d+_', '', p.stem): f'{p.stem}.html' for p in nbs.glob('*.ipynb')}
    out = {}
    for mod, syms in d['syms'].items():
        for doc, _ in syms.values():
            if doc.split('.html')[0] in pages: out.setdefault(mod, pages[doc.split('.html')[0]])
    return out


def api_page(out: Path, nbs: Path = ROOT/'nbs') -> Path:
    "One page: every exported name of every module, with its signature, its docstring, and a class's own methods; a contents list at the top."
    from vaegan_tutorial._modidx import d
    mods = sorted({m for m, _ in d['syms'].items() if m.startswith('vaegan_tutorial.')})
    chapter = chapters_of(nbs)
    parts = [f'<html><head><meta charset="utf-8"><title>vaegan_tutorial API</title>{STYLE}{MATHJAX}</head><body>{NAV}<h1>API reference</h1>',
             '<p>' + ' · '.join(f'<a href="#{m}">{m.split(".")[-1]}</a>' for m in mods) + '</p>']
    for mod in mods:
        m = importlib.import_module(mod)
        intro = (m.__doc__ or '').split('\n')[0]
        intro = intro.split('. ')[0] + '.' if '. ' in intro else intro
        link = f' (<a href="{chapter[mod]}">chapter</a>)' if mod in chapter else ''
        parts.append(f'<h2 id="{mod}">{mod}</h2>{md(intro + link)}<dl>')
        for name in getattr(m, '__all__', []):
            obj = getattr(m, name)
            if callable(obj) or inspect.isclass(obj):
                parts.append(f'<dt id="{mod}.{name}"><code>{html.escape(name + signature(obj))}</code></dt><dd>{md(inspect.getdoc(obj))}')
                if inspect.isclass(obj) and (init := vars(obj).get('__init__')) is not None and init.__doc__:
                    parts.append(md(inspect.cleandoc(init.__doc__)))   # a constructor's own docstring: its arguments
                if inspect.isclass(obj):
                    rows = []
                    for k, v in members(obj):
                        f = v.fget if isinstance(v, property) else getattr(v, '__func__', v)
                        shown = k if isinstance(v, property) else k + signature(f, method=True)
                        doc = v.__doc__ if isinstance(v, property) else f.__doc__   # a property made with doc= keeps it on itself
                        rows.append(f"<dt><code>.{html.escape(shown)}</code></dt><dd>{md(inspect.cleandoc(doc or ''))}</dd>")
                    if rows: parts.append('<dl class="methods">' + ''.join(rows) + '</dl>')
                parts.append('</dd>')
            else:
                parts.append(f'<dt id="{mod}.{name}"><code>{html.escape(name)} = {html.escape(repr(_Shown(obj, 100)))}</code></dt><dd></dd>')
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
