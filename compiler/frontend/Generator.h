//===- Generator.h - the state of building one model's nn IR --*- C++ -*-===//
//
// Shared by the files of MLIRGen: MLIRGen.cpp (statements, expressions,
// calls), ModuleNames.cpp (params and modules read from the weights file)
// and Indexing.cpp (x[...]).
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_FRONTEND_GENERATOR_H
#define NNCC_FRONTEND_GENERATOR_H

#include "compiler/frontend/Builtins.h"
#include "compiler/frontend/MLIRGen.h"
#include "compiler/frontend/Value.h"
#include "compiler/frontend/WeightNames.h"
#include "dialects/nn/NNOps.h"

#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "llvm/ADT/StringMap.h"

namespace nncc {
namespace gen {
using namespace mlir;
using llvm::None;
using llvm::Optional;

/// Names visible in a function body or at the top level. A def body sees
/// its own bindings, then the top level's (as Python reads globals).
struct Scope {
  llvm::StringMap<GenValue> values;
  const Scope *parent = nullptr;

  const GenValue *lookup(llvm::StringRef name) const {
    auto it = values.find(name);
    if (it != values.end())
      return &it->second;
    return parent ? parent->lookup(name) : nullptr;
  }
};

/// What a declared input, param or output name is, for duplicate checks.
struct Declaration {
  enum Kind { Input, Param, Output } kind;
  SourceLoc loc;

  const char *describe() const {
    return kind == Input ? "an input" : kind == Param ? "a param" : "an output";
  }
};

class Generator {
public:
  Generator(MLIRContext &ctx, const Module &module, llvm::StringRef filename,
            const WeightNames &weights)
      : file{&ctx, filename.str()}, builder(&ctx), module(module),
        weights(weights) {}

  OwningOpRef<ModuleOp> generate();

private:
  bool collectDefs();
  bool declareArguments();
  /// A param's type: as declared, or the weights file's for `param NAME`.
  Optional<Type> paramType(const Stmt &stmt);
  /// The f32 tensor type of `t`, the weights file's `name`.
  Optional<Type> tensorType(llvm::StringRef name, const StoredTensor &t,
                            SourceLoc at);
  /// The tensor `name` of the weights file, a param of the model as if
  /// declared (an argument added after the declared ones), or its module.
  Optional<GenValue> weightName(llvm::StringRef name, SourceLoc at);
  /// An undefined name: `m.conv1` under a module `m` a def was passed, or
  /// a module prefix of the weights file; None if neither.
  Optional<GenValue> moduleName(llvm::StringRef name, const Scope &scope,
                                SourceLoc at, bool &failed);
  /// Binds the tensors an op reads through a module prefix given as an
  /// argument (conv2d(x, layer1.0.conv1): w and b).
  bool expandModules(BuiltinCall &c);
  bool genStatement(const Stmt &stmt, Scope &scope);
  bool genOutput(const Stmt &stmt, Scope &scope);
  bool bindName(llvm::StringRef name, SourceLoc at, Scope &scope,
                GenValue value);
  /// Binds a statement's value: to its name, or for `a, b = EXPR` each
  /// item of a list to a name. `topLevel`: names may not rebind an input
  /// or param.
  bool bindAll(const Stmt &stmt, Scope &scope, GenValue value, bool topLevel);
  Optional<GenValue> evalIndex(const Expr &e, const Scope &scope);
  /// An index's part, which must be an integer.
  Optional<int64_t> evalInteger(const Expr &e, const Scope &scope);

  Optional<GenValue> eval(const Expr &expr, const Scope &scope);
  Optional<GenValue> evalCall(const Expr &call, const Scope &scope);
  Optional<GenValue> inlineDef(const FuncDef &def, const Expr &call,
                               const Scope &scope);
  Optional<GenValue> callBuiltin(const Builtin &builtin, const Expr &call,
                                 const Scope &scope);

  InFlightDiagnostic error(SourceLoc at) { return emitError(file.loc(at)); }
  /// `error(at) << message`, with a note at `noteAt`.
  void error(SourceLoc at, const llvm::Twine &message, SourceLoc noteAt,
             const llvm::Twine &note) {
    InFlightDiagnostic diag = error(at);
    diag << message;
    diag.attachNote(file.loc(noteAt)) << note;
  }
  /// Attaches to each error raised inside a def, wherever it comes from, a
  /// note per call it is inside, innermost first.
  LogicalResult noteCalls(Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      for (auto call = calls.rbegin(); call != calls.rend(); ++call)
        diag.attachNote(file.loc(call->second))
            << "in the call to '" << call->first->name << "' here";
    return failure(); // still to be printed
  }
  void suggest(llvm::StringRef name, llvm::ArrayRef<llvm::StringRef> known,
               InFlightDiagnostic &diag);

  SourceFile file;
  OpBuilder builder;
  const Module &module;
  const WeightNames &weights;
  SmallVector<Type, 8> argTypes;
  /// Params read through module prefixes, in the order first read.
  std::vector<std::pair<std::string, SourceLoc>> implicitParams;
  llvm::StringMap<const FuncDef *> defs;
  llvm::StringMap<Declaration> declared;
  llvm::StringMap<unsigned> argumentIndex;
  std::vector<const FuncDef *> callStack;
  /// The calls being inlined, outermost first, with where each is called.
  std::vector<std::pair<const FuncDef *, SourceLoc>> calls;
  FuncOp func;
  SmallVector<Value, 4> outputs;
  SmallVector<std::string, 4> outputNames;
};

} // namespace gen
} // namespace nncc

#endif // NNCC_FRONTEND_GENERATOR_H
