"""Thread settings of the PyTorch side of the bench, so that PyTorch is measured at its best on this machine.

Debian's torch does its float32 GEMMs in OpenBLAS, whose own thread pool ignores torch.set_num_threads: left alone
it starts a thread per core on top of PyTorch's intra-op threads (issue 18 measured LeNet-5 at 2.3k samples/s that
way, 8.0k with OpenBLAS on one thread). `limit_threads(n)` sets both, and reports what each library really uses.
The runner also sets OMP_NUM_THREADS, MKL_NUM_THREADS and OPENBLAS_NUM_THREADS before the interpreter starts;
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are left as the environment has them.
"""
import torch

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:  # threadpoolctl is optional: then only the environment variables limit OpenBLAS
    threadpool_info = threadpool_limits = None

_limits = None


def limit_threads(n):
    """Runs PyTorch's intra-op pool and the BLAS pools on n threads; returns the threads each really has."""
    global _limits
    torch.set_num_threads(n)
    if threadpool_limits is not None:
        _limits = threadpool_limits(limits=n, user_api='blas')
    return used_threads()


def used_threads():
    """{'torch': intra-op threads, 'blas': {library: threads}} ('blas' is None without threadpoolctl)."""
    blas = None
    if threadpool_info is not None:
        blas = {f"{p['internal_api']}:{p.get('filepath', '').rsplit('/', 1)[-1]}": p['num_threads'] for p in threadpool_info() if p.get('user_api') == 'blas'}
    return {'torch': torch.get_num_threads(), 'blas': blas}


def describe(threads):
    """A short text for a results row: 'torch 2 threads, openblas 2'."""
    blas = threads['blas']
    text = f"torch {threads['torch']} threads"
    if blas is None:
        return text + ', BLAS threads unknown (no threadpoolctl)'
    return text + ''.join(f", {k.split(':')[0]} {v}" for k, v in blas.items())
