#!/usr/bin/env python3
"""Regenerates tests/conformance/*.out by running each *.myl program under CPython.

Every program here is valid Python, so CPython is the reference. An .out file holds the program's
stdout; when the program ends with an uncaught exception, a last line `!! <Name>: <message>` (the
last line CPython writes to stderr) follows. The Swift test ConformanceTests compares Myelin's
output with these files.
"""
import pathlib
import subprocess
import sys

here = pathlib.Path(__file__).resolve().parent
# Programs whose output differs from CPython on purpose (64-bit ints) keep a hand-written .out.
HAND_WRITTEN = {"overflow.myl"}
for prog in sorted(here.glob("*.myl")):
    if prog.name in HAND_WRITTEN:
        continue
    r = subprocess.run([sys.executable, str(prog)], capture_output=True, text=True, cwd=here)
    out = r.stdout
    if r.returncode != 0:
        last = [l for l in r.stderr.splitlines() if l.strip()][-1]
        out += "!! " + last + "\n"
    prog.with_suffix(".out").write_text(out)
    print(f"{prog.name}: {'error' if r.returncode else 'ok'}")
