"""The chapters' models on the shapes GPU users bring (the paper's CelebA 64x64 colour), on random data, on the CPU."""
import pytest, torch
from vaegan_tutorial.core import seed_everything
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
