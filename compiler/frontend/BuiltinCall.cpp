//===- BuiltinCall.cpp - reading an operator's arguments ------------------===//
//
// The accessors through which each operator of the table reads its
// arguments: each checks the kind of value given, applies a default where
// one is missing, and reports a located error otherwise.
//
//===----------------------------------------------------------------------===//

#include "compiler/frontend/BuiltinTable.h"

#include <limits>

using namespace nncc;
using namespace mlir;
using llvm::None;
using llvm::Optional;

void BuiltinCall::error(SourceLoc where, const llvm::Twine &message) {
  if (!failed)
    emitError(file.loc(where)) << op << ": " << message;
  failed = true;
}

const BoundArg *BuiltinCall::get(llvm::StringRef name, bool required) {
  auto it = args.find(name);
  if (it != args.end())
    return &it->second;
  if (required)
    error(at, "missing argument '" + name + "'");
  return nullptr;
}

bool BuiltinCall::checkKind(const BoundArg &arg, bool ok,
                            llvm::StringRef expected) {
  if (!ok)
    error(arg.loc, "expected " + expected + ", got " + arg.value.describe());
  return ok && !failed;
}

Value BuiltinCall::tensorOfKind(llvm::StringRef name, GenValue::Kind kind,
                                llvm::StringRef what) {
  const BoundArg *arg = get(name, true);
  if (!arg || !checkKind(*arg, arg->value.kind == kind,
                         (what + " for '" + name + "'").str()))
    return {};
  return arg->value.tensor;
}

Value BuiltinCall::tensor(llvm::StringRef name) {
  return tensorOfKind(name, GenValue::Kind::Tensor, "a tensor");
}

Value BuiltinCall::indices(llvm::StringRef name) {
  return tensorOfKind(name, GenValue::Kind::Indices, "an i32 input");
}

Value BuiltinCall::optionalTensor(llvm::StringRef name) {
  return has(name) ? tensor(name) : Value();
}

SmallVector<Value, 4> BuiltinCall::tensors(llvm::StringRef name) {
  SmallVector<Value, 4> out;
  const BoundArg *arg = get(name, true);
  std::string expected =
      ("a non-empty list of tensors for '" + name + "'").str();
  if (!arg || !checkKind(*arg,
                         arg->value.kind == GenValue::Kind::List &&
                             !arg->value.items.empty(),
                         expected))
    return out;
  for (const GenValue &item : arg->value.items) {
    if (item.kind != GenValue::Kind::Tensor) {
      error(arg->loc,
            "expected " + expected + ", but an item is " + item.describe());
      return {};
    }
    out.push_back(item.tensor);
  }
  return out;
}

/// Integer attributes are bounded so that shape arithmetic cannot overflow.
static bool inRange(int64_t v) {
  return std::abs(v) <= std::numeric_limits<int32_t>::max();
}

int64_t BuiltinCall::integer(llvm::StringRef name,
                             Optional<int64_t> byDefault) {
  const BoundArg *arg = get(name, !byDefault);
  if (!arg)
    return byDefault.getValueOr(0);
  if (!checkKind(*arg, arg->value.kind == GenValue::Kind::Integer,
                 ("an integer for '" + name + "'").str()))
    return 0;
  if (!inRange(arg->value.intValue)) {
    error(arg->loc, "'" + name + "' = " + std::to_string(arg->value.intValue) +
                        " is out of range");
    return 0;
  }
  return arg->value.intValue;
}

SmallVector<int64_t, 4> BuiltinCall::integers(llvm::StringRef name) {
  SmallVector<int64_t, 4> out;
  const BoundArg *arg = get(name, true);
  std::string expected = ("a list of integers for '" + name + "'").str();
  if (!arg ||
      !checkKind(*arg, arg->value.kind == GenValue::Kind::List, expected))
    return out;
  for (const GenValue &item : arg->value.items) {
    if (item.kind != GenValue::Kind::Integer || !inRange(item.intValue)) {
      error(arg->loc,
            "expected " + expected + ", but an item is " +
                (item.kind == GenValue::Kind::Integer ? "out of range"
                                                      : item.describe()));
      return {};
    }
    out.push_back(item.intValue);
  }
  return out;
}

std::array<int64_t, 2>
BuiltinCall::pair(llvm::StringRef name,
                  Optional<std::array<int64_t, 2>> byDefault) {
  const BoundArg *arg = get(name, !byDefault);
  if (!arg)
    return byDefault.getValueOr(std::array<int64_t, 2>{0, 0});
  if (arg->value.kind == GenValue::Kind::Integer) {
    int64_t v = integer(name);
    return {v, v};
  }
  bool isPair =
      arg->value.kind == GenValue::Kind::List && arg->value.items.size() == 2;
  if (!checkKind(*arg, isPair,
                 ("an integer or a list [h, w] for '" + name + "'").str()))
    return {0, 0};
  SmallVector<int64_t, 4> v = integers(name);
  return failed ? std::array<int64_t, 2>{0, 0}
                : std::array<int64_t, 2>{v[0], v[1]};
}

double BuiltinCall::real(llvm::StringRef name, Optional<double> byDefault) {
  const BoundArg *arg = get(name, !byDefault);
  if (!arg)
    return byDefault.getValueOr(0);
  if (!checkKind(*arg, arg->value.isNumber(),
                 ("a number for '" + name + "'").str()))
    return 0;
  return arg->value.number();
}

bool BuiltinCall::boolean(llvm::StringRef name, bool byDefault) {
  const BoundArg *arg = get(name, false);
  if (!arg)
    return byDefault;
  if (!checkKind(*arg, arg->value.kind == GenValue::Kind::Bool,
                 ("true or false for '" + name + "'").str()))
    return false;
  return arg->value.boolValue;
}

std::array<int64_t, 2> BuiltinCall::convPadding(int64_t kernel, int64_t stride,
                                                int64_t dilation, int index) {
  const BoundArg *arg = get("padding", false);
  if (!arg || arg->value.kind != GenValue::Kind::String) {
    int64_t p =
        index < 0 ? integer("padding", 0) : pair("padding", {{0, 0}})[index];
    return {p, p};
  }
  if (choice("padding", {"same", "valid"}, "valid") == "valid")
    return {0, 0};
  // "same": PyTorch pads (total / 2) before and the rest after.
  int64_t total = dilation * (kernel - 1);
  if (stride != 1)
    error(arg->loc,
          "padding=\"same\" needs stride 1, got " + std::to_string(stride));
  return {total / 2, total - total / 2};
}

Value BuiltinCall::padAfter(Value x, llvm::ArrayRef<int64_t> extra) {
  // A wrong rank is the convolution's error to report.
  if (failed || rankOf(x) < (int64_t)extra.size() ||
      llvm::all_of(extra, [](int64_t e) { return e == 0; }))
    return x;
  SmallVector<int64_t, 8> pads(2 * (rankOf(x) - extra.size()), 0);
  for (int64_t e : extra)
    pads.append({0, e});
  Optional<GenValue> padded = build<nn::PadOp>(
      {x}, {attr("pads", pads),
            builder.getNamedAttr("mode", builder.getStringAttr("constant")),
            attr("value", 0.0)});
  return padded ? padded->tensor : Value();
}

llvm::StringRef BuiltinCall::choice(llvm::StringRef name,
                                    llvm::ArrayRef<llvm::StringRef> allowed,
                                    llvm::StringRef byDefault) {
  const BoundArg *arg = get(name, false);
  if (!arg)
    return byDefault;
  std::string expected;
  llvm::raw_string_ostream os(expected);
  os << "one of ";
  llvm::interleave(
      allowed, os, [&](llvm::StringRef s) { os << '"' << s << '"'; }, ", ");
  os << " for '" << name << "'";
  const GenValue &v = arg->value;
  if (!checkKind(*arg,
                 v.kind == GenValue::Kind::String &&
                     llvm::is_contained(allowed, v.text),
                 os.str()))
    return byDefault;
  return v.text;
}

int64_t BuiltinCall::axis(llvm::StringRef name, int64_t rank,
                          Optional<int64_t> byDefault) {
  int64_t v = integer(name, byDefault);
  // Out-of-range values are kept as written for the shape function's message.
  return v < 0 && v >= -rank ? v + rank : v;
}

SmallVector<int64_t, 4> BuiltinCall::axes(llvm::StringRef name, int64_t rank) {
  const BoundArg *arg = get(name, true);
  if (!arg)
    return {};
  SmallVector<int64_t, 4> out;
  if (arg->value.kind == GenValue::Kind::Integer)
    out.push_back(integer(name));
  else if (checkKind(
               *arg, arg->value.kind == GenValue::Kind::List,
               ("an integer or a list of integers for '" + name + "'").str()))
    out = integers(name);
  for (int64_t &v : out)
    v = v < 0 && v >= -rank ? v + rank : v;
  return out;
}

NamedAttribute BuiltinCall::attr(llvm::StringRef name, int64_t v) {
  return builder.getNamedAttr(name, builder.getI64IntegerAttr(v));
}
NamedAttribute BuiltinCall::attr(llvm::StringRef name, ArrayRef<int64_t> v) {
  return builder.getNamedAttr(name, builder.getI64ArrayAttr(v));
}
NamedAttribute BuiltinCall::attr(llvm::StringRef name, double v) {
  return builder.getNamedAttr(name, builder.getF64FloatAttr(v));
}
NamedAttribute BuiltinCall::attr(llvm::StringRef name, bool v) {
  return builder.getNamedAttr(name, builder.getBoolAttr(v));
}
