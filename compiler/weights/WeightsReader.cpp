//===- WeightsReader.cpp - .safetensors and .npz readers ------------------===//
//
// Every length, offset and count read from the file is checked against the
// file's size before it is used: a truncated or corrupt file is an error
// message, never an out-of-bounds read.
//
//===----------------------------------------------------------------------===//

#include "compiler/weights/WeightsReader.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstring>
#include <zlib.h>

using namespace nncc;

namespace {

template <typename T> T readLE(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof v); // the formats and x86/arm64 are little-endian
  return v;
}

/// Product of dims, or -1 if it overflows or a dim is negative.
int64_t elementCount(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return -1;
  return n;
}

//===----------------------------------------------------------------------===//
// safetensors: u64 header size, a JSON header, then the raw data.
//===----------------------------------------------------------------------===//

bool readSafetensors(llvm::StringRef file, llvm::StringMap<StoredTensor> &out,
                     std::string &error) {
  if (file.size() < 8) {
    error = "truncated file: no safetensors header";
    return false;
  }
  uint64_t headerSize = readLE<uint64_t>(file.data());
  if (headerSize > file.size() - 8) {
    error = "truncated file: the header says it is " +
            std::to_string(headerSize) + " bytes but only " +
            std::to_string(file.size() - 8) + " follow";
    return false;
  }
  llvm::StringRef data = file.substr(8 + headerSize);
  auto json = llvm::json::parse(file.substr(8, headerSize));
  if (!json) {
    error = "corrupt safetensors header: " + llvm::toString(json.takeError());
    return false;
  }
  const llvm::json::Object *root = json->getAsObject();
  if (!root) {
    error = "corrupt safetensors header: not a JSON object";
    return false;
  }
  for (const auto &entry : *root) {
    std::string name = entry.first.str();
    if (name == "__metadata__")
      continue;
    const llvm::json::Object *info = entry.second.getAsObject();
    auto fail = [&](const std::string &what) {
      error = "corrupt entry '" + name + "': " + what;
      return false;
    };
    if (!info)
      return fail("not a JSON object");
    auto dtype = info->getString("dtype");
    const llvm::json::Array *shape = info->getArray("shape");
    const llvm::json::Array *offsets = info->getArray("data_offsets");
    if (!dtype || !shape || !offsets || offsets->size() != 2)
      return fail("needs dtype, shape and data_offsets");
    StoredTensor t;
    t.dtype = dtype->str();
    t.isF32 = *dtype == "F32";
    for (const llvm::json::Value &d : *shape) {
      auto v = d.getAsInteger();
      if (!v || *v < 0)
        return fail("shape holds a value that is not a dimension");
      t.shape.push_back(*v);
    }
    auto begin = (*offsets)[0].getAsInteger(),
         end = (*offsets)[1].getAsInteger();
    if (!begin || !end || *begin < 0 || *end < *begin ||
        (uint64_t)*end > data.size())
      return fail("data_offsets lie outside the file (truncated?)");
    if (t.isF32) {
      int64_t n = elementCount(t.shape);
      if (n < 0 || *end - *begin != n * 4)
        return fail("holds " + std::to_string(*end - *begin) +
                    " bytes, which does not match its shape");
      t.values.resize(n);
      std::memcpy(t.values.data(), data.data() + *begin, n * 4);
    }
    out[name] = std::move(t);
  }
  return true;
}

//===----------------------------------------------------------------------===//
// npz: a zip archive of .npy files, stored or deflated.
//===----------------------------------------------------------------------===//

/// Parses one .npy file: magic, version, header dict, data.
bool readNpy(llvm::StringRef npy, StoredTensor &t, std::string &error) {
  if (npy.size() < 10 || !npy.startswith("\x93NUMPY")) {
    error = "not a .npy file";
    return false;
  }
  unsigned major = (unsigned char)npy[6];
  size_t headerLen =
      major == 1 ? readLE<uint16_t>(npy.data() + 8)
                 : (npy.size() >= 12 ? readLE<uint32_t>(npy.data() + 8) : ~0u);
  size_t start = major == 1 ? 10 : 12;
  if (major < 1 || major > 3 || headerLen > npy.size() - start) {
    error = "corrupt .npy header";
    return false;
  }
  llvm::StringRef header = npy.substr(start, headerLen);
  auto field = [&](llvm::StringRef key) -> llvm::StringRef {
    size_t at = header.find("'" + key.str() + "'");
    if (at == llvm::StringRef::npos)
      return {};
    return header.substr(at + key.size() + 2).ltrim(" :");
  };
  llvm::StringRef descr = field("descr");
  if (!descr.consume_front("'")) {
    error = "corrupt .npy header: no descr";
    return false;
  }
  t.dtype = descr.take_until([](char c) { return c == '\''; }).str();
  t.isF32 = t.dtype == "<f4" || t.dtype == "=f4";
  if (field("fortran_order").startswith("True")) {
    error = "stored in Fortran order; save a C-contiguous array";
    return false;
  }
  llvm::StringRef shape = field("shape");
  if (!shape.consume_front("(")) {
    error = "corrupt .npy header: no shape";
    return false;
  }
  shape = shape.take_until([](char c) { return c == ')'; });
  while (!(shape = shape.ltrim(" ,")).empty()) {
    int64_t d;
    if (shape.consumeInteger(10, d) || d < 0) {
      error = "corrupt .npy header: bad shape";
      return false;
    }
    t.shape.push_back(d);
  }
  llvm::StringRef data = npy.substr(start + headerLen);
  if (t.isF32) {
    int64_t n = elementCount(t.shape);
    if (n < 0 || (uint64_t)n * 4 != data.size()) {
      error = "holds " + std::to_string(data.size()) +
              " bytes of data, which does not match its shape";
      return false;
    }
    t.values.resize(n);
    std::memcpy(t.values.data(), data.data(), n * 4);
  }
  return true;
}

bool inflateRaw(llvm::StringRef in, size_t size, std::string &out) {
  out.resize(size);
  z_stream s{};
  if (inflateInit2(&s, -MAX_WBITS) != Z_OK)
    return false;
  s.next_in = (Bytef *)in.data();
  s.avail_in = (uInt)in.size();
  s.next_out = (Bytef *)&out[0];
  s.avail_out = (uInt)size;
  int r = inflate(&s, Z_FINISH);
  inflateEnd(&s);
  return r == Z_STREAM_END && s.total_out == size;
}

bool readNpz(llvm::StringRef file, llvm::StringMap<StoredTensor> &out,
             std::string &error) {
  // The end-of-central-directory record (22 bytes and a comment of at most
  // 64 KiB) ends the archive.
  size_t eocd = llvm::StringRef::npos;
  if (file.size() >= 22) {
    size_t lowest = file.size() > 22 + 65535 ? file.size() - 22 - 65535 : 0;
    for (size_t i = file.size() - 22; eocd == llvm::StringRef::npos; --i) {
      if (readLE<uint32_t>(file.data() + i) == 0x06054b50)
        eocd = i;
      if (i == lowest)
        break;
    }
  }
  if (eocd == llvm::StringRef::npos) {
    error = "truncated or corrupt zip archive: no end of central directory";
    return false;
  }
  uint16_t count = readLE<uint16_t>(file.data() + eocd + 10);
  uint32_t dirOffset = readLE<uint32_t>(file.data() + eocd + 16);
  size_t pos = dirOffset;
  for (uint16_t e = 0; e < count; ++e) {
    if (pos + 46 > file.size() ||
        readLE<uint32_t>(file.data() + pos) != 0x02014b50) {
      error = "corrupt zip central directory";
      return false;
    }
    uint16_t method = readLE<uint16_t>(file.data() + pos + 10);
    uint32_t compressed = readLE<uint32_t>(file.data() + pos + 20);
    uint32_t size = readLE<uint32_t>(file.data() + pos + 24);
    uint16_t nameLen = readLE<uint16_t>(file.data() + pos + 28);
    uint16_t extraLen = readLE<uint16_t>(file.data() + pos + 30);
    uint16_t commentLen = readLE<uint16_t>(file.data() + pos + 32);
    uint32_t local = readLE<uint32_t>(file.data() + pos + 42);
    if (pos + 46 + nameLen > file.size()) {
      error = "corrupt zip central directory";
      return false;
    }
    std::string name = file.substr(pos + 46, nameLen).str();
    pos += 46 + nameLen + extraLen + commentLen;
    if (compressed == 0xffffffff || size == 0xffffffff) {
      error = "member '" + name + "' needs zip64, which is not supported";
      return false;
    }
    if ((uint64_t)local + 30 > file.size() ||
        readLE<uint32_t>(file.data() + local) != 0x04034b50) {
      error = "corrupt zip entry '" + name + "' (truncated file?)";
      return false;
    }
    size_t dataAt = (size_t)local + 30 +
                    readLE<uint16_t>(file.data() + local + 26) +
                    readLE<uint16_t>(file.data() + local + 28);
    if (dataAt > file.size() || compressed > file.size() - dataAt) {
      error = "zip entry '" + name + "' is truncated";
      return false;
    }
    llvm::StringRef raw = file.substr(dataAt, compressed);
    std::string inflated;
    if (method == 8) {
      if (!inflateRaw(raw, size, inflated)) {
        error = "zip entry '" + name + "' does not inflate (corrupt data)";
        return false;
      }
      raw = inflated;
    } else if (method != 0 || compressed != size) {
      error = "zip entry '" + name + "' uses compression method " +
              std::to_string(method) + "; only stored and deflated are read";
      return false;
    }
    llvm::StringRef key(name);
    key.consume_back(".npy");
    StoredTensor t;
    std::string npyError;
    if (!readNpy(raw, t, npyError)) {
      error = "entry '" + key.str() + "': " + npyError;
      return false;
    }
    out[key] = std::move(t);
  }
  return true;
}

} // namespace

bool nncc::readWeights(const std::string &path,
                       llvm::StringMap<StoredTensor> &out, std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (std::error_code ec = buffer.getError()) {
    error = "cannot open: " + ec.message();
    return false;
  }
  llvm::StringRef file = (*buffer)->getBuffer();
  if (file.startswith("PK"))
    return readNpz(file, out, error);
  if (llvm::StringRef(path).endswith(".npz")) {
    error = "not a zip archive (truncated or corrupt .npz?)";
    return false;
  }
  return readSafetensors(file, out, error);
}
