"""Goal 7: `fit` under torchrun. The same training (the MNIST-5k autoencoder, a global batch of 128) in one process and
split over two processes (gloo, one thread each); prints the steps/s of each and how closely the loss curves agree.

Usage: python benchmarks/distributed.py [--steps 200]. On a machine with N cores, --procs N compares N processes (N must divide 128)."""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path

WORKER = r'''
import json, sys, time, torch
from vaegan_tutorial import seed_everything
from vaegan_tutorial.training import build, fit, world
steps, threads, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(threads)
seed_everything(0)
model = build('ae', (1, 28, 28))
fit(model, 'mnist5k', 5, batch_size=128, progress=False, health_every=0)   # warm-up, not timed
t = time.perf_counter()
fit(model, 'mnist5k', steps, batch_size=128, progress=False, health_every=0)
seconds = time.perf_counter() - t
rank, size = world()
if rank == 0: json.dump({'world': size, 'threads': threads, 'steps_per_s': steps / seconds, 'recon': model.history['ae/recon'][1]}, open(out, 'w'))
'''


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--steps', type=int, default=200)
    ap.add_argument('--procs', type=int, default=2)
    a = ap.parse_args()
    if a.procs < 1 or 128 % a.procs: ap.error(f'--procs: expected a number of processes that divides the global batch of 128, got {a.procs}')
    tmp = Path(tempfile.mkdtemp()); (tmp/'worker.py').write_text(WORKER)
    env = {k: v for k, v in os.environ.items() if k != 'OMP_NUM_THREADS'}
    runs = {}
    for name, cmd in [('1 process, 1 thread', [sys.executable, str(tmp/'worker.py'), str(a.steps), '1']),
                      (f'1 process, {a.procs} threads', [sys.executable, str(tmp/'worker.py'), str(a.steps), str(a.procs)]),
                      (f'{a.procs} processes, 1 thread each', [sys.executable, '-m', 'torch.distributed.run', '--standalone',
                       f'--nproc_per_node={a.procs}', str(tmp/'worker.py'), str(a.steps), '1'])]:
        out = tmp/f'{len(runs)}.json'
        subprocess.run([*cmd, str(out)], check=True, env=env, capture_output=True)
        runs[name] = json.loads(out.read_text())
    base = runs['1 process, 1 thread']
    for name, r in runs.items():
        gap = max(abs(x - y) / abs(x) for x, y in zip(base['recon'], r['recon']))
        print(f'{name:28s} {r["steps_per_s"]:6.1f} steps/s  x{r["steps_per_s"] / base["steps_per_s"]:.2f}   '
              f'largest relative loss difference to 1 process: {gap:.1e}')


if __name__ == '__main__':
    main()
