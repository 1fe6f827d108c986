#!/usr/bin/python3
"""Compile torchvision's classification models from their ONNX export and
compare them with PyTorch.

    check_torchvision.py [--nncc NNCC] [--opset N ...] [--work DIR]
                         [MODEL ...]

For each MODEL (default: every model `examples/torch_models.py --list`
prints) and opset (default 13 and 17; MODEL@N for opset N alone): the model with random weights
(examples/torch_models.py) is exported by torch.onnx.export, compiled by
`nncc MODEL.onnx` alone, run by test/e2e/Inputs/run_model.c, and its
output compared with the PyTorch module's (error at most 1e-4, as
torch_models.py --check measures it). Prints one line per model and
opset, then a summary; exits 1 if any failed.
Needs Debian's python3-torch, python3-torchvision and a C compiler.
"""
import argparse
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = os.path.join(ROOT, "examples", "torch_models.py")
RUNNER = os.path.join(ROOT, "test", "e2e", "Inputs", "run_model.c")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def first_line(r):
    lines = (r.stderr.strip() or r.stdout.strip()).splitlines()
    errors = [l for l in lines if "error" in l.lower()]
    return (errors or lines or ["(no output)"])[-1][:160]


def check(model, opset, args):
    """(status, detail, compile seconds) of one model at one opset."""
    base = os.path.join(args.work, f"{model}_{opset}")
    onnx = base + ".onnx"
    r = run([sys.executable, MODELS, model, "--onnx", onnx,
             "--opset", str(opset)])
    if r.returncode:
        return "export", first_line(r), 0
    start = time.time()
    r = run([args.nncc, onnx, "-o", base + ".o", "--header", base + ".h"])
    seconds = time.time() - start
    if r.returncode:
        return "nncc", first_line(r), seconds
    with open(base + ".h") as f:
        info = re.search(r"nncc_model_info (\w+_info);", f.read()).group(1)
    r = run(["cc", "-O1", "-I/usr/include/halide14",
             "-I" + os.path.join(ROOT, "runtime"), "-include", base + ".h",
             f"-DMODEL_INFO={info}", RUNNER, base + ".o", "-lpthread",
             "-ldl", "-lm", "-o", base])
    if r.returncode:
        return "link", first_line(r), seconds
    r = run([base, base + ".data"])
    if r.returncode:
        return "run", first_line(r), seconds
    r = run([sys.executable, MODELS, model, "--check", base + ".data"])
    detail = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
    status = "ok" if r.returncode == 0 else "mismatch"
    for path in (onnx, base + ".o", base, base + ".data"):
        if status == "ok" and not args.keep and os.path.exists(path):
            os.remove(path)
    return status, detail, seconds


def main():
    ap = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*")
    ap.add_argument("--nncc", default="nncc")
    ap.add_argument("--opset", type=int, action="append")
    ap.add_argument("--work", default="torchvision-check")
    ap.add_argument("--keep", action="store_true",
                    help="keep the .onnx, object, app and data files of "
                         "the models that match too")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    models = args.models or run([sys.executable, MODELS,
                                 "--list"]).stdout.split()
    results = []
    for entry in models:
        model, _, only = entry.partition("@")
        for opset in [int(only)] if only else args.opset or [13, 17]:
            status, detail, seconds = check(model, opset, args)
            results.append(status)
            print(f"{status:8} {model:22} opset {opset}  "
                  f"compile {seconds:5.1f} s  {detail}", flush=True)
    passed = results.count("ok")
    print(f"torchvision models: {passed} of {len(results)} match PyTorch, "
          f"{len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
