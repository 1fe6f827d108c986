//===- ObjectEmitter.cpp - object files and headers per LANGUAGE.md §7 ----===//
//
// Halide compiles the entry point (and, unless --no-runtime, its runtime)
// to an LLVM module. Into that same module this file adds, with IRBuilder,
// what §7 asks of nncc itself: the dense-pointer entry point and the
// `_info` table; nncc's runtime (runtime/, the weak `nncc_*` helpers) is
// linked in as bitcode (RuntimeLink.cpp). A model cut into groups has their
// objects joined to this one (GroupCompiler.cpp, ObjectCode.cpp).
//
//===----------------------------------------------------------------------===//

#include "compiler/codegen/ObjectEmitter.h"
#include "compiler/codegen/CString.h"
#include "compiler/codegen/GroupCompiler.h"
#include "compiler/codegen/ObjectCode.h"
#include "compiler/codegen/OutputFile.h"
#include "compiler/codegen/RuntimeLink.h"
#include "compiler/frontend/CNames.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <set>

using namespace nncc;

namespace {

constexpr int kNullArgumentStatus = -12; // buffer argument is null

/// A C identifier for a tensor name: `conv1.weight` -> `conv1_weight`
/// (ONNX's `input.1` -> `input_1`, `0` -> `t_0`), made unique and kept
/// clear of C keywords.
std::vector<std::string>
cNames(const std::vector<const TensorArgument *> &args) {
  std::vector<std::string> out;
  std::set<std::string> used;
  for (const TensorArgument *arg : args) {
    std::string name = arg->name;
    for (char &c : name)
      if (!isalnum((unsigned char)c))
        c = '_';
    if (name.empty() || isdigit((unsigned char)name[0]))
      name = "t_" + name;
    // Parameter names are not part of the ABI: a reserved one (`class`,
    // `NULL`, `__x`) gets a prefix, and no double underscores.
    if (isReservedInC(name)) {
      name = "arg_" + name;
      for (size_t at; (at = name.find("__")) != std::string::npos;)
        name.erase(at, 1);
    }
    std::string unique = name;
    for (int i = 2; used.count(unique); ++i)
      unique = name + "_" + std::to_string(i);
    used.insert(unique);
    out.push_back(unique);
  }
  return out;
}

std::vector<const TensorArgument *> allArguments(const HalidePipeline &p) {
  std::vector<const TensorArgument *> args;
  for (const TensorArgument &a : p.inputs)
    args.push_back(&a);
  for (const TensorArgument &a : p.outputs)
    args.push_back(&a);
  return args;
}

class Wrappers {
public:
  Wrappers(llvm::Module &module, const HalidePipeline &p)
      : module(module), ctx(module.getContext()), p(p),
        i8p(llvm::Type::getInt8PtrTy(ctx)), i32(llvm::Type::getInt32Ty(ctx)),
        i64(llvm::Type::getInt64Ty(ctx)) {}

  bool emitEntryPoint();
  void emitInfo();

private:
  llvm::Constant *string(llvm::StringRef s, const llvm::Twine &name) {
    return cString(module, s, name);
  }
  llvm::Function *declare(llvm::StringRef name, llvm::FunctionType *type) {
    return llvm::cast<llvm::Function>(
        module.getOrInsertFunction(name, type).getCallee());
  }

  llvm::Module &module;
  llvm::LLVMContext &ctx;
  const HalidePipeline &p;
  llvm::Type *i8p, *i32, *i64;
};

/// int NAME(const float *in..., float *out...): wraps each pointer in a
/// dense row-major halide_buffer_t and calls NAME_buffers. Null pointers are
/// rejected here: Halide would read a null host as a bounds query.
bool Wrappers::emitEntryPoint() {
  llvm::Function *inner = module.getFunction(p.name + "_buffers");
  if (!inner || inner->arg_size() == 0)
    return false;
  auto *bufferPtrType = inner->getArg(0)->getType();
  auto *bufferType =
      llvm::cast<llvm::StructType>(bufferPtrType->getPointerElementType());
  // halide_buffer_t: device, device_interface, host, flags, type, dimensions,
  // dim, padding.
  auto *dimPtrType =
      llvm::cast<llvm::PointerType>(bufferType->getElementType(6));
  auto *dimType =
      llvm::cast<llvm::StructType>(dimPtrType->getPointerElementType());
  auto *typeType = llvm::cast<llvm::StructType>(bufferType->getElementType(4));

  std::vector<const TensorArgument *> args = allArguments(p);
  llvm::IRBuilder<> b(ctx);
  auto *floatPtr = llvm::Type::getFloatPtrTy(ctx);
  auto *fnType = llvm::FunctionType::get(
      i32, std::vector<llvm::Type *>(args.size(), floatPtr), false);
  auto *fn = llvm::Function::Create(fnType, llvm::GlobalValue::ExternalLinkage,
                                    p.name, module);
  auto *halideError =
      declare("halide_error",
              llvm::FunctionType::get(b.getVoidTy(), {i8p, i8p}, false));

  auto *entry = llvm::BasicBlock::Create(ctx, "entry", fn);
  b.SetInsertPoint(entry);
  std::vector<llvm::Value *> buffers;
  std::vector<std::string> names = cNames(args);
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::Value *ptr = fn->getArg(i);
    ptr->setName(names[i]);
    auto *ok = llvm::BasicBlock::Create(ctx, names[i] + ".ok", fn);
    auto *bad = llvm::BasicBlock::Create(ctx, names[i] + ".null", fn);
    b.CreateCondBr(b.CreateIsNull(ptr), bad, ok);
    b.SetInsertPoint(bad);
    b.CreateCall(
        halideError,
        {llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(i8p)),
         string(p.name + ": argument '" + args[i]->name + "' is a null pointer",
                "nncc.null." + names[i])});
    b.CreateRet(b.getInt32(kNullArgumentStatus));
    b.SetInsertPoint(ok);
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::vector<int64_t> &shape = args[i]->shape;
    // Halide's dimension 0 is the innermost, stride 1.
    std::vector<llvm::Constant *> dims;
    int64_t stride = 1;
    for (size_t d = shape.size(); d-- > 0;) {
      dims.push_back(llvm::ConstantStruct::get(
          dimType, {b.getInt32(0), b.getInt32((int32_t)shape[d]),
                    b.getInt32((int32_t)stride), b.getInt32(0)}));
      stride *= shape[d];
    }
    auto *dimArrayType = llvm::ArrayType::get(dimType, dims.size());
    auto *dimAlloca = b.CreateAlloca(dimArrayType);
    b.CreateStore(llvm::ConstantArray::get(dimArrayType, dims), dimAlloca);
    llvm::Value *buffer = llvm::Constant::getNullValue(bufferType);
    buffer = b.CreateInsertValue(
        buffer, b.CreateBitCast(fn->getArg(i), bufferType->getElementType(2)),
        2);
    buffer = b.CreateInsertValue(
        buffer,
        llvm::ConstantStruct::get(
            typeType, {b.getInt8(args[i]->int32 ? 0 /*int*/ : 2 /*float*/),
                       b.getInt8(32), b.getInt16(1)}),
        4);
    buffer = b.CreateInsertValue(buffer, b.getInt32((int32_t)shape.size()), 5);
    buffer =
        b.CreateInsertValue(buffer, b.CreateBitCast(dimAlloca, dimPtrType), 6);
    auto *bufferAlloca = b.CreateAlloca(bufferType);
    b.CreateStore(buffer, bufferAlloca);
    buffers.push_back(bufferAlloca);
  }
  b.CreateRet(b.CreateCall(inner, buffers));
  return true;
}

/// const struct nncc_model_info NAME_info (see the header for the layout).
void Wrappers::emitInfo() {
  llvm::IRBuilder<> b(ctx);
  auto *i64p = llvm::PointerType::getUnqual(i64);
  auto *tensorType = llvm::StructType::create(ctx, {i8p, i32, i32, i64p, i32},
                                              "struct.nncc_tensor_info");
  std::vector<const TensorArgument *> args = allArguments(p);
  std::vector<llvm::Constant *> tensors;
  int params = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const TensorArgument &a = *args[i];
    bool isOutput = i >= p.inputs.size();
    params += a.isParam;
    auto *shapeType = llvm::ArrayType::get(i64, a.shape.size());
    std::vector<llvm::Constant *> dims;
    for (int64_t d : a.shape)
      dims.push_back(b.getInt64(d));
    auto *shape = new llvm::GlobalVariable(
        module, shapeType, true, llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantArray::get(shapeType, dims), p.name + ".shape");
    tensors.push_back(llvm::ConstantStruct::get(
        tensorType, {string(a.name, p.name + ".name"),
                     b.getInt32(isOutput    ? 2
                                : a.isParam ? 1
                                            : 0),
                     b.getInt32((int32_t)a.shape.size()),
                     llvm::ConstantExpr::getBitCast(shape, i64p),
                     b.getInt32(a.int32 ? 1 : 0)}));
  }
  auto *tableType = llvm::ArrayType::get(tensorType, tensors.size());
  auto *table = new llvm::GlobalVariable(
      module, tableType, true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantArray::get(tableType, tensors), p.name + ".args");

  llvm::Function *argv = module.getFunction(p.name + "_buffers_argv");
  auto *argvType =
      llvm::FunctionType::get(i32, {llvm::PointerType::getUnqual(i8p)}, false);
  auto *infoType = llvm::StructType::create(
      ctx,
      {i8p, i32, i32, i32, llvm::PointerType::getUnqual(tensorType),
       llvm::PointerType::getUnqual(argvType)},
      "struct.nncc_model_info");
  llvm::Constant *argvPtr =
      argv ? llvm::ConstantExpr::getBitCast(
                 argv, llvm::PointerType::getUnqual(argvType))
           : llvm::ConstantPointerNull::get(
                 llvm::PointerType::getUnqual(argvType));
  new llvm::GlobalVariable(
      module, infoType, true, llvm::GlobalValue::ExternalLinkage,
      llvm::ConstantStruct::get(
          infoType, {string(p.name, p.name + ".model"),
                     b.getInt32((int32_t)p.inputs.size() - params),
                     b.getInt32(params), b.getInt32((int32_t)p.outputs.size()),
                     llvm::ConstantExpr::getBitCast(
                         table, llvm::PointerType::getUnqual(tensorType)),
                     argvPtr}),
      p.name + "_info");
}

/// The object of `module`, written to `path`.
bool compileToObject(llvm::Module &module, const std::string &path,
                     std::string &error) {
  llvm::SmallVector<char, 0> object;
  return emitObjectCode(module, object, error) &&
         writeOutput(path, llvm::StringRef(object.data(), object.size()),
                     error);
}

} // namespace

std::string nncc::headerText(const HalidePipeline &p) {
  std::vector<const TensorArgument *> args = allArguments(p);
  std::vector<std::string> names = cNames(args);
  std::string guard = "NNCC_MODEL_" + p.name + "_H";
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "/* Generated by nncc: the model '" << p.name << "'. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << runtimeHeader() << "\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  auto shapeComment = [&](const TensorArgument &a) {
    os << (a.int32 ? "i32[" : "f32[");
    llvm::interleaveComma(a.shape, os);
    os << "]";
  };
  os << "/* Dense row-major arrays; returns 0 on success. */\n"
     << "int " << p.name << "(";
  for (size_t i = 0; i < args.size(); ++i) {
    bool isOutput = i >= p.inputs.size();
    os << (i ? ",\n    " : "")
       << (isOutput         ? "float *"
           : args[i]->int32 ? "const int32_t *"
                            : "const float *")
       << names[i] << " /* ";
    shapeComment(*args[i]);
    os << " */";
  }
  os << ");\n\n/* The same with Halide buffers: any strides, except that the "
        "innermost\n   dimension must be contiguous (stride 1). */\n"
     << "int " << p.name << "_buffers(";
  for (size_t i = 0; i < args.size(); ++i)
    os << (i ? ", " : "") << "struct halide_buffer_t *" << names[i];
  os << ");\n\nextern const struct nncc_model_info " << p.name << "_info;\n\n"
     << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return os.str();
}

/// Runs `body`, turning Halide's exceptions into `error`: no exception
/// leaves this library, whose callers are built without them.
template <typename Body> static bool guarded(std::string &error, Body body) {
  try {
    return body();
  } catch (const Halide::Error &e) {
    error = std::string("Halide: ") + e.what();
    return false;
  }
}

/// The Halide module of `p`, for its statement and assembly: its groups'
/// functions (internal, called by name from the entry point's extern
/// stages, so defined before it), then the entry point, with each constant
/// buffer once.
static Halide::Module lowerToModule(HalidePipeline &p,
                                    const Halide::Target &target) {
  Halide::Module entry = p.pipeline.compile_to_module(
      p.inputArguments, p.name + "_buffers", target);
  if (p.groups.empty())
    return entry;
  Halide::Module all(p.name, target);
  std::set<std::string> buffers;
  auto add = [&](const Halide::Module &m) {
    for (const Halide::Internal::LoweredFunc &f : m.functions())
      all.append(f);
    for (const Halide::Buffer<> &b : m.buffers())
      if (buffers.insert(b.name()).second)
        all.append(b);
  };
  for (HalideGroup &g : p.groups)
    add(g.pipeline.compile_to_module(g.arguments, g.function, target,
                                     Halide::LinkageType::Internal));
  add(entry);
  return all;
}

/// The entry point's module, with the runtime and nncc's wrappers, as an
/// object in `object`.
static bool entryObject(HalidePipeline &p, const Halide::Target &target,
                        llvm::SmallVectorImpl<char> &object,
                        std::string &error) {
  Halide::Module entry = p.pipeline.compile_to_module(
      p.inputArguments, p.name + "_buffers", target);
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> module =
      Halide::compile_module_to_llvm_module(entry, ctx);
  Wrappers wrappers(*module, p);
  // The runtime the object embeds, and the C library it calls, may
  // already own the entry point's names (`malloc`, `halide_malloc`): the
  // module would rename the model's, and the header would call theirs.
  for (const std::string &name : {p.name, p.name + "_info"})
    if (module->getNamedValue(name)) {
      error = "model name '" + p.name + "': '" + name +
              "' is a symbol of the runtime the object embeds, or of the C "
              "library it calls; rename the model";
      return false;
    }
  if (!wrappers.emitEntryPoint()) {
    error = "internal error: no entry point '" + p.name + "_buffers'";
    return false;
  }
  wrappers.emitInfo();
  if (!target.has_feature(Halide::Target::NoRuntime) &&
      !linkNNCCRuntime(*module, target, error))
    return false;
  if (target.has_feature(Halide::Target::Profile))
    emitProfileTable(*module, p.name, target.natural_vector_size<float>(),
                     p.profile);
  return emitObjectCode(*module, object, error);
}

bool nncc::emitObject(HalidePipeline &p, const Halide::Target &target,
                      const std::string &objectPath,
                      const std::string &headerPath, const Progress &progress,
                      std::string &error) {
  return guarded(error, [&] {
    llvm::SmallVector<char, 0> object;
    if (p.groups.empty()) {
      if (!entryObject(p, target, object, error))
        return false;
    } else {
      // The groups compile on every core while this process compiles the
      // entry point; ld then joins their objects.
      std::vector<std::string> objects;
      auto removeAll = llvm::make_scope_exit([&] {
        for (const std::string &o : objects)
          llvm::sys::fs::remove(o);
      });
      bool ok = compileGroups(
          p, target,
          [&] {
            llvm::SmallVector<char, 0> entry;
            llvm::SmallString<128> entryPath;
            if (!guarded(error,
                         [&] { return entryObject(p, target, entry, error); }))
              return false;
            if (llvm::sys::fs::createTemporaryFile("nncc-entry", "o",
                                                   entryPath)) {
              error = "cannot create a temporary file";
              return false;
            }
            objects.insert(objects.begin(), entryPath.str().str());
            return writeOutput(objects.front(),
                               llvm::StringRef(entry.data(), entry.size()),
                               error);
          },
          progress, objects, error);
      if (!ok || !joinObjects(objects, object, error))
        return false;
    }
    return writeOutput(objectPath,
                       llvm::StringRef(object.data(), object.size()), error) &&
           writeOutput(headerPath, headerText(p), error);
  });
}

bool nncc::emitRuntime(const Halide::Target &target,
                       const std::string &objectPath, std::string &error) {
  return guarded(error, [&] {
    // An empty Halide module still carries the whole runtime.
    Halide::Module hm("nncc_runtime",
                      target.without_feature(Halide::Target::NoRuntime));
    llvm::LLVMContext ctx;
    std::unique_ptr<llvm::Module> module =
        Halide::compile_module_to_llvm_module(hm, ctx);
    if (!linkNNCCRuntime(*module, target, error))
      return false;
    return compileToObject(*module, objectPath, error);
  });
}

bool nncc::emitStmt(HalidePipeline &p, const Halide::Target &target,
                    const std::string &path, bool assembly,
                    std::string &error) {
  return guarded(error, [&] {
    Halide::Module hm = lowerToModule(p, target);
    // Halide writes the file itself and ignores write errors: it writes a
    // temporary one, copied to `path` with them checked.
    llvm::SmallString<128> temp;
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("nncc", "txt", temp)) {
      error = "cannot create a temporary file: " + ec.message();
      return false;
    }
    auto removeTemp =
        llvm::make_scope_exit([&] { llvm::sys::fs::remove(temp); });
    hm.compile({{assembly ? Halide::OutputFileType::assembly
                          : Halide::OutputFileType::stmt,
                 temp.str().str()}});
    auto text = llvm::MemoryBuffer::getFile(temp);
    if (!text) {
      error = "cannot read '" + temp.str().str() +
              "': " + text.getError().message();
      return false;
    }
    return writeOutput(path, (*text)->getBuffer(), error);
  });
}
