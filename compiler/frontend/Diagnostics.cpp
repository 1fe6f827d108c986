//===- Diagnostics.cpp - printing located errors --------------------------===//

#include "compiler/frontend/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/ConvertUTF.h"

using namespace nncc;
using namespace mlir;

SourceDiagnosticPrinter::SourceDiagnosticPrinter(MLIRContext &context,
                                                 llvm::StringRef filename,
                                                 llvm::StringRef source,
                                                 llvm::raw_ostream &os)
    : context(context), filename(filename.str()), source(source), os(os) {
  id = context.getDiagEngine().registerHandler([this](Diagnostic &diag) {
    print(diag);
    for (Diagnostic &note : diag.getNotes())
      print(note);
    return success();
  });
}

SourceDiagnosticPrinter::~SourceDiagnosticPrinter() {
  context.getDiagEngine().eraseHandler(id);
}

static const char *severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

void SourceDiagnosticPrinter::print(Diagnostic &diag) {
  auto fileLoc = diag.getLocation().dyn_cast<FileLineColLoc>();
  // An ONNX node is located by name: `model.onnx: node "Conv_1" (Conv)`.
  auto nameLoc = diag.getLocation().dyn_cast<NameLoc>();
  if (fileLoc)
    os << fileLoc.getFilename().getValue() << ':' << fileLoc.getLine() << ':'
       << fileLoc.getColumn() << ": ";
  else if (nameLoc)
    os << nameLoc.getName().getValue() << ": ";
  else
    os << filename << ": ";
  os << severityName(diag.getSeverity()) << ": " << diag << '\n';
  if (fileLoc && fileLoc.getFilename().getValue() == filename)
    printSourceLine(fileLoc.getLine(), fileLoc.getColumn());
  os.flush();
}

void SourceDiagnosticPrinter::printSourceLine(unsigned line, unsigned col) {
  size_t begin = 0;
  for (unsigned l = 1; l < line && begin != llvm::StringRef::npos; ++l) {
    begin = source.find('\n', begin);
    if (begin != llvm::StringRef::npos)
      ++begin;
  }
  if (begin == llvm::StringRef::npos || begin > source.size())
    return;
  llvm::StringRef text = source.substr(begin).split('\n').first.rtrim("\r");
  size_t caret = std::min<size_t>(col ? col - 1 : 0, text.size());

  // Show at most kWidth bytes around the caret.
  constexpr size_t kWidth = 100;
  size_t from = caret > kWidth / 2 ? caret - kWidth / 2 : 0;
  llvm::StringRef shown = text.substr(from, kWidth);
  llvm::StringRef prefix = from ? "..." : "";
  os << prefix;
  // A binary file's bytes would garble the terminal: show them as '?'.
  for (size_t i = 0; i < shown.size();) {
    auto *p = reinterpret_cast<const llvm::UTF8 *>(shown.data() + i);
    unsigned len = llvm::getNumBytesForUTF8(*p);
    if (*p >= 0x80 && i + len <= shown.size() &&
        llvm::isLegalUTF8Sequence(p, p + len)) {
      os << shown.substr(i, len);
      i += len;
      continue;
    }
    os << (*p == '\t' || (*p >= 0x20 && *p < 0x7f) ? (char)*p : '?');
    ++i;
  }
  os << (from + shown.size() < text.size() ? "..." : "") << '\n'
     << std::string(prefix.size(), ' ');
  // Keep tabs so that the caret lines up; count a UTF-8 sequence once.
  for (char c : shown.take_front(caret - from))
    if (((unsigned char)c & 0xC0) != 0x80)
      os << (c == '\t' ? '\t' : ' ');
  os << "^\n";
}
