"""Write README.md (and README_files/) from the executed nbs/index.ipynb, without Quarto.

nbdev-readme needs Quarto, which cannot be installed here; this does the part we need with nbconvert:
cells marked `#| hide` are dropped, `#| echo: false` cells show only their outputs, directive lines
are removed, and images are written beside the README. Deterministic: running it twice changes nothing.
CI runs it and fails if README.md or README_files/ differ from what is committed.
"""
import re, shutil, tomllib
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter
from nbconvert.preprocessors import TagRemovePreprocessor

ROOT = Path(__file__).resolve().parents[1]
DIRECTIVE = re.compile(r'^\s*#\|\s*(.*)$')
REPO = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']['urls']['Repository']


def absolute_links(body: str) -> str:
    "Links into the repository as absolute URLs (images from raw.githubusercontent): the README is also the package's page on PyPI, where relative links break."
    raw = REPO.replace('https://github.com/', 'https://raw.githubusercontent.com/') + '/main/'
    body = re.sub(r'\]\((README_files/[^)\s]+)\)', lambda m: f']({raw}{m.group(1)})', body)
    return re.sub(r'\]\((?!https?:|#|mailto:)([^)\s]+)\)', lambda m: f']({REPO}/blob/main/{m.group(1)})', body)


def prepare(nb):
    "Apply the nbdev directives that matter for a README to `nb`, in place."
    keep = []
    for c in nb.cells:
        lines = c.source.splitlines()
        dirs = [m.group(1).strip() for l in lines if (m := DIRECTIVE.match(l))]
        if any(d == 'hide' or d.startswith('default_exp') for d in dirs) and c.cell_type == 'code' and not c.get('outputs'):
            continue
        if 'hide' in dirs: continue
        c.source = '\n'.join(l for l in lines if not DIRECTIVE.match(l)).strip('\n')
        if c.cell_type == 'code':
            c.execution_count = None
            if any(re.fullmatch(r'echo:\s*false', d) for d in dirs):
                c.metadata.setdefault('tags', []).append('remove_input')
        keep.append(c)
    nb.cells = keep
    return nb


def main():
    nb = prepare(nbformat.read(ROOT/'nbs'/'index.ipynb', as_version=4))
    nb.metadata['language_info'] = {'name': 'python'}  # fenced code blocks say python
    ex = MarkdownExporter()
    ex.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'remove_input'}, enabled=True), enabled=True)
    body, res = ex.from_notebook_node(nb, resources={'output_files_dir': 'README_files', 'unique_key': 'README'})
    files = ROOT/'README_files'
    shutil.rmtree(files, ignore_errors=True)
    for name, data in sorted(res.get('outputs', {}).items()):
        (ROOT/name).parent.mkdir(parents=True, exist_ok=True)
        (ROOT/name).write_bytes(data)
    body = absolute_links(re.sub(r'\n{3,}', '\n\n', body).strip() + '\n')
    (ROOT/'README.md').write_text(body)
    print(f'wrote README.md and {len(res.get("outputs", {}))} file(s) in README_files/')


if __name__ == '__main__':
    main()
