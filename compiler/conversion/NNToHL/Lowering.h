//===- Lowering.h - the shared shape of nn-to-hl patterns -------*- C++ -*-===//
#ifndef NNCC_CONVERSION_NNTOHL_LOWERING_H
#define NNCC_CONVERSION_NNTOHL_LOWERING_H

#include "compiler/conversion/NNToHL/HLBuilder.h"
#include "dialects/nn/NNOps.h"

#include "mlir/Transforms/DialectConversion.h"

namespace nncc {

/// The pipeline an nn function is being lowered into.
struct LoweringState {
  hl::PipelineOp pipeline;
  mlir::SymbolTable symbols;
};

/// Lowers one nn op to hl definitions and replaces it with an hl.ref to the
/// func that holds its result. Subclasses implement `lower`, which sees
/// operands as refs (`ref(v)` gives their symbol).
template <typename Op> class NNLowering : public mlir::OpConversionPattern<Op> {
public:
  using Adaptor = typename Op::Adaptor;
  NNLowering(mlir::MLIRContext *ctx, LoweringState &state)
      : mlir::OpConversionPattern<Op>(ctx), state(state) {}

  mlir::LogicalResult
  matchAndRewrite(Op op, Adaptor adaptor,
                  mlir::ConversionPatternRewriter &rewriter) const final {
    HLBuilder hb(rewriter, op.getLoc(), state.pipeline, state.symbols);
    mlir::FailureOr<HLBuilder::Ref> result = lower(op, adaptor, hb);
    if (mlir::failed(result))
      return mlir::failure();
    rewriter.replaceOpWithNewOp<hl::RefOp>(op, op.getType(), *result);
    return mlir::success();
  }

protected:
  virtual mlir::FailureOr<HLBuilder::Ref> lower(Op op, Adaptor adaptor,
                                                HLBuilder &hb) const = 0;

  static HLBuilder::Ref ref(mlir::Value v) {
    return v ? v.getDefiningOp<hl::RefOp>().getTargetAttr() : HLBuilder::Ref();
  }
  static llvm::ArrayRef<int64_t> shape(mlir::Value v) {
    return v.getType().cast<mlir::ShapedType>().getShape();
  }

  LoweringState &state;
};

/// What a reduction adds up (or takes the max of): a function of x at
/// (kept variables, reduction variables), given both; the reduction
/// variables in the order of the axes they run along.
using ReducedValue = llvm::function_ref<mlir::Value(
    mlir::Value x, mlir::ValueRange kept, mlir::ValueRange reduced)>;

/// A func of `x` (of shape `xs`) reduced over `axes` (ascending), kept as
/// size 1 with `keepdim`: init, then combine(g, value(x, ...)) over them.
HLBuilder::Ref
reduce(HLBuilder &hb, llvm::StringRef name, HLBuilder::Ref x,
       llvm::ArrayRef<int64_t> xs, llvm::ArrayRef<int64_t> axes, bool keepdim,
       float init, mlir::Value (HLBuilder::*combine)(mlir::Value, mlir::Value),
       ReducedValue value);

/// Reads a [h, w] attribute.
std::array<int64_t, 2> pairOf(mlir::ArrayAttr attr);

void populateElementwiseLowerings(mlir::RewritePatternSet &patterns,
                                  LoweringState &state);
void populateLinearLowerings(mlir::RewritePatternSet &patterns,
                             LoweringState &state);
void populateConvLowerings(mlir::RewritePatternSet &patterns,
                           LoweringState &state);
void populatePoolLowerings(mlir::RewritePatternSet &patterns,
                           LoweringState &state);
void populateReductionLowerings(mlir::RewritePatternSet &patterns,
                                LoweringState &state);
void populateNormalizationLowerings(mlir::RewritePatternSet &patterns,
                                    LoweringState &state);
void populateAttentionLowerings(mlir::RewritePatternSet &patterns,
                                LoweringState &state);
void populateResizeLowerings(mlir::RewritePatternSet &patterns,
                             LoweringState &state);
void populateWinogradLowerings(mlir::RewritePatternSet &patterns,
                               LoweringState &state);
void populateDataMovementLowerings(mlir::RewritePatternSet &patterns,
                                   LoweringState &state);

} // namespace nncc

#endif // NNCC_CONVERSION_NNTOHL_LOWERING_H
