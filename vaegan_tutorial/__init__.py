__version__ = "0.1.0"

# The short way in; every chapter's module is importable as vaegan_tutorial.<module>.
from .core import get_device, seed_everything, budget
from .training import MODELS, train, fit, save_checkpoint, load_checkpoint
from . import vae, gan, vaegan, bigan, aae   # chapters whose models register themselves with `train` and the CLI
