"""Training with the live dashboard against headless training: same model, data and steps, same process.

The dashboard draws at its default time share, rendering every panel to PNG into its ipywidgets.Image
exactly as in a notebook (draw=True forces that without a page). Prints steps/s of both, the ratio
dashboard/headless (goal: >= 0.90) with a verdict, and the milliseconds per redraw; exits with status 1 when the
ratio is under the goal. A ratio of two runs in one process, not a timed test: nothing in CI runs it.
Run: python benchmarks/dashboard_overhead.py
"""
import argparse, sys, time
from vaegan_tutorial.core import device_name, seed_everything
from vaegan_tutorial.dashboard import Dashboard
from vaegan_tutorial.training import AE, fit


def rate(steps, dashboard):
    seed_everything(0)
    m = AE((1, 28, 28))
    cbs = [Dashboard(m, 'mnist5k', draw=True)] if dashboard else []
    t = time.perf_counter()
    fit(m, 'mnist5k', steps, callbacks=cbs, progress=False)
    m.history.flush()
    return steps / (time.perf_counter() - t), (cbs[0].draw_ms if cbs else [])


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=600)
    ap.add_argument('--repeats', type=int, default=2)
    ap.add_argument('--goal', type=float, default=0.90, help='the least ratio dashboard/headless that passes')
    a = ap.parse_args()
    rate(20, False); rate(20, True)  # warm up
    hs, ds, ms = [], [], []
    for _ in range(a.repeats):       # interleaved, so drift in machine load hits both alike
        hs.append(rate(a.steps, False)[0])
        r, d = rate(a.steps, True); ds.append(r); ms += d
    h, d = max(hs), max(ds)
    print(f'device: {device_name()}; AE on MNIST-5k, batch 64, {a.steps} steps, best of {a.repeats}')
    print(f'headless: {h:.1f} steps/s   dashboard: {d:.1f} steps/s   ratio: {d / h:.3f}   '
          f'redraws: {len(ms)}, {sum(ms) / max(1, len(ms)):.0f} ms each')
    ok = d / h >= a.goal
    print(f'verdict: {"meets" if ok else "UNDER"} the goal (ratio {d / h:.3f} against >= {a.goal:.2f})')
    sys.exit(0 if ok else 1)
