"""Do the chapters' quick checks hold on other seeds?

A training check is measured on one run (seed 0). The same seed on another CPU can end somewhere else (float rounding
differs between CPUs, and these games are chaotic: benchmarks/RESULTS.md), so a threshold has to hold over seeds, not
only on the run it was measured on. This tool runs chapters as `nbdev-test` does (quick budget, `slow`/`gpu`/`notest`
cells skipped), with every `seed_everything(s)` of the library and the notebooks shifted to `s + K`, and with each
`assert` of a code cell turned into a record: pass or fail, with the values it compared. The notebook runs on after a
failed check, so one run shows every check. `fastcore.test`'s `test_eq`/`test_close`/`test_ne` failures are recorded too.

    python tools/seed_audit.py --shifts 1,2,3 nbs/11_gan.ipynb nbs/30_bigan.ipynb     # then read the summary

Each shift runs in its own process (in parallel with `--jobs`, one thread each); the copies of the notebooks are
written next to them as `_audit_K<k>_<name>.ipynb` (so that relative paths work) and removed afterwards. The summary
lists every check that failed for some shift, with its values for all shifts; `--all` lists every check. Checks that
compare against a run made outside the shifted process (a subprocess, a file written by another run) fail for
every shift but 0 by construction; read those as such.
"""
from __future__ import annotations
import argparse, ast, collections, contextlib, importlib, io, json, os, pkgutil, re, subprocess, sys, tempfile, time
from pathlib import Path

CHECK = '''def _audit_check(where, text, ok, values, msg, _log={log!r}, _k={k}):
    import random, numpy as np, torch
    if values is not None:   # compare values, evaluated without moving any random stream
        state = (random.getstate(), np.random.get_state())
        with torch.random.fork_rng():
            try: values = values()
            except Exception as e: values = [f'<{{type(e).__name__}}>']
        random.setstate(state[0]); np.random.set_state(state[1])
    show = lambda v: f'{{v:.4g}}' if isinstance(v, float) else repr(v)[:80]
    shown = ', '.join(map(show, values)) if values is not None else (str(msg)[:200].replace(chr(10), ' ') if msg is not None and not ok else '')
    with open(_log, 'a') as f: f.write(json.dumps({{'k': _k, 'ok': bool(ok), 'where': where, 'check': text, 'values': shown}}) + chr(10))
import json
'''


class _Soften(ast.NodeTransformer):
    "`assert COND, MSG` -> `_audit_check(where, 'COND', COND, lambda: (the compared values), MSG)`."
    def __init__(self, where: str, src: str): self.where, self.src = where, src

    def visit_Assert(self, node: ast.Assert):
        text = ast.get_source_segment(self.src, node.test) or ast.unparse(node.test)
        tests = node.test.values if isinstance(node.test, ast.BoolOp) else [node.test]
        values = [e for t in tests if isinstance(t, ast.Compare) for e in (t.left, *t.comparators) if not isinstance(e, ast.Constant)]
        call = ast.parse(f'_audit_check({self.where!r}, {text[:200]!r}, None, None, None)').body[0].value
        call.args[2] = node.test
        if values:
            call.args[3] = ast.Lambda(ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[], defaults=[]),
                                      ast.Tuple(values, ast.Load()))
        if node.msg is not None: call.args[4] = node.msg
        return ast.copy_location(ast.Expr(call), node)


def soften(nb: Path, k: int, log: Path) -> Path:
    "A copy of notebook `nb` whose asserts record instead of raising, written beside it."
    book = json.loads(nb.read_text())
    for cell in book['cells']:
        if cell['cell_type'] != 'code': continue
        lines = ''.join(cell['source']).splitlines(keepends=True)
        head = ''.join(l for l in lines if l.startswith('#|'))
        body = ''.join(l for l in lines if not l.startswith('#|'))
        if 'export' in head: continue
        try: tree = compile(body, '<cell>', 'exec', flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        except SyntaxError: continue   # IPython syntax: left as it is
        if not any(isinstance(n, ast.Assert) for n in ast.walk(tree)): continue
        tree = ast.fix_missing_locations(_Soften(f"{nb.stem}:{cell['id']}", body).visit(tree))
        cell['source'] = (head + ast.unparse(tree) + '\n').splitlines(keepends=True)
    book['cells'].insert(0, {'cell_type': 'code', 'id': 'auditpre', 'metadata': {}, 'execution_count': None, 'outputs': [],
                             'source': CHECK.format(log=str(log), k=k).splitlines(keepends=True)})
    out = nb.with_name(f'_audit_K{k}_{nb.name}')
    out.write_text(json.dumps(book))
    return out


def shift_seeds(k: int) -> None:
    "Make every `seed_everything(s)` of the library (and so of the notebooks, which import it) seed `s + k`."
    import vaegan_tutorial, vaegan_tutorial.core as core
    original = core.seed_everything
    def shifted(seed: int = 0, *args, **kw): return original(seed + k, *args, **kw)
    for m in pkgutil.iter_modules(vaegan_tutorial.__path__):
        mod = importlib.import_module(f'vaegan_tutorial.{m.name}')
        if getattr(mod, 'seed_everything', None) is original: mod.seed_everything = shifted
    if vaegan_tutorial.__dict__.get('seed_everything') is original: vaegan_tutorial.seed_everything = shifted


def record_fastcore(k: int, log: Path) -> None:
    "fastcore.test's checks record their failures instead of raising."
    import fastcore.test as ft
    def soft(name, f):
        def g(*args, **kw):
            try: return f(*args, **kw)
            except AssertionError as e:
                with open(log, 'a') as out:
                    out.write(json.dumps({'k': k, 'ok': False, 'where': f'{name} (cell unknown)', 'check': name,
                                          'values': str(e)[:200].replace('\n', ' ')}) + '\n')
        return g
    for name in ('test_eq', 'test_close', 'test_ne'): setattr(ft, name, soft(name, getattr(ft, name)))


def run_shift(k: int, notebooks: list[Path], log: Path) -> None:
    "In this process: shift the seeds by `k` and run each notebook's softened copy."
    shift_seeds(k); record_fastcore(k, log)
    from nbdev.test import test_nb
    for nb in notebooks:
        copy = soften(nb, k, log)
        start, err = time.time(), io.StringIO()
        try:
            with contextlib.redirect_stderr(err): ok, _ = test_nb(copy, skip_flags=['notest', 'slow', 'gpu'], profile=False)
        finally: copy.unlink()
        stopped = '' if ok else ' STOPPED: ' + ' | '.join(l for l in err.getvalue().splitlines() if 'Error' in l)[-300:]
        print(f'shift {k}: {nb.name} {time.time() - start:.0f} s{stopped}', flush=True)


def summary(log: Path, everything: bool = False) -> str:
    "Every check (or every check that failed for some shift) with its values for each shift."
    rows, failed, seen = collections.defaultdict(dict), set(), collections.Counter()
    for line in log.read_text().splitlines():
        r = json.loads(line)
        key = (r['where'], r['check'])
        seen[key + (r['k'],)] += 1
        n = seen[key + (r['k'],)]   # the n-th time this check ran in this shift (checks in loops)
        rows[key + (n,)][r['k']] = ('' if r['ok'] else 'FAIL ') + r['values']
        if not r['ok']: failed.add(key + (n,))
    out = []
    for key, by_k in rows.items():
        if everything or key in failed:
            out.append(f'{key[0]} (#{key[2]}): {key[1]}')
            out += [f'    shift {k}: {v}' for k, v in sorted(by_k.items())]
    return '\n'.join(out) or 'every check held for every shift'


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('notebooks', nargs='+', type=Path)
    p.add_argument('--shifts', default='1,2,3', help='comma-separated seed shifts (default 1,2,3; 0 is the real run)')
    p.add_argument('--jobs', type=int, default=os.cpu_count() or 1, help='shifts run at once, one thread each')
    p.add_argument('--log', type=Path, default=None, help='the records, one JSON line per check (default: a temporary file)')
    p.add_argument('--all', action='store_true', help='list every check, not only those that failed for some shift')
    p.add_argument('--worker', type=int, default=None, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    notebooks = [nb.resolve() for nb in a.notebooks]
    if missing := [str(nb) for nb in notebooks if not nb.is_file()]: p.error(f'expected notebooks, got missing files: {", ".join(missing)}')
    log = (a.log or Path(tempfile.mkstemp(prefix='seed_audit_', suffix='.jsonl')[1])).resolve()
    if a.worker is not None:
        run_shift(a.worker, notebooks, log); return 0
    try: shifts = [int(s) for s in a.shifts.split(',')]
    except ValueError: p.error(f'--shifts: expected comma-separated integers, got {a.shifts!r}')
    log.write_text('')
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    pending, running = list(shifts), []
    while pending or running:
        while pending and len(running) < max(1, a.jobs):
            k = pending.pop(0)
            running.append(subprocess.Popen([sys.executable, __file__, *map(str, notebooks), '--worker', str(k), '--log', str(log)], env=env))
        time.sleep(1)
        running = [r for r in running if r.poll() is None]
    print(summary(log, a.all))
    return 0


if __name__ == '__main__':
    sys.exit(main())
