"""benchmarks/gpu_runs.py, the script a GPU session runs for the performance issue's goal 6, run here on the CPU for a
few iterations: every mode's code path (bf16 autocast, torch.compile) works before a GPU's minutes are spent on it."""
import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT/'benchmarks'/'gpu_runs.py'


def gpu_runs(*args, tmp_path) -> tuple[str, dict]:
    out = tmp_path/'rows.json'
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    r = subprocess.run([sys.executable, str(SCRIPT), '--device', 'cpu', '--json', str(out), *args],
                       capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'FAILED' not in r.stdout, r.stdout
    return r.stdout, json.loads(out.read_text())


def test_eager_and_bf16_every_model(tmp_path):
    "Every registered model trains in eager mode and under bf16 autocast; the table compares each with eager."
    stdout, result = gpu_runs('--modes', 'eager,bf16', '--steps', '2', '--warmup', '1', tmp_path=tmp_path)
    rows = result['rows']
    models = sorted({r['model'] for r in rows})
    assert models == sorted(['ae', 'vae', 'gan', 'vaegan', 'bigan', 'ali', 'aae', 'aae_sup', 'aae_semi']), models
    assert len(rows) == 2 * len(models)
    for r in rows:
        assert r['steps_per_s'] > 0 and r['full_steps'] > 0
        assert r['losses'] and all(v == v for v in r['losses'].values()), r   # every player's loss, none NaN
    assert '| vaegan | bf16 |' in stdout and 'cpu (' in stdout
    ae = {r['mode']: r['losses']['ae'] for r in rows if r['model'] == 'ae'}
    assert ae['bf16'] == pytest.approx(ae['eager'], rel=0.02), ae   # bf16 learns as eager does (a stale autocast weight cache would stop it)


def test_compile(tmp_path):
    "torch.compile in place (inductor needs a C++ compiler on a CPU; CI installs one): the compiled AE trains as the eager one, and ALI, whose players share one forward pass, trains at all."
    if shutil.which('g++') is None and shutil.which('c++') is None:
        reason = 'no C++ compiler for torch.compile on the CPU (apt-get install g++)'
        if os.environ.get('CI'): raise RuntimeError(reason)   # in CI a missing compiler is a failure, not a skip
        pytest.skip(reason)
    stdout, result = gpu_runs('--models', 'ae,ali', '--modes', 'eager,compile', '--steps', '3', '--warmup', '1', tmp_path=tmp_path)
    assert [(r['model'], r['mode']) for r in result['rows']] == [('ae', 'eager'), ('ae', 'compile'), ('ali', 'eager'), ('ali', 'compile')], stdout   # ALI: two players, one pass
    eager, compiled = result['rows'][:2]
    assert compiled['losses']['ae'] == pytest.approx(eager['losses']['ae'], rel=1e-3)


def test_bad_arguments():
    r = subprocess.run([sys.executable, str(SCRIPT), '--modes', 'fp8'], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "--modes: expected some of eager, bf16, compile, bf16+compile, got fp8" in r.stderr, r.stderr
