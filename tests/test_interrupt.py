"""Ctrl-C during fit: the SIGINT path needs the main thread, which nbdev-test cells do not run on."""
import signal
import pytest
import torch
from vaegan_tutorial.core import seed_everything
from vaegan_tutorial.data import load
from vaegan_tutorial.training import AE, Callback, fit


class TwoPlayerAE(AE):
    "An autoencoder whose encoder and decoder step as two players, so an iteration has a middle."
    name = 'test-two-player'
    def __init__(self, shape=(2,), nz=2):
        super().__init__(shape, nz)
        self.players.clear()
        self.add_player('enc', [self.enc], lr=1e-3)
        self.add_player('dec', [self.dec], lr=1e-3)

    def steps(self, x):
        r = self.nll(self.dec(self.enc(x)), x)
        yield self.update('enc', r, recon=r)
        r = self.nll(self.dec(self.enc(x)), x)
        yield self.update('dec', r, ends_iteration=True, recon=r)


class SigintAfterEnc(Callback):
    "Send SIGINT to this process `times` times right after the encoder's update of iteration `at`."
    def __init__(self, at, times=1): self.at, self.times = at, times
    def after_update(self, run, upd):
        if upd.player == 'enc' and run.model.steps_done == self.at:
            for _ in range(self.times): signal.raise_signal(signal.SIGINT)


def opt_steps(model):
    return {n: max(int(s['step']) for s in p.opt.state.values()) for n, p in model.players.items()}


def trained(steps, callbacks=()):
    seed_everything(0)
    m = TwoPlayerAE()
    fit(m, load('ring'), steps, callbacks=list(callbacks), progress=False)
    return m


def test_sigint_finishes_the_iteration_and_keeps_the_weights(capsys):
    handler = signal.getsignal(signal.SIGINT)
    m = trained(1000, [SigintAfterEnc(at=5)])
    assert m.steps_done == 6                      # the decoder's update of iteration 6 still ran
    assert opt_steps(m) == {'enc': 6, 'dec': 6}   # no optimizer was left between a loss and its step
    assert m.history.events == [(6, 'interrupted')]
    assert 'interrupted at step 6' in capsys.readouterr().out
    clean = trained(6)
    for (k, a), b in zip(clean.state_dict().items(), m.state_dict().values()): assert torch.equal(a, b), k
    assert signal.getsignal(signal.SIGINT) is handler  # fit put the previous handler back


def test_second_sigint_stops_at_once_and_reaches_the_caller(capsys):
    "A second press stops inside the iteration and raises KeyboardInterrupt to the script, after the wind-down recorded it."
    seed_everything(0); m = TwoPlayerAE()
    with pytest.raises(KeyboardInterrupt):
        fit(m, load('ring'), 1000, callbacks=[SigintAfterEnc(at=5, times=2)], progress=False)
    assert m.steps_done == 5 and opt_steps(m) == {'enc': 6, 'dec': 5}
    assert m.history.events == [(5, 'interrupted')]
    assert '(inside an iteration)' in capsys.readouterr().out


class StopAndSigint(SigintAfterEnc):
    "A callback that stops the run (as Pause or a time limit does) in the iteration where Ctrl-C is pressed once."
    def after_update(self, run, upd):
        super().after_update(run, upd)
        if upd.player == 'enc' and run.model.steps_done == self.at: run.stop = True


def test_one_press_in_an_iteration_a_callback_stops_returns():
    "The run stopped at that boundary anyway (reason 'stopped'): the press is honoured, fit returns instead of raising."
    m = trained(1000, [StopAndSigint(at=3)])
    assert m.steps_done == 4 and opt_steps(m) == {'enc': 4, 'dec': 4}


def test_a_press_after_the_last_boundary_reaches_the_caller():
    "A press while the run ends (here in after_fit): nothing left to stop at a boundary, so the script gets KeyboardInterrupt."
    class SigintAtEnd(Callback):
        def after_fit(self, run): signal.raise_signal(signal.SIGINT)
    seed_everything(0); m = TwoPlayerAE()
    with pytest.raises(KeyboardInterrupt):
        fit(m, load('ring'), 5, callbacks=[SigintAtEnd()], progress=False)
    assert m.steps_done == 5


def test_dashboard_run_stops_at_the_iteration_boundary_and_says_so(capsys):
    from vaegan_tutorial.dashboard import Dashboard
    seed_everything(0)
    m = TwoPlayerAE()
    dash = Dashboard(m, load('ring'), draw=False)
    record = dash.after_update
    def after_update(run, upd):   # the kernel's stop button, pressed right after the encoder's update of iteration 6
        record(run, upd)
        if upd.player == 'enc' and m.steps_done == 5: signal.raise_signal(signal.SIGINT)
    dash.after_update = after_update
    dash.run(1000, block=True)
    assert m.steps_done == 6 and opt_steps(m) == {'enc': 6, 'dec': 6}
    assert 'stopped at step 6' in dash.status_line()
