#!/usr/bin/env python3
"""CPU seconds per thread group of a process between two snapshots of /proc/PID/task/*/stat.

usage: benchmarks/thread-cpu.py snapshot PID FILE     (writes the snapshot)
       benchmarks/thread-cpu.py diff FILE_BEFORE FILE_AFTER

Threads are grouped by name with trailing digits and separators removed (Linux keeps 15 chars of a
Java thread's name; DuckDB's own worker threads keep the process name, "java").
"""
import collections
import json
import os
import re
import sys

TICK = os.sysconf("SC_CLK_TCK")


def snapshot(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[tid] = [name, (int(fields[11]) + int(fields[12])) / TICK]
    return out


def group(name):
    return re.sub(r"[-_ #]*\d+$", "", name) or name


if sys.argv[1] == "snapshot":
    with open(sys.argv[3], "w") as f:
        json.dump(snapshot(sys.argv[2]), f)
else:
    before, after = (json.load(open(p)) for p in sys.argv[2:4])
    groups = collections.Counter()
    for tid, (name, cpu) in after.items():
        groups[group(name)] += cpu - before.get(tid, [name, 0.0])[1]
    total = sum(groups.values())
    print(f"process CPU in the window: {total:.1f} s")
    for name, cpu in groups.most_common(15):
        print(f"{cpu:7.1f} s  {100 * cpu / total:5.1f}%  {name}")
