#!/usr/bin/env bash
# ./mapsync demo lb: the load balancer under asymmetric routing, live (as root):
#
#   1. the topology (namespaces $LB_PREFIX-*), two echo backends, LB1 and LB2's datapaths, and the
#      mapsync agents of LB1, LB2 and a witness
#   2. new flows through the VIP: each session appears on LB2 (with how long after its flow's first
#      packet), and LB2 sends the replies on the short path (backend -> LB2 -> client)
#   3. failover: a TCP stream (every byte checked) and a ping run through LB1; LB1's host dies (agent
#      SIGKILLed, links cut), the client's route moves to LB2, the stream goes on
#   4. a new flow every second until Ctrl-C (or --seconds N), which removes every namespace, pin
#      and process the demo made
#
#   examples/lb/demo.sh [--seconds N]     LB_PREFIX (default mslb), LB_RAFT_PORT, LB_CLIENT_PORT
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

seconds=0
case "${1:-}" in
  --seconds) seconds=${2:?--seconds needs a number} ;;
  "") ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "mapsync demo lb needs root: it creates network namespaces, loads tc programs and pins BPF maps." >&2
  echo "Run it as root (sudo ./mapsync demo lb)." >&2
  exit 1
fi
build
down 2>/dev/null || true
mkdir -p "$WORK"
cleanup() {
  trap - EXIT INT TERM
  say "cleaning up: every process, namespace ($P-*) and pin ($PIN) the demo made"
  down
  echo "   done"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "topology: client, LB1, LB2, backends b1 and b2; requests enter through LB1, replies leave through LB2"
"$here/topology.sh" up
for b in b1 b2; do
  background "$b" nsenter --net="/run/netns/$P-$b" java -cp "$CP" io.mapsync.examples.lb.EchoServer "$b" 8080
done
install_lb 1
install_lb 2
say "the mapsync agents of LB1 and LB2, and a witness (3 Raft voters on loopback), capture: $CAPTURE"
for id in lb1 lb2 w; do
  n=${id#lb}; [ "$id" = w ] && n=""
  agent_config "$id" "$n" >"$WORK/$id.yaml"
  background "$id" "$root/mapsync" agent --config "$WORK/$id.yaml"
done
wait_for b1 listening
wait_for b2 listening
wait_ready lb1 lb2 w

say "new flows through the VIP: their sessions arrive on LB2, LB2 answers on the short path"
# Shown live from here on: what lands in LB2's map, and LB2's reply counters when they change.
java -cp "$CP" io.mapsync.examples.lb.LbWatch 0 "lb2=$PIN/lb2" &
echo $! >"$WORK/watch.pid"
disown $!
sleep 1
for port in 41001 41002 41003; do ask "ask $port hello 1000"; sleep 0.5; done
ask "tcp hello-tcp 5000"
sleep 1

say "failover: a TCP stream and a ping through LB1, then LB1's host dies"
background stream nsenter --net="/run/netns/$P-client" java -cp "$CP" io.mapsync.examples.lb.StreamClient "$VIP" "$WORK/stop"
wait_for stream "stream started"
target=$(sed -n 's/^stream started b\([0-9]\).*/10.13.2.1\1/p' "$WORK/stream.log")
echo "   stream through the VIP to $target, 1000 checked lines a second"
sleep 2
background ping nsenter --net="/run/netns/$P-client" ping -n -q -i 0.02 -c 300 -W 1 "$target"
sleep 2
kill -9 "$(cat "$WORK/lb1.pid")"
"$here/topology.sh" cut 1
"$here/topology.sh" enter-via 2
echo "   $(date +%T.%3N) LB1's agent SIGKILLed, its links cut, the client's route moved to LB2"
sleep 5
touch "$WORK/stop"
wait_for stream "stream ok\|stream failed"
sed -n 's/^\(stream ok\|stream failed\)/   \1/p' "$WORK/stream.log"
wait_for ping "packets transmitted"
sed -n 's/^\(.*packets transmitted.*\)/   ping every 20 ms: \1/p' "$WORK/ping.log"

say "a new flow every second through LB2 now$([ "$seconds" -gt 0 ] && echo " for $seconds s" || echo "; Ctrl-C ends the demo")"
start=$SECONDS
port=42000
while [ "$seconds" -eq 0 ] || ((SECONDS - start < seconds)); do
  ask "ask $port hello 1000"
  port=$((port + 1))
  sleep 1
done
