"""Goal 6 of the performance issue: every model's full-length training on one device, eager and with bf16 autocast
and torch.compile, both ways, in one process.

For each model and mode the model (seed 0, MNIST-5k, its own batch size) first trains `--warmup` iterations, which
include compiling when the mode compiles, then `--steps` timed iterations. Printed per row: steps/s, the full-length
run's time at that rate (the model's `default_steps`), the warm-up's seconds, peak device memory, and the mean of each
player's total loss over the timed iterations beside eager's: a faster mode must not change what is learned.
Ends with a Markdown table for benchmarks/RESULTS.md.

How the modes are made:
- `bf16`: the library's own option, `fit(..., precision='bf16')`: each player's turn runs under
  `torch.autocast(device, torch.bfloat16)`, its backward pass with autocast off, and autocast's cache of bfloat16
  weight copies is cleared after every optimizer step (the training chapter explains each of these).
- `compile`: each of the model's top-level modules is compiled in place (`nn.Module.compile`), so its parameters and
  checkpoint keys are the same objects and names as in eager mode. With `torch._functorch.config.donated_buffer` off:
  ALI and VAE-GAN take several players' gradients from one forward pass (`retain_graph=True`), which compiled backward
  passes with donated buffers refuse (ALI: a RuntimeError that says so; VAE-GAN: "modified by an inplace operation").

Everything also runs on a CPU (`tests/test_gpu_runs.py` runs it for a few iterations), so that no path of it is
reachable only on a GPU. Run: python benchmarks/gpu_runs.py [--models vae,vaegan] [--modes eager,bf16]
[--steps 300] [--warmup 30] [--device cuda] [--json results.json]
"""
import argparse, json, time
import numpy as np
import torch
import vaegan_tutorial.aae, vaegan_tutorial.bigan, vaegan_tutorial.gan, vaegan_tutorial.vae, vaegan_tutorial.vaegan  # noqa: F401 (register the models)
from vaegan_tutorial.core import device_name, get_device, seed_everything
from vaegan_tutorial.data import load
from vaegan_tutorial.training import MODELS, build, fit

MODES = ('eager', 'bf16', 'compile', 'bf16+compile')


def sync(device: torch.device) -> None:
    "Wait for the device's queued work, so that the clock reads finished work."
    if device.type == 'cuda': torch.cuda.synchronize(device)


def run(name: str, mode: str, data, device: torch.device, steps: int, warmup: int) -> dict:
    "One model in one mode: warm up (and compile), then time `steps` iterations."
    seed_everything(0)
    model = build(name, data.shape).to(device)
    if 'compile' in mode:
        import torch._functorch.config as functorch_config   # not loaded by `import torch` alone
        if hasattr(functorch_config, 'donated_buffer'):
            functorch_config.donated_buffer = False   # players that share one forward pass backward with retain_graph=True
        for module in model.children(): module.compile()
    precision = 'bf16' if 'bf16' in mode else 'fp32'
    if device.type == 'cuda': torch.cuda.reset_peak_memory_stats(device)
    t = time.perf_counter()
    fit(model, data, warmup, progress=False, precision=precision, health_every=0)   # health checks (in eval mode: a recompile) are not what is timed
    sync(device); warm = time.perf_counter() - t
    start = model.steps_done
    t = time.perf_counter()
    fit(model, data, steps, progress=False, precision=precision, health_every=0)
    sync(device); timed = time.perf_counter() - t
    losses = {}
    for key in model.history.keys():
        if key.endswith('/total'):
            at, values = model.history[key]
            values = [v for s, v in zip(at, values) if s > start]
            losses[key.split('/')[0]] = float(np.mean(values)) if values else float('nan')
    rate = steps / timed
    return {'model': name, 'mode': mode, 'steps_per_s': rate, 'full_steps': model.default_steps,
            'full_run_s': model.default_steps / rate, 'warmup_s': warm,
            'peak_mib': torch.cuda.max_memory_allocated(device) / 2**20 if device.type == 'cuda' else None,
            'losses': losses}


def table(rows: list[dict]) -> str:
    "The rows as a Markdown table, each mode's losses and speed beside the same model's eager run."
    eager = {r['model']: r for r in rows if r['mode'] == 'eager'}
    out = ['| model | mode | steps/s | × eager | full run | warm-up | peak memory | mean losses (eager) |',
           '|---|---|---|---|---|---|---|---|']
    for r in rows:
        e = eager.get(r['model'])
        speedup = f"{r['steps_per_s'] / e['steps_per_s']:.2f}" if e else '—'
        mem = f"{r['peak_mib']:,.0f} MiB" if r['peak_mib'] is not None else '—'
        loss = ', '.join(f"{k} {v:.3g}" + (f" ({e['losses'][k]:.3g})" if e and r is not e and k in e['losses'] else '')
                         for k, v in r['losses'].items())
        out.append(f"| {r['model']} | {r['mode']} | {r['steps_per_s']:.1f} | {speedup} | {r['full_steps']:,} its: "
                   f"{r['full_run_s']:.0f} s | {r['warmup_s']:.1f} s | {mem} | {loss} |")
    return '\n'.join(out)


def main(argv=None) -> list[dict]:
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--models', default=','.join(MODELS), help='comma-separated registered models (default: all)')
    p.add_argument('--modes', default=','.join(MODES), help=f'comma-separated, of {", ".join(MODES)} (default: all)')
    p.add_argument('--steps', type=int, default=300, help='timed iterations per run')
    p.add_argument('--warmup', type=int, default=30, help='iterations before the clock starts (compiling happens here)')
    p.add_argument('--device', default=None, help='cuda, cpu, ... (default: the best available)')
    p.add_argument('--json', default=None, help='also write the rows to this file')
    a = p.parse_args(argv)
    models, modes = a.models.split(','), a.modes.split(',')
    if bad := [m for m in models if m not in MODELS]: p.error(f'--models: expected some of {", ".join(MODELS)}, got {", ".join(bad)}')
    if bad := [m for m in modes if m not in MODES]: p.error(f'--modes: expected some of {", ".join(MODES)}, got {", ".join(bad)}')
    if a.steps < 1 or a.warmup < 1: p.error(f'--steps and --warmup: expected at least 1 iteration each, got {a.steps} and {a.warmup}')
    device = get_device(a.device)
    data = load('mnist5k')
    print(f'{device_name(device)}, torch {torch.__version__}; {a.warmup} warm-up + {a.steps} timed iterations per run', flush=True)
    rows = []
    for name in models:
        for mode in modes:
            try: r = run(name, mode, data, device, a.steps, a.warmup)
            except Exception as e:   # one failing mode must not cost the others their figures
                print(f'{name:9} {mode:13} FAILED: {type(e).__name__}: {str(e).splitlines()[0][:300]}', flush=True)
                continue
            rows.append(r)
            print(f"{name:9} {mode:13} {r['steps_per_s']:8.1f} steps/s  full run {r['full_run_s']:7.0f} s  "
                  f"warm-up {r['warmup_s']:6.1f} s  losses {r['losses']}", flush=True)
    print('\n' + table(rows))
    if a.json:
        with open(a.json, 'w') as f: json.dump({'device': device_name(device), 'torch': torch.__version__, 'rows': rows}, f, indent=1)
    return rows


if __name__ == '__main__':
    main()
