//===- Scheduler.h - the state of scheduling one pipeline -------*- C++ -*-===//
//
// Shared by the files of the hl-schedule pass: HLSchedule.cpp (analysis,
// reductions, pure stages), AttentionSchedule.cpp and TransposeTiles.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef NNCC_SCHEDULE_SCHEDULER_H
#define NNCC_SCHEDULE_SCHEDULER_H

#include "compiler/schedule/SchedulePlan.h"
#include "compiler/schedule/TargetModel.h"
#include "compiler/schedule/TransposeTiles.h"
#include "dialects/hl/HLOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace nncc {
namespace schedule {

/// A func's shape, outermost dimension first.
inline std::vector<int64_t> shapeOf(hl::FuncOp f) {
  std::vector<int64_t> shape;
  for (mlir::Attribute a : f.getShape())
    shape.push_back(a.cast<mlir::IntegerAttr>().getInt());
  return shape;
}

/// Whether `v` is computed from `var`.
bool dependsOn(mlir::Value v, mlir::Value var);

/// What the schedule needs to know of one func.
struct FuncInfo {
  hl::FuncOp op;
  bool hasUpdates = false;
  bool isOutput = false;
  bool readInReduction = false; // read inside another func's reduction
  bool computes = false;        // float arithmetic beyond reading a value
  bool transposes = false;      // reads a func across its innermost dimension
  std::set<std::string> consumers;
};

/// Register blocking of a reduction: `factor` iterations of one pure
/// variable times `vectors` vectors of the innermost one, each an
/// accumulator, all unrolled inside the reduction loops.
struct Blocking {
  int index = -1; // into the func's variables; -1: none
  int64_t factor = 0;
  int64_t vectors = 1;
  /// Where `factor` does not divide: Guard (a narrower last block) or
  /// RoundUp (compute past the end); None where it divides.
  llvm::Optional<hl::Tail> tail;
  /// Where one block's weights over the whole reduction outgrow the cache:
  /// the iterations of the innermost reduction variable per panel of
  /// weights, a loop that runs outside the blocks of positions so they all
  /// reuse the panel (0: the whole reduction is one panel).
  int64_t panel = 0;
  /// Lanes of the vectors: the target's, or half where only that divides.
  int64_t lanes = 0;
  /// Whether the blocks of vectors run past the last channel: the
  /// reduction computes them on weights padded with zeros
  /// (Scheduler::padding).
  bool padded = false;
  /// For an elementwise func a chain is computed in: its parallel loop runs
  /// over blocks of this many rows (0: one per task, as it would).
  int64_t rows = 0;
  /// For a func reductions are computed inside: their FMAs per value of
  /// the func, which its tasks then do too.
  int64_t fusedFMAs = 0;
  /// For an elementwise func: it runs in the reduction's register blocks,
  /// unrolled, and computes the reduction per block (Scheduler::tileVars),
  /// whose values then never leave the registers. For the reduction's
  /// initial value: it is unrolled over the block too.
  bool tile = false;
};

/// A reduction with few weights (`producer`) read through its padded copy
/// (`padded`) by a depthwise reduction computed inside `consumer`: the
/// producer and the copy are computed per block of `rows` of the consumer
/// (DepthwiseChains.cpp).
struct DepthwiseChain {
  std::string producer, padded, consumer;
  int64_t rows;
};

/// A Winograd convolution (ConvAsWinograd) whose input transform and
/// products are computed per band of `rows` rows of its output transform,
/// inside the band's task (WinogradBands.cpp).
struct WinogradBand {
  std::string output, products, input;
  int64_t rows;
};

/// How a transposing func runs the reduction computed inside it: its
/// parallel loop is over `chunk` rows (its variable `row`, -1: none) times
/// blocks of `channels` of the producer's innermost variable (0: all).
/// `padded`, when not empty, is the reduction's padded input, copied per
/// task too.
struct TransposeFusion {
  int row = -1;
  int64_t channels = 0, chunk = 1;
  std::string padded;
};

/// Iterations of a parallel loop over `units` of `fmas` each to run as one
/// task; `units` (or more) where the loop is not worth running in parallel.
int64_t taskChunk(int64_t fmas, int64_t units);

class Scheduler {
public:
  Scheduler(hl::PipelineOp pipeline, const TargetModel &target,
            std::vector<TransposeTile> tiles)
      : pipeline(pipeline), symbols(pipeline), vectorWidth(target.vectorWidth),
        registers(target.registers), l2Bytes(target.l2Bytes),
        tiles(std::move(tiles)) {}

  void run();

private:
  void analyse();
  std::string producerOf(llvm::StringRef symbol);
  /// The one func that `op` (a func or an update) reads other than `self`
  /// (through a boundary condition: its source), or "".
  std::string onlyProducer(mlir::Operation *op, llvm::StringRef self = "");
  /// Register blocking of a reduction: `vectors` vectors of its innermost
  /// variable (output channels, matrix columns) times `factor` iterations
  /// of its largest outer one, as many accumulators as fit in the
  /// registers, so that each vector loaded feeds `factor` FMAs and each
  /// value broadcast feeds `vectors`.
  /// `within` > 0: the func is computed `within` iterations of the blocked
  /// variable at a time, which the block must then divide. `along` >= 0:
  /// the variable to block instead.
  Blocking blockingOf(FuncInfo &f, int64_t within = 0, int along = -1);
  /// Whether a reduction of `f` reads a vector along its innermost
  /// variable that does not vary with its variable `index` (a conv's
  /// weights across image columns): one load that a register block along
  /// `index` shares.
  bool sharesAcross(FuncInfo &f, int index);
  /// `func`'s update `stage` (1: the first update), or null.
  hl::UpdateOp updateOf(llvm::StringRef func, int64_t stage);
  /// Iterations of the reduction domain of `func`'s update `stage` (1 for
  /// the initial value).
  int64_t reductionIterations(llvm::StringRef func, int64_t stage);
  /// Whether `func`'s update `stage` reads a func across its innermost
  /// dimension with the stage's innermost variable: each of its vectors is
  /// then gathered, a load per lane.
  bool gathers(llvm::StringRef func, int64_t stage);
  /// Bytes of the weights `func`'s reduction multiplies: its iterations for
  /// each value of its innermost variable (output channels), in f32.
  int64_t weightBytes(const std::string &func);
  /// Blocking::panel for `func`'s reduction blocked by `blocking`.
  int64_t panelOf(llvm::StringRef func, const Blocking &blocking);
  /// The call of `name`'s update that reads its weights, if they are a
  /// constant it alone reads, laid out as [rvars..., C]; or null.
  hl::CallOp packableWeights(const std::string &name);
  /// Where `f`'s reduction may compute channels past its last one (its
  /// weights packable, nothing else read along the channels but constant
  /// vectors of its own): those vectors, which are then padded with zeros.
  llvm::Optional<std::vector<std::string>> padding(FuncInfo &f);
  /// How `name`'s weights are packed for its reduction blocked by
  /// `blocking`, if they are constant and read by it alone.
  llvm::Optional<WeightPacking> weightPacking(const std::string &name,
                                              const Blocking &blocking);
  /// Whether an update of `f` reads an input or buffer at a coordinate
  /// that depends on pure variable `index`: computing past its end would
  /// then read out of bounds.
  bool readsBufferAlong(FuncInfo &f, int index);
  /// Plans one stage's vectors, register blocks and parallel loop; returns
  /// the loop whose iterations are its tasks (parallel or, for little
  /// work, serial), where funcs it reads may be computed. Output funcs
  /// split with ShiftInwards: no masked loads or stores on callers' arrays.
  std::string scheduleStage(FuncInfo &f, int64_t stage,
                            llvm::ArrayRef<std::string> rvars, bool parallel,
                            Blocking blocking = {});
  /// scheduleStage for the loops of `name`, which has the variables and
  /// shape of `domain` (a boundary condition those of its source).
  std::string scheduleLoops(const std::string &name, hl::FuncOp domain,
                            bool isOutput, int64_t stage,
                            llvm::ArrayRef<std::string> rvars, bool parallel,
                            Blocking blocking);
  /// A func that transposes runs over blocks of a vector by a vector: its
  /// tile is copied in vectors along the producer's innermost variable and
  /// read in vectors along the func's, which Halide transposes in registers.
  /// Returns its parallel variable.
  std::string scheduleTransposed(FuncInfo &f, const TransposeTile &t,
                                 const TransposeFusion &fusion = {});
  /// Whether `reduction` reads `padded` along its variable `dim` at other
  /// coordinates than its own (the rows around a row, a convolution's).
  bool readsHalo(const std::string &reduction, const std::string &padded,
                 int dim);
  /// The loops of `t`'s func when the reduction `producer`, blocked by
  /// `blocking`, is computed inside it.
  TransposeFusion transposeFusion(const TransposeTile &t,
                                  const std::string &producer,
                                  const Blocking &blocking);
  /// The chains of `depthwiseChains`, given what is at root and which
  /// reduction is computed inside which consumer.
  std::vector<DepthwiseChain>
  depthwiseChains(const std::set<std::string> &root,
                  const std::map<std::string, std::string> &fusedInto);
  std::string rootSource(std::string f, const std::set<std::string> &root);
  /// The Winograd convolutions whose transforms and products fit in the L2
  /// per band of output rows, given what is at root.
  std::vector<WinogradBand> winogradBands(const std::set<std::string> &root);
  /// Reorders `name`'s last stage, where funcs computed inside it run, to
  /// run over bands of `rows` of its rows (variable `y`), outermost and in
  /// parallel; returns the band loop.
  std::string splitIntoBands(const std::string &name, int64_t rows);
  /// Schedules the funcs of each attention (tagged `hl.attention` with the
  /// name of its output func) and returns their names.
  std::set<std::string> scheduleAttention();
  /// Whether `consumer` reads `producer`, directly, at its own coordinates
  /// only.
  bool readsElementwise(const std::string &consumer,
                        const std::string &producer);
  /// The reductions of `fusedInto` to compute per register block of their
  /// consumer (Blocking::tile) rather than per task.
  std::set<std::string>
  registerTiled(const std::map<std::string, std::string> &fusedInto,
                const std::map<std::string, Blocking> &blocking);
  /// The consumer a reduction is computed inside, or "" to compute it at
  /// root.
  std::string fusionTarget(const std::string &name,
                           const std::set<std::string> &root);

  hl::PipelineOp pipeline;
  mlir::SymbolTable symbols;
  int64_t vectorWidth;
  int64_t registers;
  int64_t l2Bytes;
  std::vector<TransposeTile> tiles;
  SchedulePlan plan;
  std::map<std::string, FuncInfo> funcs;
  std::map<std::string, std::vector<std::vector<std::string>>> updates;
  /// For each func split into register tiles (Blocking::tile): its loop
  /// that runs over the tiles, innermost.
  std::map<std::string, std::string> tileVars;
  /// Boundary conditions read inside a reduction, each with the funcs
  /// whose reductions read it.
  std::map<std::string, std::set<std::string>> paddedReaders;
};

} // namespace schedule
} // namespace nncc

#endif // NNCC_SCHEDULE_SCHEDULER_H
