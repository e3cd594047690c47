#!/usr/bin/env bash
# The join storm (50 channels x 40 viewers over 5 s) through HAProxy, with deploy/haproxy.cfg (its
# per-client connection cap lifted: every bot is 127.0.0.1) in front of NODES fresh nodes (1 or 2,
# clustered when 2) from the built jar, ports 3301-3302, 9501-9502, 5801-5802 on 127.0.0.1.
# usage: src/test/bench/cluster-storm.sh NODES LABEL   with BENCH=<a copy of ../shared/bench after
# npm ci> (default /tmp/bench). Everything it starts it stops by PID. See docs/benchmarks.md.
set -euo pipefail
N=$1; LABEL=$2
BENCH=${BENCH:-/tmp/bench}
cd "$(dirname "$0")/../.."
export AIRWAVE_MAX_SOCKETS_PER_ADDRESS=100000 AIRWAVE_MAX_CONNECTIONS_PER_ADDRESS=100000 \
       AIRWAVE_MAX_CHANNELS_PER_ADDRESS=100000 AIRWAVE_MAX_VIEWERS_PER_CHANNEL_PER_ADDRESS=10000 \
       AIRWAVE_MAX_WAITING_IDS_PER_ADDRESS=100000 AIRWAVE_HOST=127.0.0.1 AIRWAVE_MAX_VIEWERS_PER_CHANNEL=10000
pids=(); servers=""
members="127.0.0.1:5801,127.0.0.1:5802"
for i in $(seq 1 $N); do
  port=$((3300+i)); ops=$((9500+i)); hz=$((5800+i))
  if [ "$N" -gt 1 ]; then cl=true; else cl=false; fi
  AIRWAVE_PORT=$port AIRWAVE_METRICS_PORT=$ops AIRWAVE_CLUSTER_ENABLED=$cl AIRWAVE_CLUSTER_PORT=$hz \
    AIRWAVE_CLUSTER_MEMBERS=$members nohup java -jar target/airwave.jar > /tmp/bn-$i.log 2>&1 &
  pids+=($!)
  servers="$servers    server node$i 127.0.0.1:$port port $ops\n"
done
for i in $(seq 1 $N); do
  for t in $(seq 1 200); do curl -sf http://127.0.0.1:$((9500+i))/health/ready | grep -q "\"members\":$N" && break; sleep 0.3; done
done
cfg=$(mktemp /tmp/bench-haproxy.XXXXXX)
awk -v servers="$servers" '
  /^ *bind / { print "    bind 127.0.0.1:3399"; next }
  /^ *server / { if (!done) { printf "%s", servers; done=1 } next }
  { gsub(/sc0_conn_cur gt 128/, "sc0_conn_cur gt 1000000"); print }' deploy/haproxy.cfg | sed 's/\\n/\n/g' > $cfg
haproxy -db -f $cfg > /tmp/bench-haproxy.log 2>&1 &
hp=$!
sleep 2
cd "$BENCH"
node bench.js --adapter vertx --url http://127.0.0.1:3399 --transport websocket --label "$LABEL" \
     --scenario storm --channels 50 --viewers 40 --ramp-ms 5000 --deadline-s 60 2>&1 | tail -25
kill $hp || true
for p in "${pids[@]}"; do kill $p || true; done
wait 2>/dev/null || true
