#!/usr/bin/env python3
"""nncc's generated code beside PyTorch, oneDNN and ONNX Runtime on the
performance issues' workloads (scripts/bench installs the peers and runs
this).

    bench/run.py [--build build] [--runs 31] [--only NAME]

In one invocation: prints the CPU model (lscpu) and measures the FP32 FMA
peak (bench/fma_peak.c) at 1 and 2 threads, then
- compiles each layer workload with nncc (weights from
  examples/gen_weights.py) and, per thread count, times nncc's code,
  PyTorch (bench/torch_peer.py, Debian's python3-torch) and, for
  convolutions, oneDNN called directly (bench/dnnl_conv.cpp) and the same
  model compiled with `--schedule=auto` (Halide's Mullapudi2016
  autoscheduler in place of nncc's schedule);
- compiles each real model of examples/ with the weights of torch's own
  module (examples/torch_models.py) and times nncc's code, PyTorch running
  the module and ONNX Runtime running its ONNX export (bench/ort_peer.js,
  onnxruntime-node in bench/peers), with nncc's compile time and the
  geometric mean of the speed-ups over ONNX Runtime.
Each figure is interleaved with its peers, in PROCESSES fresh processes
(each thread count starts its own thread pools), the median of their medians.
Prints Markdown tables: median ms, GFLOP/s, percent of the measured peak,
and each peer's time divided by nncc's (above 1: nncc is faster). A peer
that is not installed is left out; an autoscheduler that does not finish
within AUTO_COMPILE_LIMIT seconds is reported as such. The dense masked
attention peers take seconds per call: fewer runs, in one process.
Not a test: timings depend on the machine and what else runs on it.
"""
import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

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


# name, model, and (C, O, K, HW, pad) for oneDNN's convolution peer.
WORKLOADS = [
    ("conv3x3_64_56", lambda: conv("conv3x3_64_56", 64, 64, 3, 56, 1),
     (64, 64, 3, 56, 1)),
    ("conv5x5_48_192_19", lambda: conv("conv5x5_48_192_19", 48, 192, 5, 19, 2),
     (48, 192, 5, 19, 2)),
    ("conv3x3_192_19", lambda: conv("conv3x3_192_19", 192, 192, 3, 19, 1),
     (192, 192, 3, 19, 1)),
    ("maxpool_64_112", lambda: ("""model maxpool_64_112
input x : f32[1, 64, 112, 112]
output y = max_pool2d(x, 2)
""", None), None),
    ("go_policy", go_net, None),
    ("encoder", encoder, None),
    ("speech_window", lambda: ("""model speech_window
input x : f32[4096, 256]
param wq : f32[256, 256]
output y = multi_head_attention(x, wq, wq, wq, wq, heads=4, window=64)
""", None), None),
    ("graph_attention", lambda: ("""model graph_attention
input x : f32[4096, 128]
param adj : f32[4096, 4096]
param wq : f32[128, 128]
output y = multi_head_attention(x, wq, wq, wq, wq, heads=4, mask=adj)
""", None), None),
]
SLOW_PEERS = {"speech_window", "graph_attention"}
# The examples written from torch's own definitions (examples/torch_models.py).
REAL_MODELS = ["resnet18", "mobilenet_v2", "vit", "transformer_encoder"]
# Mullapudi2016 ran for over 15 minutes on the encoder without finishing.
AUTO_COMPILE_LIMIT = 120


def build_runner(source, tmp, build, schedule="nncc", weights=None):
    """The timing executable of `source` (a model's text, or with `weights`
    the path of its .graph) compiled with --schedule=`schedule`, or None
    when the compiler ran past AUTO_COMPILE_LIMIT. Weights come from
    gen_weights.py unless given."""
    if weights:
        graph = source
    else:
        graph = os.path.join(tmp, "m.graph")
        weights = os.path.join(tmp, "w.safetensors")
        if not os.path.exists(graph):
            with open(graph, "w") as f:
                f.write(source)
            subprocess.run([sys.executable,
                            os.path.join(ROOT, "examples", "gen_weights.py"),
                            graph, weights], check=True)
    with open(graph) as f:
        name = next(line.split()[1] for line in f
                    if line.strip().startswith("model "))
    obj = os.path.join(tmp, schedule + ".o")
    auto = schedule != "nncc"
    try:
        # The autoschedulers' warnings would interleave with the table: kept
        # unless the compile fails.
        done = subprocess.run([os.path.join(build, "compiler", "tools", "nncc"),
                               graph, "--weights", weights, "--schedule=" + schedule,
                               "-o", obj], stderr=subprocess.PIPE if auto else None,
                              text=True, timeout=AUTO_COMPILE_LIMIT if auto else None)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        sys.exit("nncc --schedule=%s failed:\n%s" % (schedule, done.stderr or ""))
    exe = os.path.join(tmp, "timed_" + schedule)
    subprocess.run(["cc", "-O2", "-I/usr/include/halide14",
                    "-I" + os.path.join(ROOT, "runtime"), "-include",
                    os.path.join(tmp, schedule + ".h"), "-DMODEL_INFO=%s_info" % name,
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


# Fresh processes per measurement, the median of their medians: the VM's
# speed drifts from minute to minute. (Each process warms up for 200 ms
# first: a fresh process's worker thread can share the first core for its
# first ~30 ms, all of 31 calls of a convolution.)
PROCESSES = 3


def interleaved(measures):
    """The median of each (measure, processes)'s results, the measures
    taking turns."""
    results = [[] for _ in measures]
    for turn in range(max(processes for _, processes in measures)):
        for result, (measure, processes) in zip(results, measures):
            if turn < processes:
                result.append(measure())
    return [statistics.median(result) for result in results]


def torch_available():
    probe = subprocess.run(["/usr/bin/python3", "-c", "import torch"],
                           capture_output=True)
    return probe.returncode == 0


def torch_ms(name, threads, runs):
    out = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "torch_peer.py"),
                          name, str(threads), str(runs)],
                         check=True, capture_output=True, text=True)
    return float(out.stdout)


def cpu_model():
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    return next((line.split(":", 1)[1].strip() for line in out.splitlines()
                 if line.startswith("Model name")), "unknown CPU")


def ort_available():
    return os.path.exists(os.path.join(HERE, "peers", "node_modules",
                                       "onnxruntime-node"))


def ort_ms(onnx, threads, runs):
    out = subprocess.run(["node", os.path.join(HERE, "ort_peer.js"), onnx,
                          str(threads), str(runs)],
                         check=True, capture_output=True, text=True)
    return float(out.stdout)


def real_models(args, has_torch):
    """The table of the real-model examples: nncc, PyTorch and ONNX Runtime
    on the module torch_models.py builds, its weights and its ONNX export;
    the geometric mean of nncc's speed-up over ONNX Runtime."""
    if not has_torch:
        print("Real models: need python3-torch and python3-torchvision.")
        return
    has_ort = ort_available()
    print("Real models (examples/torch_models.py; ONNX Runtime %s):" %
          ("onnxruntime-node, bench/peers" if has_ort else
           "not installed: scripts/setup --bench"))
    print()
    print("| model | threads | nncc ms | PyTorch ms | xPyTorch "
          "| ONNX Runtime ms | xORT | nncc compile s |")
    print("|---|---|---|---|---|---|---|---|")
    speedups = []
    for name in REAL_MODELS:
        if args.only and args.only != name:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            graph = os.path.join(ROOT, "examples", name, name + ".graph")
            weights = os.path.join(tmp, "w.safetensors")
            onnx = os.path.join(tmp, "m.onnx")
            subprocess.run(["/usr/bin/python3",
                            os.path.join(ROOT, "examples", "torch_models.py"),
                            name, "--weights", weights, "--onnx", onnx],
                           check=True, capture_output=True)
            start = time.perf_counter()
            runner = build_runner(graph, tmp, args.build, weights=weights)
            compile_s = time.perf_counter() - start
            for t in (1, 2):
                measures = [(lambda: timed(runner, t, args.runs), PROCESSES),
                            (lambda: torch_ms(name, t, args.runs), PROCESSES)]
                if has_ort:
                    measures.append((lambda: ort_ms(onnx, t, args.runs),
                                     PROCESSES))
                times = interleaved(measures)
                ms, torch_t = times[0], times[1]
                row = [name, str(t), "%.2f" % ms, "%.2f" % torch_t,
                       "%.2f" % (torch_t / ms)]
                if has_ort:
                    speedups.append(times[2] / ms)
                    row += ["%.2f" % times[2], "%.2f" % (times[2] / ms)]
                else:
                    row += ["", ""]
                row.append("%.1f" % compile_s if t == 1 else "")
                print("| " + " | ".join(row) + " |", flush=True)
    if speedups:
        print()
        print("Geometric mean of xORT over these rows: %.2f" %
              math.exp(sum(math.log(s) for s in speedups) / len(speedups)))


def build_dnnl(tmp):
    """The oneDNN peer's executable, or None without libdnnl-dev."""
    if not os.path.exists("/usr/include/oneapi/dnnl/dnnl.hpp"):
        return None
    exe = os.path.join(tmp, "dnnl_conv")
    subprocess.run(["c++", "-O2", "-std=c++17", os.path.join(HERE, "dnnl_conv.cpp"),
                    "-ldnnl", "-o", exe], check=True)
    return exe


def dnnl_ms(exe, shape, threads, runs):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = subprocess.run([exe] + [str(v) for v in shape] + [str(runs)],
                         check=True, capture_output=True, text=True, env=env)
    return float(out.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--runs", type=int, default=31)
    ap.add_argument("--only")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tools:
        exe = os.path.join(tools, "fma_peak")
        subprocess.run(["cc", "-O2", "-march=native", os.path.join(HERE, "fma_peak.c"),
                        "-lpthread", "-o", exe], check=True)
        peak = {t: float(subprocess.run([exe, str(t)], check=True, capture_output=True,
                                        text=True).stdout) for t in (1, 2)}
        # The max pool's memory-traffic bound: its input read, its output
        # written (bench/mem_bound.c).
        bound_exe = os.path.join(tools, "mem_bound")
        subprocess.run(["cc", "-O3", "-march=native", os.path.join(HERE, "mem_bound.c"),
                        "-o", bound_exe], check=True)
        pool_in, pool_out = 4 * 64 * 112 * 112, 4 * 64 * 56 * 56
        pool_bound = float(subprocess.run(
            [bound_exe, str(pool_in), str(pool_out), str(args.runs)], check=True,
            capture_output=True, text=True).stdout)
        pool_ms = {}
        has_torch = torch_available()
        dnnl = build_dnnl(tools)
        print("CPU: %s." % cpu_model())
        print("FP32 FMA peak: %.0f GFLOP/s (1 thread), %.0f GFLOP/s (2 threads)."
              % (peak[1], peak[2]))
        print("Peers: PyTorch %s, oneDNN %s. xPeer = peer ms / nncc ms "
              "(above 1: nncc is faster)." %
              ("installed" if has_torch else "not installed (python3-torch)",
               "installed" if dnnl else "not installed (libdnnl-dev)"))
        print()
        print("| workload | threads | nncc ms | GFLOP/s | % peak | PyTorch ms "
              "| xPyTorch | oneDNN ms | xoneDNN | auto ms | xauto |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for name, make, dnnl_shape in WORKLOADS:
            if args.only and args.only != name:
                continue
            text, flops = make()
            peer_runs = max(3, args.runs // 10) if name in SLOW_PEERS else args.runs
            with tempfile.TemporaryDirectory() as tmp:
                runner = build_runner(text, tmp, args.build)
                auto = build_runner(text, tmp, args.build, "auto")
                for t in (1, 2):
                    measures = [(lambda: timed(runner, t, args.runs), PROCESSES)]
                    if has_torch:
                        measures.append((lambda: torch_ms(name, t, peer_runs),
                                         1 if name in SLOW_PEERS else PROCESSES))
                    if dnnl and dnnl_shape:
                        measures.append((lambda: dnnl_ms(dnnl, dnnl_shape, t,
                                                         args.runs), PROCESSES))
                    if auto:
                        measures.append((lambda: timed(auto, t, args.runs),
                                         PROCESSES))
                    times = interleaved(measures)
                    ms = times.pop(0)
                    if name == "maxpool_64_112":
                        pool_ms[t] = ms
                    row = [name, str(t), "%.3f" % ms]
                    if flops:
                        gf = flops / ms / 1e6
                        row += ["%.0f" % gf, "%.0f%%" % (100 * gf / peak[t])]
                    else:
                        row += ["", ""]
                    for available in (has_torch, dnnl and dnnl_shape):
                        if available:
                            peer = times.pop(0)
                            row += ["%.3f" % peer, "%.2f" % (peer / ms)]
                        else:
                            row += ["", ""]
                    if auto:
                        peer = times.pop(0)
                        row += ["%.3f" % peer, "%.2f" % (peer / ms)]
                    else:
                        row += ["compile > %d s" % AUTO_COMPILE_LIMIT, ""]
                    print("| " + " | ".join(row) + " |", flush=True)
        print()
        real_models(args, has_torch)
        if pool_ms:
            print()
            print("Max pool memory-traffic bound (read %.1f MB, write %.1f MB, "
                  "bench/mem_bound.c): %.3f ms; nncc takes %s of it." %
                  (pool_in / 1e6, pool_out / 1e6, pool_bound,
                   ", ".join("%.2fx at %d thread%s" % (pool_ms[t] / pool_bound, t,
                                                       "s" if t > 1 else "")
                             for t in sorted(pool_ms))))


if __name__ == "__main__":
    main()
