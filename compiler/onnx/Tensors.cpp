//===- Tensors.cpp - TensorProto values and node attributes ---------------===//

#include "compiler/onnx/Importer.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace nncc;
using namespace nncc::onnx_import;

int64_t HostTensor::elements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<int64_t> HostTensor::ints() const {
  // Exporters write INT64_MAX and INT64_MIN for "to the end": as doubles
  // they round past int64's range, so convert saturating.
  std::vector<int64_t> out;
  for (double v : values)
    out.push_back(v >= 0x1p63    ? INT64_MAX
                  : v <= -0x1p63 ? INT64_MIN
                                 : (int64_t)v);
  return out;
}

double HostTensor::broadcastAt(llvm::ArrayRef<int64_t> out, int64_t i) const {
  int64_t index = 0, stride = 1;
  for (int64_t d = (int64_t)out.size() - 1; d >= 0; --d) {
    int64_t coord = i % out[d];
    i /= out[d];
    int64_t own = d - ((int64_t)out.size() - (int64_t)shape.size());
    if (own >= 0) {
      if (shape[own] != 1)
        index += coord * stride;
      stride *= shape[own];
    }
  }
  return values[index];
}

HostTensor onnx_import::hostInts(std::vector<int64_t> values,
                                 std::vector<int64_t> shape) {
  HostTensor t;
  t.isFloat = false;
  t.shape = std::move(shape);
  t.values.assign(values.begin(), values.end());
  return t;
}

llvm::Optional<std::vector<int64_t>>
onnx_import::broadcast(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    int64_t y = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (x != y && x != 1 && y != 1)
      return llvm::None;
    out[i] = x == 1 ? y : x;
  }
  return out;
}

int64_t onnx_import::normalAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return -1;
  return axis < 0 ? axis + rank : axis;
}

/// IEEE half to float.
static float halfToFloat(uint16_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ff;
  uint32_t bits;
  if (exp == 0x1f)
    bits = sign | 0x7f800000u | (man << 13);
  else if (exp)
    bits = sign | ((exp + 112) << 23) | (man << 13);
  else if (!man)
    bits = sign;
  else { // subnormal: normalise
    int e = -1;
    do {
      ++e;
      man <<= 1;
    } while (!(man & 0x400));
    bits = sign | ((112 - e) << 23) | ((man & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

/// Little-endian element `i` of `raw` as a double, for ONNX data type `type`.
static double rawElement(llvm::StringRef raw, int type, size_t i) {
  auto read = [&](auto zero) {
    decltype(zero) v;
    std::memcpy(&v, raw.data() + i * sizeof v, sizeof v);
    return v;
  };
  switch (type) {
  case onnx::TensorProto::FLOAT:
    return read(float());
  case onnx::TensorProto::DOUBLE:
    return read(double());
  case onnx::TensorProto::FLOAT16:
    return halfToFloat(read(uint16_t()));
  case onnx::TensorProto::INT64:
    return (double)read(int64_t());
  case onnx::TensorProto::UINT64:
    return (double)read(uint64_t());
  case onnx::TensorProto::INT32:
    return read(int32_t());
  case onnx::TensorProto::UINT32:
    return read(uint32_t());
  case onnx::TensorProto::INT16:
    return read(int16_t());
  case onnx::TensorProto::UINT16:
    return read(uint16_t());
  case onnx::TensorProto::INT8:
    return read(int8_t());
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    return read(uint8_t());
  }
  return 0;
}

static size_t elementBytes(int type) {
  switch (type) {
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
    return 8;
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
    return 4;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
    return 2;
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    return 1;
  }
  return 0;
}

/// The bytes of an external tensor: `location` (relative to the model's
/// directory), from `offset`, `length` bytes (or to the end).
static bool readExternal(const onnx::TensorProto &t, llvm::StringRef dir,
                         std::string &bytes, std::string &error) {
  std::string location;
  uint64_t offset = 0, length = 0;
  bool hasLength = false;
  for (const auto &entry : t.external_data()) {
    if (entry.key() == "location")
      location = entry.value();
    else if (entry.key() == "offset")
      offset = std::strtoull(entry.value().c_str(), nullptr, 10);
    else if (entry.key() == "length") {
      length = std::strtoull(entry.value().c_str(), nullptr, 10);
      hasLength = true;
    }
  }
  llvm::SmallString<256> file(dir);
  llvm::sys::path::append(file, location);
  auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (location.empty() || !buffer) {
    error = "its external data '" + std::string(file) + "' cannot be read";
    return false;
  }
  llvm::StringRef data = (*buffer)->getBuffer();
  if (offset > data.size() || (hasLength && length > data.size() - offset)) {
    error = "its external data '" + std::string(file) + "' is shorter (" +
            std::to_string(data.size()) + " bytes) than it says";
    return false;
  }
  bytes = data.substr(offset, hasLength ? length : llvm::StringRef::npos).str();
  return true;
}

llvm::Optional<HostTensor> onnx_import::readTensor(const onnx::TensorProto &t,
                                                   llvm::StringRef dir,
                                                   std::string &error) {
  HostTensor out;
  for (int64_t d : t.dims()) {
    if (d < 0) {
      error = "it has a negative dimension";
      return llvm::None;
    }
    out.shape.push_back(d);
  }
  int type = t.data_type();
  size_t bytes = elementBytes(type);
  if (!bytes) {
    error = "its element type (" +
            onnx::TensorProto::DataType_Name(
                static_cast<onnx::TensorProto::DataType>(type)) +
            ") is not supported";
    return llvm::None;
  }
  out.isFloat = type == onnx::TensorProto::FLOAT ||
                type == onnx::TensorProto::DOUBLE ||
                type == onnx::TensorProto::FLOAT16;
  size_t n = out.elements();
  std::string external;
  llvm::StringRef raw;
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    if (!readExternal(t, dir, external, error))
      return llvm::None;
    raw = external;
  } else if (t.has_raw_data()) {
    raw = t.raw_data();
  }
  if (!raw.empty() || t.data_location() == onnx::TensorProto::EXTERNAL) {
    if (raw.size() != n * bytes) {
      error = "it holds " + std::to_string(raw.size()) + " bytes for " +
              std::to_string(n) + " elements of " + std::to_string(bytes);
      return llvm::None;
    }
    out.values.resize(n);
    for (size_t i = 0; i < n; ++i)
      out.values[i] = rawElement(raw, type, i);
    return out;
  }
  switch (type) {
  case onnx::TensorProto::FLOAT:
    out.values.assign(t.float_data().begin(), t.float_data().end());
    break;
  case onnx::TensorProto::DOUBLE:
    out.values.assign(t.double_data().begin(), t.double_data().end());
    break;
  case onnx::TensorProto::INT64:
    out.values.assign(t.int64_data().begin(), t.int64_data().end());
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    out.values.assign(t.uint64_data().begin(), t.uint64_data().end());
    break;
  case onnx::TensorProto::FLOAT16:
    for (int32_t v : t.int32_data())
      out.values.push_back(halfToFloat((uint16_t)v));
    break;
  default: // the narrower integers and bool are stored as int32_data
    out.values.assign(t.int32_data().begin(), t.int32_data().end());
  }
  if (out.values.size() != n) {
    error = "it holds " + std::to_string(out.values.size()) + " values for " +
            std::to_string(n) + " elements";
    return llvm::None;
  }
  return out;
}

const onnx::AttributeProto *onnx_import::attribute(const onnx::NodeProto &node,
                                                   llvm::StringRef name) {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t onnx_import::intAttr(const onnx::NodeProto &node, llvm::StringRef name,
                             int64_t otherwise) {
  const onnx::AttributeProto *a = attribute(node, name);
  return a ? a->i() : otherwise;
}

float onnx_import::floatAttr(const onnx::NodeProto &node, llvm::StringRef name,
                             float otherwise) {
  const onnx::AttributeProto *a = attribute(node, name);
  return a ? a->f() : otherwise;
}

std::string onnx_import::stringAttr(const onnx::NodeProto &node,
                                    llvm::StringRef name,
                                    llvm::StringRef otherwise) {
  const onnx::AttributeProto *a = attribute(node, name);
  return a ? a->s() : otherwise.str();
}

std::vector<int64_t> onnx_import::intsAttr(const onnx::NodeProto &node,
                                           llvm::StringRef name) {
  const onnx::AttributeProto *a = attribute(node, name);
  if (!a)
    return {};
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}
