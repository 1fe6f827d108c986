#!/usr/bin/env python3
"""Writes deterministic weights for every `param` of a .graph model.

    gen_weights.py MODEL.graph OUT.{safetensors,npz} [--seed N] [--deflate]

Values follow PyTorch's default initialisation of conv and linear layers,
uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)), with fan_in the product of a
weight's dims after the first. 1-D params take the bound of the layer they
follow; params named *var* are positive (variances) and *mask*/*adj* are
0/1 with every 7th row empty (adj*: a graph of about 16 neighbours per
node). Pure Python: no NumPy or PyTorch needed.

For tests of nncc's error messages, a file can be made faulty:
    --drop NAME          leave NAME out
    --reshape NAME=2,3   store NAME with another shape
    --dtype NAME=F16     store NAME as half precision (2 bytes per value)
    --extra NAME         add an entry no param uses
"""
import argparse
import json
import math
import random
import re
import struct
import zipfile


def params(path):
    """(name, shape) of every param, in declaration order."""
    pattern = re.compile(r"^\s*param\s+([A-Za-z_][\w.]*)\s*:\s*f32\s*\[([^\]]*)\]")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = pattern.match(line)
            if m:
                out.append((m.group(1), [int(d) for d in m.group(2).split(",")]))
    return out


def values(name, shape, bound, rng):
    n = math.prod(shape)
    if "var" in name:
        return [rng.uniform(0.5, 1.5) for _ in range(n)]
    if name.startswith("adj") and len(shape) == 2:
        # A graph: about 16 neighbours per node, every 7th node isolated.
        rows, cols = shape
        out = [0.0] * n
        for i in range(rows):
            if i % 7 != 3:
                for _ in range(16):
                    out[i * cols + rng.randrange(cols)] = 1.0
        return out
    if "mask" in name:
        # A quarter of the entries are edges; every 7th row has none, so
        # that empty rows are always exercised.
        cols = shape[-1]
        return [0.0 if (i // cols) % 7 == 3 else float(rng.random() < 0.25)
                for i in range(n)]
    return [rng.uniform(-bound, bound) for _ in range(n)]


def npy(shape, data, dtype):
    descr = "<f2" if dtype == "F16" else "<f4"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join("%d, " % d for d in shape))
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--deflate", action="store_true")
    ap.add_argument("--drop", action="append", default=[])
    ap.add_argument("--reshape", action="append", default=[])
    ap.add_argument("--dtype", action="append", default=[])
    ap.add_argument("--extra", action="append", default=[])
    args = ap.parse_args()
    reshape = {k: [int(d) for d in v.split(",")] for k, v in (r.split("=") for r in args.reshape)}
    dtypes = dict(r.split("=") for r in args.dtype)

    rng = random.Random(args.seed)
    tensors, bound = [], 0.1
    for name, shape in params(args.model) + [(e, [2]) for e in args.extra]:
        if len(shape) >= 2:
            bound = 1 / math.sqrt(math.prod(shape[1:]))
        data = values(name, shape, bound, rng)
        if name in args.drop:
            continue
        if name in reshape:
            shape = reshape[name]
            n = math.prod(shape)
            data = (data * (n // max(len(data), 1) + 1))[:n]
        dtype = dtypes.get(name, "F32")
        raw = struct.pack("<%d%s" % (len(data), "e" if dtype == "F16" else "f"), *data)
        tensors.append((name, shape, dtype, raw))

    if args.out.endswith(".npz"):
        method = zipfile.ZIP_DEFLATED if args.deflate else zipfile.ZIP_STORED
        with zipfile.ZipFile(args.out, "w", method) as z:
            for name, shape, dtype, raw in tensors:
                z.writestr(name + ".npy", npy(shape, raw, dtype))
        return
    header, offset = {}, 0
    for name, shape, dtype, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
    blob = json.dumps(header).encode()
    blob += b" " * (-len(blob) % 8)
    with open(args.out, "wb") as f:
        f.write(struct.pack("<Q", len(blob)) + blob)
        for _, _, _, raw in tensors:
            f.write(raw)


if __name__ == "__main__":
    main()
