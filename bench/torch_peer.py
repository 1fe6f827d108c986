#!/usr/bin/python3
"""PyTorch (CPU; oneDNN and OpenBLAS inside) on the workloads of bench/run.py.

    /usr/bin/python3 bench/torch_peer.py WORKLOAD THREADS RUNS

Prints the median ms of RUNS calls after a warm-up, with THREADS intra-op
threads. Run once per thread count in a fresh process, as nncc's code is.
The attention peers are what users write today: dense attention with the
band or the adjacency as a boolean mask (nn.MultiheadAttention).
The real models (examples/torch_models.py) run as torchvision's modules
in eval mode. Needs Debian's python3-torch and python3-torchvision.
"""
import math
import os
import statistics
import sys
import time

# Debian's PyTorch multiplies matrices with OpenBLAS, whose threads
# torch.set_num_threads does not limit (a "1-thread" linear ran on both
# cores): they are set before it loads.
if len(sys.argv) > 2:
    os.environ["OPENBLAS_NUM_THREADS"] = sys.argv[2]

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "examples"))
import torch_models  # noqa: E402


def conv(c, o, k, hw, pad):
    x = torch.randn(1, c, hw, hw)
    w = torch.randn(o, c, k, k) * 0.05
    b = torch.randn(o)
    return lambda: F.conv2d(x, w, b, padding=pad)


def go_policy():
    x = torch.randn(1, 48, 19, 19)
    layers = [(torch.randn(192, 48, 5, 5) * 0.05, torch.randn(192), 2)]
    layers += [(torch.randn(192, 192, 3, 3) * 0.02, torch.randn(192), 1)
               for _ in range(11)]
    head_w, head_b = torch.randn(1, 192, 1, 1) * 0.05, torch.randn(1)

    def run():
        h = x
        for w, b, p in layers:
            h = F.relu(F.conv2d(h, w, b, padding=p))
        logits = F.conv2d(h, head_w, head_b)
        return F.softmax(logits.reshape(1, 361), dim=1)
    return run


def sinusoidal(t, d):
    pos = torch.arange(t, dtype=torch.float64)[:, None]
    i = torch.arange(0, d, 2, dtype=torch.float64)
    angle = pos / torch.pow(10000.0, i / d)
    pe = torch.zeros(t, d, dtype=torch.float64)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(angle), torch.cos(angle)
    return pe.float()


def encoder():
    # The same post-norm layer as examples/transformer/encoder.graph, written
    # with nn.MultiheadAttention (nn.TransformerEncoderLayer's fused path
    # measured slower here).
    t, d, ff = 256, 512, 2048
    x = torch.randn(t, d)
    pe = sinusoidal(t, d)
    mha = torch.nn.MultiheadAttention(d, 8).eval()
    ln1, ln2 = torch.nn.LayerNorm(d), torch.nn.LayerNorm(d)
    ff1, ff2 = torch.nn.Linear(d, ff), torch.nn.Linear(ff, d)

    def run():
        h = x + pe
        a = mha(h[:, None], h[:, None], h[:, None], need_weights=False)[0][:, 0]
        h = ln1(h + a)
        return ln2(h + ff2(F.gelu(ff1(h))))
    return run


def masked_mha(t, d, heads, allowed):
    x = torch.randn(t, 1, d)
    mha = torch.nn.MultiheadAttention(d, heads).eval()
    # True = not allowed to attend, as nn.MultiheadAttention expects.
    mask = ~allowed
    return lambda: mha(x, x, x, attn_mask=mask, need_weights=False)[0]


def speech_window():
    t, w = 4096, 64
    i = torch.arange(t)
    return masked_mha(t, 256, 4, (i[:, None] - i[None, :]).abs() <= w)


def graph_attention():
    n, degree = 4096, 16
    g = torch.Generator().manual_seed(0)
    allowed = torch.zeros(n, n, dtype=torch.bool)
    cols = torch.randint(0, n, (n, degree), generator=g)
    allowed[torch.arange(n)[:, None], cols] = True
    allowed[torch.arange(n), torch.arange(n)] = True
    return masked_mha(n, 128, 4, allowed)


WORKLOADS = {
    "conv3x3_64_56": lambda: conv(64, 64, 3, 56, 1),
    "conv5x5_48_192_19": lambda: conv(48, 192, 5, 19, 2),
    "conv3x3_192_19": lambda: conv(192, 192, 3, 19, 1),
    "maxpool_64_112": lambda: (lambda x: lambda: F.max_pool2d(x, 2))(
        torch.randn(1, 64, 112, 112)),
    "go_policy": go_policy,
    "encoder": encoder,
    "speech_window": speech_window,
    "graph_attention": graph_attention,
}


def real_model(name):
    module, shapes = torch_models.build(name)
    inputs = [torch.randn(s) for s in shapes]
    return lambda: module(*inputs)


for _name in torch_models.MODELS:
    WORKLOADS[_name] = (lambda n: lambda: real_model(n))(_name)


def main():
    name, threads, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    with torch.no_grad():
        fn = WORKLOADS[name]()
        # At least 3 calls and 200 ms, as bench/run_timed.c warms nncc's
        # code up.
        warm = time.perf_counter()
        calls = 0
        while calls < 3 or time.perf_counter() - warm < 0.2:
            fn()
            calls += 1
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1e3)
    print("%.4f" % statistics.median(times))


if __name__ == "__main__":
    main()
