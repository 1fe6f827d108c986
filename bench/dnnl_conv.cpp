// oneDNN's forward convolution, called directly, on one of bench/run.py's
// convolution workloads:
//   OMP_NUM_THREADS=T ./dnnl_conv C O K HW PAD RUNS      -> median ms
// Source and result are NCHW at the boundary, as nncc's are: the reorders to
// and from the layout the primitive picks are timed; the weights are
// reordered once beforehand, as nncc re-lays them out at compile time.
#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

int main(int argc, char **argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: %s C O K HW PAD RUNS\n", argv[0]);
    return 2;
  }
  memory::dim c = std::atol(argv[1]), o = std::atol(argv[2]),
              k = std::atol(argv[3]), hw = std::atol(argv[4]),
              pad = std::atol(argv[5]);
  int runs = std::atoi(argv[6]);
  memory::dim out = hw + 2 * pad - k + 1;
  engine eng(engine::kind::cpu, 0);
  stream s(eng);

  memory::desc srcUser({1, c, hw, hw}, dt::f32, tag::nchw);
  memory::desc wUser({o, c, k, k}, dt::f32, tag::oihw);
  memory::desc bDesc({o}, dt::f32, tag::x);
  memory::desc dstUser({1, o, out, out}, dt::f32, tag::nchw);
  auto any = [](memory::dims d) { return memory::desc(d, dt::f32, tag::any); };
  convolution_forward::primitive_desc pd(
      {prop_kind::forward_inference, algorithm::convolution_direct,
       any({1, c, hw, hw}), any({o, c, k, k}), bDesc, any({1, o, out, out}),
       {1, 1}, {pad, pad}, {pad, pad}},
      eng);

  std::vector<float> src(1 * c * hw * hw), w(o * c * k * k), b(o),
      dst(o * out * out);
  for (size_t i = 0; i < src.size(); ++i)
    src[i] = float(i % 1000) / 1000.0f - 0.5f;
  for (size_t i = 0; i < w.size(); ++i)
    w[i] = float(i % 997) / 20000.0f - 0.025f;
  memory srcMem(srcUser, eng, src.data()), wMem(wUser, eng, w.data()),
      bMem(bDesc, eng, b.data()), dstMem(dstUser, eng, dst.data());
  memory srcConv(pd.src_desc(), eng), wConv(pd.weights_desc(), eng),
      dstConv(pd.dst_desc(), eng);
  reorder(wMem, wConv).execute(s, wMem, wConv);
  reorder srcIn(srcMem, srcConv), dstOut(dstConv, dstMem);
  convolution_forward conv(pd);

  auto once = [&] {
    srcIn.execute(s, srcMem, srcConv);
    conv.execute(s, {{DNNL_ARG_SRC, srcConv},
                     {DNNL_ARG_WEIGHTS, wConv},
                     {DNNL_ARG_BIAS, bMem},
                     {DNNL_ARG_DST, dstConv}});
    dstOut.execute(s, dstConv, dstMem);
    s.wait();
  };
  // At least 3 calls and 200 ms, as bench/run_timed.c warms nncc's code up.
  auto warm = std::chrono::steady_clock::now();
  for (int i = 0; i < 3 || std::chrono::steady_clock::now() - warm <
                               std::chrono::milliseconds(200);
       ++i)
    once();
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    once();
    ms.push_back(std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::nth_element(ms.begin(), ms.begin() + ms.size() / 2, ms.end());
  std::printf("%.4f\n", ms[ms.size() / 2]);
  return 0;
}
