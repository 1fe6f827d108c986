//===- HLBuilder.cpp - building hl funcs for one nn op --------------------===//

#include "compiler/conversion/NNToHL/HLBuilder.h"

#include "mlir/Dialect/Arithmetic/IR/Arithmetic.h"

using namespace mlir;
using namespace nncc;

std::vector<std::string> nncc::varNames(size_t rank) {
  if (rank == 4)
    return {"n", "c", "y", "x"};
  std::vector<std::string> names;
  for (size_t i = 0; i < rank; ++i)
    names.push_back("d" + std::to_string(i));
  return names;
}

Block *HLBuilder::body(Region &region, size_t numArgs) {
  SmallVector<Type, 8> types(numArgs, b.getI32Type());
  SmallVector<Location, 8> locs(numArgs, loc);
  return b.createBlock(&region, region.end(), types, locs);
}

HLBuilder::Ref HLBuilder::func(StringRef name, ArrayRef<int64_t> shape,
                               PureBody bodyFn, ArrayRef<StringRef> names) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(&pipeline.getBody().front());
  std::vector<std::string> vars = varNames(shape.size());
  std::vector<StringRef> varRefs(vars.begin(), vars.end());
  if (!names.empty())
    varRefs.assign(names.begin(), names.end());
  auto f = b.create<hl::FuncOp>(loc, name, b.getStrArrayAttr(varRefs),
                                b.getI64ArrayAttr(shape));
  symbols.insert(f); // renames on a clash
  Block *block = body(f.getBody(), shape.size());
  b.setInsertionPointToStart(block);
  Value value = bodyFn(block->getArguments());
  b.create<hl::YieldOp>(loc, value, ValueRange(), Value());
  return FlatSymbolRefAttr::get(f.getSymNameAttr());
}

void HLBuilder::update(Ref f, ArrayRef<StringRef> rvars,
                       ArrayRef<int64_t> extents, UpdateBody bodyFn,
                       UpdateBody where) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(&pipeline.getBody().front());
  auto func = symbols.lookup<hl::FuncOp>(f.getValue());
  size_t rank = func.getVars().size();
  // Loop variables are named, and schedules refer to them by name: a
  // reduction variable may not share a name with a pure one.
  std::vector<std::string> names;
  for (StringRef r : rvars) {
    std::string name = r.str();
    while (llvm::any_of(func.getVars(), [&](Attribute v) {
      return v.cast<StringAttr>().getValue() == name;
    }))
      name = "r" + name;
    names.push_back(name);
  }
  std::vector<StringRef> nameRefs(names.begin(), names.end());
  auto u = b.create<hl::UpdateOp>(
      loc, f, b.getStrArrayAttr(nameRefs),
      b.getI64ArrayAttr(SmallVector<int64_t, 4>(extents.size(), 0)),
      b.getI64ArrayAttr(extents));
  Block *block = body(u.getBody(), rank + rvars.size());
  b.setInsertionPointToStart(block);
  ValueRange vars = block->getArguments().take_front(rank);
  ValueRange rs = block->getArguments().drop_front(rank);
  Value value = bodyFn(vars, rs);
  Value cond = where ? where(vars, rs) : Value();
  b.create<hl::YieldOp>(loc, value, vars, cond);
}

void HLBuilder::scale(Ref f, double factor) {
  update(f, {}, {}, [&](ValueRange v, ValueRange) {
    return mulf(call(f, v), f32(factor));
  });
}

HLBuilder::Ref HLBuilder::exterior(Ref source, ArrayRef<int64_t> shape,
                                   float value) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(&pipeline.getBody().front());
  auto op = b.create<hl::ConstantExteriorOp>(
      loc, b.getStringAttr(source.getValue() + "_padded"), source,
      b.getF32FloatAttr(value),
      b.getI64ArrayAttr(SmallVector<int64_t, 4>(shape.size(), 0)),
      b.getI64ArrayAttr(shape));
  symbols.insert(op);
  return FlatSymbolRefAttr::get(op.getSymNameAttr());
}

HLBuilder::Ref HLBuilder::buffer(StringRef name, ElementsAttr value) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(&pipeline.getBody().front());
  auto op = b.create<hl::BufferOp>(loc, name, value);
  symbols.insert(op);
  return FlatSymbolRefAttr::get(op.getSymNameAttr());
}

Value HLBuilder::call(Ref f, ValueRange args) {
  return b.create<hl::CallOp>(loc, b.getF32Type(), f, args);
}

Value HLBuilder::readIndex(Ref source, ValueRange args, int64_t bound) {
  return b.create<hl::IndexOp>(loc, b.getI32Type(), source, args,
                               b.getI64IntegerAttr(bound));
}

Value HLBuilder::callBroadcast(Ref f, ArrayRef<int64_t> shape,
                               ValueRange vars) {
  SmallVector<Value, 4> args;
  size_t offset = vars.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    args.push_back(shape[i] == 1 ? index(0) : vars[offset + i]);
  return call(f, args);
}

Value HLBuilder::index(int64_t v) {
  return b.create<arith::ConstantIntOp>(loc, v, 32);
}
Value HLBuilder::add(Value x, Value y) {
  return b.create<arith::AddIOp>(loc, x, y);
}
Value HLBuilder::mul(Value x, int64_t c) {
  return c == 1 ? x : b.create<arith::MulIOp>(loc, x, index(c)).getResult();
}
Value HLBuilder::floorDiv(Value x, int64_t c) {
  return c == 1 ? x
                : b.create<arith::FloorDivSIOp>(loc, x, index(c)).getResult();
}
Value HLBuilder::floorMod(Value x, int64_t c) {
  if (c == 1)
    return index(0);
  return b.create<hl::ModOp>(loc, x, index(c));
}
Value HLBuilder::clamp(Value x, int64_t lo, int64_t hi) {
  Value low = b.create<arith::MaxSIOp>(loc, x, index(lo));
  return b.create<arith::MinSIOp>(loc, low, index(hi));
}
Value HLBuilder::less(Value x, int64_t c) { return less(x, index(c)); }
Value HLBuilder::less(Value x, Value y) {
  return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x, y);
}
Value HLBuilder::sub(Value x, Value y) {
  return b.create<arith::SubIOp>(loc, x, y);
}
Value HLBuilder::absIndex(Value x) {
  return b.create<arith::MaxSIOp>(loc, x, sub(index(0), x));
}
Value HLBuilder::both(Value x, Value y) {
  return b.create<arith::AndIOp>(loc, x, y);
}

Value HLBuilder::f32(double v) {
  return b.create<arith::ConstantFloatOp>(loc, APFloat((float)v),
                                          b.getF32Type());
}
Value HLBuilder::addf(Value x, Value y) {
  return b.create<arith::AddFOp>(loc, x, y);
}
Value HLBuilder::subf(Value x, Value y) {
  return b.create<arith::SubFOp>(loc, x, y);
}
Value HLBuilder::mulf(Value x, Value y) {
  return b.create<arith::MulFOp>(loc, x, y);
}
Value HLBuilder::divf(Value x, Value y) {
  return b.create<arith::DivFOp>(loc, x, y);
}
Value HLBuilder::maxf(Value x, Value y) {
  return b.create<arith::MaxFOp>(loc, x, y);
}
Value HLBuilder::minf(Value x, Value y) {
  return b.create<arith::MinFOp>(loc, x, y);
}
Value HLBuilder::select(Value cond, Value x, Value y) {
  return b.create<hl::SelectOp>(loc, x.getType(), cond, x, y, UnitAttr());
}
Value HLBuilder::isNaN(Value x) { return eitherNaN(x, x); }
Value HLBuilder::eitherNaN(Value x, Value y) {
  return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, x, y);
}
Value HLBuilder::anyOf(Value x, Value y) {
  return b.create<arith::OrIOp>(loc, x, y);
}
Value HLBuilder::clampKeepingNaN(Value x, Optional<double> lo,
                                 Optional<double> hi) {
  // x < lo ? lo : x, then the same against hi: a NaN fails both tests and
  // passes through, and with lo > hi every element is hi, as in PyTorch.
  // Strict, these are the compare-and-select forms LLVM turns into x86's
  // max and min, whose NaN behaviour they share.
  auto bound = [&](arith::CmpFPredicate beyond, Value y, double v) {
    Value c = f32(v);
    return b.create<hl::SelectOp>(loc, y.getType(), cmpf(beyond, y, c), c, y,
                                  b.getUnitAttr());
  };
  if (lo)
    x = bound(arith::CmpFPredicate::OLT, x, *lo);
  if (hi)
    x = bound(arith::CmpFPredicate::OGT, x, *hi);
  return x;
}
Value HLBuilder::maxKeepingNaN(Value x, Value y) {
  return select(isNaN(x), x, select(isNaN(y), y, maxf(x, y)));
}
Value HLBuilder::minKeepingNaN(Value x, Value y) {
  return select(isNaN(x), x, select(isNaN(y), y, minf(x, y)));
}
Value HLBuilder::toF32(Value x) {
  return b.create<arith::SIToFPOp>(loc, b.getF32Type(), x);
}
Value HLBuilder::toIndex(Value x) {
  return b.create<arith::FPToSIOp>(loc, b.getI32Type(), x);
}
Value HLBuilder::cmpf(arith::CmpFPredicate predicate, Value x, Value y) {
  return b.create<arith::CmpFOp>(loc, predicate, x, y);
}
