#!/usr/bin/python3
"""Writes small ONNX models for nncc's import tests into DIR:

    make_models.py DIR

good.onnx: Conv (asymmetric pads) -> Relu -> MaxPool -> Flatten -> Gemm,
with a dynamic batch dim; bad_op.onnx: an op nncc does not convert;
int_input.onnx: an int64 input; loop.onnx: an If with subgraphs;
old_opset.onnx: opset 6; external.onnx: an initializer in external data
whose file is missing; truncated.onnx: half of good.onnx; not_onnx.onnx:
text; folded.onnx: tables computed at import (a backward Slice to
INT64_MIN, Mod both ways, ScatterND, Not, Dropout's mask) added to x.
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


def const(name, value):
    return helper.make_node("Constant", [], [name], name=name,
                            value=numpy_helper.from_array(numpy.array(value)))


x6 = helper.make_tensor_value_info("x", TensorProto.FLOAT, [6])
y2 = helper.make_tensor_value_info("y2", TensorProto.FLOAT, None)
int64_min = numpy.iinfo(numpy.int64).min
save(graph_model([
    const("range", numpy.arange(6, dtype="i8")),
    const("last", [-1]), const("first", [int64_min]), const("zero", [0]),
    const("three", numpy.int64(3)), const("four", numpy.int64(4)),
    const("four_f", numpy.float32(4)), const("hundred", numpy.float32(100)),
    const("zeros", numpy.zeros(6, "f4")), const("where", [[0], [5]]),
    const("updates", numpy.array([10, 20], "f4")),
    # [5, 4, 3, 2, 1, 0] - 3 = [2, 1, 0, -1, -2, -3]
    helper.make_node("Slice", ["range", "last", "first", "zero", "last"],
                     ["reversed"], name="reverse"),
    helper.make_node("Sub", ["reversed", "three"], ["centred"], name="sub"),
    # Python's %: [2, 1, 0, 3, 2, 1]; C's fmod: [2, 1, 0, -1, -2, -3]
    helper.make_node("Mod", ["centred", "four"], ["mod"], name="mod"),
    helper.make_node("Cast", ["centred"], ["centred_f"], name="cast_c",
                     to=TensorProto.FLOAT),
    helper.make_node("Mod", ["centred_f", "four_f"], ["fmod"], name="fmod",
                     fmod=1),
    # [10, 0, 0, 0, 0, 20] != 0: [1, 0, 0, 0, 0, 1]
    helper.make_node("ScatterND", ["zeros", "where", "updates"],
                     ["scattered"], name="scatter"),
    helper.make_node("Equal", ["scattered", "zeros"], ["empty"], name="eq"),
    helper.make_node("Not", ["empty"], ["filled"], name="not"),
    helper.make_node("Cast", ["mod"], ["mod_f"], name="cast_m",
                     to=TensorProto.FLOAT),
    helper.make_node("Cast", ["filled"], ["filled_f"], name="cast_f",
                     to=TensorProto.FLOAT),
    helper.make_node("Mul", ["filled_f", "hundred"], ["marks"], name="mul"),
    helper.make_node("Add", ["mod_f", "marks"], ["table"], name="table"),
    # At inference the mask is all true.
    helper.make_node("Dropout", ["x"], ["dropped", "mask"], name="dropout"),
    helper.make_node("Not", ["mask"], ["unmasked"], name="not_mask"),
    helper.make_node("Cast", ["unmasked"], ["nothing"], name="cast_n",
                     to=TensorProto.FLOAT),
    helper.make_node("Add", ["dropped", "nothing"], ["kept"], name="kept"),
    helper.make_node("Add", ["kept", "table"], ["y"], name="add"),
    helper.make_node("Add", ["x", "fmod"], ["y2"], name="add2"),
], [x6], [y, y2]), "folded.onnx")
