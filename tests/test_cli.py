"""The installed `vaegan-tutorial` command, run as a user runs it: in a subprocess. The many help and bad-input cases
call the command's `main` in this process instead (`call`): the same code from argument parsing to exit status, without
the seconds of imports a new process pays each time."""
import contextlib, io, json, os, signal, subprocess, sys, time
from pathlib import Path
import pytest
import torch
from vaegan_tutorial.compare import ENTRIES, Comparison
from vaegan_tutorial.training import build, load_checkpoint
from vaegan_tutorial.cli import main

EXE = str(Path(sys.executable).parent/'vaegan-tutorial')


def run(*args, cwd=None):
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def call(*args, cwd=None) -> subprocess.CompletedProcess:
    """`vaegan-tutorial ARGS` in this process: its exit status and what it printed. The
    process-wide state a command may set (working folder, seeds, deterministic mode) is put back afterwards."""
    out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
    deterministic, rng, cublas = torch.are_deterministic_algorithms_enabled(), torch.get_rng_state(), os.environ.get('CUBLAS_WORKSPACE_CONFIG')
    try:
        if cwd is not None: os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))   # main returns argparse's exits (--help: 0) as a status too
    finally:
        os.chdir(here)
        torch.use_deterministic_algorithms(deterministic); torch.set_rng_state(rng)
        if cublas is None: os.environ.pop('CUBLAS_WORKSPACE_CONFIG', None)
        else: os.environ['CUBLAS_WORKSPACE_CONFIG'] = cublas
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def test_help_lists_models_and_data():
    r = call('train', '--help')
    assert r.returncode == 0 and 'ae' in r.stdout and 'mnist5k' in r.stdout and 'ring' in r.stdout
    r = call('train', 'ae', '--help')
    assert r.returncode == 0 and '--nz' in r.stdout and '--likelihood' in r.stdout
    assert "knobs of 'ae'" in r.stdout and '--nz NZ' in r.stdout and 'a positive int (default 16)' in r.stdout, r.stdout   # what each knob takes
    assert 'one of bernoulli, gaussian (default None)' in r.stdout, r.stdout            # a knob with a few values lists them
    r = call('train', 'aae', '--help')
    assert 'one of gaussian, mixture, swissroll, categorical' in r.stdout and 'one of nonsaturating, minimax' in r.stdout, r.stdout
    r = call('train', 'vaegan', '--optimizer', 'sgd', '--steps', '1')
    assert r.returncode != 0 and "optimizer: expected one of ('adam', 'rmsprop'), got 'sgd'" in r.stderr, r.stderr
    assert run('--help').returncode == 0


def test_list():
    r = run('list')
    assert r.returncode == 0 and 'ae ' in r.stdout and 'mnist5k' in r.stdout and 'mixture' in r.stdout


def test_list_into_a_closed_pipe_stops_quietly():
    "`vaegan-tutorial list | head -0`: the reader is gone before the command writes; no traceback, exit 141 as Unix tools."
    p = subprocess.Popen([EXE, 'list'], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdout.close()
    p.wait(60); err = p.stderr.read()
    assert p.returncode == 141 and 'Traceback' not in err and 'BrokenPipe' not in err, (p.returncode, err)


@pytest.mark.parametrize('command', ['list', 'train', 'sample', 'compare', 'notebooks', 'lab'])
def test_every_command_has_help(command):
    r = call(command, '--help')
    assert r.returncode == 0 and f'usage: vaegan-tutorial {command}' in r.stdout, r.stdout + r.stderr


def test_train_on_mnist5k_writes_what_it_prints(tmp_path):
    r = run('train', 'ae', '--data', 'mnist5k', '--steps', '20', '--out', 'runs/ae', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert 'fit ae' in r.stderr  # the progress bar
    wrote = [tmp_path/l.split(maxsplit=1)[1] for l in r.stdout.splitlines() if l.startswith('wrote ')]
    assert [p.name for p in wrote] == ['checkpoint.pt', 'history.json', 'losses.png', 'recon.png']
    assert all(p.stat().st_size > 0 for p in wrote)
    assert load_checkpoint(wrote[0]).steps_done == 20
    assert len(json.loads(wrote[1].read_text())['values']['ae/recon']) == 20


def test_train_vae_with_its_knobs_writes_samples(tmp_path):
    r = run('train', 'vae', '--steps', '10', '--nz', '2', '--beta', '0.5', '--out', 'runs/vae', cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    wrote = [l.split(maxsplit=1)[1] for l in r.stdout.splitlines() if l.startswith('wrote ')]
    assert [Path(p).name for p in wrote] == ['checkpoint.pt', 'history.json', 'losses.png', 'recon.png', 'samples.png']
    m = load_checkpoint(tmp_path/wrote[0])
    assert (m.name, m.config['nz'], m.config['beta'], m.steps_done) == ('vae', 2, 0.5, 10)


def test_train_vaegan_from_the_command_line(tmp_path):
    "Also in bf16: three players whose gradients come from one forward pass, under autocast; the checkpoint stays float32."
    r = run('train', 'vaegan', '--steps', '3', '--gamma', '0.5', '--balance', 'true', '--precision', 'bf16', '--out', str(tmp_path/'vg'))
    assert r.returncode == 0, r.stderr
    assert 'forward passes in bf16' in r.stdout, r.stdout
    m = load_checkpoint(tmp_path/'vg'/'checkpoint.pt')
    assert (m.name, m.config['gamma'], m.config['balance'], m.steps_done) == ('vaegan', 0.5, True, 3)
    assert set(m.players) == {'enc', 'dec', 'dis'} and (tmp_path/'vg'/'samples.png').exists()
    state = torch.load(tmp_path/'vg'/'checkpoint.pt', weights_only=True)['state']   # as written, before any model casts it
    assert {t.dtype for t in state.values() if t.is_floating_point()} == {torch.float32}
    assert all(len(m.history[f'{p}/total'][1]) == 3 for p in m.players)


@pytest.mark.parametrize('name, stochastic', [('bigan', False), ('ali', True)])
def test_train_bigan_and_ali_on_a_toy_from_the_command_line(tmp_path, name, stochastic):
    r = run('train', name, '--data', 'ring', '--steps', '5', '--nz', '2', '--loss', 'minimax', '--out', str(tmp_path/name))
    assert r.returncode == 0, r.stderr
    m = load_checkpoint(tmp_path/name/'checkpoint.pt')
    assert (m.name, m.config['nz'], m.config['loss'], m.stochastic, m.steps_done) == (name, 2, 'minimax', stochastic, 5)
    assert set(m.players) == {'dis', 'eg'} and (tmp_path/name/'samples.png').exists()


def test_train_aae_with_a_prior_from_the_command_line(tmp_path):
    r = run('train', 'aae', '--steps', '5', '--prior', 'swissroll', '--posterior', 'gaussian', '--out', str(tmp_path/'aae'))
    assert r.returncode == 0, r.stderr
    m = load_checkpoint(tmp_path/'aae'/'checkpoint.pt')
    assert (m.name, m.config['prior'], m.config['posterior'], m.steps_done) == ('aae', 'swissroll', 'gaussian', 5)
    assert list(m.players) == ['ae', 'dis', 'gen'] and (tmp_path/'aae'/'samples.png').exists()


def test_train_semi_supervised_aae_with_labels_from_the_command_line(tmp_path):
    r = run('train', 'aae_semi', '--labels', '100', '--steps', '4', '--nz', '4', '--out', str(tmp_path/'semi'))
    assert r.returncode == 0, r.stderr
    m = load_checkpoint(tmp_path/'semi'/'checkpoint.pt')
    assert (m.name, m.config['nz'], m.steps_done) == ('aae_semi', 4, 4)
    assert list(m.players) == ['ae', 'dis', 'gen', 'sup'] and m.history['sup/sup'][0] == [0, 1, 2, 3]   # every batch had labels


def test_a_cli_checkpoint_loads_with_plain_torch_and_rebuilds(tmp_path):
    assert run('train', 'vae', '--steps', '5', '--nz', '3', '--out', str(tmp_path)).returncode == 0
    ck = torch.load(tmp_path/'checkpoint.pt', weights_only=True)              # no code from us needed to read it
    model = build(ck['model'], **ck['config'])                                # the hyperparameters are inside
    model.load_state_dict(ck['state'])
    assert (model.name, model.config['nz'], ck['steps_done']) == ('vae', 3, 5)
    z = torch.randn(4, 3)
    assert torch.equal(model.decode(z), load_checkpoint(tmp_path/'checkpoint.pt').decode(z))   # the one-call way agrees


def test_sample_writes_a_grid_and_a_tensor(tmp_path):
    assert run('train', 'vae', '--steps', '5', '--out', str(tmp_path/'vae')).returncode == 0
    r = run('sample', str(tmp_path/'vae'/'checkpoint.pt'), '-n', '16', '--out', str(tmp_path/'grid.png'))
    assert r.returncode == 0 and r.stdout.strip() == f'wrote {tmp_path/"grid.png"}', r.stderr
    assert (tmp_path/'grid.png').read_bytes()[:8] == bytes.fromhex('89504e470d0a1a0a')   # a PNG
    for name, seed in (('a', '1'), ('b', '1'), ('c', '2')):
        r = call('sample', str(tmp_path/'vae'/'checkpoint.pt'), '-n', '5', '--seed', seed, '--out', str(tmp_path/f'{name}.pt'))
        assert r.returncode == 0, r.stderr
    a, b, c = (torch.load(tmp_path/f'{n}.pt', weights_only=True) for n in 'abc')
    assert a.shape == (5, 1, 28, 28) and 0 <= a.min() and a.max() <= 1
    assert torch.equal(a, b) and not torch.equal(a, c)   # the same seed gives the same samples, another seed others


def test_compare_prints_the_table_and_writes_json_and_figure(tmp_path):
    r = run('compare', '--steps', '3', '--models', 'AE,GAN,AAE mixture', '--toys', 'ring', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert 'compare' in r.stderr   # the progress bar
    rows = [l.split('|')[1].strip() for l in r.stdout.splitlines() if l.startswith('| ')]
    assert rows == ['model', 'data', 'AE', 'GAN', 'AAE mixture'], r.stdout
    assert 'Budget: 3 iterations per model and dataset, seed 0' in r.stdout
    c = Comparison.load(tmp_path/'results.json')
    assert c.meta['budget'] == {'steps': 3, 'seconds': None} and c.meta['toys'] == ['ring'] and c.meta['device'].startswith('cpu')
    assert c.rows['AE']['steps'] == 3 and 'recon_mse' in c.rows['AE'] and 'recon_mse' not in c.rows['GAN']
    assert 'ring/modes' in c.rows['GAN'] and c.rows['AAE mixture']['nz'] == 2
    assert (tmp_path/'compare.png').stat().st_size > 10_000


def test_compare_on_a_wall_time_budget(tmp_path):
    r = run('compare', '--seconds', '3', '--models', 'VAE', '--toys', 'none', '--out', str(tmp_path), '--no-progress')
    assert r.returncode == 0, r.stderr
    row = Comparison.load(tmp_path/'results.json').rows['VAE']
    assert row['seconds'] >= 3 and row['steps'] > 1, row   # 3 s: more than one step even on a loaded machine; how far past the limit it may run is checked in chapter 60


@pytest.mark.parametrize('args, message', [
    (['sample', 'missing/checkpoint.pt'], "but 'missing/checkpoint.pt' does not exist"),
    (['sample', 'ae.pt'], "expected a model with a prior to sample from, got a 'ae' model"),
    (['sample', 'ae.pt', '-n', '0'], '-n: expected the number of samples, a positive int, got 0'),
    (['sample', 'ae.pt', '--colour', 'red'], 'sample: unknown argument(s) --colour red'),
    (['compare', '--models', 'VAE,VAEGAN'], "models: unknown 'VAEGAN'"),
    (['compare', '--steps', '-5'], 'steps: expected iterations per model, a positive int, got -5'),
    (['compare', '--steps', '5', '--seconds', '5'], 'compare: expected --steps or --seconds, not both'),
    (['compare', '--steps', '5', '--toys', 'swissroll'], "expected toys with known modes (ring, grid), got 'swissroll'"),
])
def test_bad_sample_and_compare_input_exits_2_with_a_message(tmp_path, ae_checkpoint, args, message):
    r = call(*args, cwd=ae_checkpoint.parent)
    assert r.returncode == 2 and message in r.stderr and 'Traceback' not in r.stderr, r.stderr


@pytest.fixture(scope='module')
def ae_checkpoint(tmp_path_factory):
    d = tmp_path_factory.mktemp('ae')
    assert call('train', 'ae', '--data', 'ring', '--steps', '2', '--out', str(d)).returncode == 0
    (d/'checkpoint.pt').rename(d/'ae.pt')
    return d/'ae.pt'


@pytest.mark.parametrize('args, message', [
    (['train', 'nope'], "unknown model 'nope'"),
    (['train', 'ae', '--steps', '-1'], 'got -1'),
    (['train', 'ae', '--nz', '4', '--beta', '2'], 'unknown option(s) --beta'),
    (['train', 'aae', '--nz', '8', '--prior', 'mixture'], "prior 'mixture' is 2-D: expected d=2 or None, got 8"),
    (['train', 'ae', '--labels', '100'], "--labels: 'ae' does not train on labels"),
    (['train', 'ae', '--precision', 'fp16'], "argument --precision: invalid choice: 'fp16'"),
    (['train', 'aae_semi', '--labels', '95'], 'expected 0 or a multiple of the 10 classes, got 95'),
])
def test_bad_input_exits_2_with_a_message(tmp_path, args, message):
    r = call(*args, '--out', str(tmp_path/'out'))
    assert r.returncode == 2 and message in r.stderr and 'Traceback' not in r.stderr


def test_ctrl_c_stops_cleanly_and_resume_continues(tmp_path):
    out = tmp_path/'run'
    p = subprocess.Popen([EXE, 'train', 'ae', '--data', 'ring', '--steps', '1000000', '--out', str(out), '--no-progress'],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().startswith('training')
    time.sleep(3)
    p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=120)
    assert p.returncode == 130, stderr
    assert 'Traceback' not in stderr and 'fit interrupted at step' in stdout
    m = load_checkpoint(out/'checkpoint.pt')
    assert m.steps_done > 0 and m.history.events == [(m.steps_done, 'interrupted')]
    assert (out/'recon.png').exists()
    r = run('train', 'ae', '--data', 'ring', '--steps', str(m.steps_done + 10), '--out', str(out), '--resume', '--no-progress')
    assert r.returncode == 0, r.stderr
    assert load_checkpoint(out/'checkpoint.pt').steps_done == m.steps_done + 10


def test_a_second_ctrl_c_stops_at_once_and_keeps_the_history(tmp_path, monkeypatch):
    "A second press reaches the command as KeyboardInterrupt out of fit (tests/test_interrupt.py shows fit does that): exit 130, one line, history.json written, the last checkpoint kept for --resume."
    import vaegan_tutorial.cli as cli
    real_fit = cli.fit
    def fit_then_second_press(model, data, steps, **kw):
        real_fit(model, data, 250, **kw)          # 250 steps, then the press that fit passes on
        raise KeyboardInterrupt('fit: Ctrl-C at step 250')
    monkeypatch.setattr(cli, 'fit', fit_then_second_press)
    out = tmp_path/'run'
    r = call('train', 'ae', '--data', 'ring', '--steps', '1000', '--out', str(out), '--no-progress')
    assert r.returncode == 130 and 'Traceback' not in r.stderr, r.stderr
    assert 'vaegan-tutorial: interrupted at step 250: wrote' in r.stderr and '--resume continues from it' in r.stderr, r.stderr
    assert (out/'history.json').exists() and load_checkpoint(out/'checkpoint.pt').steps_done == 250   # the stand-in fit's last checkpoint


def test_a_failed_download_stops_with_what_to_do_or_falls_back_when_asked(tmp_path, monkeypatch):
    "Offline (every MNIST mirror fails as it does without a network): `--data mnist` exits 1 with one line saying what"
    " to do; with `--fallback mnist5k` it trains on the offline digits, says which data it used and warns why, once."
    from unittest import mock
    from urllib.error import URLError
    monkeypatch.setenv('VAEGAN_CACHE', str(tmp_path/'cache'))
    monkeypatch.setattr('torchvision.datasets.mnist.download_and_extract_archive', mock.Mock(side_effect=URLError('network is unreachable')))
    r = call('train', 'ae', '--data', 'mnist', '--steps', '2', '--out', str(tmp_path/'a'), '--no-progress')
    assert r.returncode == 1 and 'network is unreachable' in r.stderr and '--fallback mnist5k' in r.stderr, r.stderr
    assert 'Traceback' not in r.stderr and not (tmp_path/'a'/'checkpoint.pt').exists()
    r = call('train', 'ae', '--data', 'mnist', '--fallback', 'mnist5k', '--steps', '2', '--out', str(tmp_path/'b'), '--no-progress')
    assert r.returncode == 0 and "training 'ae' on 'mnist5k'" in r.stdout, (r.stdout, r.stderr)
    warning = r.stderr.split('vaegan-tutorial: warning: ')   # one warning line (both splits fell back), no Python source line
    assert len(warning) == 2 and 'network is unreachable' in warning[1] and "Loading fallback='mnist5k' instead" in warning[1], r.stderr
    assert 'UserWarning' not in r.stderr and 'Without a network' not in r.stderr, r.stderr
    assert load_checkpoint(tmp_path/'b'/'checkpoint.pt').shape == (1, 28, 28)
    r = call('train', 'ae', '--data', 'mnist', '--fallback', 'cifar10', '--out', str(tmp_path/'c'))
    assert r.returncode == 2 and 'expected a dataset that needs no download' in r.stderr, r.stderr


def test_train_under_torchrun_with_two_processes(tmp_path):
    "`torchrun --nproc_per_node=2 --no-python vaegan-tutorial train ...`: two CPU processes (gloo) train one model, in bf16; the first alone writes the outputs and the checkpoint, which a single process resumes in float32."
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '--no-python', EXE,
           'train', 'ae', '--data', 'ring', '--nz', '2', '--steps', '30', '--batch-size', '64', '--device', 'cpu', '--no-progress',
           '--precision', 'bf16', '--out', str(tmp_path/'run')]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    files = [p.name for p in (tmp_path/'run').iterdir()]
    assert 'run.json' in files and r.stdout.count('wrote ') == len(files) - 1 >= 3, (r.stdout, files)   # each output written once
    assert r.stdout.count('health (held-out data)') == 1 and r.stdout.count('split over 2 processes, forward passes in bf16') == 1, r.stdout
    model = load_checkpoint(tmp_path/'run'/'checkpoint.pt')
    assert model.steps_done == 30 and len(model.history['ae/recon'][1]) == 30
    r = call('train', 'ae', '--data', 'ring', '--steps', '40', '--batch-size', '64', '--no-progress', '--resume', '--out', str(tmp_path/'run'))
    assert r.returncode == 0 and load_checkpoint(tmp_path/'run'/'checkpoint.pt').steps_done == 40, r.stdout + r.stderr


MY_MODELS = '''
from vaegan_tutorial.vae import VAE
from vaegan_tutorial.training import register

@register
class TinyVAE(VAE):
    "A VAE of mine, registered under its own name."
    name = 'tiny_vae'
'''


def test_import_brings_a_model_of_yours_to_every_command(tmp_path):
    "A researcher's own registered model, in a module of the current folder: listed, its knobs shown, trained, sampled."
    (tmp_path/'mymodels.py').write_text(MY_MODELS)
    assert 'tiny_vae' not in run('list', cwd=tmp_path).stdout                       # without --import it is unknown
    r = run('--import', 'mymodels', 'list', cwd=tmp_path)
    assert r.returncode == 0 and 'tiny_vae   A VAE of mine' in r.stdout, r.stderr
    r = run('--import', 'mymodels', 'train', 'tiny_vae', '--help', cwd=tmp_path)
    assert "knobs of 'tiny_vae' (see the model's docstring)" in r.stdout and '--nz NZ' in r.stdout, r.stdout
    r = run('--import', 'mymodels', 'train', 'tiny_vae', '--data', 'ring', '--steps', '5', '--out', 'run', '--no-progress', cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path/'run'/'checkpoint.pt').exists(), r.stderr
    r = run('sample', 'run/checkpoint.pt', '-n', '4', '--out', 's.pt', cwd=tmp_path)   # the checkpoint names a model this process lacks
    assert r.returncode == 2 and "'tiny_vae'" in r.stderr, r.stderr
    r = run('--import=mymodels', 'sample', 'run/checkpoint.pt', '-n', '4', '--out', 's.pt', cwd=tmp_path)
    assert r.returncode == 0 and torch.load(tmp_path/'s.pt', weights_only=True).shape == (4, 2), r.stderr
    r = run('--import=mymodels', '--import', 'json', 'list', cwd=tmp_path)                # both forms, in order, repeated
    assert r.returncode == 0 and 'tiny_vae' in r.stdout, r.stderr
    r = run('--imp', 'mymodels', 'list', cwd=tmp_path)                                   # no abbreviation that would import nothing
    assert r.returncode == 2 and "invalid choice: 'mymodels'" in r.stderr and 'tiny_vae' not in r.stdout, r.stderr
    r = run('--import=', 'list', cwd=tmp_path)
    assert r.returncode == 2 and "--import: expected a module name, got ''" in r.stderr, r.stderr
    r = run('--import', 'not_a_module', 'list', cwd=tmp_path)
    assert r.returncode == 2 and "--import: expected a module importable from the current folder or installed, got 'not_a_module'" in r.stderr


def test_version_and_chapter_in_help(tmp_path):
    r = call('lab', str(tmp_path/'new'), '--dry-run')
    assert r.stdout.startswith(f"would copy the course into {tmp_path/'new'}, then run:") and not (tmp_path/'new').exists(), r.stdout
    r = call('--version')
    assert r.returncode == 0 and r.stdout.strip() == f"vaegan-tutorial {__import__('vaegan_tutorial').__version__}"
    assert "knobs of 'aae_semi' (see chapter 41_aae_labels.ipynb)" in call('train', 'aae_semi', '--help').stdout
    r = call('list')
    assert 'Gaussian q(z|x), a prior with a density (N(0, I) by default)' in r.stdout and '$' not in r.stdout   # no LaTeX in a terminal
    r = call('compare', '--steps', '5', '--seconds', '2')
    assert r.returncode == 2 and 'compare: expected --steps or --seconds, not both' in r.stderr, r.stderr
    if torch.cuda.device_count() < 8:
        r = call('train', 'ae', '--device', 'cuda:7', '--steps', '1')
        assert r.returncode == 2 and "error: --device asks for 'cuda:7'" in r.stderr, r.stderr   # the flag, not Python's device=


def test_clip_is_a_run_setting(tmp_path):
    "--clip reaches fit (the norms a player steps with), is kept in run.json, and a resumed run keeps it."
    r = call('train', 'ae', '--data', 'ring', '--steps', '3', '--clip', '0.5', '--every', '3', '--out', str(tmp_path/'r'), '--no-progress')
    assert r.returncode == 0 and 'gradients clipped to norm 0.5' in r.stdout, r.stderr
    assert json.loads((tmp_path/'r'/'run.json').read_text())['clip'] == 0.5
    r = call('train', 'ae', '--data', 'ring', '--steps', '6', '--resume', '--clip', '2', '--out', str(tmp_path/'r'), '--no-progress')
    assert r.returncode == 2 and 'the run in' in r.stderr and 'was started with 0.5' in r.stderr, r.stderr
    r = call('train', 'ae', '--data', 'ring', '--steps', '3', '--clip', '0', '--out', str(tmp_path/'z'), '--no-progress')
    assert r.returncode == 2 and 'error: --clip: expected the largest gradient norm' in r.stderr, r.stderr
    assert not (tmp_path/'z').exists()                                                   # refused before anything is written


def test_a_health_warning_is_one_line_of_the_command(tmp_path):
    "A GAN on the ring collapses onto a few modes by step 200 (seed 0): the warning is the command's line, not Python's file:line and source."
    r = run('train', 'gan', '--data', 'ring', '--steps', '200', '--nz', '2', '--out', str(tmp_path/'g'), '--no-progress')
    assert r.returncode == 0, r.stderr
    assert 'vaegan-tutorial: warning: step 200: ! mode coverage:' in r.stderr, r.stderr
    assert 'HealthWarning' not in r.stderr and 'sys.exit(main())' not in r.stderr, r.stderr
