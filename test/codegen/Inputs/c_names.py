"""Writes a model whose inputs are named after every C and C++ keyword,
the macros of <stddef.h> and <stdint.h>, and identifiers reserved to the
implementation, each read by the output.

    c_names.py OUT.graph
"""
import sys

C = """auto break case char const continue default do double else enum extern
float for goto if inline int long register restrict return short signed
sizeof static struct switch typedef union unsigned void volatile while
_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn
_Static_assert _Thread_local""".split()
CXX = """alignas alignof and and_eq asm bitand bitor bool catch char8_t char16_t
char32_t class compl concept const_cast consteval constexpr constinit
co_await co_return co_yield decltype delete dynamic_cast explicit export
false friend mutable namespace new noexcept not not_eq nullptr operator or
or_eq private protected public reinterpret_cast requires static_assert
static_cast template this thread_local throw true try typeid typename using
virtual wchar_t xor xor_eq""".split()
MACROS = """NULL offsetof SIZE_MAX PTRDIFF_MIN PTRDIFF_MAX SIG_ATOMIC_MIN
SIG_ATOMIC_MAX WCHAR_MIN WCHAR_MAX WINT_MIN WINT_MAX INT8_MIN INT8_MAX
UINT8_MAX INT16_MIN INT16_MAX UINT16_MAX INT32_MIN INT32_MAX UINT32_MAX
INT64_MIN INT64_MAX UINT64_MAX INT_LEAST8_MIN INT_FAST32_MAX UINT_LEAST64_MAX
INTPTR_MIN INTPTR_MAX UINTPTR_MAX INTMAX_MIN INTMAX_MAX UINTMAX_MAX INT8_C
UINT64_C INTMAX_C""".split()
RESERVED = "__x _X __cplusplus _ x__y".split()
# Names the graph language itself keeps.
OWN = {"model", "input", "param", "output", "def", "return", "true", "false"}

names = [n for n in C + CXX + MACROS + RESERVED if n not in OWN]
with open(sys.argv[1], "w") as f:
    f.write("model c_names\n")
    for n in names:
        f.write("input %s : f32[2]\n" % n)
    f.write("output y = " + " + ".join(names) + "\n")
