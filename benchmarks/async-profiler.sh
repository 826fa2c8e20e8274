#!/usr/bin/env bash
# Prints the path of async-profiler's agent library (Linux x64), fetched once from Maven Central
# (tools.profiler:async-profiler) into benchmarks/target/. Unlike JFR it sees native frames: DuckDB's
# C++ under the loader's JNI calls, the JIT and GC threads.
# usage: lib=$(benchmarks/async-profiler.sh)
#   start: jcmd PID JVMTI.agent_load "$lib" '"start,event=itimer,interval=2ms,threads"'  (quoted: jcmd splits on =)
#   stop:  jcmd PID JVMTI.agent_load "$lib" '"stop,file=/tmp/x.collapsed,collapsed"'
#   read:  benchmarks/collapsed-stacks.py /tmp/x.collapsed
set -euo pipefail
version=${ASYNC_PROFILER_VERSION:-4.1}
cd "$(dirname "$0")"
dir=target/async-profiler-$version
if [ ! -f "$dir/linux-x64/libasyncProfiler.so" ]; then
  mvn -B -ntp -q dependency:get -Dartifact="tools.profiler:async-profiler:$version" >&2
  mkdir -p "$dir"
  (cd "$dir" && unzip -q -o "$HOME/.m2/repository/tools/profiler/async-profiler/$version/async-profiler-$version.jar" 'linux-x64/*')
fi
echo "$PWD/$dir/linux-x64/libasyncProfiler.so"
