//===- WeightsReader.cpp - .safetensors and .npz readers ------------------===//
//
// Every length, offset and count read from the file is checked against the
// file's size before it is used: a truncated or corrupt file is an error
// message, never an out-of-bounds read.
//
//===----------------------------------------------------------------------===//

#include "compiler/weights/WeightsReader.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstring>
#include <zlib.h>

using namespace nncc;

namespace {

template <typename T> T readLE(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof v); // the formats and x86/arm64 are little-endian
  return v;
}

/// Bytes of an f32 tensor of `shape`, or -1 if that overflows or a dim is
/// negative: checked before any arithmetic on it (a shape of [2^62] would
/// otherwise hold 2^64 = 0 bytes).
int64_t f32Bytes(const std::vector<int64_t> &shape) {
  int64_t n = 4;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return -1;
  return n;
}

/// JSON nested deeper than this is refused before it is parsed (40,000 '['
/// overflowed the parser's stack).
constexpr int kMaxJsonDepth = 64;

/// Checks what llvm::json::parse does not: that `json` nests arrays and
/// objects at most `limit` deep (checked first: the parser recurses once per
/// level), and that its outermost object names no key twice as spelled (the
/// parser keeps the last); counts its keys in `keyCount`. Returns "" or
/// what is wrong.
std::string checkJsonShape(llvm::StringRef json, int limit, size_t &keyCount) {
  keyCount = 0;
  int depth = 0;
  llvm::StringSet<> keys;
  char last = 0; // the last structural character outside strings
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '"') {
      size_t start = ++i;
      for (; i < json.size() && json[i] != '"'; ++i)
        if (json[i] == '\\')
          ++i;
      llvm::StringRef text = json.slice(start, i);
      if (depth == 1 && (last == '{' || last == ',') &&
          (++keyCount, !keys.insert(text).second))
        return "it holds '" + text.str() + "' twice";
      last = '"';
    } else if (c == '[' || c == '{') {
      if (++depth > limit)
        return "nested more than " + std::to_string(limit) + " deep";
      last = c;
    } else if (c == ']' || c == '}') {
      --depth;
      last = c;
    } else if (c == ',' || c == ':') {
      last = c;
    }
  }
  return "";
}

//===----------------------------------------------------------------------===//
// safetensors: u64 header size, a JSON header, then the raw data.
//===----------------------------------------------------------------------===//

bool readSafetensors(llvm::StringRef file, llvm::StringMap<StoredTensor> &out,
                     bool shapesOnly, std::string &error) {
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
  size_t keyCount;
  std::string shapeError =
      checkJsonShape(file.substr(8, headerSize), kMaxJsonDepth, keyCount);
  if (!shapeError.empty()) {
    error = "corrupt safetensors header: " + shapeError;
    return false;
  }
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
  // Keys spelled differently ("a", "\u0061") that decode alike.
  if (root->size() != keyCount) {
    error = "corrupt safetensors header: it holds a name twice";
    return false;
  }
  // Each entry's byte range, to refuse entries that share bytes.
  std::vector<std::pair<std::pair<int64_t, int64_t>, std::string>> ranges;
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
    ranges.push_back({{*begin, *end}, name});
    if (t.isF32) {
      int64_t bytes = f32Bytes(t.shape);
      if (bytes < 0 || *end - *begin != bytes)
        return fail("holds " + std::to_string(*end - *begin) +
                    " bytes, which does not match its shape");
      if (!shapesOnly) {
        t.values.resize(bytes / 4);
        std::memcpy(t.values.data(), data.data() + *begin, bytes);
      }
    }
    out[name] = std::move(t);
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i)
    if (ranges[i].first.first < ranges[i - 1].first.second) {
      error = "corrupt entry '" + ranges[i].second +
              "': its data_offsets overlap those of '" + ranges[i - 1].second +
              "'";
      return false;
    }
  return true;
}

//===----------------------------------------------------------------------===//
// npz: a zip archive of .npy files, stored or deflated.
//===----------------------------------------------------------------------===//

/// Parses one .npy file: magic, version, header dict, data (which
/// `headerOnly` leaves unread: `npy` may then end anywhere after the header).
bool readNpy(llvm::StringRef npy, StoredTensor &t, bool headerOnly,
             std::string &error) {
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
  if (t.isF32 && !headerOnly) {
    int64_t bytes = f32Bytes(t.shape);
    if (bytes < 0 || (uint64_t)bytes != data.size()) {
      error = "holds " + std::to_string(data.size()) +
              " bytes of data, which does not match its shape";
      return false;
    }
    t.values.resize(bytes / 4);
    std::memcpy(t.values.data(), data.data(), bytes);
  }
  return true;
}

/// Inflates `in` to exactly `size` bytes; with `prefix`, only its first
/// `size` bytes (the stream may go on).
bool inflateRaw(llvm::StringRef in, size_t size, std::string &out,
                bool prefix = false) {
  out.resize(size);
  z_stream s{};
  if (inflateInit2(&s, -MAX_WBITS) != Z_OK)
    return false;
  s.next_in = (Bytef *)in.data();
  s.avail_in = (uInt)in.size();
  s.next_out = (Bytef *)&out[0];
  s.avail_out = (uInt)size;
  int r = inflate(&s, prefix ? Z_SYNC_FLUSH : Z_FINISH);
  inflateEnd(&s);
  if (prefix)
    return (r == Z_OK || r == Z_STREAM_END || r == Z_BUF_ERROR) &&
           s.total_out == size;
  return r == Z_STREAM_END && s.total_out == size;
}

/// Deflate expands at most 1032 times (258-byte matches coded in 2 bits).
constexpr uint64_t kMaxDeflateRatio = 1032;

bool readNpz(llvm::StringRef file, llvm::StringMap<StoredTensor> &out,
             const llvm::StringMap<uint64_t> *wanted, std::string &error) {
  // Each member's bytes, to refuse members that share them (one deflated
  // member listed under 65,535 names would inflate 65,535 times).
  std::vector<std::pair<uint64_t, uint64_t>> spans;
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
    spans.push_back({local, dataAt + compressed});
    llvm::StringRef raw = file.substr(dataAt, compressed);
    llvm::StringRef key(name);
    key.consume_back(".npy");
    if (out.count(key)) {
      error = "the archive holds '" + key.str() + "' twice";
      return false;
    }
    if (method != 0 && method != 8) {
      error = "zip entry '" + name + "' uses compression method " +
              std::to_string(method) + "; only stored and deflated are read";
      return false;
    }
    // Without `wanted`, only each member's .npy header is read. Otherwise
    // a member no param reads is listed, not read: only the model's
    // tensors are inflated, each to at most its own size and a header.
    constexpr uint64_t kNpyHeaderBytes = 1 << 16;
    if (!wanted) {
      // A member whose header does not read stays listed unread: the read
      // of the model's tensors then says what is wrong with it.
      StoredTensor t;
      std::string header, npyError;
      uint64_t headerBytes = std::min<uint64_t>(size, kNpyHeaderBytes + 12);
      bool read = true;
      if (method == 0)
        header = raw.take_front(headerBytes).str();
      else
        read = inflateRaw(raw, headerBytes, header, /*prefix=*/true);
      if (!read || !readNpy(header, t, /*headerOnly=*/true, npyError))
        t = StoredTensor{StoredTensor::kUnread};
      out[key] = std::move(t);
      continue;
    }
    auto want = wanted->find(key);
    if (want == wanted->end()) {
      out[key].dtype = StoredTensor::kUnread;
      continue;
    }
    uint64_t bound = want->second + kNpyHeaderBytes;
    std::string inflated;
    if (method == 8) {
      // Checked before anything is allocated: no more than its compressed
      // bytes can inflate to, nor than the param it holds needs.
      if (size > (uint64_t)compressed * kMaxDeflateRatio + 1024 ||
          size > bound) {
        error = "zip entry '" + name + "' claims " + std::to_string(size) +
                " bytes, more than " +
                (size > bound ? "its param and an .npy header (" +
                                    std::to_string(bound) + ")"
                              : "its " + std::to_string(compressed) +
                                    " compressed bytes can hold");
        return false;
      }
      if (!inflateRaw(raw, size, inflated)) {
        error = "zip entry '" + name + "' does not inflate (corrupt data)";
        return false;
      }
      raw = inflated;
    } else if (compressed != size) {
      error = "zip entry '" + name + "' is stored with two sizes";
      return false;
    }
    StoredTensor t;
    std::string npyError;
    if (!readNpy(raw, t, /*headerOnly=*/false, npyError)) {
      error = "entry '" + key.str() + "': " + npyError;
      return false;
    }
    out[key] = std::move(t);
  }
  std::sort(spans.begin(), spans.end());
  for (size_t i = 1; i < spans.size(); ++i)
    if (spans[i].first < spans[i - 1].second) {
      error = "corrupt zip archive: members share bytes";
      return false;
    }
  return true;
}

} // namespace

/// The file at `path`, if it is a regular file that opens.
static std::unique_ptr<llvm::MemoryBuffer> openWeights(const std::string &path,
                                                       std::string &error) {
  // A FIFO or a device would be read until it ends, perhaps never.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(path, status) &&
      status.type() != llvm::sys::fs::file_type::regular_file) {
    error = "not a regular file";
    return nullptr;
  }
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (std::error_code ec = buffer.getError()) {
    error = "cannot open: " + ec.message();
    return nullptr;
  }
  return std::move(*buffer);
}

/// readWeights, or readWeightShapes without `wanted`.
static bool read(const std::string &path, llvm::StringMap<StoredTensor> &out,
                 const llvm::StringMap<uint64_t> *wanted, std::string &error) {
  std::unique_ptr<llvm::MemoryBuffer> buffer = openWeights(path, error);
  if (!buffer)
    return false;
  llvm::StringRef file = buffer->getBuffer();
  if (file.startswith("PK"))
    return readNpz(file, out, wanted, error);
  if (llvm::StringRef(path).endswith(".npz")) {
    error = "not a zip archive (truncated or corrupt .npz?)";
    return false;
  }
  return readSafetensors(file, out, /*shapesOnly=*/!wanted, error);
}

bool nncc::readWeights(const std::string &path,
                       llvm::StringMap<StoredTensor> &out,
                       const llvm::StringMap<uint64_t> &wanted,
                       std::string &error) {
  return read(path, out, &wanted, error);
}

bool nncc::readWeightShapes(const std::string &path,
                            llvm::StringMap<StoredTensor> &out,
                            std::string &error) {
  return read(path, out, nullptr, error);
}
