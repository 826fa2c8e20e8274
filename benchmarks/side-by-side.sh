#!/usr/bin/env bash
# Side-by-side ingestion benchmark (BENCHMARKS.md, issue 5): on one machine, in alternating rounds,
#   nginx `return 204`  - one event per request (the HTTP ceiling)
#   Tributary           - one event per request (/v1/batch with 1 event)
#   Flume peer          - batches of 100 (HTTP source -> durable file channel)
#   Tributary           - batches of 100 (/v1/batch), acknowledged after Kafka stored them
# with the same ~650-byte events (../shared/bench/load). Prints requests/s, events/s and p99 per run,
# then the medians and the ratios the issue asks for.
# usage: [EXTRA_CONFIG=yaml] benchmarks/side-by-side.sh [ROUNDS=3] [DURATION=10s] [CONNECTIONS=16]
set -euo pipefail
rounds=${1:-3}; duration=${2:-10s}; conns=${3:-16}
here=$(cd "$(dirname "$0")/.." && pwd)
bench=$(cd "$here/../shared/bench" && pwd)
work=${TMPDIR:-/tmp}/tributary-sbs; rm -rf "$work"; mkdir -p "$work"
pids=()
cleanup() { # and wait for them to be gone, so that a next run finds the ports and data dirs free
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  nginx -p "$work/nginx" -c nginx.conf -s stop 2>/dev/null || true
  for p in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT

mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<'NGX'
worker_processes auto;
error_log logs/error.log warn;
pid logs/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  server { listen 127.0.0.1:18090; location / { return 204; } }
}
NGX
nginx -p "$work/nginx" -c nginx.conf

pids+=("$("$bench/flume/run-flume.sh" "$work/flume")")

key=bench-key-0000000001
printf 'data_dir: %s/trib\nhttp:\n  port: 18111\nadmin_token: bench-token-000000000001\nsources:\n  - name: web\n    write_key: %s\n' "$work" "$key" > "$work/t.yaml"
printf '%s\n' "${EXTRA_CONFIG:-}" >> "$work/t.yaml"
"$here/bin/tributary" run --config "$work/t.yaml" > "$work/trib.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 300); do curl -sf localhost:18111/health >/dev/null && curl -s -o /dev/null localhost:18081 && break; sleep 0.5; done

run() { # name url script batch
  local out; out=$(BATCH=$4 WRITE_KEY=$key wrk -t2 -c"$conns" -d"$duration" --latency -s "$3" "$2" 2>&1)
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  echo "$1 $rps $4 $p99 $non2xx" | tee -a "$work/results.txt"
}
for r in $(seq 1 "$rounds"); do
  echo "round $r"
  run nginx-single http://127.0.0.1:18090/v1/batch "$bench/load/segment-batch.lua" 1
  run tributary-single http://127.0.0.1:18111 "$bench/load/segment-batch.lua" 1
  run flume-batch http://127.0.0.1:18081/ "$bench/load/flume-batch.lua" 100
  run tributary-batch http://127.0.0.1:18111 "$bench/load/segment-batch.lua" 100
  sleep 20 # let Tributary's enrich and load stages drain before the next round
done
python3 - "$work/results.txt" <<'PY'
import statistics, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, rps, batch, p99, non2xx = line.split()
    runs[name].append((float(rps), int(batch), p99, int(non2xx)))
med = {}
print(f"{'run':18} {'req/s (median)':>15} {'events/s':>10}  p99 per round          non-2xx")
for name, rs in runs.items():
    m = statistics.median(r[0] for r in rs)
    med[name] = m * rs[0][1]
    print(f"{name:18} {m:15,.0f} {med[name]:10,.0f}  {', '.join(r[2] for r in rs):22} {sum(r[3] for r in rs)}")
print(f"Tributary batch / Flume batch (events/s): {med['tributary-batch'] / med['flume-batch']:.2f}x  (target >= 3x)")
print(f"Tributary single / nginx return 204 (req/s): {med['tributary-single'] / med['nginx-single']:.2f}  (target >= 0.5)")
PY
