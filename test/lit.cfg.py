# lit configuration for nncc: tests mirror the source tree (frontend/ for
# compiler/frontend, nn/ for dialects/nn, ...).
import os

import lit.formats

config.name = "nncc"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".graph", ".mlir", ".test"]
config.excludes = ["Inputs", "unit", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.nncc_obj_root, "test")

# nncc, nncc-opt, then FileCheck, not and count from LLVM 14.
config.environment["PATH"] = os.pathsep.join(
    [config.nncc_tools_dir, config.llvm_tools_dir, config.environment["PATH"]])
config.substitutions.append(("%nncc_src", config.nncc_src_root))
config.substitutions.append(("%examples", os.path.join(config.nncc_src_root, "examples")))
config.substitutions.append(("%check", os.path.join(config.test_source_root, "e2e", "Inputs", "check.sh")))
config.substitutions.append(("%nncc_build", config.nncc_obj_root))
config.substitutions.append(("%nncc_binary", os.path.join(config.nncc_tools_dir, "nncc")))

# scripts/test --sanitize: nncc under AddressSanitizer, which reserves
# terabytes of address space (no ulimit -v) and warns about Halide's
# coroutines on stderr. Tests of either say UNSUPPORTED: asan.
for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
if "-fsanitize=address" in getattr(config, "nncc_cxx_flags", ""):
    config.available_features.add("asan")
