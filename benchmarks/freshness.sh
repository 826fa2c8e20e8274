#!/usr/bin/env bash
# Freshness at a fixed rate (BENCHMARKS.md): starts Tributary on a fresh data dir, sends Segment
# batches of 100 events at RATE requests/s for DURATION with `bin/tributary bench`, timing SAMPLES
# events from acknowledgement until they are visible in `events`.
# usage: benchmarks/freshness.sh NAME RATE [DURATION] [SAMPLES]   (SERVER_JAVA_OPTS as in drain.sh;
# EXTRA_CONFIG: YAML appended to the server's configuration, e.g. $'warehouse:\n  checkpoint_mb: 16';
# THREAD_CPU=1: also writes the CPU ms of each tributary-* thread to <dir>/thread-cpu.txt, and the
# CPU seconds per thread group from the load's start until SETTLE_SECONDS after it to <dir>/cpu.txt;
# BENCH_WARMUP=60s: first send at the rate for that long, left out of every figure (bench --warmup))
set -uo pipefail
name=$1; rate=$2; duration=${3:-60s}; samples=${4:-40}
dir=${TMPDIR:-/tmp}/tributary-freshness/$name; rm -rf "$dir"; mkdir -p "$dir"
printf 'data_dir: %s/data\nhttp:\n  port: 18111\nadmin_token: bench-token-000000000001\nsources:\n  - name: web\n    write_key: bench-key-0000000001\n' "$dir" > "$dir/t.yaml"
printf '%s\n' "${EXTRA_CONFIG:-}" >> "$dir/t.yaml"
cd "$(dirname "$0")/.."
TRIBUTARY_JAVA_OPTS=${SERVER_JAVA_OPTS:-${TRIBUTARY_JAVA_OPTS:-"-Xms256m -Xmx2g -XX:+UseG1GC"}} \
  bin/tributary run --config "$dir/t.yaml" > "$dir/run.log" 2>&1 &
pid=$!
for i in $(seq 1 100); do curl -sf localhost:18111/health >/dev/null && break; sleep 0.3; done
server=$(pgrep -f "io.tributary.app.Main run --config $dir/t.yaml" | head -1)
[ -n "${THREAD_CPU:-}" ] && benchmarks/thread-cpu.py snapshot "$server" "$dir/cpu-start.json"
bin/tributary bench --config "$dir/t.yaml" --rate "$rate" --duration "$duration" --batch 100 \
  --connections 16 --freshness-samples "$samples" ${BENCH_WARMUP:+--warmup "$BENCH_WARMUP"} \
  --report "$dir/report.json" > "$dir/bench.log" 2>&1
if [ -n "${THREAD_CPU:-}" ]; then # CPU time of Tributary's own threads (JDK 17+ thread dumps carry it)
  sleep "${SETTLE_SECONDS:-15}" # let every stage finish the load
  benchmarks/thread-cpu.py snapshot "$server" "$dir/cpu-end.json"
  benchmarks/thread-cpu.py diff "$dir/cpu-start.json" "$dir/cpu-end.json" > "$dir/cpu.txt"
  jcmd "$server" Thread.print 2>/dev/null | grep -o '^"tributary-[^"]*".*cpu=[0-9.]*ms' \
    | sed -E 's/^"([^"]*)".*cpu=([0-9.]*)ms/\1 \2/' | sort > "$dir/thread-cpu.txt"
fi
kill $pid; wait $pid 2>/dev/null
echo "$name: $rate requests/s × 100 events for $duration"
grep -iE "^Events|^Latency|^Freshness|not visible" "$dir/bench.log"
