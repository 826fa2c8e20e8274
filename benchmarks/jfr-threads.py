#!/usr/bin/env python3
"""Where a whole process spends its samples, by thread: a JFR recording of a running server.

usage: benchmarks/jfr-threads.py RECORDING.jfr [TOP] [THREAD_PREFIX...]

Counts jdk.ExecutionSample (threads running Java code) and jdk.NativeMethodSample (threads inside a
native method, e.g. DuckDB's JNI calls) per thread group (name without trailing digits), then, for
each group (or the ones named), the methods most often on the stack (inclusive) and at the top
(self). JDK 17's `jfr` has no such view of its own.
"""
import collections
import json
import re
import subprocess
import sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
wanted = sys.argv[3:]
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events",
                      "jdk.ExecutionSample,jdk.NativeMethodSample", path],
                     check=True, capture_output=True, text=True).stdout
skip = ("java/lang/Thread.run", "java/util/concurrent/ThreadPoolExecutor")
per_group = collections.defaultdict(lambda: [collections.Counter(), collections.Counter(), 0, 0])
for event in json.loads(out)["recording"]["events"]:
    values = event["values"]
    stack = values.get("stackTrace")
    thread = values.get("sampledThread") or {}
    name = thread.get("javaName") or thread.get("osName") or "?"
    group = re.sub(r"[-_ #]*\d+$", "", name)
    entry = per_group[group]
    native = event["type"] == "jdk.NativeMethodSample"
    entry[3 if native else 2] += 1
    if not stack:
        continue
    names = [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in stack["frames"]]
    entry[1][("native " if native else "") + names[0]] += 1
    for n in set(names):
        if not n.startswith(skip):
            entry[0][n] += 1
total = sum(e[2] + e[3] for e in per_group.values())
print(f"{path}: {total} samples (Java + native)")
for group, (incl, self_, java, native) in sorted(per_group.items(), key=lambda kv: -(kv[1][2] + kv[1][3])):
    print(f"{java:6d} Java {native:6d} native  {group}")
for group, (incl, self_, java, native) in sorted(per_group.items(), key=lambda kv: -kv[1][2]):
    if wanted and not any(group.startswith(w) for w in wanted):
        continue
    if not wanted and java < 0.03 * total:
        continue
    n = java + native
    print(f"\n=== {group}: {java} Java samples, {native} native")
    print("--- inclusive")
    for m, c in incl.most_common(top):
        print(f"{100 * c / n:5.1f}%  {m}")
    print("--- self")
    for m, c in self_.most_common(12):
        print(f"{100 * c / n:5.1f}%  {m}")
