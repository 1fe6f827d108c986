#!/usr/bin/env python3
"""nncc's compile time against a model's depth (not a test).

    bench/compile_scaling.py [--build build]

Compiles the deep models of test/codegen/Inputs/deep_model.py (residual
3x3 convolutions, self-attention layers) at growing depths with their
weights and prints, per depth, the median of 3 compile times, the time per
layer and the peak memory (the largest resident size of nncc or of a
child compiling a group), so that
growth faster than linear shows as a rising time per layer. Prints the CPU
(lscpu) first.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEPTHS = {"convs": [25, 50, 100], "attention": [12, 25, 50]}


def cpu():
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    args = ap.parse_args()
    nncc = os.path.join(args.build, "compiler", "tools", "nncc")
    print(f"CPU: {cpu()}.\n")
    print("| model | layers | compile s | s per layer | peak MB |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for kind, depths in DEPTHS.items():
            for layers in depths:
                graph = os.path.join(tmp, f"{kind}{layers}.graph")
                weights = os.path.join(tmp, f"{kind}{layers}.safetensors")
                subprocess.run([sys.executable, os.path.join(
                    ROOT, "test", "codegen", "Inputs", "deep_model.py"),
                    kind, str(layers), graph], check=True)
                subprocess.run([sys.executable, os.path.join(
                    ROOT, "examples", "gen_weights.py"), graph, weights],
                    check=True)
                times, peak = [], 0
                for _ in range(3):
                    start = time.perf_counter()
                    p = subprocess.Popen([nncc, graph, "--weights", weights,
                                          "-o", os.path.join(tmp, "m.o")])
                    _, status, usage = os.wait4(p.pid, 0)
                    times.append(time.perf_counter() - start)
                    if status:
                        sys.exit(f"nncc failed on {graph}")
                    # The largest of nncc and the children it waited for.
                    peak = max(peak, usage.ru_maxrss)
                t = statistics.median(times)
                print(f"| {kind} | {layers} | {t:.1f} | {t / layers:.3f} | "
                      f"{peak / 1024:.0f} |")


if __name__ == "__main__":
    main()
