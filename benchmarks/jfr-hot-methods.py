#!/usr/bin/env python3
"""Inclusive and self sample shares per method in a JFR recording of a JMH benchmark.

usage: benchmarks/jfr-hot-methods.py PROFILE.jfr [TOP]

Reads jdk.ExecutionSample events (via the JDK's `jfr print --json`), keeps the samples of the
benchmark thread (stacks through a jmh_generated stub) and prints the share of those samples in
which each method is on the stack (inclusive) and at the top (self). JDK 17's `jfr` has no
hot-methods view of its own.
"""
import collections
import json
import subprocess
import sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "128", "--events",
                      "jdk.ExecutionSample", path], check=True, capture_output=True, text=True).stdout
inclusive, self_, n = collections.Counter(), collections.Counter(), 0
skip = ("jdk/internal/reflect/", "java/lang/reflect/", "org/openjdk/jmh/", "java/util/concurrent/",
        "java/lang/Thread.run", "jmh_generated")
for event in json.loads(out)["recording"]["events"]:
    stack = event["values"].get("stackTrace")
    if not stack:
        continue
    names = [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in stack["frames"]]
    if not any("jmh_generated" in name for name in names):
        continue
    n += 1
    self_[names[0]] += 1
    for name in set(names):
        if not name.startswith(skip) and "jmh_generated" not in name:
            inclusive[name] += 1
print(f"{path}: {n} samples of the benchmark thread")
print("--- inclusive")
for name, count in inclusive.most_common(top):
    print(f"{100 * count / n:5.1f}%  {name}")
print("--- self")
for name, count in self_.most_common(20):
    print(f"{100 * count / n:5.1f}%  {name}")
