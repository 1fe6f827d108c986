//===- CNames.cpp - names the generated C header can use ------------------===//

#include "compiler/frontend/CNames.h"

#include "llvm/ADT/StringSet.h"

#include <cctype>

using namespace llvm;

bool nncc::isReservedInC(StringRef name) {
  static const StringSet<> words = {
      // C17, with the underscore keywords of C11.
      "auto", "break", "case", "char", "const", "continue", "default", "do",
      "double", "else", "enum", "extern", "float", "for", "goto", "if",
      "inline", "int", "long", "register", "restrict", "return", "short",
      "signed", "sizeof", "static", "struct", "switch", "typedef", "union",
      "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
      "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
      "_Static_assert", "_Thread_local",
      // C++20, with the alternative operator spellings.
      "alignas", "alignof", "and", "and_eq", "asm", "bitand", "bitor", "bool",
      "catch", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
      "const_cast", "consteval", "constexpr", "constinit", "co_await",
      "co_return", "co_yield", "decltype", "delete", "dynamic_cast", "explicit",
      "export", "false", "friend", "mutable", "namespace", "new", "noexcept",
      "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private",
      "protected", "public", "reinterpret_cast", "requires", "static_assert",
      "static_cast", "template", "this", "thread_local", "throw", "true", "try",
      "typeid", "typename", "using", "virtual", "wchar_t", "xor", "xor_eq",
      // Macros of <stddef.h> and <stdint.h> (the INTn_ ones by pattern).
      "NULL", "offsetof", "SIZE_MAX", "PTRDIFF_MIN", "PTRDIFF_MAX",
      "SIG_ATOMIC_MIN", "SIG_ATOMIC_MAX", "WCHAR_MIN", "WCHAR_MAX", "WINT_MIN",
      "WINT_MAX"};
  if (words.contains(name) || name.contains("__") ||
      (name.size() > 1 && name[0] == '_' && std::isupper(name[1])))
    return true;
  StringRef rest = name;
  rest.consume_front("U");
  return rest.startswith("INT") &&
         (rest.endswith("_MIN") || rest.endswith("_MAX") ||
          rest.endswith("_C"));
}

std::string nncc::modelNameProblem(StringRef name) {
  if (isReservedInC(name))
    return "is a keyword or a reserved name in C or C++";
  if (name.startswith("_"))
    return "is reserved at file scope in C (it starts with '_')";
  for (StringRef prefix : {"halide_", "nncc_"})
    if (name.startswith(prefix))
      return "starts with '" + prefix.str() +
             "', the prefix of the runtime that the object embeds";
  return "";
}
