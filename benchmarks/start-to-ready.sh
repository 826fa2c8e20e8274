#!/usr/bin/env bash
# Start to ready on an existing data dir (BENCHMARKS.md, session 5).
#   benchmarks/start-to-ready.sh seed BUILD SEED        makes the data dir SEED: one run of the build,
#                                                        four events, a clean stop
#   benchmarks/start-to-ready.sh run LABEL BUILD SEED [JVM OPTION...]
#                                                        one start of the build on a copy of SEED: its
#                                                        "ready in" line, the broker's share, the
#                                                        process's CPU time at ready, the stop's time,
#                                                        and from launch to the ready line (±0.1 s)
# BUILD holds tributary-app-0.1.0-SNAPSHOT.jar and lib/ (app/target, or a copy of an older build);
# SEED should be made by the same build, since how the last stop went matters to the next start.
# JVM options come after the defaults of bin/tributary, e.g. the CDS flags bin/tributary adds:
#   -XX:ArchiveClassesAtExit=F -Xlog:cds*=off (first run), then -XX:SharedArchiveFile=F -Xlog:cds*=off
# PORT (default 18302) is the HTTP port.
set -uo pipefail
mode=$1; shift
work=${TMPDIR:-/tmp}/tributary-start
mkdir -p "$work/logs"
port=${PORT:-18302}

start() { # BUILD DATA LOG [JVM OPTION...]
  local build=$1 data=$2 log=$3; shift 3
  launched=$(date +%s%N)
  printf 'data_dir: %s\nadmin_token: start-to-ready-admin-token\nsources:\n  - name: web\n    write_key: wk_start_to_ready\nhttp:\n  bind: 127.0.0.1\n  port: %s\n' \
    "$data" "$port" > "$work/t.yaml"
  java -Xms256m -Xmx2g -XX:+UseG1GC "$@" -cp "$build/tributary-app-0.1.0-SNAPSHOT.jar:$build/lib/*" \
    io.tributary.app.Main run --config "$work/t.yaml" > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do
    grep -q "ready on" "$log" && { launch_ms=$(( ($(date +%s%N) - launched) / 1000000 )); return 0; }
    kill -0 "$pid" 2>/dev/null || { echo "not started, see $log" >&2; return 1; }
    sleep 0.1
  done
  echo "not ready within 120 s, see $log" >&2
  return 1
}

stop() {
  local t0; t0=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid"
  stop_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

case "$mode" in
  seed)
    build=$1 seed=$2
    rm -rf "$seed"
    start "$build" "$seed" "$work/logs/seed.log" || exit 1
    for i in 1 2; do
      curl -s -u wk_start_to_ready: -H 'Content-Type: application/json' \
        -d "{\"event\":\"Start Test\",\"userId\":\"u$i\",\"properties\":{\"n\":$i}}" "http://127.0.0.1:$port/v1/track"
    done
    curl -s -u wk_start_to_ready: -d '{"batch":[{"type":"page","userId":"u3","name":"Home"},{"type":"identify","userId":"u3"}]}' \
      "http://127.0.0.1:$port/v1/batch"
    sleep 3
    stop
    echo; echo "seeded $seed"
    ;;
  run)
    label=$1 build=$2 seed=$3; shift 3
    data=$work/data; rm -rf "$data"; cp -a "$seed" "$data"
    log=$work/logs/$label-$(date +%H%M%S).log
    start "$build" "$data" "$log" "$@" || exit 1
    # utime + stime in clock ticks (100 per second)
    cpu_ms=$(awk '{print ($14 + $15) * 10}' "/proc/$pid/stat")
    sleep 1
    stop
    ready=$(grep -o 'in [0-9]* ms (data' "$log" | grep -o '[0-9]*')
    broker=$(grep -o 'broker started on .* in [0-9]* ms' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*')
    echo "$label ready_ms=$ready broker_ms=$broker launch_to_ready_ms=$launch_ms cpu_ms_at_ready=$cpu_ms stop_ms=$stop_ms load=$(cut -d' ' -f1 /proc/loadavg)"
    ;;
  *) echo "usage: $0 seed BUILD SEED | run LABEL BUILD SEED [JVM OPTION...]" >&2; exit 2 ;;
esac
