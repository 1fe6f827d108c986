#!/usr/bin/env python3
"""Checks the outputs of an e2e model against PyTorch itself.

    torch_ops.py MODEL DATA
    torch_ops.py MODEL --weights OUT.safetensors

DATA is the data file test/e2e/Inputs/run_model.c wrote for MODEL (its
inputs and params, in declaration order, and the outputs nncc's code
computed). MODELS holds, per e2e graph, the PyTorch expressions of its
outputs in order: the definitions the graph's operators claim to match,
applied in float64 to the same inputs. An element's error is nncc-ref's:
|got - ref| / max(|ref|, 1% of the largest |ref|), at most 1e-4; NaN and
infinities must match exactly. A model with weights (MODULES) is a
torch.nn module built with a fixed seed; --weights writes its state_dict.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                "examples"))
from torch_models import (TOLERANCE, randomize, read_data,  # noqa: E402
                          tensors, write_safetensors)


def activations(x, p):
    return [F.leaky_relu(x * 6), F.leaky_relu(x, 0.2), F.elu(x * 6),
            F.elu(x * 6, alpha=0.5), F.selu(x * 6), F.silu(x * 6),
            F.mish(x * 6), F.softplus(x * 6),
            F.softplus(x * 6, beta=4, threshold=20), F.hardswish(x * 6),
            F.hardsigmoid(x * 6), F.gelu(x * 3, approximate="tanh"),
            F.gelu(x * 3), torch.erf(x * 2), torch.rsqrt(p), torch.abs(x),
            x * F.silu(torch.tensor(1.5, dtype=torch.float64)) + 2]


def compare(x, y, p):
    f = lambda t: t.double()  # noqa: E731 (comparisons give bools)
    return [torch.pow(x, 2), torch.pow(x, 3), torch.pow(p, 0.5),
            torch.pow(p, x), torch.pow(2, x), torch.minimum(x, y),
            torch.maximum(y, x), f(torch.eq(x, 0.5)) + f(torch.eq(x, x)),
            f(torch.ne(x, x)) + f(torch.ne(x, y)), f(torch.lt(x, y)),
            f(torch.ge(x, 0)), f(torch.gt(x, y)), f(torch.ge(x, x)),
            torch.where(x > y, x, y), torch.where(x < 0, 0.0, x * 2)]


def reductions(x):
    return [x.sum(3), x.sum((1, 3), keepdim=True), x.mean(-1),
            x.mean((0, 1, 2, 3)), x.mean((2, 3), keepdim=True),
            x.amax((0, 2)), x.amin(1, keepdim=True), x.argmax(1).double(),
            x.argmax(-1, keepdim=True).double(),
            (x.amax(3) * 0 + 1).argmax(1).double(),
            x.mean((2, 3)) - x.amax((2, 3))]


def pool_modes(x, w):
    c = F.relu(F.conv2d(x, w, padding=1))
    return [F.max_pool2d(x, 3, stride=2, ceil_mode=True),
            F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True),
            F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False),
            F.avg_pool2d(x, [2, 3], stride=[2, 2], padding=1, ceil_mode=True,
                         count_include_pad=False),
            F.adaptive_avg_pool2d(x, [5, 4]), F.adaptive_max_pool2d(x, 5),
            F.adaptive_avg_pool2d(x, 1), F.adaptive_max_pool2d(x, 1),
            F.max_pool2d(c, 3, stride=2, padding=1, ceil_mode=True),
            F.avg_pool2d(c, 3, stride=2, padding=1, ceil_mode=True,
                         count_include_pad=False)]


def special_values(x, y):
    f = lambda t: t.double()  # noqa: E731
    return [F.max_pool2d(x, 2), F.max_pool2d(x, 3, stride=2, padding=1),
            F.softmax(x, -1), F.avg_pool2d(x, 2),
            torch.sigmoid(x) + torch.tanh(y) + torch.exp(x) + torch.erf(y) +
            torch.sqrt(x) + torch.rsqrt(y) + torch.abs(x),
            F.gelu(x) + F.gelu(y, approximate="tanh"),
            F.elu(x) + F.selu(y) + F.leaky_relu(x) + F.softplus(y),
            F.silu(x) + F.mish(y) + F.hardswish(x) + F.hardsigmoid(y),
            torch.pow(x, y) + torch.pow(x, 2),
            torch.minimum(x, y) + torch.maximum(y, x),
            f(x == x) + f(x != x) + f(x < y) + f(x <= y) + f(x > y) + f(x >= y),
            torch.where(x != 0, x, y),
            x.amax(3) + y.amin(3) + x.argmax(2).double() + y.sum(3),
            y.amin((2, 3)),
            F.relu(x) + torch.clamp(y, -0.5, 0.5) + F.relu6(x) +
            F.hardtanh(y) + torch.clamp(x, max=0.25)]


def conv1d(x, img, w1, b1, w2, wg, w5, w4, w42):
    h = F.gelu(F.conv1d(x, w1, b1, padding=1))
    return [F.gelu(F.conv1d(h, w2, stride=2, padding=1)),
            F.conv1d(x, wg, groups=2, dilation=2, padding="same"),
            F.conv1d(x, wg, groups=2, padding="valid"),
            F.conv2d(img, w5, padding="same"),
            F.conv1d(x, w4, padding="same"),
            F.conv2d(img, w42, padding="same", dilation=(1, 3))]


def indexing(x):
    a, b, c = torch.chunk(x, 3, -1)
    p, q = torch.split(x, [2, 4], 1)
    return [x[0], x[:, 0], x[..., 1:5], x[:, ::2], x[-1, 2:-1, ::3],
            x[1:3, ..., -1], torch.select(x, 1, -2), a + b * 2 + c * 3, p, q,
            torch.split(x, 4, 1)[1], torch.chunk(x, 4, 1)[-1]]


def pad(x, w):
    return [F.pad(x, [1, 2]), F.pad(x, [0, 1, 3, 0], value=-0.5),
            F.pad(x, [2, 1, 6, 5], mode="reflect"),
            F.pad(x, [3, 0, 1, 4], mode="replicate"),
            F.pad(x, [0, 0, 0, 0, 1, 1, 1, 0]),
            F.conv2d(F.pad(F.relu(x), [1, 1, 1, 1], mode="reflect"), w),
            F.pad(x, [-1, 2, 1, -3])]


def interpolate(x):
    return [F.interpolate(x, size=[5, 11]),
            F.interpolate(x, scale_factor=2),
            F.interpolate(x, scale_factor=[1.5, 0.7]),
            F.interpolate(x, size=[13, 9], mode="bilinear"),
            F.interpolate(x, size=[4, 10], mode="bilinear",
                          align_corners=True),
            F.interpolate(x, scale_factor=1.7, mode="bilinear")]


def pool1d(x):
    return [F.max_pool1d(x, 3, stride=2, padding=1),
            F.max_pool1d(x, 4, ceil_mode=True),
            F.avg_pool1d(x, 3, stride=2, padding=1, count_include_pad=False),
            F.avg_pool1d(x, 2, stride=3, ceil_mode=True)]


def conv_transpose(x, w, b, wg):
    return [F.conv_transpose2d(x, w, b, stride=2, padding=1),
            F.conv_transpose2d(x, w, stride=2, padding=1, output_padding=1),
            F.conv_transpose2d(x, wg, groups=2, dilation=2, padding=[1, 2]),
            F.conv_transpose2d(x, wg, stride=[3, 2])]


class Block(torch.nn.Module):
    """torchvision's BasicBlock without downsampling."""

    def __init__(self, c):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(c)
        self.conv2 = torch.nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(c)

    def forward(self, x):
        h = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(h)) + x)


class Net(torch.nn.Module):
    """test/e2e/modules.graph: module prefixes everywhere."""

    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.layer1 = torch.nn.Sequential(Block(8), Block(8))
        self.norm = torch.nn.LayerNorm(8)
        self.fc = torch.nn.Linear(8, 5)

    def forward(self, x):
        h = self.layer1(F.relu(self.stem(x)))
        return [self.fc(self.norm(h.mean((2, 3)))), h]


def module(cls):
    torch.manual_seed(0)
    return randomize(cls())


def embedding(ids, pos_ids, table, pos):
    tokens = F.embedding(ids, table)
    return [tokens, tokens + F.embedding(pos_ids, pos),
            F.embedding(pos_ids, table[2:]).sum(-1)]


MODULES = {"modules": Net}

MODELS = {f.__name__: f for f in (activations, compare, reductions,
                                  pool_modes, special_values, conv1d,
                                  indexing, pad, interpolate, pool1d,
                                  conv_transpose, embedding)}


def main():
    model, path = sys.argv[1], sys.argv[-1]
    if "--weights" in sys.argv:
        write_safetensors(path, tensors(module(MODULES[model])))
        return
    records = read_data(path)
    args = [t.double() if t.is_floating_point() else t.long()
            for kind, t in records if kind != 2]
    outputs = [t for kind, t in records if kind == 2]
    with torch.no_grad():
        if model in MODULES:
            expected = module(MODULES[model]).double()(*args)
        else:
            expected = MODELS[model](*args)
    ok = len(expected) == len(outputs)
    for i, (got, ref) in enumerate(zip(outputs, expected)):
        got, ref = got.double(), ref.double().expand(got.shape)
        special = ~torch.isfinite(ref) | ~torch.isfinite(got)
        same = torch.equal(ref[special].nan_to_num(7), got[special].nan_to_num(7))
        finite = ~special
        floor = max(ref[finite].abs().max().item() * 0.01 if finite.any()
                    else 0, 1e-30)
        err = ((got - ref)[finite].abs() /
               ref[finite].abs().clamp(min=floor)).max().item() \
            if finite.any() else 0.0
        good = same and err <= TOLERANCE
        ok &= good
        print(f"{'ok  ' if good else 'FAIL'} output {i} against PyTorch: "
              f"max error {err:.3g} over {ref.numel()} elements")
    if len(expected) != len(outputs):
        print(f"FAIL {len(outputs)} outputs, PyTorch gave {len(expected)}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
