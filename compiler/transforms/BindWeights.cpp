//===- BindWeights.cpp - params from a weights file -----------------------===//

#include "compiler/transforms/BindWeights.h"
#include "dialects/nn/NNOps.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>

using namespace mlir;
using namespace nncc;

static std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

LogicalResult nncc::bindWeights(FuncOp func,
                                const llvm::StringMap<StoredTensor> &weights,
                                llvm::StringRef path) {
  OpBuilder b = OpBuilder::atBlockBegin(&func.getBody().front());
  llvm::BitVector bound(func.getNumArguments());
  llvm::StringSet<> used;
  for (BlockArgument arg : func.getArguments()) {
    unsigned i = arg.getArgNumber();
    if (!func.getArgAttr(i, "nn.param"))
      continue;
    StringRef name = func.getArgAttrOfType<StringAttr>(i, "nn.name").getValue();
    auto type = arg.getType().cast<RankedTensorType>();
    auto it = weights.find(name);
    if (it == weights.end())
      return emitError(arg.getLoc())
             << "param '" << name << "' is missing from '" << path << "'";
    const StoredTensor &t = it->second;
    if (!t.isF32)
      return emitError(arg.getLoc())
             << "param '" << name << "' is stored as " << t.dtype << " in '"
             << path << "'; nncc reads f32 only";
    if (llvm::makeArrayRef(t.shape) != type.getShape())
      return emitError(arg.getLoc())
             << "param '" << name << "' is declared f32"
             << shapeText(type.getShape()) << " but '" << path << "' holds f32"
             << shapeText(t.shape);
    used.insert(name);
    size_t nonFinite =
        llvm::count_if(t.values, [](float v) { return !std::isfinite(v); });
    if (nonFinite)
      emitWarning(arg.getLoc())
          << "param '" << name << "' holds " << nonFinite
          << " NaN or infinite value(s) in '" << path << "'";
    auto value = DenseElementsAttr::get(type, llvm::makeArrayRef(t.values));
    arg.replaceAllUsesWith(b.create<nn::ConstantOp>(arg.getLoc(), type, value));
    bound.set(i);
  }
  std::vector<std::string> unused;
  for (const auto &entry : weights)
    if (!used.count(entry.getKey()))
      unused.push_back(entry.getKey().str());
  if (!unused.empty()) {
    std::sort(unused.begin(), unused.end());
    auto warning = emitWarning(func.getLoc())
                   << "'" << path << "' holds " << unused.size()
                   << " tensor(s) no param uses: ";
    for (size_t i = 0; i < unused.size() && i < 5; ++i)
      warning << (i ? ", " : "") << unused[i];
    if (unused.size() > 5)
      warning << ", ...";
  }
  func.eraseArguments(bound);
  return success();
}

llvm::StringMap<uint64_t> nncc::paramBytes(ModuleOp module) {
  llvm::StringMap<uint64_t> bytes;
  for (FuncOp func : module.getOps<FuncOp>())
    for (BlockArgument arg : func.getArguments()) {
      unsigned i = arg.getArgNumber();
      auto name = func.getArgAttrOfType<StringAttr>(i, "nn.name");
      auto type = arg.getType().dyn_cast<RankedTensorType>();
      if (func.getArgAttr(i, "nn.param") && name && type &&
          type.hasStaticShape())
        bytes[name.getValue()] = type.getNumElements() * 4;
    }
  return bytes;
}
