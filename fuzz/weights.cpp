//===- weights.cpp - libFuzzer target: the .safetensors and .npz readers --===//
//
// The bytes go to a file (the readers map files): an .npz where they start
// as a zip archive does, else a .safetensors. Both reads run, the values
// bounded by the shapes the first found, as nncc bounds them by a model's.
//
//===----------------------------------------------------------------------===//

#include "compiler/weights/WeightsReader.h"

#include <cstdio>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bool zip = size >= 2 && data[0] == 'P' && data[1] == 'K';
  std::string path = "/tmp/nncc-fuzz-" + std::to_string(getpid()) +
                     (zip ? ".npz" : ".safetensors");
  if (FILE *f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  llvm::StringMap<nncc::StoredTensor> shapes, values;
  llvm::StringMap<uint64_t> wanted;
  std::string error;
  if (nncc::readWeightShapes(path, shapes, error))
    for (const auto &entry : shapes) {
      uint64_t bytes = 4;
      for (int64_t d : entry.getValue().shape)
        bytes = d > 0 && bytes <= (uint64_t(1) << 28) / d ? bytes * d
                                                          : (uint64_t(1) << 28);
      wanted[entry.getKey()] = bytes;
    }
  nncc::readWeights(path, values, wanted, error);
  std::remove(path.c_str());
  return 0;
}
