"""The Python peers' timing and row protocol, shared by torch_train.py and gensim_train.py (the twin of
bench/timing.ts's measureSteps and bench/rows.ts's ROW_MARKER)."""
import time

ROW_MARKER = '@@row '


def measure_steps(step, seconds, warmup_steps=3, warmup_seconds=3.0, min_steps=3):
    """Steady-state steps/s, as measureSteps in bench/timing.ts."""
    w0 = time.perf_counter()
    for i in range(warmup_steps):
        if i > 0 and time.perf_counter() - w0 >= warmup_seconds:
            break
        step()
    steps = 0
    t0 = time.perf_counter()
    while steps < min_steps or time.perf_counter() - t0 < seconds:
        step()
        steps += 1
    return steps / (time.perf_counter() - t0)
