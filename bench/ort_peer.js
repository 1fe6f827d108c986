// ONNX Runtime (CPU) on a real model of bench/run.py: the module exported
// by examples/torch_models.py --onnx.
//
//   node bench/ort_peer.js MODEL.onnx THREADS RUNS
//
// Prints the median ms of RUNS calls after a warm-up (at least 3 calls and
// 200 ms, as bench/run_timed.c), with THREADS intra-op threads, all graph
// optimisations on. Run once per thread count in a fresh process.
// scripts/setup --bench installs onnxruntime-node into bench/peers.
const path = require('path');
const ort = require(path.join(__dirname, 'peers', 'node_modules',
                              'onnxruntime-node'));

async function main() {
  const [model, threads, runs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: parseInt(threads),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const feeds = {};
  for (const name of session.inputNames) {
    const dims = session.inputMetadata.find(m => m.name === name).shape;
    const size = dims.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({length: size}, (_, i) => (i % 1000) / 1000 - 0.5);
    feeds[name] = new ort.Tensor('float32', data, dims);
  }
  const start = process.hrtime.bigint();
  for (let calls = 0;
       calls < 3 || Number(process.hrtime.bigint() - start) < 200e6; ++calls)
    await session.run(feeds);
  const times = [];
  for (let i = 0; i < parseInt(runs); ++i) {
    const t = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  console.log(median.toFixed(4));
}

main().catch(e => { console.error(e.message); process.exit(1); });
