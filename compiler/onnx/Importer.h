//===- Importer.h - the state of importing one ONNX graph -------*- C++ -*-===//
//
// Shared by the files of the ONNX importer: ONNXImport.cpp (the model, its
// inputs, initializers and outputs) and one file per family of operators,
// each of which registers its converters in the op registry.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_ONNX_IMPORTER_H
#define NNCC_ONNX_IMPORTER_H

#include "compiler/onnx/ONNXImport.h"
#include "compiler/weights/WeightsReader.h"
#include "dialects/nn/NNOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace nncc {
namespace onnx_import {

/// A tensor whose value is known at import time: an initializer, a
/// Constant node, or what ONNX's shape computations make of them. Values
/// are held as doubles whatever the element type (int64 shapes and indices
/// are exact in a double up to 2^53).
struct HostTensor {
  std::vector<int64_t> shape;
  std::vector<double> values;
  bool isFloat = true; // float (f32, f64, f16) rather than an integer or bool

  int64_t elements() const;
  /// The values as integers (shapes, axes, indices).
  std::vector<int64_t> ints() const;
  /// The element that broadcasts (NumPy's rules) to flat index `i` of a
  /// tensor of `shape`.
  double broadcastAt(llvm::ArrayRef<int64_t> shape, int64_t i) const;
};

/// An integer HostTensor.
HostTensor hostInts(std::vector<int64_t> values, std::vector<int64_t> shape);
/// NumPy broadcasting of two shapes, or None where they do not broadcast.
llvm::Optional<std::vector<int64_t>> broadcast(llvm::ArrayRef<int64_t> a,
                                               llvm::ArrayRef<int64_t> b);
/// `axis` in [-rank, rank) made non-negative, or -1.
int64_t normalAxis(int64_t axis, int64_t rank);

/// A value of the graph: a tensor of the model (an nn value), a value known
/// at import time, or both (a float initializer).
struct ImportedValue {
  mlir::Value tensor;
  llvm::Optional<HostTensor> constant;
};

class Importer;
/// Converts one node; reports its own errors (Importer::error) and returns
/// false on one.
using Converter = std::function<bool(Importer &, const onnx::NodeProto &)>;
using Registry = llvm::StringMap<Converter>;

/// The op families, each in its own file, add their converters.
void registerConvPoolOps(Registry &registry);
void registerElementwiseOps(Registry &registry);
void registerLinearOps(Registry &registry);
void registerReduceOps(Registry &registry);
void registerConstantOps(Registry &registry);
void registerDataMovementOps(Registry &registry);

/// The registry of every op the importer converts.
const Registry &registry();

class Importer {
public:
  Importer(mlir::MLIRContext &context, llvm::StringRef path,
           const ImportOptions &options);

  mlir::OwningOpRef<mlir::ModuleOp> import(const onnx::ModelProto &model);

  // For converters.
  mlir::OpBuilder builder;
  /// The location of the node being converted: `model.onnx: node "NAME"
  /// (OpType)`.
  mlir::Location loc() const { return nodeLoc; }
  /// Reports `message` at the current node; returns false.
  bool error(const llvm::Twine &message);
  /// Input `i` of the node as a model tensor (a constant one materialised
  /// as nn.constant), or null after an error; `optional` inputs may be
  /// absent (null, no error).
  mlir::Value tensor(const onnx::NodeProto &node, int i, bool optional = false);
  /// Input `i` as a value known at import time, or None after an error
  /// (`what` says what it is, for the message).
  llvm::Optional<HostTensor> constant(const onnx::NodeProto &node, int i,
                                      llvm::StringRef what);
  /// The shape of input 0, a model tensor or a constant; None after an
  /// error.
  llvm::Optional<std::vector<int64_t>> inputShape(const onnx::NodeProto &node);
  /// Whether input `i` is present (ONNX skips optional inputs with "").
  bool has(const onnx::NodeProto &node, int i) const;
  /// Whether input `i` is known at import time.
  bool isConstant(const onnx::NodeProto &node, int i) const;
  /// Binds output `i` of the node to a model tensor or a folded value.
  void define(const onnx::NodeProto &node, int i, ImportedValue value);
  void define(const onnx::NodeProto &node, int i, mlir::Value tensor) {
    define(node, i, ImportedValue{tensor, llvm::None});
  }
  void define(const onnx::NodeProto &node, int i, HostTensor folded) {
    define(node, i, ImportedValue{mlir::Value(), std::move(folded)});
  }
  /// Binds output 0 to `y` and says whether there is one (null: an error
  /// was reported); the last step of most converters.
  bool result(const onnx::NodeProto &node, mlir::Value y) {
    define(node, 0, y);
    return bool(y);
  }
  /// The opset of the default domain.
  int64_t opset() const { return opsetVersion; }
  /// A tensor's static shape.
  static llvm::ArrayRef<int64_t> shapeOf(mlir::Value v);
  /// nn.constant of `t`'s values as f32.
  mlir::Value materialize(const HostTensor &t);
  /// A rank-0 nn.constant.
  mlir::Value scalar(double v);

private:
  bool importInitializers(const onnx::GraphProto &graph);
  bool declareInputs(const onnx::GraphProto &graph);
  bool convertNode(const onnx::NodeProto &node);
  mlir::Location nodeLocation(const onnx::NodeProto &node);
  /// The value `name` known at import time, or null: a float initializer
  /// is a model tensor only with --params-as-inputs.
  const HostTensor *known(llvm::StringRef name) const;
  /// The model tensor `name`; null after an error.
  mlir::Value tensorNamed(const std::string &name);

  mlir::MLIRContext &context;
  std::string path, fileName;
  const ImportOptions &options;
  mlir::Location nodeLoc;
  int64_t opsetVersion = 0;
  mlir::FuncOp func;
  std::map<std::string, ImportedValue> values;
  /// Float initializers, in order: the model's params, bound as weights
  /// unless --params-as-inputs.
  std::vector<std::string> paramNames;
};

/// The attribute `name` of `node`, or null.
const onnx::AttributeProto *attribute(const onnx::NodeProto &node,
                                      llvm::StringRef name);
int64_t intAttr(const onnx::NodeProto &node, llvm::StringRef name,
                int64_t otherwise);
float floatAttr(const onnx::NodeProto &node, llvm::StringRef name,
                float otherwise);
std::string stringAttr(const onnx::NodeProto &node, llvm::StringRef name,
                       llvm::StringRef otherwise);
std::vector<int64_t> intsAttr(const onnx::NodeProto &node,
                              llvm::StringRef name);

/// A TensorProto's values, or an error message in `error`; `dir` is the
/// model's directory, where external data files are found.
llvm::Optional<HostTensor> readTensor(const onnx::TensorProto &t,
                                      llvm::StringRef dir, std::string &error);

} // namespace onnx_import
} // namespace nncc

#endif // NNCC_ONNX_IMPORTER_H
