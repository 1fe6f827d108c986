//===- WeightsReader.h - .safetensors and .npz readers ----------*- C++ -*-===//
#ifndef NNCC_WEIGHTS_WEIGHTSREADER_H
#define NNCC_WEIGHTS_WEIGHTSREADER_H

#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace nncc {

/// One tensor of a weights file, as stored.
struct StoredTensor {
  std::string dtype; // "F32" (safetensors) or a NumPy descr such as "<f4"
  bool isF32 = false;
  std::vector<int64_t> shape;
  std::vector<float> values; // filled only for f32 tensors

  /// The dtype of an archive member listed but not read: one no param
  /// reads, or, for readWeightShapes, one whose .npy header does not read.
  static constexpr const char *kUnread = "unread";
  bool unread() const { return dtype == kUnread; }
};

/// Reads the tensors of a `.safetensors` file or a NumPy `.npz` archive
/// (stored or deflated members). On a malformed file returns false with a
/// message in `error` that says what is wrong and where. Memory is bounded
/// by the file and by `wanted`, the bytes of each param the model reads:
/// an archive's members are inflated only for those params, each to at
/// most its size and an .npy header; other members are listed unread.
bool readWeights(const std::string &path, llvm::StringMap<StoredTensor> &out,
                 const llvm::StringMap<uint64_t> &wanted, std::string &error);

/// The dtype and shape of every tensor of a weights file, without values:
/// what a model's params without a declared shape, and its module
/// prefixes, are resolved from. Of an archive member, at most its .npy
/// header is inflated.
bool readWeightShapes(const std::string &path,
                      llvm::StringMap<StoredTensor> &out, std::string &error);

} // namespace nncc

#endif // NNCC_WEIGHTS_WEIGHTSREADER_H
