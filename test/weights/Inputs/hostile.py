"""Writes weights files built to exhaust or crash a reader into DIR.

    hostile.py DIR
"""
import json
import os
import struct
import sys
import warnings
import zipfile
import zlib

out = sys.argv[1]
warnings.simplefilter("ignore")  # zipfile on the duplicate name


def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def safetensors(header_text, data=b""):
    h = header_text.encode()
    return struct.pack("<Q", len(h)) + h + data


def npy(shape, data=b""):
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        "".join("%d, " % d for d in shape))
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + \
        header.encode() + data


def npz(members, deflate=False):
    path = os.path.join(out, "tmp.zip")
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", method) as z:
        for name, data in members:
            z.writestr(name, data)
    with open(path, "rb") as f:
        data = f.read()
    os.remove(path)
    return data


# A shape whose byte count wraps to 0 (2^62 * 4 = 2^64), with no data.
write("wrap.safetensors", safetensors(json.dumps(
    {"conv.weight": {"dtype": "F32", "shape": [2**62],
                     "data_offsets": [0, 0]}})))
write("wrap.npz", npz([("conv.weight.npy", npy([2**62]))]))
# 40,000 nested arrays.
write("deep.safetensors", safetensors("[" * 40000))
# Two entries sharing bytes, and a name given twice.
write("overlap.safetensors", safetensors(json.dumps({
    "a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
    "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}),
    bytes(12)))
write("twice.safetensors", safetensors(
    '{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, '
    '"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}', bytes(8)))
write("twice.npz", npz([("a.npy", npy([1], bytes(4))),
                        ("a.npy", npy([1], bytes(4)))]))
# The same key spelled two ways: "a" and "\u0061".
write("escaped.safetensors", safetensors(
    '{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, '
    '"\\u0061": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}',
    bytes(8)))
# One member listed again under another name: its bytes read twice.
one = bytearray(npz([("conv.weight.npy", npy([8, 3, 3, 3], bytes(864)))]))
cd = one.rfind(b"PK\x01\x02")
end = one.rfind(b"PK\x05\x06")
entry = bytes(one[cd:end])
name_len = struct.unpack("<H", entry[28:30])[0]
again = entry[:46] + b"conv.bias.npy" + entry[46 + name_len:]
again = again[:28] + struct.pack("<H", len(b"conv.bias.npy")) + again[30:]
eocd = bytearray(one[end:])
eocd[8:10] = struct.pack("<H", 2)
eocd[10:12] = struct.pack("<H", 2)
eocd[12:16] = struct.pack("<I", len(entry) + len(again))
write("shared.npz", bytes(one[:end]) + again + bytes(eocd))
# A member whose central directory claims 4 GiB.
small = bytearray(npz([("conv.weight.npy", npy([1], bytes(4)))], True))
cd = small.rfind(b"PK\x01\x02")
small[cd + 24:cd + 28] = struct.pack("<I", 0xfffffff0)
write("claims.npz", bytes(small))
# 1 MiB of deflate that inflates to 1 GiB, more than the model needs.
stream = zlib.compressobj(9, zlib.DEFLATED, -15)
chunk = bytes(1 << 20)
body = b"".join(stream.compress(chunk) for _ in range(1024)) + stream.flush()
header = npy([1 << 28])
name = b"conv.weight.npy"
crc = 0
local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0, crc,
                    len(body), len(header) + (1 << 30), len(name), 0) + name
central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0,
                      crc, len(body), len(header) + (1 << 30), len(name), 0,
                      0, 0, 0, 0, 0) + name
end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 1, 1, len(central),
                  len(local) + len(body), 0)
write("bomb.npz", local + body + central + end)
