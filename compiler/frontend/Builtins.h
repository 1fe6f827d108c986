//===- Builtins.h - the operators of the graph language ---------*- C++ -*-===//
#ifndef NNCC_FRONTEND_BUILTINS_H
#define NNCC_FRONTEND_BUILTINS_H

#include "compiler/frontend/Value.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringMap.h"

#include <array>
#include <functional>

namespace nncc {

struct BoundArg {
  GenValue value;
  SourceLoc loc;
};

/// One call of a built-in operator with its arguments bound to parameter
/// names. Accessors convert an argument to what the op needs (reporting a
/// located error and marking the call failed when it cannot), apply the
/// language's defaults, and normalise negative axes.
class BuiltinCall {
public:
  BuiltinCall(mlir::OpBuilder &builder, const SourceFile &file,
              llvm::StringRef op, SourceLoc at)
      : builder(builder), file(file), op(op), at(at) {}

  llvm::StringMap<BoundArg> args;

  bool has(llvm::StringRef name) const { return args.count(name); }
  mlir::Value tensor(llvm::StringRef name);
  mlir::Value optionalTensor(llvm::StringRef name);
  /// An i32 input's indices (GenValue::Kind::Indices).
  mlir::Value indices(llvm::StringRef name);
  llvm::SmallVector<mlir::Value, 4> tensors(llvm::StringRef name);
  int64_t integer(llvm::StringRef name, llvm::Optional<int64_t> byDefault = {});
  llvm::SmallVector<int64_t, 4> integers(llvm::StringRef name);
  std::array<int64_t, 2>
  pair(llvm::StringRef name,
       llvm::Optional<std::array<int64_t, 2>> byDefault = {});
  double real(llvm::StringRef name, llvm::Optional<double> byDefault = {});
  bool boolean(llvm::StringRef name, bool byDefault);
  /// A convolution's `padding` along one dimension (`index` of a pair; -1:
  /// a single integer), before and after: as given, or for "valid" 0 and
  /// for "same" what keeps the length at stride 1 for `kernel` and
  /// `dilation` (one more after than before where the total is odd).
  std::array<int64_t, 2> convPadding(int64_t kernel, int64_t stride,
                                     int64_t dilation, int index = -1);
  /// `x` with `extra[i]` zeros after each of its last extra.size()
  /// dimensions: what a convolution's symmetric padding leaves out of an
  /// uneven padding="same".
  mlir::Value padAfter(mlir::Value x, llvm::ArrayRef<int64_t> extra);
  /// One of the strings `allowed`, `byDefault` when the argument is absent.
  llvm::StringRef choice(llvm::StringRef name,
                         llvm::ArrayRef<llvm::StringRef> allowed,
                         llvm::StringRef byDefault);
  /// An axis of a rank-`rank` tensor; -rank..-1 count from the end.
  /// One axis or a list of them, negative ones counted from the end.
  llvm::SmallVector<int64_t, 4> axes(llvm::StringRef name, int64_t rank);
  int64_t axis(llvm::StringRef name, int64_t rank,
               llvm::Optional<int64_t> byDefault = {});

  mlir::NamedAttribute attr(llvm::StringRef name, int64_t v);
  mlir::NamedAttribute attr(llvm::StringRef name, llvm::ArrayRef<int64_t> v);
  mlir::NamedAttribute attr(llvm::StringRef name, double v);
  mlir::NamedAttribute attr(llvm::StringRef name, bool v);

  /// Builds the op unless an accessor failed; its shape function reports
  /// shape errors at the call.
  template <typename OpTy>
  llvm::Optional<GenValue> build(llvm::ArrayRef<mlir::Value> operands,
                                 llvm::ArrayRef<mlir::NamedAttribute> attrs);
  /// Reports `op: message` at `where` (the first error only).
  void error(SourceLoc where, const llvm::Twine &message);
  /// The argument `name`, or null (an error when it is `required`).
  const BoundArg *get(llvm::StringRef name, bool required);

  mlir::OpBuilder &builder;
  const SourceFile &file;
  llvm::StringRef op;
  SourceLoc at;
  bool failed = false;

private:
  bool checkKind(const BoundArg &arg, bool ok, llvm::StringRef expected);
  /// The argument `name`'s tensor if it is of `kind` (`what` names it).
  mlir::Value tensorOfKind(llvm::StringRef name, GenValue::Kind kind,
                           llvm::StringRef what);
};

struct Builtin {
  std::vector<llvm::StringRef> params; // positional order; all may be keywords
  std::function<llvm::Optional<GenValue>(BuiltinCall &)> build;
};

/// The operator table of LANGUAGE.md §5, or null for an unknown name.
const Builtin *lookupBuiltin(llvm::StringRef name);
/// All operator names, for "did you mean" suggestions.
std::vector<llvm::StringRef> builtinNames();

} // namespace nncc

#endif // NNCC_FRONTEND_BUILTINS_H
