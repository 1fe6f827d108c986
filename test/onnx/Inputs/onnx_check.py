#!/usr/bin/python3
"""Runs ONNX backend tests through nncc and compares with their expected outputs.

    onnx_check.py NNCC BUILD_TMP TEST_DIR... [--ops OP,OP...] [--jobs N]
                  [--one-per-op-set]

Each TEST_DIR holds model.onnx and test_data_set_*/{input,output}_*.pb, the
layout of ONNX's own backend tests (Debian's libonnx-testdata). A test is
compiled with nncc, linked with run_raw.c, run on each data set, and every
output compared with the expected one: |got - want| <= 1e-4 * |want| + 1e-6,
NaN where NaN is expected. With --ops, tests using ops outside the list are
skipped as unsupported, and so is one that nncc rejects with an
"unsupported"/"not supported" error. Prints one line per test, then per
category (the directory above the tests) how many passed, failed and were
skipped, and why they were skipped; exits 1 if any test failed. With
--one-per-op-set, only the first test of each set of op types runs (the
sanitized build's sample: every op the tests use, in a fifth of the time).
"""
import argparse
import collections
import concurrent.futures
import glob
import os
import re
import subprocess
import sys

import numpy
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.join(HERE, "..", "..", "..", "runtime")
RTOL, ATOL = 1e-4, 1e-6


def load_tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def ops_of(model_path):
    model = onnx.load(model_path, load_external_data=False)
    return {n.op_type for n in model.graph.node}


def run_test(nncc, tmp, test, supported):
    """(status, detail): status one of pass, fail, skip."""
    name = os.path.basename(test)
    model = os.path.join(test, "model.onnx")
    if supported is not None:
        missing = sorted(ops_of(model) - supported)
        if missing:
            return "skip", "op " + ",".join(missing)
    work = os.path.join(tmp, name)
    os.makedirs(work, exist_ok=True)
    obj, header = os.path.join(work, "m.o"), os.path.join(work, "m.h")
    # The model's entry point takes the file's stem: link it as `model`.
    compiled = subprocess.run([nncc, model, "-o", obj, "--header", header],
                              capture_output=True, text=True)
    if compiled.returncode:
        message = (compiled.stderr.strip().splitlines() or ["?"])[0]
        if re.search(r"unsupported|not supported|only", message):
            return "skip", message.split("error: ", 1)[-1]
        return "fail", "nncc: " + message
    run = os.path.join(work, "run")
    linked = subprocess.run(
        ["cc", "-O1", "-I/usr/include/halide14", "-I" + RUNTIME, "-include",
         header, "-DMODEL_INFO=model_info", os.path.join(HERE, "run_raw.c"),
         obj, "-lpthread", "-ldl", "-lm", "-o", run],
        capture_output=True, text=True)
    if linked.returncode:
        return "fail", "cc: " + linked.stderr.strip()[:200]
    sets = sorted(glob.glob(os.path.join(test, "test_data_set_*")))
    worst = 0.0
    for data in sets:
        inputs = sorted(glob.glob(os.path.join(data, "input_*.pb")),
                        key=lambda p: int(re.findall(r"\d+", p)[-1]))
        outputs = sorted(glob.glob(os.path.join(data, "output_*.pb")),
                         key=lambda p: int(re.findall(r"\d+", p)[-1]))
        for i, path in enumerate(inputs):
            numpy.ascontiguousarray(load_tensor(path), dtype=numpy.float32) \
                .tofile(os.path.join(work, f"input_{i}.raw"))
        ran = subprocess.run([run, work], capture_output=True, text=True)
        if ran.returncode:
            return "fail", "run: " + ran.stderr.strip()[:200]
        for i, path in enumerate(outputs):
            want = load_tensor(path).astype(numpy.float64)
            got = numpy.fromfile(os.path.join(work, f"output_{i}.raw"),
                                 dtype=numpy.float32).astype(numpy.float64)
            if got.size != want.size:
                return "fail", f"output {i}: {got.size} values for {want.size}"
            want = want.reshape(-1)
            nan = numpy.isnan(want)
            if (numpy.isnan(got) != nan).any():
                return "fail", f"output {i}: NaN where none is expected, or none where one is"
            err = numpy.abs(got[~nan] - want[~nan])
            bound = RTOL * numpy.abs(want[~nan]) + ATOL
            bad = ~(err <= bound)
            if bad.any():
                return "fail", (f"output {i}: {int(bad.sum())} of {want.size} "
                                f"values off, max error {err.max():.3g}")
            if err.size:
                worst = max(worst, float(err.max()))
    return "pass", f"max error {worst:.3g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("nncc")
    ap.add_argument("tmp")
    ap.add_argument("tests", nargs="+")
    ap.add_argument("--ops")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--one-per-op-set", action="store_true")
    args = ap.parse_args()
    supported = set(args.ops.split(",")) if args.ops else None
    tests = [t for t in args.tests if os.path.exists(os.path.join(t, "model.onnx"))]
    if args.one_per_op_set:
        first = {}
        for t in sorted(tests):
            first.setdefault(frozenset(ops_of(os.path.join(t, "model.onnx"))), t)
        tests = sorted(first.values())
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(
            lambda t: run_test(args.nncc, args.tmp, t, supported), tests))
    counts = collections.defaultdict(collections.Counter)
    reasons = collections.defaultdict(collections.Counter)
    for test, (status, detail) in zip(tests, results):
        category = os.path.basename(os.path.dirname(test))
        counts[category][status] += 1
        if status == "skip":
            reasons[category][detail] += 1
        print(f"{status.upper():4s} {category}/{os.path.basename(test)}: {detail}")
    for category in sorted(counts):
        c = counts[category]
        print(f"{category}: {c['pass']} passed, {c['fail']} failed, "
              f"{c['skip']} skipped as unsupported")
        for reason, n in reasons[category].most_common(5):
            print(f"  skipped {n}: {reason}")
    sys.exit(1 if any(c["fail"] for c in counts.values()) else 0)


if __name__ == "__main__":
    main()
