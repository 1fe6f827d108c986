"""Feeds nncc seeded random mutations of valid programs.

Every run must exit 0 or 1; a failure must print a located
`FILE:LINE:COL: error:` and nothing that looks like a crash. Prints a
summary and exits non-zero on the first violation, keeping the input.
"""
import random
import re
import subprocess
import sys

nncc, out_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
sources = [open(p, encoding="utf-8").read() for p in sys.argv[4:]]
pieces = ["(", ")", "[", "]", ",", "=", "-1", "0", "1e99", "2147483648",
          "axis=", "x", "def f(a) {", "}", "return", "@", "*", "/ 0", "\n",
          "\x00", "\xff", "é", "output", "input q : f32[2]", "relu(",
          "heads=3", "window=-1", "[1, -1]", "stride=0", "true", ";", "#"]
located = re.compile(r":\d+:\d+: error: ")
crash = re.compile(r"Stack dump|LLVM ERROR|Assertion|Segmentation|terminate called")
rng = random.Random(20261123)
outcomes = {0: 0, 1: 0}

for i in range(count):
    text = rng.choice(sources)
    for _ in range(rng.randint(1, 3)):
        a = rng.randrange(len(text) + 1)
        b = min(len(text), a + rng.randint(0, 40))
        kind = rng.randrange(4)
        if kind == 0:
            text = text[:a] + text[b:]
        elif kind == 1:
            text = text[:a] + rng.choice(pieces) + text[a:]
        elif kind == 2:
            text = text[:a] + text[a:b] + text[a:]
        else:
            text = text[:a]
    path = "%s/mutant%d.graph" % (out_dir, i)
    with open(path, "wb") as f:
        f.write(text.encode("utf-8", "surrogateescape").replace(b"\xc3\xbf", b"\xff"))
    r = subprocess.run([nncc, path, "--emit=nn"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=60)
    err = r.stderr.decode("utf-8", "replace")
    if r.returncode not in (0, 1) or crash.search(err) or \
            (r.returncode == 1 and not located.search(err)):
        print("FAIL: %s: exit status %d\n%s" % (path, r.returncode, err[:2000]))
        sys.exit(1)
    outcomes[r.returncode] += 1

print("mutants: %d compiled, %d rejected with a located error" %
      (outcomes[0], outcomes[1]))
