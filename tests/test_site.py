"""The static site (tools/build_site.py): every chapter a page with its figures, an API page; errors are caught."""
import sys
from pathlib import Path
import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
from build_site import build   # noqa: E402


def test_every_chapter_renders_with_its_figures_and_the_api_page_lists_the_library(tmp_path):
    assert build(tmp_path) == []
    pages = {p.name for p in tmp_path.glob('*.html')}
    assert pages == {f'{p.stem}.html' for p in (ROOT/'nbs').glob('*.ipynb') if p.stem != 'index'} | {'index.html', 'api.html'}
    dash = (tmp_path/'04_dashboard.html').read_text()
    assert dash.count('src="data:image/png;base64,') >= 3            # the dashboards' last frames, not empty widgets
    assert 'href="60_compare.html"' in (tmp_path/'index.html').read_text()
    api = (tmp_path/'api.html').read_text()
    assert 'compare(steps: ' in api and 'vaegan_tutorial.training.fit' in api
    assert ' at 0x' not in api and 'steps: int' in api and ': &#x27;int&#x27;' not in api   # no addresses; annotations evaluated
    assert '<code>.steps(x: torch.Tensor)' in api                                        # a class's own methods, without self
    assert 'True while a live run is training.' in api and 'Watch <code>model</code> train on' in api   # property and __init__ docs
    assert '(<a href="03_training.html">chapter</a>)' in api and '<code>torch.save</code>' in api   # chapter links; Markdown rendered


def test_a_cell_error_is_a_problem(tmp_path):
    nbs = tmp_path/'nbs'; nbs.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell('# broken'), nbformat.v4.new_code_cell('1/0')])
    nb.cells[1].outputs = [nbformat.v4.new_output('error', ename='ZeroDivisionError', evalue='division by zero', traceback=[])]
    nbformat.write(nb, nbs/'99_broken.ipynb')
    problems = build(tmp_path/'site', nbs)
    assert problems == ['99_broken.ipynb: ZeroDivisionError: division by zero'], problems


def test_a_link_to_a_missing_heading_is_a_problem(tmp_path):
    nbs = tmp_path/'nbs'; nbs.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell('# Title\n\nSee [below](#the-results).\n\n## The results, measured')])
    nbformat.write(nb, nbs/'98_links.ipynb')
    assert build(tmp_path/'site', nbs) == ['98_links.ipynb: a link to #the-results, which no heading or anchor on the page has']
