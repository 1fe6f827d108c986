#!/usr/bin/env python3
"""nncc's generated code on the workloads of the performance issue.

    bench/run.py [--build build] [--runs 31] [--only NAME]

In one invocation: measures the FP32 FMA peak (bench/fma_peak.c) at 1 and 2
threads, then compiles each workload with nncc (weights from
examples/gen_weights.py) and times it at 1 and 2 threads, each in a fresh
process (Halide's thread pool does not shrink), median of --runs calls.
Prints ms, GFLOP/s and the percentage of the measured peak.

Peers (PyTorch, oneDNN) are printed when installed; this machine has
neither, so their columns say so rather than quote other runs.
Not a test: timings depend on the machine and what else runs on it.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def conv(name, c, o, k, hw, pad):
    text = f"""model {name}
input x : f32[1, {c}, {hw}, {hw}]
param w : f32[{o}, {c}, {k}, {k}]
param b : f32[{o}]
output y = conv2d(x, w, b, padding={pad})
"""
    return text, 2.0 * o * c * k * k * hw * hw


def go_net():
    with open(os.path.join(ROOT, "examples", "go", "go_policy.graph")) as f:
        text = f.read()
    flops = 2.0 * (192 * 48 * 25 + 11 * 192 * 192 * 9 + 192) * 361
    return text, flops


def encoder():
    with open(os.path.join(ROOT, "examples", "transformer", "encoder.graph")) as f:
        text = f.read()
    t, d, f_ = 256, 512, 2048
    flops = 2.0 * (4 * t * d * d + 2 * t * t * d + 2 * t * d * f_)
    return text, flops


WORKLOADS = [
    ("conv3x3_64_56", lambda: conv("conv3x3_64_56", 64, 64, 3, 56, 1)),
    ("conv5x5_48_192_19", lambda: conv("conv5x5_48_192_19", 48, 192, 5, 19, 2)),
    ("conv3x3_192_19", lambda: conv("conv3x3_192_19", 192, 192, 3, 19, 1)),
    ("maxpool_64_112", lambda: ("""model maxpool_64_112
input x : f32[1, 64, 112, 112]
output y = max_pool2d(x, 2)
""", None)),
    ("go_policy", go_net),
    ("encoder", encoder),
    ("speech_window", lambda: ("""model speech_window
input x : f32[4096, 256]
param wq : f32[256, 256]
output y = multi_head_attention(x, wq, wq, wq, wq, heads=4, window=64)
""", None)),
    ("graph_attention", lambda: ("""model graph_attention
input x : f32[4096, 128]
param adj : f32[4096, 4096]
param wq : f32[128, 128]
output y = multi_head_attention(x, wq, wq, wq, wq, heads=4, mask=adj)
""", None)),
]


def build_runner(text, tmp, build):
    graph = os.path.join(tmp, "m.graph")
    with open(graph, "w") as f:
        f.write(text)
    name = next(line.split()[1] for line in text.splitlines()
                if line.strip().startswith("model "))
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
    return exe


def timed(exe, threads, runs):
    """Median ms of `runs` calls in a fresh process; threads 0: every core."""
    env = dict(os.environ)
    if threads:
        env["HL_NUM_THREADS"] = str(threads)
    out = subprocess.run([exe, str(runs)], check=True, capture_output=True,
                         text=True, env=env)
    return float(out.stdout)


def peer_available():
    probe = subprocess.run(["/usr/bin/python3", "-c", "import torch"],
                           capture_output=True)
    return probe.returncode == 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=31)
    ap.add_argument("--only")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "fma_peak")
        subprocess.run(["cc", "-O2", "-march=native", os.path.join(HERE, "fma_peak.c"),
                        "-lpthread", "-o", exe], check=True)
        peak = {t: float(subprocess.run([exe, str(t)], check=True, capture_output=True,
                                        text=True).stdout) for t in (1, 2)}
    print("FP32 FMA peak: %.0f GFLOP/s (1 thread), %.0f GFLOP/s (2 threads)" %
          (peak[1], peak[2]))
    print("PyTorch peer: %s" % ("installed" if peer_available() else
                                 "not installed (python3-torch): no ratios this run"))
    print()
    print("%-20s %9s %8s %6s %9s %8s %6s" %
          ("workload", "1T ms", "GFLOP/s", "%peak", "2T ms", "GFLOP/s", "%peak"))
    for name, make in WORKLOADS:
        if args.only and args.only != name:
            continue
        text, flops = make()
        with tempfile.TemporaryDirectory() as tmp:
            exe = build_runner(text, tmp, args.build)
            row = [name]
            for t in (1, 2):
                ms = timed(exe, t, args.runs)
                if flops:
                    gf = flops / ms / 1e6
                    row += ["%.3f" % ms, "%.1f" % gf, "%.0f%%" % (100 * gf / peak[t])]
                else:
                    row += ["%.3f" % ms, "-", "-"]
        print("%-20s %9s %8s %6s %9s %8s %6s" % tuple(row), flush=True)


if __name__ == "__main__":
    main()
