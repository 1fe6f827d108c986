//===- NNInterfaces.td - nn op interfaces -----------------*- tablegen -*-===//

#ifndef NN_INTERFACES_TD
#define NN_INTERFACES_TD

include "mlir/IR/OpBase.td"

def NN_ElementwiseOpInterface : OpInterface<"ElementwiseOp"> {
  let cppNamespace = "::nncc::nn";
  let description = [{
    An op that maps the elements of its operands, broadcast together
    (NumPy rules), one to one. `evaluate` is the PyTorch function it names,
    in double: constant folding and the reference evaluator share it
    (NNFormulas.cpp), while NNToHL writes the op's f32 code.
  }];
  let methods = [
    InterfaceMethod<
      "The result for one element of each operand, in double.",
      "double", "evaluate", (ins "llvm::ArrayRef<double>":$operands)>,
  ];
}

#endif // NN_INTERFACES_TD
