"""The chapters' models on the shapes GPU users bring (the paper's CelebA 64x64 colour), on random data, on the CPU."""
import pytest, torch
from vaegan_tutorial.core import seed_everything
from vaegan_tutorial.data import Data
from vaegan_tutorial.training import build, fit


@pytest.mark.parametrize('name', ['vaegan', 'bigan', 'ali', 'aae'])
def test_models_train_on_64x64_colour_images(name):
    seed_everything(0)
    x = torch.rand(32, 3, 64, 64)
    m = build(name, (3, 64, 64))
    before = [p.detach().clone() for p in m.parameters()]
    fit(m, x, 2, batch_size=16, progress=False)
    assert m.steps_done == 2
    assert any(not torch.equal(a, b) for a, b in zip(before, m.parameters()))
    assert m.sample(4).shape == (4, 3, 64, 64) and m.reconstruct(x[:4]).shape == (4, 3, 64, 64)


@pytest.mark.parametrize('name', ['aae_sup', 'aae_semi'])
def test_labelled_models_train_on_64x64_colour_images(name):
    seed_everything(0)
    data = Data('colour', torch.rand(32, 3, 64, 64), torch.tensor([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4] * 2))
    if name == 'aae_sup': data.y = data.y.clamp_min(0)   # the supervised AAE needs every label
    m = build(name, (3, 64, 64))
    before = [p.detach().clone() for p in m.parameters()]
    fit(m, data, 2, batch_size=16, progress=False)
    assert m.steps_done == 2
    assert all(not torch.equal(b, p) for b, p in zip(before, m.parameters()))
    assert m.sample(3).shape == (3, 3, 64, 64)
