//===- ONNXImport.cpp - an ONNX graph as an nn function -------------------===//

#include "compiler/onnx/Importer.h"

#include "compiler/frontend/CNames.h"
#include "compiler/transforms/BindWeights.h"

#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace nncc;
using namespace nncc::onnx_import;

namespace {
/// The opsets whose operators the importer follows (LANGUAGE.md §9).
constexpr int64_t kMinOpset = 7, kMaxOpset = 17;

/// A model name for the entry point from the file's stem: `resnet-18.onnx`
/// -> `resnet_18`.
std::string modelName(StringRef path) {
  std::string name = llvm::sys::path::stem(path).str();
  for (char &c : name)
    if (!isalnum((unsigned char)c) && c != '_')
      c = '_';
  if (name.empty() || isdigit((unsigned char)name[0]) ||
      !modelNameProblem(name).empty())
    name = "model_" + name;
  return name;
}

std::string dimsText(ArrayRef<int64_t> dims) {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? "x" : "") + std::to_string(dims[i]);
  return s;
}
} // namespace

const Registry &onnx_import::registry() {
  static const Registry all = [] {
    Registry r;
    registerConvPoolOps(r);
    registerElementwiseOps(r);
    registerLinearOps(r);
    registerReduceOps(r);
    registerConstantOps(r);
    registerDataMovementOps(r);
    return r;
  }();
  return all;
}

std::vector<std::string> nncc::supportedONNXOps() {
  std::vector<std::string> ops;
  for (const auto &entry : onnx_import::registry())
    ops.push_back(entry.getKey().str());
  std::sort(ops.begin(), ops.end());
  return ops;
}

Importer::Importer(MLIRContext &context, StringRef path,
                   const ImportOptions &options)
    : builder(&context), context(context), path(path.str()),
      fileName(llvm::sys::path::filename(path).str()), options(options),
      nodeLoc(NameLoc::get(StringAttr::get(&context, fileName))) {}

bool Importer::error(const Twine &message) {
  emitError(nodeLoc) << message;
  return false;
}

Location Importer::nodeLocation(const onnx::NodeProto &node) {
  std::string name =
      node.name().empty() && node.output_size() ? node.output(0) : node.name();
  return NameLoc::get(StringAttr::get(
      &context, fileName + ": node \"" + name + "\" (" + node.op_type() + ")"));
}

ArrayRef<int64_t> Importer::shapeOf(Value v) {
  return v.getType().cast<RankedTensorType>().getShape();
}

Value Importer::materialize(const HostTensor &t) {
  auto type = RankedTensorType::get(t.shape, builder.getF32Type());
  std::vector<float> data(t.values.begin(), t.values.end());
  return builder.create<nn::ConstantOp>(
      nodeLoc, type, DenseElementsAttr::get(type, llvm::makeArrayRef(data)));
}

Value Importer::scalar(double v) {
  HostTensor t;
  t.values = {v};
  return materialize(t);
}

Optional<std::vector<int64_t>>
Importer::inputShape(const onnx::NodeProto &node) {
  if (isConstant(node, 0))
    return constant(node, 0, "data")->shape;
  Value x = tensor(node, 0);
  if (!x)
    return None;
  return shapeOf(x).vec();
}

bool Importer::has(const onnx::NodeProto &node, int i) const {
  return i < node.input_size() && !node.input(i).empty();
}

const HostTensor *Importer::known(StringRef name) const {
  auto it = values.find(name.str());
  if (it == values.end() || !it->second.constant ||
      (it->second.tensor && options.paramsAsInputs))
    return nullptr;
  return &*it->second.constant;
}

bool Importer::isConstant(const onnx::NodeProto &node, int i) const {
  return has(node, i) && known(node.input(i));
}

Value Importer::tensorNamed(const std::string &name) {
  auto it = values.find(name);
  if (it == values.end()) {
    error("input '" + name + "' is not defined before this node");
    return {};
  }
  ImportedValue &v = it->second;
  if (!v.tensor) {
    if (!v.constant->isFloat) {
      error("input '" + name +
            "' is an integer tensor; nncc computes on float tensors only");
      return {};
    }
    v.tensor = materialize(*v.constant);
  }
  return v.tensor;
}

Value Importer::tensor(const onnx::NodeProto &node, int i, bool optional) {
  if (!has(node, i)) {
    if (!optional)
      error("input " + Twine(i) + " is missing");
    return {};
  }
  return tensorNamed(node.input(i));
}

Optional<HostTensor> Importer::constant(const onnx::NodeProto &node, int i,
                                        StringRef what) {
  if (!has(node, i)) {
    error(what + " (input " + Twine(i) + ") is missing");
    return None;
  }
  if (const HostTensor *t = known(node.input(i)))
    return *t;
  error(what + " (input '" + node.input(i) +
        "') must be known at compile time (an initializer, a Constant, or "
        "computed from them and from static shapes); values computed at "
        "run time are not supported here");
  return None;
}

void Importer::define(const onnx::NodeProto &node, int i, ImportedValue value) {
  if (i < node.output_size() && !node.output(i).empty())
    values[node.output(i)] = std::move(value);
}

bool Importer::importInitializers(const onnx::GraphProto &graph) {
  StringRef dir = llvm::sys::path::parent_path(path);
  for (const onnx::TensorProto &t : graph.initializer()) {
    std::string why;
    Optional<HostTensor> value = readTensor(t, dir, why);
    if (!value)
      return error("initializer '" + t.name() + "' cannot be read: " + why);
    ImportedValue v;
    v.constant = value;
    if (value->isFloat) {
      Block &entry = func.getBody().front();
      v.tensor = entry.addArgument(
          RankedTensorType::get(value->shape, builder.getF32Type()), nodeLoc);
      paramNames.push_back(t.name());
    }
    values[t.name()] = std::move(v);
  }
  return true;
}

bool Importer::declareInputs(const onnx::GraphProto &graph) {
  Block &entry = func.getBody().front();
  for (const onnx::ValueInfoProto &input : graph.input()) {
    const onnx::TypeProto &type = input.type();
    if (!type.has_tensor_type())
      return error("input '" + input.name() +
                   "' is not a tensor (sequence "
                   "and optional inputs are not supported)");
    int elem = type.tensor_type().elem_type();
    if (elem != onnx::TensorProto::FLOAT)
      return error("input '" + input.name() + "' is " +
                   onnx::TensorProto::DataType_Name(
                       static_cast<onnx::TensorProto::DataType>(elem)) +
                   "; nncc compiles models with float inputs only");
    std::vector<int64_t> dims;
    std::string dynamic;
    for (const auto &d : type.tensor_type().shape().dim()) {
      dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
      if (!d.has_dim_value() && dynamic.empty())
        dynamic = d.has_dim_param() ? "'" + d.dim_param() + "'"
                                    : "dim " + std::to_string(dims.size() - 1);
    }
    auto bound = options.inputShapes.find(input.name());
    if (bound != options.inputShapes.end()) {
      bool agrees = bound->second.size() == dims.size();
      for (size_t i = 0; agrees && i < dims.size(); ++i)
        agrees = dims[i] < 0 || dims[i] == bound->second[i];
      if (!agrees)
        return error("--input-shape " + input.name() + "=" +
                     dimsText(bound->second) + " does not fit its shape " +
                     dimsText(dims) + " (-1: dynamic)");
      dims = bound->second;
    } else if (!dynamic.empty()) {
      return error("input '" + input.name() + "' has a dynamic dimension (" +
                   dynamic + "); bind it with --input-shape " + input.name() +
                   "=" + dimsText(dims) + " (each -1 a size)");
    }
    values[input.name()].tensor = entry.addArgument(
        RankedTensorType::get(dims, builder.getF32Type()), nodeLoc);
  }
  return true;
}

bool Importer::convertNode(const onnx::NodeProto &node) {
  nodeLoc = nodeLocation(node);
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return error("ops of domain '" + node.domain() + "' are not supported");
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.has_g() || a.graphs_size())
      return error("ops with subgraphs (If, Loop, Scan) are not supported");
  auto converter = registry().find(node.op_type());
  if (converter == registry().end())
    return error("unsupported op '" + node.op_type() + "' (opset " +
                 Twine(opsetVersion) + ")");
  return converter->second(*this, node);
}

OwningOpRef<ModuleOp> Importer::import(const onnx::ModelProto &model) {
  for (const onnx::OperatorSetIdProto &set : model.opset_import())
    if (set.domain().empty() || set.domain() == "ai.onnx")
      opsetVersion = set.version();
  if (opsetVersion < kMinOpset || opsetVersion > kMaxOpset) {
    error("opset " + Twine(opsetVersion) +
          " of the default domain is not "
          "supported (nncc follows opsets " +
          Twine(kMinOpset) + " to " + Twine(kMaxOpset) + ")");
    return nullptr;
  }
  const onnx::GraphProto &graph = model.graph();
  OwningOpRef<ModuleOp> module(ModuleOp::create(nodeLoc));
  func =
      FuncOp::create(nodeLoc, modelName(path), builder.getFunctionType({}, {}));
  module->push_back(func);
  builder.setInsertionPointToStart(func.addEntryBlock());

  // Inputs first, then params, as a .graph model declares them. Before IR
  // version 4, initializers are listed as inputs too.
  llvm::StringSet<> initialized;
  for (const onnx::TensorProto &t : graph.initializer())
    initialized.insert(t.name());
  onnx::GraphProto inputsOnly;
  for (const onnx::ValueInfoProto &input : graph.input())
    if (!initialized.count(input.name()))
      *inputsOnly.add_input() = input;
  if (!declareInputs(inputsOnly) || !importInitializers(graph))
    return nullptr;
  for (const onnx::NodeProto &node : graph.node())
    if (!convertNode(node))
      return nullptr;

  nodeLoc = NameLoc::get(StringAttr::get(&context, fileName));
  SmallVector<Value, 4> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    if (!values.count(output.name())) {
      error("output '" + output.name() + "' is computed by no node");
      return nullptr;
    }
    Value v = tensorNamed(output.name());
    if (!v)
      return nullptr;
    results.push_back(v);
  }
  builder.create<ReturnOp>(nodeLoc, results);
  Block &entry = func.getBody().front();
  func.setType(builder.getFunctionType(entry.getArgumentTypes(),
                                       ValueRange(results).getTypes()));
  size_t inputs = entry.getNumArguments() - paramNames.size();
  for (BlockArgument arg : entry.getArguments()) {
    unsigned i = arg.getArgNumber();
    std::string name =
        i < inputs ? inputsOnly.input(i).name() : paramNames[i - inputs];
    func.setArgAttr(i, "nn.name", builder.getStringAttr(name));
    if (i >= inputs)
      func.setArgAttr(i, "nn.param", builder.getUnitAttr());
  }
  for (int i = 0; i < graph.output_size(); ++i)
    func.setResultAttr(i, "nn.name",
                       builder.getStringAttr(graph.output(i).name()));
  // Initializers read only at compile time (shapes, Clip's bounds) are not
  // params of the model; the others are bound as weights, in f32.
  llvm::BitVector unused(entry.getNumArguments());
  llvm::StringMap<StoredTensor> params;
  for (BlockArgument arg : entry.getArguments()) {
    if (arg.getArgNumber() < inputs)
      continue;
    const std::string &name = paramNames[arg.getArgNumber() - inputs];
    if (arg.use_empty()) {
      unused.set(arg.getArgNumber());
      continue;
    }
    if (options.paramsAsInputs)
      continue;
    const HostTensor &value = *values[name].constant;
    StoredTensor &stored = params[name];
    stored.dtype = "F32";
    stored.isF32 = true;
    stored.shape = value.shape;
    stored.values.assign(value.values.begin(), value.values.end());
  }
  func.eraseArguments(unused);
  if (!options.paramsAsInputs && failed(bindWeights(func, params, path)))
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> nncc::importONNX(MLIRContext &context, StringRef path,
                                       StringRef bytes,
                                       const ImportOptions &options) {
  context.loadDialect<nn::NNDialect, StandardOpsDialect>();
  Importer importer(context, path, options);
  onnx::ModelProto model;
  if (bytes.size() > INT_MAX ||
      !model.ParseFromArray(bytes.data(), (int)bytes.size()) ||
      !model.has_graph()) {
    importer.error("not an ONNX model: the file does not parse as a "
                   "ModelProto (truncated, or another format)");
    return nullptr;
  }
  return importer.import(model);
}
