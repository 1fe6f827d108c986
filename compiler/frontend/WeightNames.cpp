//===- WeightNames.cpp - names a model reads from its weights file --------===//

#include "compiler/frontend/WeightNames.h"

using namespace nncc;

bool WeightNames::load(const std::string &file, std::string &error) {
  if (!readWeightShapes(file, tensors, error))
    return false;
  path = file;
  for (const auto &entry : tensors) {
    llvm::StringRef name = entry.getKey();
    for (size_t dot = name.find('.'); dot != llvm::StringRef::npos;
         dot = name.find('.', dot + 1))
      modules.insert(name.take_front(dot));
  }
  return true;
}

const StoredTensor *WeightNames::tensor(llvm::StringRef name) const {
  auto it = tensors.find(name);
  return it == tensors.end() ? nullptr : &it->second;
}

llvm::ArrayRef<ModuleRead> nncc::moduleReads(llvm::StringRef op,
                                             llvm::StringRef arg) {
  static const ModuleRead weightAndBias[] = {{"w", "weight", true},
                                             {"b", "bias", false}};
  static const ModuleRead norm[] = {{"w", "weight", true}, {"b", "bias", true}};
  static const ModuleRead batchNorm[] = {{"mean", "running_mean", true},
                                         {"var", "running_var", true},
                                         {"w", "weight", true},
                                         {"b", "bias", true}};
  if ((op == "conv2d" || op == "conv1d" || op == "conv_transpose2d" ||
       op == "linear") &&
      arg == "w")
    return weightAndBias;
  static const ModuleRead weight[] = {{"w", "weight", true}};
  if (op == "embedding" && arg == "w")
    return weight;
  if (op == "layer_norm" && arg == "w")
    return norm;
  if (op == "batch_norm" && arg == "mean")
    return batchNorm;
  return {};
}
