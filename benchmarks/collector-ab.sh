#!/usr/bin/env bash
# The collector alone against nginx, two builds or settings side by side (BENCHMARKS.md, session 6).
# One single-node broker (KafkaClusterNode from this checkout's app test classes), two collectors
# (`run --roles collector`, A on 28114 and B on 28115) and nginx `return 204` on 28090. For each batch
# size: a discarded warm-up round of each collector, then ROUNDS rounds of `wrk -t2 -c$CONN -d$DUR`
# with ../shared/bench/load/segment-batch.lua: nginx, then A and B (order alternating per round).
# Each line gives req/s, p99, the CPU time per request of the process measured (nginx: master and
# workers) and of the broker, and the load average; the medians and ratios to nginx follow.
#
# usage: benchmarks/collector-ab.sh snapshot NAME          copy this checkout's build to $WORK/builds/NAME
#        benchmarks/collector-ab.sh run RUN BUILD_A "yaml A" BUILD_B "yaml B"
# The yaml lines go under `kafka:`, indented, e.g. '  properties:\n    compression.type: none'.
# env: BATCHES ("1 100"), ROUNDS (4), CONN (16), DUR (8s), WORK (/tmp/tributary-cab)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-/tmp/tributary-cab}
if [ "${1:-}" = snapshot ]; then
  d=$work/builds/$2; rm -rf "$d"; mkdir -p "$d"
  cp "$here/app/target/tributary-app-0.1.0-SNAPSHOT.jar" "$d/" && cp -r "$here/app/target/lib" "$d/lib"
  (cd "$here" && git rev-parse --short HEAD && git status --short) > "$d/rev.txt"
  echo "snapshot $d: $(head -1 "$d/rev.txt")"; exit 0
fi
[ "${1:-}" = run ] || { sed -n '2,14p' "$0"; exit 2; }
run=$2; ba=$3; xa=$4; bb=$5; xb=$6
conn=${CONN:-16}; rounds=${ROUNDS:-4}; batches=${BATCHES:-"1 100"}; dur=${DUR:-8s}
lua=$(cd "$here/../shared/bench/load" && pwd)/segment-batch.lua
d=$work/runs/$run; rm -rf "$d"; mkdir -p "$d/kafka"
B=$work/builds
java -cp "$here/app/target/test-classes:$B/$ba/lib/*:$B/$ba/tributary-app-0.1.0-SNAPSHOT.jar" \
  io.tributary.app.KafkaClusterNode 1 "$d/kafka" MkU3OEVBNTcwNTJENDM2Qk 29092 29093 1@127.0.0.1:29093 plain \
  > "$d/kafka.log" 2>&1 &
kpid=$!
stop() { kill "$kpid" $(cat "$d"/A/pid "$d"/B/pid 2>/dev/null) 2>/dev/null; nginx -p "$d/nginx" -c nginx.conf -s stop 2>/dev/null; }
trap stop EXIT
sleep 8
start() { # name build port extra
  mkdir -p "$d/$1"
  printf 'data_dir: %s/data\nhttp:\n  port: %s\nadmin_token: bench-token-000000000001\nsources:\n  - name: web\n    write_key: bench-key-0000000001\nkafka:\n  bootstrap: 127.0.0.1:29092\n%b\n' \
    "$d/$1" "$3" "$4" > "$d/$1/t.yaml"
  java -Xms256m -Xmx2g -XX:+UseG1GC -Xlog:gc:file="$d/$1/gc.log" -cp "$B/$2/tributary-app-0.1.0-SNAPSHOT.jar:$B/$2/lib/*" \
    io.tributary.app.Main run --roles collector --config "$d/$1/t.yaml" > "$d/$1/run.log" 2>&1 &
  echo $! > "$d/$1/pid"
  for _ in $(seq 1 120); do curl -sf "localhost:$3/health" >/dev/null && return; sleep 0.5; done
  echo "$1 did not start"; tail -20 "$d/$1/run.log"; exit 1
}
start A "$ba" 28114 "$xa"
start B "$bb" 28115 "$xb"
echo "A=$ba [$xa] B=$bb [$xb]" | tee "$d/summary.txt"
mkdir -p "$d/nginx/logs"
printf 'worker_processes auto;\nerror_log logs/error.log warn;\npid logs/nginx.pid;\nevents { worker_connections 4096; }\nhttp { access_log off; server { listen 127.0.0.1:28090; location / { return 204; } } }\n' > "$d/nginx/nginx.conf"
nginx -p "$d/nginx" -c nginx.conf
ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
one() { # label url batch file round
  local pid; pid=$(cat "$d/$1/pid" 2>/dev/null)
  [ "$1" = nginx ] && pid="$(cat "$d/nginx/logs/nginx.pid") $(pgrep -P "$(cat "$d/nginx/logs/nginx.pid")" | tr '\n' ' ')"
  local c0 k0 c1 k1 reqs hz; c0=$(ticks $pid); k0=$(ticks $kpid); hz=$(getconf CLK_TCK)
  BATCH=$3 WRITE_KEY=bench-key-0000000001 wrk -t2 -c"$conn" -d"$dur" --latency -s "$lua" "$2" > "$4" 2>&1
  c1=$(ticks $pid); k1=$(ticks $kpid); reqs=$(awk '/requests in/{print $1}' "$4")
  printf '%-6s batch %-3s %-6s %10s req/s  p99 %-8s non2xx %s  cpu/req %s us  broker cpu/req %s us  load %s\n' "$5" "$3" "$1" \
    "$(awk '/Requests\/sec/{print $2}' "$4")" "$(awk '/ 99%/{print $2}' "$4")" "$(awk '/Non-2xx/{print $NF}' "$4")" \
    "$(awk -v c=$((c1 - c0)) -v n="$reqs" -v hz="$hz" 'BEGIN{printf "%.1f", c*1e6/hz/n}')" \
    "$(awk -v c=$((k1 - k0)) -v n="$reqs" -v hz="$hz" 'BEGIN{printf "%.1f", c*1e6/hz/n}')" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$d/summary.txt"
}
for b in $batches; do
  one A http://127.0.0.1:28114 "$b" "$d/warm-A-$b.txt" warm
  one B http://127.0.0.1:28115 "$b" "$d/warm-B-$b.txt" warm
  for r in $(seq 1 "$rounds"); do
    one nginx http://127.0.0.1:28090/v1/batch "$b" "$d/nginx-$b-$r.txt" "r$r"
    if [ $((r % 2)) = 1 ]; then order="A B"; else order="B A"; fi
    for v in $order; do
      port=28114; [ "$v" = B ] && port=28115
      one "$v" "http://127.0.0.1:$port" "$b" "$d/$v-$b-$r.txt" "r$r"
    done
  done
done
python3 - "$d/summary.txt" <<'PY'
import collections, re, statistics, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r"(r\d+)\s+batch (\d+)\s+(\S+)\s+([\d.]+) req/s\s+p99 (\S+).*cpu/req ([\d.]+) us\s+broker cpu/req ([\d.]+) us", line)
    if m:
        rows[(m[2], m[3])].append((m[1], float(m[4]), m[5], float(m[6]), float(m[7])))
for (b, v), rs in sorted(rows.items()):
    nginx = {x[0]: x[1] for x in rows[(b, "nginx")]}
    ratios = [r[1] / nginx[r[0]] for r in rs if r[0] in nginx]
    med = statistics.median(r[1] for r in rs)
    print(f"batch {b:>3} {v:6} median {med:,.0f} req/s ({med * int(b):,.0f} events/s), ratio to nginx per round "
          f"{', '.join(f'{x:.2f}' for x in ratios)} (median {statistics.median(ratios):.2f}), p99 {', '.join(r[2] for r in rs)}, "
          f"CPU/request {statistics.median(r[3] for r in rs):.1f} us, broker {statistics.median(r[4] for r in rs):.1f} us")
PY
