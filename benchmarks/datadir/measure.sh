#!/bin/bash
# usage: measure.sh BIN DATADIR OUT [extra flags...]
BIN=$1; DD=$2; OUT=$3; shift 3
rm -rf "$DD"
"$BIN" run --simulate 200 --dev --data-dir "$DD" "$@" > "$OUT.log" 2>&1 &
PID=$!
echo "pid $PID" > "$OUT"
echo "min du rss_kb" >> "$OUT"
for m in 1 2 3 4 5 6 7 8 9 10; do
  sleep 60
  echo "$m $(du -sh "$DD" | cut -f1) $(ps -o rss= -p $PID)" >> "$OUT"
done
# per-topic sizes at the end
du -sh "$DD"/* "$DD"/*/* 2>/dev/null | sort -h | tail -25 >> "$OUT"
kill -TERM $PID
wait $PID
echo "exit $?" >> "$OUT"
