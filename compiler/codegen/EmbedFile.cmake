# cmake -DIN=FILE -DOUT=FILE.inc -P EmbedFile.cmake: FILE's bytes as a C
# initializer list, for `const unsigned char x[] = {
# #include "FILE.inc"
# };`.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "${bytes}\n")
