#!/bin/bash
# usage: [MINUTES=10] measure.sh BIN DATADIR OUT [extra flags...]
# Records du and RSS once a minute for MINUTES minutes, stops the run with
# SIGTERM, then starts it again on the same data dir and records how long
# /readyz took to answer 200 (the listen address is the --listen flag, else
# 127.0.0.1:8080).
BIN=$1; DD=$2; OUT=$3; shift 3
MINUTES=${MINUTES:-10}
LISTEN=127.0.0.1:8080
prev=""
for a in "$@"; do [ "$prev" = "--listen" ] && LISTEN=$a; prev=$a; done
rm -rf "$DD"
"$BIN" run --simulate 200 --dev --data-dir "$DD" "$@" > "$OUT.log" 2>&1 &
PID=$!
echo "pid $PID" > "$OUT"
echo "min du rss_kb" >> "$OUT"
for m in $(seq 1 "$MINUTES"); do
  sleep 60
  echo "$m $(du -sh "$DD" | cut -f1) $(ps -o rss= -p $PID)" >> "$OUT"
done
# per-topic sizes at the end
du -sh "$DD"/* "$DD"/*/* 2>/dev/null | sort -h | tail -25 >> "$OUT"
kill -TERM $PID
wait $PID
echo "exit $?" >> "$OUT"
# restart on the same data dir: seconds until /readyz answers 200
start=$(date +%s.%N)
"$BIN" run --dev --data-dir "$DD" "$@" > "$OUT.restart.log" 2>&1 &
PID=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$LISTEN/readyz")" = 200 ]; do
  if ! kill -0 $PID 2>/dev/null; then echo "restart exited before ready" >> "$OUT"; exit 1; fi
  sleep 0.2
done
echo "restart ready after $(echo "$(date +%s.%N) - $start" | bc) s" >> "$OUT"
kill -TERM $PID
wait $PID
