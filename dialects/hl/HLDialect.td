//===- HLDialect.td - the hl dialect ----------------------*- tablegen -*-===//
//
// Halide's model in MLIR: a pipeline of funcs over named integer variables,
// each with a pure definition and optional update definitions over
// reduction domains, plus explicit schedule directives. HLToHalide turns it
// into Halide::Func/Var/RDom/Expr mechanically; every op semantics decision
// is made before, in NNToHL.
//
//===----------------------------------------------------------------------===//

#ifndef HL_DIALECT_TD
#define HL_DIALECT_TD

include "mlir/IR/OpBase.td"

def HL_Dialect : Dialect {
  let name = "hl";
  let cppNamespace = "::nncc::hl";
  let summary = "Halide algorithms and schedules";
  let emitAccessorPrefix = kEmitAccessorPrefix_Prefixed;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// On the funcs of one attention, which NNToHL lowers to several: the
    /// name of its result func (on that func too). The schedule computes
    /// them per block of the result's query rows.
    static constexpr ::llvm::StringLiteral kAttention = "hl.attention";
    /// On an attention's result func: its query rows come in groups of
    /// this many that visit the same keys, the schedule's row block.
    static constexpr ::llvm::StringLiteral kRowGroup = "hl.row_group";
    /// On a Winograd output transform (n, y, x, c): the tiles per row of the
    /// products it reads, (n * TH + y / 2) * TW + x / 2. The schedule may
    /// compute the products per band of its rows.
    static constexpr ::llvm::StringLiteral kWinogradTiles = "hl.winograd_tiles";
    /// On an arith float op: evaluated as written (Halide's strict_float),
    /// where reassociating would lose the precision PyTorch keeps
    /// (log_softmax's (x - max) - log(sum) as x - (max + log(sum))).
    static constexpr ::llvm::StringLiteral kStrict = "hl.strict";
  }];
}

class HL_Op<string mnemonic, list<Trait> traits = []>
    : Op<HL_Dialect, mnemonic, traits>;

#endif // HL_DIALECT_TD
