"""Run the whole test suite: every notebook under nbdev-test, then the pytest files under tests/.

Ends with one line, `N passed, N failed`, counting notebooks and pytest tests; exits non-zero on any failure
or when nothing ran. Usage: python tools/run_tests.py [--workers N]
"""
import argparse, os, re, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def notebooks(workers: int) -> tuple[int, int]:
    "Run nbdev-test on all notebooks; return (passed, failed). Re-run failures verbosely so their prints show."
    env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'}
    # one worker per notebook, each with its share of the cores: torch's default (all cores per process) oversubscribes
    # them, and on 2 cores that made training cells up to 10x slower
    env.setdefault('OMP_NUM_THREADS', str(max(1, (os.cpu_count() or 1) // workers)))
    cmd = [str(BIN/'nbdev-test'), '--do-print', '--timing', '--n-workers', str(workers)]
    print('+', ' '.join(cmd), flush=True)
    t = time.time()
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    print(r.stdout, end=''); print(r.stderr, end='', file=sys.stderr)
    started = re.findall(r'Starting (\S+?\.ipynb)', r.stdout)   # not anchored: two workers' lines can run together
    failed = re.findall(r'^\t(\S+\.ipynb)$', r.stderr, re.M)
    if r.returncode != 0 and not failed: failed = ['(nbdev-test itself failed)']
    print(f'notebooks: {len(started)} run, {len(failed)} failed, {time.time() - t:.0f} s', flush=True)
    for nb in failed:
        if nb.endswith('.ipynb'):
            print(f'\n--- {nb} again, with its output ---', flush=True)
            subprocess.run([str(BIN/'nbdev-test'), f'nbs/{nb}', '--verbose'], cwd=ROOT, env=env)
    return len(started) - len([f for f in failed if f.endswith('.ipynb')]), len(failed)


def pytests() -> tuple[int, int]:
    "Run pytest on tests/; return (passed, failed + errors)."
    cmd = [str(BIN/'python'), '-m', 'pytest', 'tests', '-q', '-p', 'no:cacheprovider', '--durations=15']
    print('+', ' '.join(cmd), flush=True)
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    print(r.stdout, end=''); print(r.stderr, end='', file=sys.stderr)
    tail = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ''
    count = lambda word: sum(int(n) for n in re.findall(rf'(\d+) {word}', tail))
    passed, failed = count('passed'), count('failed') + count('errors?')
    if r.returncode not in (0, 5) and failed == 0: failed = 1   # pytest crashed or was interrupted
    return passed, failed


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--workers', type=int, default=min(os.cpu_count() or 1, 2))
    a = ap.parse_args()
    np_, nf = notebooks(a.workers)
    pp, pf = pytests()
    passed, failed = np_ + pp, nf + pf
    if np_ + nf == 0: print('no notebook ran: nbdev-test found nothing to test'); failed += 1
    if pp + pf == 0: print('no pytest test ran'); failed += 1
    print(f'notebooks: {np_} passed, {nf} failed; pytest: {pp} passed, {pf} failed')
    print(f'{passed} passed, {failed} failed')
    sys.exit(1 if failed else 0)
