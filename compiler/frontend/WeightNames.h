//===- WeightNames.h - names a model reads from its weights file -*- C++
//-*-===//
//
// With --weights, a model may name what its weights file holds the way a
// PyTorch state_dict does: a param without a declared shape takes the
// file's, and a module prefix (`layer1.0.conv1`, a dotted name that prefixes
// tensors of the file) may stand where an op takes its weights or be passed
// to a def, whose body then names `m.conv1`.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_WEIGHTNAMES_H
#define NNCC_FRONTEND_WEIGHTNAMES_H

#include "compiler/weights/WeightsReader.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringSet.h"

namespace nncc {

/// The tensors of a weights file by name, and the module prefixes they
/// make. Empty (and `available()` false) until loaded.
class WeightNames {
public:
  /// Reads the names and shapes of the weights file at `path`
  /// (readWeightShapes); false with `error` on a malformed file.
  bool load(const std::string &path, std::string &error);

  bool available() const { return !path.empty(); }
  const std::string &file() const { return path; }
  /// The tensor named `name`, or null.
  const StoredTensor *tensor(llvm::StringRef name) const;
  /// Whether `name` prefixes tensors of the file (`name.` begins one).
  bool isModule(llvm::StringRef name) const { return modules.count(name); }

private:
  llvm::StringMap<StoredTensor> tensors;
  std::string path;
  llvm::StringSet<> modules;
};

/// A tensor an op reads through a module prefix given as one of its
/// arguments: the argument it binds and the suffix of its name.
struct ModuleRead {
  llvm::StringRef arg, suffix;
  bool required;
};

/// What `op` reads when its argument `arg` is a module prefix (as
/// torch.nn's modules name them: conv2d's `w` reads `.weight` and, if
/// present, `.bias`); empty where `arg` takes no module.
llvm::ArrayRef<ModuleRead> moduleReads(llvm::StringRef op, llvm::StringRef arg);

} // namespace nncc

#endif // NNCC_FRONTEND_WEIGHTNAMES_H
