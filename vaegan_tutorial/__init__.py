"""VAE-GAN, BiGAN/ALI and adversarial autoencoders, derived from the papers and trained live in notebooks.

Where to start:
- the course: `vaegan-tutorial notebooks DIR` copies the chapters, `vaegan-tutorial lab` opens them in JupyterLab
  (`pip install "vaegan-tutorial[lab]"`); online: https://vaegan-tutorial.github.io/vaegan_tutorial/
- from Python: `train('vaegan', 'mnist5k', steps=500)` trains a registered model (`MODELS`) and returns it;
  `fit(model, data, steps)` trains one you built; `save_checkpoint` / `load_checkpoint` keep it.
- from a shell: `vaegan-tutorial list`, `vaegan-tutorial train MODEL --help`.
"""
__version__ = "0.1.0"

# The short way in; every chapter's module is importable as vaegan_tutorial.<module>.
from .core import get_device, seed_everything, budget
from .training import MODELS, train, fit, save_checkpoint, load_checkpoint
from . import vae, gan, vaegan, bigan, aae   # chapters whose models register themselves with `train` and the CLI

__all__ = ['get_device', 'seed_everything', 'budget', 'MODELS', 'train', 'fit', 'save_checkpoint', 'load_checkpoint']
