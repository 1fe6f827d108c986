//===- MLIRGen.cpp - graph language AST to the nn dialect -----------------===//
//
// Evaluates the program top to bottom as Python would, with tensors as SSA
// values and numbers, booleans and lists as compile-time values that end up
// as attributes. Calls to `def` functions are inlined.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/MLIRGen.h"
#include "compiler/frontend/Builtins.h"
#include "compiler/frontend/Value.h"
#include "compiler/frontend/WeightNames.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/TensorLimits.h"

#include "mlir/Dialect/StandardOps/IR/Ops.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringMap.h"

using namespace nncc;
using namespace mlir;
using llvm::None;
using llvm::Optional;

namespace {

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

} // namespace

static constexpr unsigned kMaxCallDepth = 64;

void Generator::suggest(llvm::StringRef name,
                        llvm::ArrayRef<llvm::StringRef> known,
                        InFlightDiagnostic &diag) {
  llvm::StringRef best;
  unsigned bestDistance = 3; // only close misspellings are worth suggesting
  for (llvm::StringRef candidate : known) {
    unsigned d = name.edit_distance(candidate, true, bestDistance);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  if (!best.empty())
    diag << "; did you mean '" << best << "'?";
}

bool Generator::collectDefs() {
  for (const FuncDef &def : module.defs) {
    if (lookupBuiltin(def.name)) {
      error(def.loc) << "def '" << def.name
                     << "' has the name of a built-in operator";
      return false;
    }
    auto inserted = defs.try_emplace(def.name, &def);
    if (!inserted.second) {
      error(def.loc, "def '" + def.name + "' is defined twice",
            inserted.first->second->loc, "first definition is here");
      return false;
    }
  }
  return true;
}

Optional<Type> Generator::tensorType(llvm::StringRef name,
                                     const StoredTensor &t, SourceLoc at) {
  if (t.dtype == "unread") {
    error(at) << "'" << name << "' in " << weights.file()
              << " is corrupt: its .npy header does not read";
    return None;
  }
  if (!t.isF32) {
    error(at) << "'" << name << "' is stored as " << t.dtype << " in "
              << weights.file() << "; only f32 is read";
    return None;
  }
  int64_t elements = 1;
  for (int64_t d : t.shape)
    if (d < 1 || (elements *= d) > kMaxTensorElements) {
      error(at) << "'" << name << "' in " << weights.file()
                << " has a dimension under 1 or more than "
                << kMaxTensorElementsText;
      return None;
    }
  return Type(RankedTensorType::get(t.shape, builder.getF32Type()));
}

Optional<GenValue> Generator::weightName(llvm::StringRef name, SourceLoc at) {
  auto known = argumentIndex.find(name);
  if (known != argumentIndex.end())
    return GenValue::ofTensor(func.getArgument(known->second));
  if (const StoredTensor *t = weights.tensor(name)) {
    Optional<Type> type = tensorType(name, *t, at);
    if (!type)
      return None;
    unsigned index = argTypes.size();
    func.insertArgument(index, *type, {}, file.loc(at));
    argTypes.push_back(*type);
    argumentIndex[name] = index;
    declared.try_emplace(name, Declaration{Declaration::Param, at});
    implicitParams.push_back({name.str(), at});
    return GenValue::ofTensor(func.getArgument(index));
  }
  if (weights.isModule(name))
    return GenValue::ofModule(name.str());
  error(at) << "'" << name << "' is neither a tensor nor a module of "
            << weights.file();
  return None;
}

Optional<GenValue> Generator::moduleName(llvm::StringRef name,
                                         const Scope &scope, SourceLoc at,
                                         bool &failed) {
  auto [head, rest] = name.split('.');
  const GenValue *module = rest.empty() ? nullptr : scope.lookup(head);
  if (module && module->kind == GenValue::Kind::Module) {
    Optional<GenValue> v = weightName(module->text + "." + rest.str(), at);
    failed = !v;
    return v;
  }
  if (weights.isModule(name))
    return GenValue::ofModule(name.str());
  return None;
}

bool Generator::expandModules(BuiltinCall &c) {
  // Read from a copy: binding an argument adds to c.args.
  llvm::StringMap<BoundArg> given = c.args;
  for (const auto &entry : given) {
    const BoundArg &arg = entry.getValue();
    if (arg.value.kind != GenValue::Kind::Module)
      continue;
    const std::string &prefix = arg.value.text;
    for (const ModuleRead &read : moduleReads(c.op, entry.getKey())) {
      if (read.arg != entry.getKey() && given.count(read.arg))
        continue; // given explicitly
      std::string name = prefix + "." + read.suffix.str();
      if (!weights.tensor(name)) {
        if (!read.required)
          continue;
        error(arg.loc) << c.op << ": module '" << prefix << "' has no '"
                       << read.suffix << "' (" << name << ") in "
                       << weights.file();
        return false;
      }
      Optional<GenValue> v = weightName(name, arg.loc);
      if (!v)
        return false;
      c.args[read.arg] = BoundArg{std::move(*v), arg.loc};
    }
  }
  return true;
}

Optional<Type> Generator::paramType(const Stmt &stmt) {
  if (!stmt.type.omitted)
    return Type(RankedTensorType::get(stmt.type.dims, builder.getF32Type()));
  if (!weights.available()) {
    error(stmt.nameLoc) << "param '" << stmt.name
                        << "' has no shape: declare one ('" << stmt.name
                        << " : f32[...]') or give --weights with it";
    return None;
  }
  const StoredTensor *t = weights.tensor(stmt.name);
  if (!t) {
    error(stmt.nameLoc) << "param '" << stmt.name << "' has no shape and is "
                        << "not in " << weights.file();
    return None;
  }
  return tensorType(stmt.name, *t, stmt.nameLoc);
}

bool Generator::declareArguments() {
  // Inputs come first, then params, each in declaration order (§6).
  for (Stmt::Kind kind : {Stmt::Kind::Input, Stmt::Kind::Param}) {
    for (const Stmt &stmt : module.stmts) {
      if (stmt.kind != kind)
        continue;
      auto what =
          kind == Stmt::Kind::Input ? Declaration::Input : Declaration::Param;
      auto inserted =
          declared.try_emplace(stmt.name, Declaration{what, stmt.nameLoc});
      if (!inserted.second) {
        error(stmt.nameLoc,
              "'" + stmt.name + "' is already declared as " +
                  inserted.first->second.describe(),
              inserted.first->second.loc, "previous declaration is here");
        return false;
      }
      Optional<Type> type = paramType(stmt);
      if (!type)
        return false;
      argumentIndex[stmt.name] = argTypes.size();
      argTypes.push_back(*type);
    }
  }
  return true;
}

OwningOpRef<ModuleOp> Generator::generate() {
  ScopedDiagnosticHandler notes(file.ctx,
                                [this](Diagnostic &d) { return noteCalls(d); });
  auto moduleOp = ModuleOp::create(file.loc({1, 1}));
  OwningOpRef<ModuleOp> owner(moduleOp);
  if (!collectDefs() || !declareArguments())
    return nullptr;

  func = FuncOp::create(file.loc(module.loc), module.name,
                        builder.getFunctionType(argTypes, {}));
  moduleOp.push_back(func);
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);

  Scope top;
  for (const Stmt &stmt : module.stmts)
    if (!genStatement(stmt, top))
      return nullptr;
  if (outputs.empty()) {
    error(module.loc) << "model '" << module.name
                      << "' has no output; mark a result with 'output NAME'";
    return nullptr;
  }

  builder.create<ReturnOp>(file.loc(module.loc), outputs);
  func.setType(
      builder.getFunctionType(argTypes, ValueRange(outputs).getTypes()));
  for (const Stmt &stmt : module.stmts) {
    if (stmt.kind != Stmt::Kind::Input && stmt.kind != Stmt::Kind::Param)
      continue;
    unsigned i = argumentIndex[stmt.name];
    func.getArgument(i).setLoc(file.loc(stmt.nameLoc));
    func.setArgAttr(i, "nn.name", builder.getStringAttr(stmt.name));
    if (stmt.kind == Stmt::Kind::Param)
      func.setArgAttr(i, "nn.param", builder.getUnitAttr());
  }
  for (const auto &[name, loc] : implicitParams) {
    unsigned i = argumentIndex[name];
    func.setArgAttr(i, "nn.name", builder.getStringAttr(name));
    func.setArgAttr(i, "nn.param", builder.getUnitAttr());
  }
  for (auto it : llvm::enumerate(outputNames))
    func.setResultAttr(it.index(), "nn.name",
                       builder.getStringAttr(it.value()));

  if (failed(verify(moduleOp)))
    return nullptr;
  return owner;
}

bool Generator::bindName(llvm::StringRef name, SourceLoc at, Scope &scope,
                         GenValue value) {
  // Inputs and params are the model's arguments: rebinding one would
  // silently detach every later use from the argument. Outputs were
  // captured when marked, so their names may be rebound, as in Python.
  auto it = declared.find(name);
  if (it != declared.end() && it->second.kind != Declaration::Output) {
    error(at, "cannot rebind '" + name + "': it is " + it->second.describe(),
          it->second.loc, "declared here");
    return false;
  }
  scope.values[name] = std::move(value);
  return true;
}

bool Generator::bindAll(const Stmt &stmt, Scope &scope, GenValue value,
                        bool topLevel) {
  auto bind = [&](llvm::StringRef name, SourceLoc at, GenValue v) {
    if (topLevel)
      return bindName(name, at, scope, std::move(v));
    scope.values[name] = std::move(v);
    return true;
  };
  if (stmt.targets.empty())
    return bind(stmt.name, stmt.nameLoc, std::move(value));
  if (value.kind != GenValue::Kind::List ||
      value.items.size() != stmt.targets.size()) {
    error(stmt.nameLoc) << "cannot bind " << stmt.targets.size() << " names to "
                        << (value.kind == GenValue::Kind::List
                                ? std::to_string(value.items.size()) + " values"
                                : value.describe());
    return false;
  }
  for (size_t i = 0; i < stmt.targets.size(); ++i)
    if (!bind(stmt.targets[i].first, stmt.targets[i].second,
              std::move(value.items[i])))
      return false;
  return true;
}

bool Generator::genStatement(const Stmt &stmt, Scope &scope) {
  switch (stmt.kind) {
  case Stmt::Kind::Input:
  case Stmt::Kind::Param:
    if (scope.values.count(stmt.name)) {
      error(stmt.nameLoc) << "'" << stmt.name
                          << "' is already bound to a value above";
      return false;
    }
    scope.values[stmt.name] =
        GenValue::ofTensor(func.getArgument(argumentIndex[stmt.name]));
    return true;
  case Stmt::Kind::Bind: {
    Optional<GenValue> value = eval(*stmt.value, scope);
    return value && bindAll(stmt, scope, std::move(*value), /*topLevel=*/true);
  }
  case Stmt::Kind::Output:
    return genOutput(stmt, scope);
  case Stmt::Kind::Return:
    break; // handled by inlineDef; the parser allows it nowhere else
  }
  return false;
}

bool Generator::genOutput(const Stmt &stmt, Scope &scope) {
  auto inserted = declared.try_emplace(
      stmt.name, Declaration{Declaration::Output, stmt.nameLoc});
  if (!inserted.second) {
    error(stmt.nameLoc,
          "'" + stmt.name + "' is already declared as " +
              inserted.first->second.describe(),
          inserted.first->second.loc, "previous declaration is here");
    return false;
  }
  Optional<GenValue> value;
  if (stmt.value) {
    value = eval(*stmt.value, scope);
    if (!value)
      return false;
    scope.values[stmt.name] = *value;
  } else if (const GenValue *bound = scope.lookup(stmt.name)) {
    value = *bound;
  } else {
    error(stmt.nameLoc) << "undefined name '" << stmt.name << "'";
    return false;
  }
  if (value->kind != GenValue::Kind::Tensor) {
    error(stmt.nameLoc) << "output '" << stmt.name << "' must be a tensor, got "
                        << value->describe();
    return false;
  }
  outputs.push_back(value->tensor);
  outputNames.push_back(stmt.name);
  return true;
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

Optional<GenValue> Generator::eval(const Expr &e, const Scope &scope) {
  switch (e.kind) {
  case Expr::Kind::Integer:
    return GenValue::ofInt(e.intValue);
  case Expr::Kind::Float:
    return GenValue::ofFloat(e.floatValue);
  case Expr::Kind::Bool:
    return GenValue::ofBool(e.boolValue);
  case Expr::Kind::String:
    return GenValue::ofString(e.name);
  case Expr::Kind::Name: {
    if (const GenValue *v = scope.lookup(e.name))
      return *v;
    bool failed = false;
    if (Optional<GenValue> v = moduleName(e.name, scope, e.loc, failed))
      return v;
    if (failed)
      return None;
    auto diag = error(e.loc);
    diag << "undefined name '" << e.name << "'";
    std::vector<llvm::StringRef> known;
    for (const Scope *s = &scope; s; s = s->parent)
      for (const auto &entry : s->values)
        known.push_back(entry.getKey());
    suggest(e.name, known, diag);
    return None;
  }
  case Expr::Kind::List: {
    std::vector<GenValue> items;
    for (const ExprPtr &item : e.operands) {
      Optional<GenValue> v = eval(*item, scope);
      if (!v)
        return None;
      items.push_back(std::move(*v));
    }
    return GenValue::ofList(std::move(items));
  }
  case Expr::Kind::Negate: {
    Optional<GenValue> v = eval(*e.operands[0], scope);
    if (!v)
      return None;
    if (v->kind == GenValue::Kind::Integer) {
      if (v->intValue == std::numeric_limits<int64_t>::min()) {
        error(e.loc) << "integer overflow in '-'";
        return None;
      }
      return GenValue::ofInt(-v->intValue);
    }
    if (v->kind == GenValue::Kind::Float)
      return GenValue::ofFloat(-v->floatValue);
    if (v->kind != GenValue::Kind::Tensor) {
      error(e.loc) << "'-' cannot negate " << v->describe();
      return None;
    }
    Value neg =
        nn::buildChecked<nn::NegOp>(builder, file.loc(e.loc), {v->tensor}, {});
    return GenValue::ofTensor(neg);
  }
  case Expr::Kind::Binary: {
    Optional<GenValue> l = eval(*e.operands[0], scope);
    if (!l)
      return None;
    Optional<GenValue> r = eval(*e.operands[1], scope);
    if (!r)
      return None;
    return applyInfix(builder, file, e.op, *l, *r, e.loc);
  }
  case Expr::Kind::Call:
    return evalCall(e, scope);
  case Expr::Kind::Index:
    return evalIndex(e, scope);
  }
  return None;
}

Optional<int64_t> Generator::evalInteger(const Expr &e, const Scope &scope) {
  Optional<GenValue> v = eval(e, scope);
  if (!v)
    return None;
  if (v->kind != GenValue::Kind::Integer) {
    error(e.loc) << "an index must be an integer, got " << v->describe();
    return None;
  }
  return v->intValue;
}

Optional<GenValue> Generator::evalIndex(const Expr &e, const Scope &scope) {
  Optional<GenValue> base = eval(*e.operands[0], scope);
  if (!base)
    return None;
  // The results of split and chunk: list[i].
  if (base->kind == GenValue::Kind::List && e.indices.size() == 1 &&
      e.indices[0].kind == IndexItem::Kind::Single) {
    Optional<int64_t> i = evalInteger(*e.indices[0].start, scope);
    int64_t n = base->items.size();
    if (i && *i < 0)
      *i += n;
    if (i && (*i < 0 || *i >= n))
      error(e.indices[0].loc) << "index is out of range for a list of " << n;
    if (!i || *i < 0 || *i >= n)
      return None;
    return base->items[*i];
  }
  if (base->kind != GenValue::Kind::Tensor) {
    error(e.loc) << "only tensors and lists can be indexed, not "
                 << base->describe();
    return None;
  }
  Value x = base->tensor;
  ArrayRef<int64_t> shape = x.getType().cast<ShapedType>().getShape();
  int64_t rank = shape.size();
  int64_t explicitDims = 0, ellipses = 0;
  for (const IndexItem &item : e.indices)
    (item.kind == IndexItem::Kind::Ellipsis ? ellipses : explicitDims) += 1;
  if (ellipses > 1 || explicitDims > rank) {
    error(e.loc) << (ellipses > 1 ? "an index may hold one '...'"
                                  : "too many indices for a " +
                                        std::to_string(rank) + "-D tensor");
    return None;
  }
  // Python's basic indexing: an integer selects (and drops) a dimension; a
  // slice start:stop:step (step >= 1) keeps it, its bounds clamped.
  SmallVector<int64_t, 4> kept;
  int64_t dim = 0;
  Location loc = file.loc(e.loc);
  for (const IndexItem &item : e.indices) {
    if (item.kind == IndexItem::Kind::Ellipsis) {
      for (int64_t end = dim + rank - explicitDims; dim < end; ++dim)
        kept.push_back(shape[dim]);
      continue;
    }
    int64_t size = shape[dim], start = 0, stop = size, step = 1;
    auto bound = [&](const ExprPtr &part, int64_t &out) {
      if (!part)
        return true;
      Optional<int64_t> v = evalInteger(*part, scope);
      if (v)
        out = *v < 0 ? std::max<int64_t>(*v + size, 0) : std::min(*v, size);
      return v.hasValue();
    };
    if (item.kind == IndexItem::Kind::Single) {
      Optional<int64_t> i = evalInteger(*item.start, scope);
      if (!i)
        return None;
      start = *i < 0 ? *i + size : *i;
      if (start < 0 || start >= size) {
        error(item.loc) << "index " << *i << " is out of range for dimension "
                        << dim << " of size " << size;
        return None;
      }
      stop = start + 1;
    } else {
      if (item.step) {
        Optional<int64_t> s = evalInteger(*item.step, scope);
        if (!s)
          return None;
        if (*s < 1) {
          error(item.step->loc)
              << "a slice's step must be positive, got " << *s;
          return None;
        }
        step = *s;
      }
      if (!bound(item.start, start) || !bound(item.stop, stop))
        return None;
      if (start >= stop) {
        error(item.loc) << "the slice selects nothing from dimension " << dim
                        << " of size " << size;
        return None;
      }
      kept.push_back((stop - start + step - 1) / step);
    }
    if (start != 0 || stop != size || step != 1)
      x = nn::buildChecked<nn::SliceOp>(
          builder, loc, {x},
          {builder.getNamedAttr("axis", builder.getI64IntegerAttr(dim)),
           builder.getNamedAttr("start", builder.getI64IntegerAttr(start)),
           builder.getNamedAttr("end", builder.getI64IntegerAttr(stop)),
           builder.getNamedAttr("step", builder.getI64IntegerAttr(step))});
    if (!x)
      return None;
    ++dim;
  }
  for (; dim < rank; ++dim)
    kept.push_back(shape[dim]);
  if ((int64_t)kept.size() != rank)
    x = nn::buildReshape(builder, loc, x, kept);
  return GenValue::ofTensor(x);
}

Optional<GenValue> Generator::evalCall(const Expr &call, const Scope &scope) {
  auto def = defs.find(call.name);
  if (def != defs.end())
    return inlineDef(*def->second, call, scope);
  if (const Builtin *builtin = lookupBuiltin(call.name))
    return callBuiltin(*builtin, call, scope);
  auto diag = error(call.loc);
  diag << "unknown operator '" << call.name << "'";
  std::vector<llvm::StringRef> known = builtinNames();
  for (const auto &entry : defs)
    known.push_back(entry.getKey());
  suggest(call.name, known, diag);
  return None;
}

/// Matches a call's arguments to parameter names as Python does: positional
/// ones in order, then keywords by name.
template <typename Emit>
static bool bindArguments(const Expr &call,
                          llvm::ArrayRef<llvm::StringRef> params,
                          llvm::StringRef what, Emit &&emitError,
                          llvm::StringMap<const Expr *> &bound,
                          llvm::StringMap<SourceLoc> &locs) {
  if (call.operands.size() > params.size()) {
    emitError(call.operands[params.size()]->loc)
        << what << " takes " << params.size() << " argument"
        << (params.size() == 1 ? "" : "s") << " but " << call.operands.size()
        << " positional arguments were given";
    return false;
  }
  for (size_t i = 0; i < call.operands.size(); ++i) {
    bound[params[i]] = call.operands[i].get();
    locs[params[i]] = call.operands[i]->loc;
  }
  for (const KeywordArg &kw : call.keywords) {
    if (!llvm::is_contained(params, kw.name)) {
      auto diag = emitError(kw.loc);
      diag << what << " has no argument '" << kw.name << "' (it takes ";
      llvm::interleaveComma(params, diag);
      diag << ")";
      return false;
    }
    if (bound.count(kw.name)) {
      emitError(kw.loc) << what << ": argument '" << kw.name
                        << "' is given both by position and by name";
      return false;
    }
    bound[kw.name] = kw.value.get();
    locs[kw.name] = kw.value->loc;
  }
  return true;
}

Optional<GenValue> Generator::callBuiltin(const Builtin &builtin,
                                          const Expr &call,
                                          const Scope &scope) {
  llvm::StringMap<const Expr *> bound;
  llvm::StringMap<SourceLoc> locs;
  if (!bindArguments(
          call, builtin.params, call.name,
          [&](SourceLoc at) { return error(at); }, bound, locs))
    return None;
  BuiltinCall c(builder, file, call.name, call.loc);
  // Evaluate in source order so that ops appear in the order written.
  for (llvm::StringRef param : builtin.params) {
    auto it = bound.find(param);
    if (it == bound.end())
      continue;
    Optional<GenValue> v = eval(*it->second, scope);
    if (!v)
      return None;
    c.args[param] = BoundArg{std::move(*v), locs[param]};
  }
  if (!expandModules(c))
    return None;
  return builtin.build(c);
}

Optional<GenValue> Generator::inlineDef(const FuncDef &def, const Expr &call,
                                        const Scope &scope) {
  if (llvm::is_contained(callStack, &def)) {
    error(call.loc) << "recursive call to '" << def.name
                    << "'; defs are inlined, so they cannot recurse";
    return None;
  }
  if (callStack.size() >= kMaxCallDepth) {
    error(call.loc) << "calls are nested more than " << kMaxCallDepth
                    << " deep";
    return None;
  }
  std::vector<llvm::StringRef> params;
  for (const auto &p : def.params)
    params.push_back(p.first);
  llvm::StringMap<const Expr *> bound;
  llvm::StringMap<SourceLoc> locs;
  if (!bindArguments(
          call, params, "'" + def.name + "'",
          [&](SourceLoc at) { return error(at); }, bound, locs))
    return None;

  // The body sees its parameters and the top-level names, not the caller's.
  Scope local;
  for (local.parent = &scope; local.parent->parent;)
    local.parent = local.parent->parent;
  for (llvm::StringRef param : params) {
    auto it = bound.find(param);
    if (it == bound.end()) {
      error(call.loc) << "missing argument '" << param << "' in call to '"
                      << def.name << "'";
      return None;
    }
    Optional<GenValue> v = eval(*it->second, scope);
    if (!v)
      return None;
    local.values[param] = std::move(*v);
  }

  callStack.push_back(&def);
  calls.push_back({&def, call.loc});
  auto pop = llvm::make_scope_exit([&] {
    callStack.pop_back();
    calls.pop_back();
  });
  for (const Stmt &stmt : def.body) {
    Optional<GenValue> v = eval(*stmt.value, local);
    if (!v)
      return None;
    if (stmt.kind == Stmt::Kind::Return)
      return v;
    if (!bindAll(stmt, local, std::move(*v), /*topLevel=*/false))
      return None;
  }
  return None; // the parser guarantees a final return
}

OwningOpRef<ModuleOp> nncc::mlirGen(MLIRContext &context, const Module &module,
                                    llvm::StringRef filename,
                                    const WeightNames &weights) {
  context.getOrLoadDialect<nn::NNDialect>();
  context.getOrLoadDialect<StandardOpsDialect>();
  return Generator(context, module, filename, weights).generate();
}
