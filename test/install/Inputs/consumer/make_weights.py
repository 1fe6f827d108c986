"""Writes OUT.safetensors with the param s = [1, -2, 3, -4] (f32)."""
import json
import struct
import sys

data = struct.pack("<4f", 1.0, -2.0, 3.0, -4.0)
header = json.dumps({"s": {"dtype": "F32", "shape": [4],
                           "data_offsets": [0, len(data)]}}).encode()
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(header)) + header + data)
