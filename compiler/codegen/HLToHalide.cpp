//===- HLToHalide.cpp - hl dialect to Halide objects ----------------------===//
//
// hl writes coordinates row-major (outermost first); Halide's first variable
// is the innermost. Every coordinate list is reversed here, and nowhere else.
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/HLToHalide.h"
#include "compiler/codegen/PipelineGroups.h"
#include "compiler/codegen/ScalarExprs.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace nncc;

namespace {

template <typename T> std::vector<T> reversed(std::vector<T> v) {
  std::reverse(v.begin(), v.end());
  return v;
}

std::vector<int64_t> ints(ArrayAttr attr) {
  std::vector<int64_t> out;
  for (Attribute a : attr)
    out.push_back(a.cast<IntegerAttr>().getInt());
  return out;
}

std::vector<std::string> strings(ArrayAttr attr) {
  std::vector<std::string> out;
  for (Attribute a : attr)
    out.push_back(a.cast<StringAttr>().getValue().str());
  return out;
}

/// Halide's Region for a row-major box.
Halide::Region region(const std::vector<int64_t> &mins,
                      const std::vector<int64_t> &extents) {
  Halide::Region r;
  for (size_t i = mins.size(); i-- > 0;)
    r.push_back(Halide::Range((int)mins[i], (int)extents[i]));
  return r;
}

class Translator {
public:
  /// Translates all of a pipeline, or one `group` of it; the last group
  /// reads its input from `previous`, the extern stage of the group before.
  explicit Translator(bool schedules, const PipelineGroup *group = nullptr,
                      Halide::Func previous = {})
      : schedules(schedules), group(group), previous(previous) {}
  FailureOr<HalidePipeline> run(hl::PipelineOp op);
  /// A group's translation as a function of its own.
  FailureOr<HalideGroup> runGroup(hl::PipelineOp op, std::string function);

  /// The hl symbols of the arguments, in order (inputs, the cut value).
  std::vector<std::string> argumentSymbols;
  /// The parameters of the model's inputs, by hl symbol (given, or made
  /// as the inputs are declared).
  std::map<std::string, Halide::ImageParam> inputParams;

private:
  /// Whether `op` belongs to the translated group.
  bool included(Operation *op);
  /// The cut value a group reads: an argument, or the previous group.
  void declareGroupInput(hl::FuncOp op);
  /// Declares every op of `op` that belongs to the translation, in order.
  LogicalResult declareAll(hl::PipelineOp op);
  LogicalResult declare(Operation *op);
  LogicalResult defineFunc(hl::FuncOp op);
  LogicalResult defineUpdate(hl::UpdateOp op);
  LogicalResult schedule(Operation *op);
  FailureOr<Halide::Expr> expr(Value v);
  FailureOr<Halide::Expr> translate(Operation *op);
  Halide::Stage stage(StringRef func, int64_t index);
  Halide::VarOrRVar loopVar(StringRef func, int64_t stage, StringRef name);

  bool schedules;
  const PipelineGroup *group;
  Halide::Func previous;
  HalidePipeline result;
  llvm::StringMap<Halide::Func> funcs;
  llvm::StringMap<std::vector<Halide::Var>> pureVars;
  // Reduction variables by (func, stage) and name; splitting one makes more.
  std::map<std::pair<std::string, int64_t>, std::map<std::string, Halide::RVar>>
      rvars;
  llvm::StringMap<int64_t> updateCount;
  llvm::DenseMap<Value, Halide::Expr> values;
};

} // namespace

/// The Halide name of an input: its own, unless Halide could make up the
/// same one while lowering (a letter and digits, as `t2`, met Halide's own
/// `t2`): that one gets a '$', which Halide's names never end in.
static std::string inputName(llvm::StringRef name) {
  bool halideLike = name.size() > 1 && !llvm::isDigit(name[0]) &&
                    llvm::all_of(name.drop_front(), llvm::isDigit);
  return name.str() + (halideLike ? "$" : "");
}

/// The Halide name of a func: its own, unless that is the name of a call
/// Halide makes itself (an intrinsic as `abs`, which Halide's erf calls, or
/// a math function as `sqrt_f32`): Halide would take that call for one of
/// the func. That one gets a '$'.
static std::string funcName(llvm::StringRef name) {
  using Halide::Internal::Call;
  bool taken = name == "powf" || name.endswith("_f16") ||
               name.endswith("_f32") || name.endswith("_f64");
  for (int i = 0; i < Call::IntrinsicOpCount && !taken; ++i)
    taken = name == Call::get_intrinsic_name((Call::IntrinsicOp)i);
  return name.str() + (taken ? "$" : "");
}

/// A dense f32 (or, for indices, i32) parameter of a known shape, read
/// through a Func.
static Halide::ImageParam tensorParam(const std::string &name,
                                      const std::vector<int64_t> &shape,
                                      bool int32 = false) {
  Halide::ImageParam param(int32 ? Halide::Int(32) : Halide::Float(32),
                           (int)shape.size(), inputName(name));
  for (size_t d = 0; d < shape.size(); ++d) {
    Halide::Internal::Dimension dim = param.dim((int)d);
    dim.set_bounds(0, (int)shape[shape.size() - 1 - d]);
    // Autoschedulers read estimates, not bounds.
    dim.set_estimate(0, (int)shape[shape.size() - 1 - d]);
  }
  // Halide's default constraint stays: the innermost dimension is
  // contiguous, so vector loads are loads and not gathers. Other strides
  // are free.
  return param;
}

/// Bounds [0, shape) on a buffer (row-major `shape`, Halide's dimension 0
/// innermost).
static void setBounds(Halide::OutputImageParam param,
                      const std::vector<int64_t> &shape) {
  for (size_t d = 0; d < shape.size(); ++d)
    param.dim((int)d).set_bounds(0, (int)shape[shape.size() - 1 - d]);
}

/// Constant dense strides for a buffer the entry point allocates between
/// groups: address arithmetic then folds as it does inside one pipeline
/// (ViT ran 15% slower with strides read at run time).
static void denseStrides(Halide::OutputImageParam param,
                         const std::vector<int64_t> &shape) {
  int64_t stride = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    param.dim((int)d).set_stride((int)stride);
    stride *= shape[shape.size() - 1 - d];
  }
}

bool Translator::included(Operation *op) {
  if (!group)
    return true;
  bool last = group->output.empty();
  auto has = [&](StringRef symbol) {
    return group->symbols.count(symbol.str()) > 0;
  };
  auto scheduled = [&](StringRef func) {
    return has(func) && func != group->input;
  };
  return llvm::TypeSwitch<Operation *, bool>(op)
      // The last group's pipeline is the entry point: all the inputs.
      .Case([&](hl::InputOp in) { return last || has(in.getSymName()); })
      .Case<hl::BufferOp, hl::FuncOp, hl::ConstantExteriorOp>(
          [&](auto def) { return has(def.getSymName()); })
      .Case([&](hl::UpdateOp u) { return scheduled(u.getFunc()); })
      .Case([&](hl::OutputOp) { return last; })
      .Default([&](Operation *op) {
        auto func = op->getAttrOfType<FlatSymbolRefAttr>("func");
        return !func || scheduled(func.getValue());
      });
}

void Translator::declareGroupInput(hl::FuncOp op) {
  // Read through a func with the variables of the one it stands for: the
  // schedules of boundary conditions on it name them.
  std::string name = op.getSymName().str();
  std::vector<Halide::Var> vars;
  for (const std::string &v : reversed(strings(op.getVars())))
    vars.push_back(Halide::Var(v));
  Halide::Func f(name + "_in");
  if (previous.defined()) {
    f(vars) = previous(vars);
  } else {
    std::vector<int64_t> shape = ints(op.getShape());
    Halide::ImageParam param = tensorParam(name, shape);
    denseStrides(param, shape);
    f(vars) = param(vars);
    result.inputArguments.push_back(param);
    argumentSymbols.push_back(name);
  }
  funcs[name] = f;
}

LogicalResult Translator::declare(Operation *op) {
  if (!included(op))
    return success();
  if (auto f = dyn_cast<hl::FuncOp>(op))
    if (group && f.getSymName() == group->input)
      return declareGroupInput(f), success();
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](hl::InputOp in) {
        std::vector<int64_t> shape = ints(in.getShape());
        std::string name = in.getSymName().str();
        auto known = inputParams.find(name);
        Halide::ImageParam param =
            known != inputParams.end()
                ? known->second
                : tensorParam(name, shape, in.getInt32());
        Halide::Func f(name + "_in");
        f(Halide::_) = param(Halide::_);
        funcs[name] = f;
        inputParams[name] = param;
        argumentSymbols.push_back(name);
        result.inputArguments.push_back(param);
        result.inputs.push_back(
            {in.getName().str(), shape, in.getParam(), in.getInt32()});
        return success();
      })
      .Case([&](hl::BufferOp buf) {
        auto type = buf.getValue().getType();
        std::vector<int> extents;
        for (int64_t d : llvm::reverse(type.getShape()))
          extents.push_back((int)d);
        Halide::Buffer<float> data(extents, buf.getSymName().str());
        float *out = data.data();
        for (APFloat v : buf.getValue().getValues<APFloat>())
          *out++ = v.convertToFloat();
        Halide::Func f(buf.getSymName().str());
        f(Halide::_) = data(Halide::_);
        funcs[buf.getSymName()] = f;
        return success();
      })
      .Case([&](hl::ConstantExteriorOp ext) {
        auto source = funcs.find(ext.getSource());
        if (source == funcs.end())
          return ext.emitOpError("source is defined after its use"), failure();
        funcs[ext.getSymName()] = Halide::BoundaryConditions::constant_exterior(
            source->second, Halide::Expr(ext.getValue().convertToFloat()),
            region(ints(ext.getMins()), ints(ext.getExtents())));
        return success();
      })
      .Case([&](hl::FuncOp f) { return defineFunc(f); })
      .Case([&](hl::UpdateOp u) { return defineUpdate(u); })
      .Case([&](hl::OutputOp out) {
        result.outputs.push_back(
            {out.getName().str(), ints(out.getShape()), false});
        return success();
      })
      .Default(
          [&](Operation *op) { return schedules ? schedule(op) : success(); });
}

LogicalResult Translator::defineFunc(hl::FuncOp op) {
  std::string name = op.getSymName().str();
  Halide::Func f(funcName(name));
  funcs[name] = f; // declared first: updates and later funcs call it
  std::vector<Halide::Var> vars;
  for (const std::string &v : strings(op.getVars()))
    vars.push_back(Halide::Var(v));
  pureVars[name] = vars;
  Block &body = op.getBody().front();
  for (auto it : llvm::enumerate(body.getArguments()))
    values[it.value()] = vars[it.index()];
  auto yield = cast<hl::YieldOp>(body.getTerminator());
  FailureOr<Halide::Expr> value = expr(yield.getValue());
  if (failed(value))
    return failure();
  if (vars.empty())
    f() = *value;
  else
    f(reversed(vars)) = *value;
  return success();
}

LogicalResult Translator::defineUpdate(hl::UpdateOp op) {
  std::string name = op.getFunc().str();
  auto func = funcs.find(name);
  if (func == funcs.end())
    return op.emitOpError("updates a func defined after it"), failure();
  int64_t stageIndex = ++updateCount[name];
  std::vector<std::string> names = strings(op.getRvars());
  Block &body = op.getBody().front();
  const std::vector<Halide::Var> &vars = pureVars[name];
  for (size_t i = 0; i < vars.size(); ++i)
    values[body.getArgument(i)] = vars[i];

  auto &stageRVars = rvars[{name, stageIndex}];
  Halide::RDom domain;
  if (!names.empty()) {
    domain = Halide::RDom(region(ints(op.getMins()), ints(op.getExtents())),
                          name + "_r" + std::to_string(stageIndex));
    for (size_t i = 0; i < names.size(); ++i) {
      // RDom dimension 0 is innermost, so it is the last rvar.
      Halide::RVar rv = domain[(int)(names.size() - 1 - i)];
      stageRVars.emplace(names[i], rv);
      values[body.getArgument(vars.size() + i)] = rv;
    }
  }
  auto yield = cast<hl::YieldOp>(body.getTerminator());
  if (Value where = yield.getWhere()) {
    FailureOr<Halide::Expr> cond = expr(where);
    if (failed(cond))
      return failure();
    domain.where(*cond);
  }
  std::vector<Halide::Expr> at;
  for (Value v : yield.getAt()) {
    FailureOr<Halide::Expr> e = expr(v);
    if (failed(e))
      return failure();
    at.push_back(*e);
  }
  FailureOr<Halide::Expr> value = expr(yield.getValue());
  if (failed(value))
    return failure();
  func->second(reversed(at)) = *value;
  return success();
}

FailureOr<Halide::Expr> Translator::expr(Value v) {
  auto it = values.find(v);
  if (it != values.end())
    return it->second;
  Operation *op = v.getDefiningOp();
  if (!op)
    return failure();
  FailureOr<Halide::Expr> e = translate(op);
  if (succeeded(e))
    values[v] = *e;
  return e;
}

FailureOr<Halide::Expr> Translator::translate(Operation *op) {
  using Halide::Expr;
  SmallVector<Expr, 3> in;
  for (Value operand : op->getOperands()) {
    FailureOr<Expr> e = expr(operand);
    if (failed(e))
      return failure();
    in.push_back(*e);
  }
  auto fail = [&]() -> FailureOr<Expr> {
    op->emitOpError("has no Halide translation");
    return failure();
  };
  return llvm::TypeSwitch<Operation *, FailureOr<Expr>>(op)
      .Case([&](hl::CallOp call) -> FailureOr<Expr> {
        auto f = funcs.find(call.getCallee());
        if (f == funcs.end()) {
          call.emitOpError("reads a func defined after it");
          return failure();
        }
        if (in.empty())
          return Expr(f->second());
        return Expr(
            f->second(reversed(std::vector<Expr>(in.begin(), in.end()))));
      })
      .Case([&](hl::IndexOp index) -> FailureOr<Expr> {
        auto f = funcs.find(index.getSource());
        auto input = SymbolTable::lookupNearestSymbolFrom<hl::InputOp>(
            index, index.getSourceAttr());
        if (f == funcs.end() || !input)
          return fail();
        Expr v = f->second(reversed(std::vector<Expr>(in.begin(), in.end())));
        int32_t bound = (int32_t)index.getBound();
        Expr checked = Halide::require(
            v >= 0 && v < bound, v,
            llvm::formatv("is outside [0, {0}): an index in the input '{1}'",
                          bound, input.getName())
                .str());
        return Halide::clamp(checked, 0, bound - 1);
      })
      .Default([&](Operation *) -> FailureOr<Expr> {
        Optional<Expr> e = scalarExpr(op, in);
        if (!e)
          return fail();
        return *e;
      });
}

Halide::Stage Translator::stage(StringRef func, int64_t index) {
  Halide::Func &f = funcs[func];
  return index == 0 ? Halide::Stage(f) : f.update((int)index - 1);
}

Halide::VarOrRVar Translator::loopVar(StringRef func, int64_t stage,
                                      StringRef name) {
  auto &known = rvars[{func.str(), stage}];
  auto it = known.find(name.str());
  if (it != known.end())
    return it->second;
  return Halide::Var(name.str());
}

LogicalResult Translator::schedule(Operation *op) {
  // Every directive names its func; a misspelt one is an error here rather
  // than a silently ignored schedule.
  auto funcAttr = op->getAttrOfType<FlatSymbolRefAttr>("func");
  if (!funcAttr || !funcs.count(funcAttr.getValue()))
    return op->emitOpError("schedules an unknown func"), failure();
  StringRef name = funcAttr.getValue();
  Halide::Func &f = funcs[name];
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](hl::ComputeRootOp) {
        f.compute_root();
        return success();
      })
      .Case([&](hl::ComputeInlineOp) {
        f.compute_inline();
        return success();
      })
      .Case([&](hl::ComputeAtOp at) {
        auto consumer = funcs.find(at.getConsumer());
        if (consumer == funcs.end())
          return at.emitOpError("computes at an unknown func"), failure();
        f.compute_at(Halide::LoopLevel(consumer->second,
                                       loopVar(at.getConsumer(),
                                               updateCount[at.getConsumer()],
                                               at.getVar())));
        return success();
      })
      .Case([&](hl::SplitOp s) {
        int64_t k = s.getStageAttr().getInt();
        Halide::VarOrRVar old = loopVar(name, k, s.getVar());
        Halide::VarOrRVar outer = Halide::Var(s.getOuter().str()),
                          inner = Halide::Var(s.getInner().str());
        if (old.is_rvar) {
          auto &known = rvars[{name.str(), k}];
          outer =
              known
                  .emplace(s.getOuter().str(), Halide::RVar(s.getOuter().str()))
                  .first->second;
          inner =
              known
                  .emplace(s.getInner().str(), Halide::RVar(s.getInner().str()))
                  .first->second;
        }
        hl::Tail strategy =
            s.getTail() ? *hl::symbolizeTail(*s.getTail()) : hl::Tail::Guard;
        auto tail = strategy == hl::Tail::ShiftInwards
                        ? Halide::TailStrategy::ShiftInwards
                    : strategy == hl::Tail::RoundUp
                        ? Halide::TailStrategy::RoundUp
                        : Halide::TailStrategy::GuardWithIf;
        stage(name, k).split(old, outer, inner, (int)s.getFactorAttr().getInt(),
                             tail);
        return success();
      })
      .Case([&](hl::FuseOp s) {
        int64_t k = s.getStageAttr().getInt();
        stage(name, k).fuse(loopVar(name, k, s.getInner()),
                            loopVar(name, k, s.getOuter()),
                            Halide::Var(s.getFused().str()));
        return success();
      })
      .Case([&](hl::ReorderOp s) {
        int64_t k = s.getStageAttr().getInt();
        std::vector<Halide::VarOrRVar> order;
        // Innermost first for Halide; hl lists outermost first.
        for (const std::string &v : reversed(strings(s.getVars())))
          order.push_back(loopVar(name, k, v));
        stage(name, k).reorder(order);
        return success();
      })
      .Case([&](hl::VectorizeOp s) {
        int64_t k = s.getStageAttr().getInt();
        stage(name, k).vectorize(loopVar(name, k, s.getVar()));
        return success();
      })
      .Case([&](hl::UnrollOp s) {
        int64_t k = s.getStageAttr().getInt();
        stage(name, k).unroll(loopVar(name, k, s.getVar()));
        return success();
      })
      .Case([&](hl::ParallelOp s) {
        int64_t k = s.getStageAttr().getInt();
        stage(name, k).parallel(loopVar(name, k, s.getVar()));
        return success();
      })
      .Case([&](hl::AtomicOp s) {
        stage(name, s.getStageAttr().getInt()).atomic();
        return success();
      })
      .Default([&](Operation *op) {
        return op->emitOpError("has no Halide translation"), failure();
      });
}

LogicalResult Translator::declareAll(hl::PipelineOp op) {
  for (Operation &inner : op.getBody().front()) {
    // Halide reports a bad definition or directive (a split of an unknown
    // loop variable, say) by exception: locate it at that op.
    try {
      if (failed(declare(&inner)))
        return failure();
    } catch (const Halide::Error &e) {
      inner.emitError("Halide: ") << llvm::StringRef(e.what()).trim();
      return failure();
    }
  }
  return success();
}

FailureOr<HalidePipeline> Translator::run(hl::PipelineOp op) {
  result.name = op.getSymName().str();
  std::vector<Halide::Func> outputs;
  if (failed(declareAll(op)))
    return failure();
  try {
    for (auto out : op.getBody().front().getOps<hl::OutputOp>()) {
      Halide::Func f = funcs[out.getFunc()];
      // Outputs are dense row-major buffers of a known shape.
      std::vector<int64_t> shape = ints(out.getShape());
      setBounds(f.output_buffer(), shape);
      f.set_estimates(region(std::vector<int64_t>(shape.size(), 0), shape));
      outputs.push_back(f);
    }
    result.pipeline = Halide::Pipeline(outputs);
  } catch (const Halide::Error &e) {
    op.emitError("Halide: ") << e.what();
    return failure();
  }
  return std::move(result);
}

FailureOr<HalideGroup> Translator::runGroup(hl::PipelineOp op,
                                            std::string function) {
  if (failed(declareAll(op)))
    return failure();
  auto out = op.lookupSymbol<hl::FuncOp>(group->output);
  HalideGroup g;
  g.function = std::move(function);
  try {
    Halide::Func f = funcs[group->output];
    std::vector<int64_t> shape = ints(out.getShape());
    setBounds(f.output_buffer(), shape);
    denseStrides(f.output_buffer(), shape);
    g.pipeline = Halide::Pipeline(f);
  } catch (const Halide::Error &e) {
    out.emitError("Halide: ") << e.what();
    return failure();
  }
  g.arguments = result.inputArguments;
  return g;
}

FailureOr<HalidePipeline> nncc::translateToHalide(hl::PipelineOp op,
                                                  bool schedules) {
  std::vector<PipelineGroup> groups;
  if (schedules)
    groups = planGroups(op, kGroupFuncs);
  if (groups.size() < 2)
    return Translator(schedules).run(op);
  // Each group but the last is a function of its own, an extern stage of
  // the last group's pipeline, which is the entry point. The stages read
  // the entry point's inputs and the stage before.
  std::vector<HalideGroup> compiled;
  std::vector<std::vector<std::string>> argumentSymbols;
  for (size_t k = 0; k + 1 < groups.size(); ++k) {
    Translator t(schedules, &groups[k]);
    FailureOr<HalideGroup> g =
        t.runGroup(op, op.getSymName().str() + "_group" + std::to_string(k));
    if (failed(g))
      return failure();
    compiled.push_back(std::move(*g));
    argumentSymbols.push_back(t.argumentSymbols);
  }
  // The stages and the entry point share the entry point's inputs.
  std::map<std::string, Halide::ImageParam> params;
  for (auto in : op.getBody().front().getOps<hl::InputOp>())
    params[in.getSymName().str()] =
        tensorParam(in.getSymName().str(), ints(in.getShape()), in.getInt32());
  Halide::Func stage;
  for (size_t k = 0; k < compiled.size(); ++k) {
    std::vector<Halide::ExternFuncArgument> args;
    for (const std::string &symbol : argumentSymbols[k])
      if (symbol == groups[k].input)
        args.push_back(stage);
      else
        args.push_back(params.at(symbol));
    Halide::Func next(groups[k].output + "_stage");
    auto out = op.lookupSymbol<hl::FuncOp>(groups[k].output);
    next.define_extern(compiled[k].function, args, Halide::Float(32),
                       (int)out.getShape().size(), Halide::NameMangling::C);
    next.compute_root();
    stage = next;
  }
  Translator last(schedules, &groups.back(), stage);
  last.inputParams = params;
  FailureOr<HalidePipeline> p = last.run(op);
  if (succeeded(p))
    p->groups = std::move(compiled);
  return p;
}
