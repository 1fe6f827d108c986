//===- NNDialect.td - the nn dialect ----------------------*- tablegen -*-===//
//
// One op per operator of the graph language (LANGUAGE.md §5). Tensors are
// ranked f32; result types are inferred from operands and attributes by one
// shape function per op (NNShapes.cpp), which MLIRGen and the verifier share.
//
//===----------------------------------------------------------------------===//

#ifndef NN_DIALECT_TD
#define NN_DIALECT_TD

include "mlir/IR/OpBase.td"

def NN_Dialect : Dialect {
  let name = "nn";
  let cppNamespace = "::nncc::nn";
  let summary = "Neural-network operators of the nncc graph language";
  let description = [{
    Each op matches the PyTorch function named in LANGUAGE.md §5. Images are
    NCHW, convolution weights OIHW, all tensors row-major f32 but the i32
    indices an embedding reads.
  }];
  let emitAccessorPrefix = kEmitAccessorPrefix_Prefixed;
  let hasConstantMaterializer = 1;
}

def NN_Tensor : RankedTensorOf<[F32]>;
// Integer indices: an `i32` input of the model, read only by embedding.
def NN_Indices : RankedTensorOf<[I32]>;

#endif // NN_DIALECT_TD
