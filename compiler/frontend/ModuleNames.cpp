//===- ModuleNames.cpp - params and modules read from the weights file ----===//
//
// A param declared without a shape takes the weights file's; a module
// prefix stands for the tensors under it, as an op's weights or a def's
// argument; the tensors so named become params as if declared.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/Generator.h"
#include "dialects/nn/TensorLimits.h"

using namespace nncc;
using namespace nncc::gen;

Optional<Type> Generator::tensorType(llvm::StringRef name,
                                     const StoredTensor &t, SourceLoc at) {
  if (t.unread()) {
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
  if (stmt.type.int32 && stmt.kind == Stmt::Kind::Param) {
    error(stmt.type.loc) << "param '" << stmt.name
                         << "' must be f32; i32 is for index inputs";
    return None;
  }
  if (!stmt.type.omitted)
    return Type(RankedTensorType::get(
        stmt.type.dims,
        stmt.type.int32 ? Type(builder.getI32Type()) : builder.getF32Type()));
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
