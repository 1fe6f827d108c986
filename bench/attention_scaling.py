#!/usr/bin/env python3
"""Shows that windowed and graph attention cost grows linearly.

    bench/attention_scaling.py [--build build] [--threads N]

For windowed self-attention (D=256, 4 heads, window 64) at T = 1024 ... 8192
and graph attention (D=128, 4 heads, ~16 neighbours per node, adjacency from
the weights file) at 1024 ... 8192 nodes, compiles each model with nncc,
times it (median of 11 calls, in a fresh process), and prints the time and
the ratio to the previous size: ~2.0 for linear cost, ~4.0 for quadratic.
Not a test: timings vary with the machine.
"""
import argparse
import os
import tempfile

import run  # bench/run.py: compiling and timing one model

ROOT = run.ROOT

WINDOW = """model window
input x : f32[{n}, 256]
param wq : f32[256, 256]
output y = multi_head_attention(x, wq, wq, wq, wq, heads=4, window=64)
"""
GRAPH = """model graph
input x : f32[{n}, 128]
param adj : f32[{n}, {n}]
param wq : f32[128, 128]
output y = multi_head_attention(x, wq, wq, wq, wq, heads=4, mask=adj)
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--threads", type=int, default=0, help="0: every core")
    args = ap.parse_args()
    for title, template in (("windowed attention, D=256, 4 heads, w=64", WINDOW),
                            ("graph attention, D=128, 4 heads, ~16 neighbours", GRAPH)):
        print(title)
        print("%8s %10s %8s" % ("size", "median ms", "ratio"))
        previous = None
        for n in (1024, 2048, 4096, 8192):
            with tempfile.TemporaryDirectory() as tmp:
                exe = run.build_runner(template.format(n=n), tmp, args.build)
                ms = run.timed(exe, args.threads, 11)
            ratio = "%.2f" % (ms / previous) if previous else "-"
            print("%8d %10.2f %8s" % (n, ms, ratio), flush=True)
            previous = ms
        print()


if __name__ == "__main__":
    main()
