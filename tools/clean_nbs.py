"""Drop saved widget state from every notebook, then nbdev-clean them.

nbdev-clean keeps `metadata.widgets`, which can hold megabytes of image bytes from a live dashboard,
so we remove it first; nbdev-clean then writes every notebook in its canonical form.
"""
import json, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if __name__ == '__main__':
    for p in sorted((ROOT/'nbs').rglob('*.ipynb')):
        if '.ipynb_checkpoints' in p.parts: continue
        nb = json.loads(p.read_text(encoding='utf-8'))
        if nb.get('metadata', {}).pop('widgets', None) is not None:
            p.write_text(json.dumps(nb), encoding='utf-8')
            print(f'dropped saved widget state from {p.relative_to(ROOT)}')
    subprocess.run([str(Path(sys.executable).parent/'nbdev-clean')], cwd=ROOT, check=True)
