#!/usr/bin/env python3
"""Writes attributes_random_<seed>.myl: random sequences of attribute sets, deletes, reads and dir()
on instances of two classes (made to exercise shared and private shapes, inline and overflow slots,
and the per-site caches). Run regen.py afterwards for the .out files (CPython is the reference).

    python3 make_attribute_programs.py 7 19 31
"""
import pathlib
import random
import sys

NAMES = ["a", "b", "c", "dd", "eee", "x1", "x2", "longer_name", "n"] + [f"k{i}" for i in range(40)]
PRELUDE = """class A:
    pass
class B:
    def __init__(self):
        self.a = 0
        self.b = 1
def rd(o, n):
    return getattr(o, n) if hasattr(o, n) else None
def get_a(o):
    return o.a if hasattr(o, 'a') else -1
def set_b(o, v):
    o.b = v
objs = [A() for _ in range(4)] + [B() for _ in range(4)]"""


def program(seed: int, steps: int = 400) -> str:
    r = random.Random(seed)
    lines = [PRELUDE]
    for step in range(steps):
        i, n, op = r.randrange(8), r.choice(NAMES), r.random()
        if op < 0.35:
            lines.append(f"setattr(objs[{i}], {n!r}, {r.randrange(100)})")
        elif op < 0.45:
            lines.append(f"if hasattr(objs[{i}], {n!r}):\n    del objs[{i}].{n}")
        elif op < 0.6:
            lines.append(f"print({step}, rd(objs[{i}], {n!r}), get_a(objs[{i}]))")
        elif op < 0.7:
            lines.append(f"set_b(objs[{i}], {step})")
        elif op < 0.8:
            lines.append(f"print({step}, sorted(k for k in dir(objs[{i}]) if not k.startswith('_')))")
        elif op < 0.9:
            lines.append(f"objs[{i}].a = {step}\nprint({step}, objs[{i}].a, objs[{i}].b if hasattr(objs[{i}], 'b') else None)")
        else:
            lines.append(f"objs[{i}] = {'A' if r.random() < 0.5 else 'B'}()")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    here = pathlib.Path(__file__).resolve().parent
    for seed in map(int, sys.argv[1:]):
        (here / f"attributes_random_{seed}.myl").write_text(program(seed))
