#!/usr/bin/python3
"""Writes small ONNX models for nncc's import tests into DIR:

    make_models.py DIR

good.onnx: Conv (asymmetric pads) -> Relu -> MaxPool -> Flatten -> Gemm,
with a dynamic batch dim; bad_op.onnx: an op nncc does not convert;
int_input.onnx: an int64 input; loop.onnx: an If with subgraphs;
old_opset.onnx: opset 6; external.onnx: an initializer in external data
whose file is missing; truncated.onnx: half of good.onnx; not_onnx.onnx:
text.
"""
import os
import sys

import numpy
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = numpy.random.default_rng(0)


def save(model, name):
    onnx.save(model, os.path.join(out, name))


def graph_model(nodes, inputs, outputs, inits=(), opset=13):
    g = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, 8, 8])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
w = numpy_helper.from_array(rng.uniform(-1, 1, (4, 3, 3, 3)).astype("f4"), "w")
b = numpy_helper.from_array(rng.uniform(-1, 1, (4,)).astype("f4"), "b")
fc = numpy_helper.from_array(rng.uniform(-1, 1, (5, 48)).astype("f4"), "fc")
good = graph_model([
    helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv",
                     pads=[0, 1, 1, 2], kernel_shape=[3, 3]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("MaxPool", ["r"], ["p"], name="pool", kernel_shape=[2, 2],
                     strides=[2, 2]),
    helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
    helper.make_node("Gemm", ["f", "fc"], ["y"], name="fc", transB=1),
], [x], [y], [w, b, fc])
save(good, "good.onnx")
with open(os.path.join(out, "good.onnx"), "rb") as f:
    data = f.read()
with open(os.path.join(out, "truncated.onnx"), "wb") as f:
    f.write(data[: len(data) // 2])
with open(os.path.join(out, "not_onnx.onnx"), "w") as f:
    f.write("model m\ninput x : f32[1]\noutput y = relu(x)\n")

x4 = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
save(graph_model([helper.make_node("Hardmax", ["x"], ["y"], name="hm")],
                 [x4], [y]), "bad_op.onnx")
save(graph_model([helper.make_node("Relu", ["x"], ["y"], name="r")],
                 [helper.make_tensor_value_info("x", TensorProto.INT64, [1, 4])],
                 [y]), "int_input.onnx")
save(graph_model([helper.make_node("Relu", ["x"], ["y"], name="r")], [x4], [y],
                 opset=6), "old_opset.onnx")
branch = helper.make_graph([helper.make_node("Relu", ["x"], ["z"])], "b", [],
                           [helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 4])])
cond = numpy_helper.from_array(numpy.array(True), "cond")
save(graph_model([helper.make_node("If", ["cond"], ["y"], name="if",
                                   then_branch=branch, else_branch=branch)],
                 [x4], [y], [cond]), "loop.onnx")
ext = numpy_helper.from_array(numpy.ones((1, 4), "f4"), "k")
ext.data_location = TensorProto.EXTERNAL
ext.ClearField("raw_data")
entry = ext.external_data.add()
entry.key, entry.value = "location", "missing.bin"
save(graph_model([helper.make_node("Add", ["x", "k"], ["y"], name="add")],
                 [x4], [y], [ext]), "external.onnx")
