"""fit against a hand-written PyTorch loop: same nets, data, batch size and optimizer, same process.

Prints steps/s of each and the ratio fit/plain (goal: >= 0.95). Run: python benchmarks/fit_overhead.py [--steps N]
"""
import argparse, time
import torch
import torch.nn.functional as F
from vaegan_tutorial.core import seed_everything, device_name, get_device
from vaegan_tutorial.data import Batches, load
from vaegan_tutorial.training import AE, fit


def plain(data, steps, device):
    "The loop every PyTorch tutorial writes: forward, loss, zero_grad, backward, step."
    seed_everything(0)
    m = AE(data.shape).to(device)
    opt = torch.optim.Adam([*m.enc.parameters(), *m.dec.parameters()], lr=1e-3)
    batches = Batches(data, 64)
    t = time.perf_counter()
    for _ in range(steps):
        x = next(batches)
        loss = F.binary_cross_entropy(m.dec(m.enc(x)), x, reduction='sum') / len(x)
        opt.zero_grad(); loss.backward(); opt.step()
    loss.item()  # wait for the device
    return steps / (time.perf_counter() - t)


def library(data, steps, device):
    "The same model through fit, callbacks and progress bar off."
    seed_everything(0)
    m = AE(data.shape).to(device)
    t = time.perf_counter()
    fit(m, data, steps, batch_size=64, progress=False)
    m.history.flush()
    return steps / (time.perf_counter() - t)


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=300)
    ap.add_argument('--repeats', type=int, default=3)
    a = ap.parse_args()
    dev = get_device()
    data = load('mnist5k').to(dev)
    plain(data, 20, dev); library(data, 20, dev)  # warm up
    ps, fs = [], []
    for _ in range(a.repeats):  # interleave so drift in machine load hits both alike
        ps.append(plain(data, a.steps, dev)); fs.append(library(data, a.steps, dev))
    p, f = max(ps), max(fs)
    print(f'device: {device_name(dev)}; AE on MNIST-5k, batch 64, {a.steps} steps, best of {a.repeats}')
    print(f'plain loop: {p:.1f} steps/s   fit: {f:.1f} steps/s   ratio fit/plain: {f / p:.3f}')
