"""On-device index batching (data.Batches) against a torch DataLoader over the same MNIST-5k tensors.

Both yield shuffled float batches of 64 in [0, 1] on the training device; prints batches/s of each and the
ratio Batches/DataLoader (goal: >= 2). Run: python benchmarks/batching.py [--batches N]
"""
import argparse, time
import torch
from torch.utils.data import DataLoader, TensorDataset
from vaegan_tutorial.core import device_name, get_device
from vaegan_tutorial.data import Batches, load


def rate(batches, n, device):
    it = iter(batches)
    t = time.perf_counter()
    for _ in range(n):
        x = next(it)
        if isinstance(x, (list, tuple)): x = x[0].to(device, non_blocking=True).float().div_(255)
    x.sum().item()  # wait for the device
    return n / (time.perf_counter() - t)


def forever(loader):
    while True: yield from loader


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--batches', type=int, default=3000)
    a = ap.parse_args()
    dev = get_device()
    data = load('mnist5k').to(dev)
    cpu_x = data.x.cpu()
    ours = lambda: Batches(data, 64, seed=0)
    loader = lambda: forever(DataLoader(TensorDataset(cpu_x), batch_size=64, shuffle=True, drop_last=True,
                                        pin_memory=dev.type == 'cuda'))
    rate(ours(), 100, dev); rate(loader(), 100, dev)  # warm up
    b = max(rate(ours(), a.batches, dev) for _ in range(3))
    d = max(rate(loader(), a.batches, dev) for _ in range(3))
    print(f'device: {device_name(dev)}; MNIST-5k, batch 64, {a.batches} batches, best of 3')
    print(f'index batching: {b:,.0f} batches/s   DataLoader: {d:,.0f} batches/s   ratio: {b / d:.1f}x')
