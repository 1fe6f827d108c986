#!/usr/bin/env python3
"""Writes a deep model for the resource-limit tests and benchmarks.

    deep_model.py convs|attention LAYERS OUT.graph

convs: LAYERS residual 3x3 convolutions of 16 channels on 12x12, each
relu(conv2d(h, w_i, padding=1)) + h. attention: LAYERS post-norm
self-attention layers (4 heads, 64 wide, 32 tokens), each
layer_norm(h + multi_head_attention(h, ...)).
"""
import sys


def convs(layers):
    lines = ["model deep_convs", "input x : f32[1, 16, 12, 12]"]
    lines += [f"param w{i} : f32[16, 16, 3, 3]" for i in range(layers)]
    lines.append("h = x")
    lines += [f"h = relu(conv2d(h, w{i}, padding=1)) + h"
              for i in range(layers)]
    return lines + ["output y = h"]


def attention(layers):
    lines = ["model deep_attention", "input x : f32[32, 64]",
             "param g : f32[64]"]
    lines += [f"param q{i} : f32[64, 64]" for i in range(layers)]
    lines.append("h = x")
    lines += [f"h = layer_norm(h + multi_head_attention(h, q{i}, q{i}, q{i}, "
              f"q{i}, heads=4), g, g)" for i in range(layers)]
    return lines + ["output y = h"]


def main():
    kind, layers, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    lines = {"convs": convs, "attention": attention}[kind](layers)
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
