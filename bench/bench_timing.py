"""The Python peers' timing and row protocol, shared by torch_train.py, gensim_train.py, torch_core.py and
numpy_linalg.py (the twin of bench/timing.ts's measureSteps and timeIt, and bench/rows.ts's ROW_MARKER)."""
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


def time_it(fn, warmup=2, min_seconds=1.0, min_runs=5):
    """Median seconds per call of fn after `warmup` calls, over at least min_seconds and min_runs (timeIt in bench/timing.ts)."""
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]
