#!/usr/bin/env python3
"""Where a process spends its CPU, from async-profiler's collapsed stacks (see async-profiler.sh).

usage: benchmarks/collapsed-stacks.py FILE.collapsed [TOP] [GROUP_OR_FRAME...]

Prints the samples per thread group (profiled with `threads`: the first frame names the thread;
trailing digits and separators are dropped), then for each GROUP_OR_FRAME given (a thread group, or
any text a frame contains, e.g. DerivedTableWriter.write) the frames most often on the stack below
it (inclusive) and at the top (self), as shares of that subset.
"""
import collections
import re
import sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
wanted = sys.argv[3:]
stacks = []
for line in open(path):
    stack, _, n = line.rstrip("\n").rpartition(" ")
    if stack:
        stacks.append((stack.split(";"), int(n)))


def group(frames):
    first = frames[0]
    if first.startswith("[") and first.endswith("]"):
        name = re.sub(r"\s*tid=\d+\]$", "", first[1:])
        return re.sub(r"[-_#\s]*\d+$", "", name.rstrip("]")) or name
    return "(all threads)"


total = sum(n for _, n in stacks)
by_group = collections.Counter()
for frames, n in stacks:
    by_group[group(frames)] += n
print(f"{path}: {total} samples")
for g, n in by_group.most_common(top):
    print(f"{n:8d} {100 * n / total:5.1f}%  {g}")

for want in wanted:
    incl, selfc, sub = collections.Counter(), collections.Counter(), 0
    for frames, n in stacks:
        if group(frames) == want:
            below = frames[1:]
        else:
            i = next((i for i, f in enumerate(frames) if want in f), None)
            if i is None:
                continue
            below = frames[i:]
        if not below:
            continue
        sub += n
        for f in set(below):
            incl[f] += n
        selfc[below[-1]] += n
    print(f"\n=== {want}: {sub} samples ({100 * sub / max(total, 1):.1f}% of all)")
    print("--- inclusive")
    for f, n in incl.most_common(top):
        print(f"{100 * n / sub:5.1f}%  {f[:150]}")
    print("--- self")
    for f, n in selfc.most_common(top):
        print(f"{100 * n / sub:5.1f}%  {f[:150]}")
