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
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

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


def time_model(text, build, tmp, env):
    graph = os.path.join(tmp, "m.graph")
    with open(graph, "w") as f:
        f.write(text)
    name = text.split()[1]
    weights = os.path.join(tmp, "w.safetensors")
    subprocess.run([sys.executable, os.path.join(ROOT, "examples", "gen_weights.py"),
                    graph, weights], check=True)
    obj = os.path.join(tmp, "m.o")
    subprocess.run([os.path.join(build, "compiler", "tools", "nncc"), graph,
                    "--weights", weights, "-o", obj], check=True)
    exe = os.path.join(tmp, "timed")
    subprocess.run(["cc", "-O2", "-I/usr/include/halide14",
                    "-I" + os.path.join(ROOT, "runtime"), "-include",
                    os.path.join(tmp, "m.h"), "-DMODEL_INFO=%s_info" % name,
                    os.path.join(HERE, "run_timed.c"), obj, "-lpthread", "-ldl",
                    "-lm", "-o", exe], check=True)
    out = subprocess.run([exe, "11"], check=True, capture_output=True, text=True, env=env)
    return float(out.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--threads", type=int, default=0, help="0: every core")
    args = ap.parse_args()
    env = dict(os.environ)
    if args.threads:
        env["HL_NUM_THREADS"] = str(args.threads)
    for title, template in (("windowed attention, D=256, 4 heads, w=64", WINDOW),
                            ("graph attention, D=128, 4 heads, ~16 neighbours", GRAPH)):
        print(title)
        print("%8s %10s %8s" % ("size", "median ms", "ratio"))
        previous = None
        for n in (1024, 2048, 4096, 8192):
            with tempfile.TemporaryDirectory() as tmp:
                ms = time_model(template.format(n=n), args.build, tmp, env)
            ratio = "%.2f" % (ms / previous) if previous else "-"
            print("%8d %10.2f %8s" % (n, ms, ratio), flush=True)
            previous = ms
        print()


if __name__ == "__main__":
    main()
