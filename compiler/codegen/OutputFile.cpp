//===- OutputFile.cpp - writing the files nncc produces -------------------===//

#include "compiler/codegen/OutputFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

using namespace llvm;

/// Writes all of `bytes` to `fd`, retrying short writes.
static std::error_code writeAll(int fd, StringRef bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return std::error_code(n < 0 ? errno : EIO, std::generic_category());
    bytes = bytes.drop_front(n);
  }
  return {};
}

bool nncc::writeOutput(const std::string &path, StringRef bytes,
                       std::string &error) {
  auto failed = [&](std::error_code ec) {
    error = (path == "-" ? std::string("cannot write to standard output")
                         : "cannot write '" + path + "'") +
            ": " + ec.message();
    return false;
  };
  if (path == "-") {
    std::error_code ec = writeAll(STDOUT_FILENO, bytes);
    return ec ? failed(ec) : true;
  }
  // Through a symlink, the file it names is the one replaced.
  SmallString<128> target(path);
  if (sys::fs::is_symlink_file(path))
    sys::fs::real_path(path, target);
  sys::fs::file_status status;
  bool exists = !sys::fs::status(target, status);
  if (exists && status.type() != sys::fs::file_type::regular_file) {
    int fd;
    if (std::error_code ec = sys::fs::openFileForWrite(
            target, fd, sys::fs::CD_OpenExisting, sys::fs::OF_None))
      return failed(ec);
    std::error_code ec = writeAll(fd, bytes);
    if (::close(fd) && !ec)
      ec = std::error_code(errno, std::generic_category());
    return ec ? failed(ec) : true;
  }
  SmallString<128> model(target);
  sys::path::remove_filename(model);
  sys::path::append(model, "." + sys::path::filename(target) + ".tmp%%%%%%");
  int fd;
  SmallString<128> temp;
  if (std::error_code ec = sys::fs::createUniqueFile(model, fd, temp))
    return failed(ec);
  std::error_code ec = writeAll(fd, bytes);
  if (::close(fd) && !ec)
    ec = std::error_code(errno, std::generic_category());
  if (!ec)
    ec = sys::fs::rename(temp, target);
  if (ec) {
    sys::fs::remove(temp);
    return failed(ec);
  }
  return true;
}
