#!/usr/bin/env bash
# Sustained load (BENCHMARKS.md): benchmarks/freshness.sh's fixed-rate run, plus a sample every
# EVERY seconds of what grows if the pipeline cannot keep up: each stage's lag (from /ready), the
# server's heap (jstat: in use, and old generation) and its RSS.
# usage: benchmarks/sustained.sh NAME RATE [DURATION] [SAMPLES]   (EVERY=30; SERVER_JAVA_OPTS,
# EXTRA_CONFIG, THREAD_CPU and BENCH_WARMUP as in freshness.sh)
set -uo pipefail
name=$1; rate=$2; duration=${3:-10m}; samples=${4:-120}; every=${EVERY:-30}
dir=${TMPDIR:-/tmp}/tributary-freshness/$name
cd "$(dirname "$0")/.."
benchmarks/freshness.sh "$name" "$rate" "$duration" "$samples" &
runner=$!
for i in $(seq 1 200); do pid=$(pgrep -f "io.tributary.app.Main run --config $dir/t.yaml" | head -1); [ -n "$pid" ] && break; sleep 0.3; done
for i in $(seq 1 100); do curl -sf localhost:18111/health >/dev/null && break; sleep 0.3; done
start=$(date +%s)
printf 'elapsed_s\tloader_lag\tenrich_lag\tarchiver_raw_lag\theap_used_mb\told_gen_mb\trss_mb\n' > "$dir/samples.tsv"
while kill -0 "$runner" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do
  ready=$(curl -s localhost:18111/ready)
  lag() { printf '%s' "$ready" | python3 -c "import json,re,sys
c=json.load(sys.stdin).get('checks',{}).get('$1')
m=re.search(r'lag (\d+)', c['detail']) if c else None
print(m.group(1) if m else '-')" 2>/dev/null || echo -; }
  gc=$(jstat -gc "$pid" 2>/dev/null | tail -1)
  heap=$(printf '%s' "$gc" | awk '{printf "%.0f", ($3+$4+$6+$8)/1024}')
  old=$(printf '%s' "$gc" | awk '{printf "%.0f", $8/1024}')
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/"$pid"/status 2>/dev/null)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' $(( $(date +%s) - start )) "$(lag loader)" "$(lag enrich)" \
    "$(lag archiver-raw)" "${heap:--}" "${old:--}" "${rss:--}" >> "$dir/samples.tsv"
  sleep "$every"
done
wait "$runner"
column -t "$dir/samples.tsv"
