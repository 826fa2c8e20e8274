#!/usr/bin/env bash
# Drain benchmark (BENCHMARKS.md): starts Tributary on a fresh data dir with EXTRA_YAML appended to
# its config, sends 300,000 Segment events with `bin/tributary bench`, and times how long until all
# are in `events`.  usage: benchmarks/drain.sh NAME [EXTRA_YAML]
# SERVER_JAVA_OPTS: JVM options for the server only (e.g. a JFR recording); the load generator keeps
# the defaults. DRAIN_JFR=FILE: a JFR recording (settings=profile) of the server over the same window.
# DRAIN_PROFILE=FILE: async-profiler's collapsed stacks of every thread over the same window, native
# frames included (benchmarks/async-profiler.sh; read with benchmarks/collapsed-stacks.py).
# WARMUP=1: first sends and loads an untimed 300,000 (JIT warm-up, a non-empty table), then times
# the next 300,000. Prints the server's CPU seconds per thread group from the first event to the last load.
set -uo pipefail
name=$1; extra=${2:-}
dir=${TMPDIR:-/tmp}/tributary-drain/$name; rm -rf "$dir"; mkdir -p "$dir"
printf 'data_dir: %s/data\nhttp:\n  port: 18111\nadmin_token: bench-token-000000000001\nsources:\n  - name: web\n    write_key: bench-key-0000000001\n%s' "$dir" "$extra" > "$dir/t.yaml"
cd "$(dirname "$0")/.."
TRIBUTARY_JAVA_OPTS=${SERVER_JAVA_OPTS:-${TRIBUTARY_JAVA_OPTS:-"-Xms256m -Xmx2g -XX:+UseG1GC"}} \
  bin/tributary run --config "$dir/t.yaml" > "$dir/run.log" 2>&1 &
pid=$!
for i in $(seq 1 100); do curl -sf localhost:18111/health >/dev/null && break; sleep 0.3; done
count() {
  curl -s -H 'Authorization: Bearer bench-token-000000000001' -H 'Content-Type: application/json' -d '{"sql":"select count(*) from events"}' localhost:18111/api/query | python3 -c "import json,sys; print(json.load(sys.stdin)['rows'][0][0])" 2>/dev/null || echo 0
}
target=300000
if [ -n "${WARMUP:-}" ]; then
  bin/tributary bench --config "$dir/t.yaml" --count 3000 --batch 100 --connections 16 --freshness-samples 0 > "$dir/warmup.log" 2>&1
  for _ in $(seq 1 1500); do [ "$(count)" -ge 300000 ] && break; sleep 0.5; done
  target=600000
fi
[ -n "${DRAIN_JFR:-}" ] && jcmd $pid JFR.start name=drain settings=profile > /dev/null
if [ -n "${DRAIN_PROFILE:-}" ]; then
  profiler=$(benchmarks/async-profiler.sh)
  jcmd $pid JVMTI.agent_load "$profiler" '"start,event=itimer,interval=2ms,threads"' > /dev/null
fi
benchmarks/thread-cpu.py snapshot $pid "$dir/cpu-start.json"
start=$(date +%s.%N)
bin/tributary bench --config "$dir/t.yaml" --count 3000 --batch 100 --connections 16 --freshness-samples 0 > "$dir/bench.log" 2>&1
acked_done=$(date +%s.%N)
for _ in $(seq 1 1500); do
  [ "$(count)" -ge "$target" ] && break
  sleep 0.2
done
loaded=$(date +%s.%N)
benchmarks/thread-cpu.py snapshot $pid "$dir/cpu-end.json"
[ -n "${DRAIN_JFR:-}" ] && jcmd $pid JFR.stop name=drain filename="$DRAIN_JFR" > /dev/null
[ -n "${DRAIN_PROFILE:-}" ] && jcmd $pid JVMTI.agent_load "$profiler" "\"stop,file=$DRAIN_PROFILE,collapsed\"" > /dev/null
kill $pid; wait $pid 2>/dev/null
python3 - "$start" "$acked_done" "$loaded" "$name" <<'PY'
import sys
s,a,l,name=float(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]),sys.argv[4]
print(f"{name}: 300,000 events; all acked after {a-s:.1f} s ({300000/(a-s):,.0f}/s); all in events after {l-s:.1f} s ({300000/(l-s):,.0f}/s end to end)")
PY
grep -E "acked|events/s" "$dir/bench.log" | tail -2
benchmarks/thread-cpu.py diff "$dir/cpu-start.json" "$dir/cpu-end.json" > "$dir/cpu.txt"
head -9 "$dir/cpu.txt"
