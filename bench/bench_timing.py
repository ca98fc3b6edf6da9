"""The Python peers' timing and row protocol, shared by torch_train.py, gensim_train.py, torch_core.py and
numpy_linalg.py (the twin of bench/timing.ts's measureSteps and timeIt, and bench/rows.ts's ROW_MARKER)."""
import time

ROW_MARKER = '@@row '


def measure_steps(step, seconds, warmup_steps=3, warmup_seconds=3.0, min_steps=3, windows=5):
    """Steady-state steps/s of the median of `windows` consecutive time windows, as measureSteps in bench/timing.ts."""
    w0 = time.perf_counter()
    for i in range(warmup_steps):
        if i > 0 and time.perf_counter() - w0 >= warmup_seconds:
            break
        step()
    rates = []
    steps = 0
    for w in range(windows):
        min_here = max(1, -(-(min_steps - steps) // (windows - w)))
        start = time.perf_counter()
        n = 0
        while n < min_here or time.perf_counter() - start < seconds / windows:
            step()
            n += 1
        rates.append(n / (time.perf_counter() - start))
        steps += n
    rates.sort()
    m = len(rates) // 2
    return rates[m] if len(rates) % 2 == 1 else (rates[m - 1] + rates[m]) / 2


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
