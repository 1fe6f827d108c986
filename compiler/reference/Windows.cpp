//===- Windows.cpp - convolutions, pools and resizing in float64 ----------===//
//
// Each a loop nest over the output written from the PyTorch function it
// matches; channels_last operands are permuted to NCHW first.
//
//===----------------------------------------------------------------------===//

#include "compiler/reference/EvaluatorOps.h"

#include <array>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace nncc;
using namespace nncc::reference;

/// F.conv2d on NCHW/OIHW, stride `s`, padding `p`, dilation `d`: each output
/// element the sum over its window.
static Tensor convolve(const Tensor &x, const Tensor &w, const Tensor *b,
                       std::array<int64_t, 2> s, std::array<int64_t, 2> p,
                       std::array<int64_t, 2> d, int64_t groups,
                       std::vector<int64_t> shape) {
  Tensor out(std::move(shape));
  int64_t N = out.shape[0], O = out.shape[1], OH = out.shape[2],
          OW = out.shape[3];
  int64_t C = x.shape[1], H = x.shape[2], W = x.shape[3];
  int64_t Cg = w.shape[1], KH = w.shape[2], KW = w.shape[3], Og = O / groups;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t oy = 0; oy < OH; ++oy)
        for (int64_t ox = 0; ox < OW; ++ox) {
          double sum = b ? b->data[o] : 0.0;
          int64_t g = o / Og;
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t ky = 0; ky < KH; ++ky)
              for (int64_t kx = 0; kx < KW; ++kx) {
                int64_t iy = oy * s[0] - p[0] + ky * d[0];
                int64_t ix = ox * s[1] - p[1] + kx * d[1];
                if (iy < 0 || iy >= H || ix < 0 || ix >= W)
                  continue;
                int64_t ic = g * Cg + c;
                sum += x.data[((n * C + ic) * H + iy) * W + ix] *
                       w.data[((o * Cg + c) * KH + ky) * KW + kx];
              }
          out.data[((n * O + o) * OH + oy) * OW + ox] = sum;
        }
  return out;
}

/// F.conv2d; channels_last operands are permuted to NCHW/OIHW.
Tensor reference::conv2d(nn::Conv2dOp op, const Tensor &xIn, const Tensor &wIn,
                         const Tensor *b) {
  auto pair = [](ArrayAttr a) {
    std::vector<int64_t> v = ints(a);
    return std::array<int64_t, 2>{v[0], v[1]};
  };
  bool last = op.getChannelsLast();
  Tensor x = last ? permute(xIn, nn::kFromChannelsLast) : xIn;
  Tensor w = last ? permute(wIn, nn::kWeightFromChannelsLast) : wIn;
  std::vector<int64_t> shape = shapeOf(op.getResult());
  Tensor out =
      convolve(x, w, b, pair(op.getStride()), pair(op.getPadding()),
               pair(op.getDilation()), op.getGroupsAttr().getInt(),
               last ? permutedShape(shape, nn::kFromChannelsLast) : shape);
  return last ? permute(out, nn::kToChannelsLast) : out;
}

/// F.conv1d on NCL/OIK: F.conv2d of a height-1 image.
Tensor reference::conv1d(nn::Conv1dOp op, const Tensor &xIn, const Tensor &wIn,
                         const Tensor *b) {
  auto unitHeight = [](Tensor t) {
    t.shape.insert(t.shape.begin() + 2, 1);
    return t;
  };
  std::vector<int64_t> shape = shapeOf(op.getResult());
  Tensor out =
      convolve(unitHeight(xIn), unitHeight(wIn), b, {1, op.getStride()},
               {0, op.getPadding()}, {1, op.getDilation()}, op.getGroups(),
               {shape[0], shape[1], 1, shape[2]});
  out.shape = shape;
  return out;
}

/// F.conv_transpose2d, scattered: each input element adds its products with
/// the kernel to the output at stride s, from -padding, dilated.
Tensor reference::convTranspose2d(nn::ConvTranspose2dOp op, const Tensor &x,
                                  const Tensor &w, const Tensor *b) {
  std::vector<int64_t> s = ints(op.getStride()), p = ints(op.getPadding()),
                       d = ints(op.getDilation());
  int64_t groups = op.getGroups();
  Tensor out(shapeOf(op.getResult()));
  int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  int64_t Og = w.shape[1], KH = w.shape[2], KW = w.shape[3];
  int64_t O = out.shape[1], OH = out.shape[2], OW = out.shape[3];
  for (int64_t n = 0; n < N; ++n)
    for (int64_t o = 0; o < O; ++o)
      for (int64_t i = 0; i < OH * OW; ++i)
        out.data[(n * O + o) * OH * OW + i] = b ? b->data[o] : 0.0;
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c) {
      int64_t g = c / (C / groups);
      for (int64_t iy = 0; iy < H; ++iy)
        for (int64_t ix = 0; ix < W; ++ix) {
          double v = x.data[((n * C + c) * H + iy) * W + ix];
          for (int64_t k = 0; k < Og; ++k)
            for (int64_t ky = 0; ky < KH; ++ky)
              for (int64_t kx = 0; kx < KW; ++kx) {
                int64_t oy = iy * s[0] - p[0] + ky * d[0];
                int64_t ox = ix * s[1] - p[1] + kx * d[1];
                if (oy < 0 || oy >= OH || ox < 0 || ox >= OW)
                  continue;
                int64_t o = g * Og + k;
                out.data[((n * O + o) * OH + oy) * OW + ox] +=
                    v * w.data[((c * Og + k) * KH + ky) * KW + kx];
              }
        }
    }
  return out;
}

/// Pooling on NCHW; channels_last operands are permuted to that. The
/// windows and divisors are PyTorch's (ATen's avg_pool2d).
template <typename Op>
static Tensor pool(Op op, const Tensor &xIn, bool isMax,
                   bool excludePad = false) {
  std::vector<int64_t> k = ints(op.getKernel()), s = ints(op.getStride()),
                       p = ints(op.getPadding());
  bool last = op.getChannelsLast();
  Tensor x = last ? permute(xIn, nn::kFromChannelsLast) : xIn;
  std::vector<int64_t> shape = shapeOf(op.getResult());
  Tensor out(last ? permutedShape(shape, nn::kFromChannelsLast) : shape);
  int64_t in[2] = {x.shape[2], x.shape[3]};
  forEach(out.shape, [&](const std::vector<int64_t> &idx, int64_t flat) {
    double acc = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
    int64_t start[2], end[2], size = 1, inside = 1;
    for (int i = 0; i < 2; ++i) {
      start[i] = idx[2 + i] * s[i] - p[i];
      end[i] = std::min(start[i] + k[i], in[i] + p[i]);
      size *= end[i] - start[i];
      inside *= std::min(end[i], in[i]) - std::max<int64_t>(start[i], 0);
    }
    for (int64_t iy = std::max<int64_t>(start[0], 0);
         iy < std::min(end[0], in[0]); ++iy)
      for (int64_t ix = std::max<int64_t>(start[1], 0);
           ix < std::min(end[1], in[1]); ++ix) {
        double v =
            x.data[((idx[0] * x.shape[1] + idx[1]) * in[0] + iy) * in[1] + ix];
        acc = isMax ? maxKeepingNaN(acc, v) : acc + v;
      }
    out.data[flat] = isMax ? acc : acc / (excludePad ? inside : size);
  });
  return last ? permute(out, nn::kToChannelsLast) : out;
}

/// F.adaptive_avg_pool2d and F.adaptive_max_pool2d: output i pools rows
/// floor(i H / h) to ceil((i + 1) H / h), and likewise columns.
Tensor reference::adaptivePool(const Tensor &x,
                               const std::vector<int64_t> &shape, bool isMax) {
  Tensor out(shape);
  int64_t H = x.shape[2], W = x.shape[3];
  forEach(shape, [&](const std::vector<int64_t> &idx, int64_t flat) {
    int64_t y0 = idx[2] * H / shape[2],
            y1 = ((idx[2] + 1) * H + shape[2] - 1) / shape[2];
    int64_t x0 = idx[3] * W / shape[3],
            x1 = ((idx[3] + 1) * W + shape[3] - 1) / shape[3];
    double acc = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
    for (int64_t iy = y0; iy < y1; ++iy)
      for (int64_t ix = x0; ix < x1; ++ix) {
        double v = x.data[((idx[0] * x.shape[1] + idx[1]) * H + iy) * W + ix];
        acc = isMax ? maxKeepingNaN(acc, v) : acc + v;
      }
    out.data[flat] = isMax ? acc : acc / ((y1 - y0) * (x1 - x0));
  });
  return out;
}

/// F.interpolate on NCHW; the source indices in f32, as ATen computes them.
Tensor reference::interpolate(nn::InterpolateOp op, const Tensor &x,
                              const std::vector<int64_t> &shape) {
  bool bilinear = op.getMode() == "bilinear";
  bool aligned = static_cast<bool>(op.getAlignCornersAttr());
  Tensor out(shape);
  forEach(shape, [&](const std::vector<int64_t> &idx, int64_t flat) {
    int64_t lo[2], hi[2];
    double far[2];
    for (unsigned d = 0; d < 2; ++d) {
      int64_t in = x.shape[2 + d], o = idx[2 + d], n = shape[2 + d];
      float scale = op.sourceScale(d);
      if (!bilinear) {
        lo[d] = n == in ? o
                : n == 2 * in
                    ? o / 2
                    : std::min<int64_t>((int64_t)std::floor((float)o * scale),
                                        in - 1);
        continue;
      }
      float src = aligned ? scale * (float)o
                          : std::max(scale * ((float)o + 0.5f) - 0.5f, 0.0f);
      lo[d] = (int64_t)src;
      hi[d] = std::min(lo[d] + 1, in - 1);
      far[d] = src - (float)lo[d];
    }
    auto at = [&](int64_t y, int64_t xx) {
      return x
          .data[((idx[0] * x.shape[1] + idx[1]) * x.shape[2] + y) * x.shape[3] +
                xx];
    };
    if (!bilinear) {
      out.data[flat] = at(lo[0], lo[1]);
      return;
    }
    auto row = [&](int64_t y) {
      return (1 - far[1]) * at(y, lo[1]) + far[1] * at(y, hi[1]);
    };
    out.data[flat] = (1 - far[0]) * row(lo[0]) + far[0] * row(hi[0]);
  });
  return out;
}

/// F.adaptive_avg_pool2d(x, 1), on NCHW like `pool`.
Tensor reference::globalAvgPool(nn::GlobalAvgPool2dOp op, const Tensor &xIn) {
  bool last = op.getChannelsLast();
  Tensor x = last ? permute(xIn, nn::kFromChannelsLast) : xIn;
  Tensor t({x.shape[0], x.shape[1], 1, 1});
  int64_t hw = x.shape[2] * x.shape[3];
  for (int64_t i = 0; i < t.size(); ++i) {
    double sum = 0;
    for (int64_t j = 0; j < hw; ++j)
      sum += x.data[i * hw + j];
    t.data[i] = sum / hw;
  }
  return last ? permute(t, nn::kToChannelsLast) : t;
}

Tensor reference::maxPool(nn::MaxPool2dOp op, const Tensor &x) {
  return pool(op, x, /*isMax=*/true);
}

Tensor reference::avgPool(nn::AvgPool2dOp op, const Tensor &x) {
  return pool(op, x, /*isMax=*/false,
              static_cast<bool>(op.getExcludePadAttr()));
}
