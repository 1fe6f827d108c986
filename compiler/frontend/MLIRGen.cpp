//===- MLIRGen.cpp - graph language AST to the nn dialect -----------------===//
//
// Evaluates the program top to bottom as Python would, with tensors as SSA
// values and numbers, booleans and lists as compile-time values that end up
// as attributes. Calls to `def` functions are inlined.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/Generator.h"

#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"

using namespace nncc;
using namespace nncc::gen;

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
