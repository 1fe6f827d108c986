//===- HLOps.td - hl dialect operations -------------------*- tablegen -*-===//

#ifndef HL_OPS_TD
#define HL_OPS_TD

include "HLDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// The pipeline and its data
//===----------------------------------------------------------------------===//

def HL_PipelineOp : HL_Op<"pipeline", [Symbol, SymbolTable, IsolatedFromAbove,
                                       NoTerminator, SingleBlock]> {
  let summary = "one compiled entry point: inputs, funcs, schedules, outputs";
  let description = [{
    The entry point's arguments are the `hl.input`s then the `hl.output`s, in
    the order they appear in the body.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let verifier = [{ return ::verify(*this); }];
}

def HL_InputOp : HL_Op<"input", [Symbol, HasParent<"PipelineOp">]> {
  let summary = "a dense f32 (or i32) input buffer of the entry point";
  let description = [{
    `name` is the argument's name in the source; `param` marks a learned
    tensor passed as an argument because no weights were given; `int32`
    marks i32 indices, which only hl.index reads.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$name,
                       I64ArrayAttr:$shape, UnitAttr:$param, UnitAttr:$int32);
  let assemblyFormat = "$sym_name $name $shape attr-dict";
}

def HL_BufferOp : HL_Op<"buffer", [Symbol, HasParent<"PipelineOp">]> {
  let summary = "constant f32 data embedded in the object (weights, tables)";
  let arguments = (ins SymbolNameAttr:$sym_name, ElementsAttr:$value);
  let assemblyFormat = "$sym_name $value attr-dict";
  let verifier = [{ return ::verify(*this); }];
}

def HL_OutputOp : HL_Op<"output", [HasParent<"PipelineOp">]> {
  let summary = "makes a func a dense f32 output buffer of the entry point";
  let arguments = (ins FlatSymbolRefAttr:$func, StrAttr:$name,
                       I64ArrayAttr:$shape);
  let assemblyFormat = "$func $name $shape attr-dict";
}

//===----------------------------------------------------------------------===//
// Funcs
//===----------------------------------------------------------------------===//

def HL_FuncOp : HL_Op<"func", [Symbol, IsolatedFromAbove,
                               HasParent<"PipelineOp">]> {
  let summary = "a Halide Func's pure definition";
  let description = [{
    The body has one i32 block argument per variable of `vars` and yields
    the f32 value at that point. `shape` is the box [0, shape) over which the
    func is needed, which is what schedules are sized by.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrArrayAttr:$vars,
                       I64ArrayAttr:$shape);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name $vars $shape attr-dict-with-keyword $body";
  let verifier = [{ return ::verify(*this); }];
}

def HL_UpdateOp : HL_Op<"update", [IsolatedFromAbove, HasParent<"PipelineOp">]> {
  let summary = "an update definition of a func over a reduction domain";
  let description = [{
    The body's block arguments are the func's pure variables, then one per
    reduction variable of `rvars` (ranging over [mins[i], mins[i] +
    extents[i]) ), and it yields the new value `at` the updated point. Updates
    of a func apply in the order they appear. A yielded `where` condition
    restricts the domain (Halide's RDom::where).
  }];
  let arguments = (ins FlatSymbolRefAttr:$func, StrArrayAttr:$rvars,
                       I64ArrayAttr:$mins, I64ArrayAttr:$extents);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$func $rvars $mins $extents attr-dict-with-keyword $body";
  let verifier = [{ return ::verify(*this); }];
}

def HL_YieldOp : HL_Op<"yield", [Terminator, NoSideEffect,
                                 ParentOneOf<["FuncOp", "UpdateOp"]>,
                                 AttrSizedOperandSegments]> {
  let summary = "the value of a definition, and where an update writes it";
  let arguments = (ins F32:$value, Variadic<I32>:$at, Optional<I1>:$where);
  let assemblyFormat =
      "$value (`at` `(` $at^ `)`)? (`where` $where^)? attr-dict";
}

def HL_ConstantExteriorOp : HL_Op<"constant_exterior",
                                  [Symbol, HasParent<"PipelineOp">]> {
  let summary = "BoundaryConditions::constant_exterior of a func or buffer";
  let description = [{
    Reads `source` inside the box [mins, mins + extents) and `value` outside:
    zero padding for convolutions, -inf for max pooling.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, FlatSymbolRefAttr:$source,
                       F32Attr:$value, I64ArrayAttr:$mins,
                       I64ArrayAttr:$extents);
  let assemblyFormat = "$sym_name `=` $source $value $mins $extents attr-dict";
}

//===----------------------------------------------------------------------===//
// Scalar expressions inside definitions (with arith and math)
//===----------------------------------------------------------------------===//

def HL_CallOp : HL_Op<"call", [NoSideEffect]> {
  let summary = "reads a func, input, buffer or boundary at a point";
  let arguments = (ins FlatSymbolRefAttr:$callee, Variadic<I32>:$args);
  let results = (outs F32:$result);
  let assemblyFormat = "$callee `(` $args `)` attr-dict";
}

def HL_IndexOp : HL_Op<"index", [NoSideEffect]> {
  let summary = "reads an index from an i32 input, checked against a bound";
  let description = [{
    The value of the `int32` input `source` at a point, which must lie in
    [0, bound): otherwise the entry point fails with a status (Halide's
    require). The result is clamped into that range, which is what bounds
    inference sees of the reads it indexes.
  }];
  let arguments = (ins FlatSymbolRefAttr:$source, Variadic<I32>:$args,
                       I64Attr:$bound);
  let results = (outs I32:$result);
  let assemblyFormat = "$source `(` $args `)` `below` $bound attr-dict";
}

def HL_ModOp : HL_Op<"mod", [NoSideEffect, SameOperandsAndResultType]> {
  let summary = "the remainder of floor division, in [0, rhs) for rhs > 0";
  let description = [{
    Halide's `%` on integers (arith has only truncating remainders). Halide's
    bounds inference knows its range, which it cannot derive from
    `a - (a floordiv b) * b`.
  }];
  let arguments = (ins I32:$lhs, I32:$rhs);
  let results = (outs I32:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict";
}

def HL_SelectOp : HL_Op<"select", [NoSideEffect,
    AllTypesMatch<["true_value", "false_value", "result"]>]> {
  let summary = "Halide's select(condition, true_value, false_value)";
  let description = [{
    `strict`: evaluated as written, with IEEE comparisons (Halide's
    strict_float), so that a select that keeps NaN (a clamp written
    x < lo ? lo : x) is not rewritten as Halide's max, which drops it.
  }];
  let arguments = (ins I1:$condition, AnyTypeOf<[F32, I32]>:$true_value,
                       AnyTypeOf<[F32, I32]>:$false_value, UnitAttr:$strict);
  let results = (outs AnyTypeOf<[F32, I32]>:$result);
  let assemblyFormat =
      "$condition `,` $true_value `,` $false_value attr-dict `:` type($result)";
}

def HL_RefOp : HL_Op<"ref", [NoSideEffect]> {
  let summary = "the tensor an hl symbol holds, while nn is being lowered";
  let description = [{
    Exists only during NNToHL: nn ops' SSA operands are replaced by refs to
    the funcs, inputs and buffers that compute them.
  }];
  let arguments = (ins FlatSymbolRefAttr:$target);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$target attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Schedules. `stage` 0 is the pure definition, k the k-th update.
//===----------------------------------------------------------------------===//

class HL_ScheduleOp<string mnemonic, dag args, string format>
    : HL_Op<mnemonic, [HasParent<"PipelineOp">]> {
  let arguments = !con((ins FlatSymbolRefAttr:$func), args);
  let assemblyFormat = "$func " # format # " attr-dict";
}

def HL_ComputeRootOp : HL_ScheduleOp<"compute_root", (ins), "">;
def HL_ComputeInlineOp : HL_ScheduleOp<"compute_inline", (ins), "">;
def HL_ComputeAtOp : HL_ScheduleOp<"compute_at",
    (ins FlatSymbolRefAttr:$consumer, StrAttr:$var), "`at` $consumer $var">;
// Halide's TailStrategy for extents a split's factor does not divide.
def HL_TailGuard : StrEnumAttrCase<"Guard", -1, "guard">;
def HL_TailShiftInwards : StrEnumAttrCase<"ShiftInwards", -1, "shift_inwards">;
def HL_TailRoundUp : StrEnumAttrCase<"RoundUp", -1, "round_up">;
def HL_TailAttr : StrEnumAttr<"Tail",
    "\"guard\" (a narrower last block behind an if, the default), "
    "\"shift_inwards\" (recompute an overlapping last block: pure stages "
    "only, no masked memory accesses) or \"round_up\" (compute past the end "
    "into a larger allocation: funcs that are not outputs, reading nothing "
    "out of bounds there)",
    [HL_TailGuard, HL_TailShiftInwards, HL_TailRoundUp]> {
  let cppNamespace = "::nncc::hl";
}

def HL_SplitOp : HL_ScheduleOp<"split",
    (ins I64Attr:$stage, StrAttr:$var, StrAttr:$outer, StrAttr:$inner,
         I64Attr:$factor, OptionalAttr<HL_TailAttr>:$tail),
    "`stage` $stage $var `into` $outer `,` $inner `by` $factor"> {
  let verifier = [{ return ::verify(*this); }];
}
def HL_FuseOp : HL_ScheduleOp<"fuse",
    (ins I64Attr:$stage, StrAttr:$inner, StrAttr:$outer, StrAttr:$fused),
    "`stage` $stage $inner `,` $outer `into` $fused">;
def HL_ReorderOp : HL_ScheduleOp<"reorder",
    (ins I64Attr:$stage, StrArrayAttr:$vars), "`stage` $stage $vars">;
def HL_VectorizeOp : HL_ScheduleOp<"vectorize",
    (ins I64Attr:$stage, StrAttr:$var), "`stage` $stage $var">;
def HL_UnrollOp : HL_ScheduleOp<"unroll",
    (ins I64Attr:$stage, StrAttr:$var), "`stage` $stage $var">;
def HL_ParallelOp : HL_ScheduleOp<"parallel",
    (ins I64Attr:$stage, StrAttr:$var), "`stage` $stage $var">;
// Halide's atomic(): the update is an associative reduction, so its
// reduction variables may be vectorized (a vector reduction within each
// vector) without a race being reported.
def HL_AtomicOp : HL_ScheduleOp<"atomic", (ins I64Attr:$stage),
    "`stage` $stage">;

#endif // HL_OPS_TD
