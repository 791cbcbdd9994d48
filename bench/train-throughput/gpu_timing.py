"""The GPU scripts' timing rule (op_bench.py, layer_backward_cuda.py): median ms per call over 7 batches of `reps`
calls after 3 warm-up calls. sync=False leaves the batch's end unsynchronised: the host's time to issue the calls
(the GPU is drained between batches)."""
import statistics, time
import torch


def timed(fn, reps, sync=True):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    out = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        if sync:
            torch.cuda.synchronize()
        out.append((time.perf_counter() - t0) * 1e3 / reps)
        torch.cuda.synchronize()
    return statistics.median(out)
