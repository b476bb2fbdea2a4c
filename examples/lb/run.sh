#!/usr/bin/env bash
# The thesis's asymmetric-routing experiment, by hand (as root):
#
#   examples/lb/run.sh           sets the topology up, runs the three parts, cleans up
#   examples/lb/run.sh --keep    leaves everything running to poke at (see the end of its output)
#   examples/lb/run.sh down      removes what a --keep run left
#
#   part 1  no mapsync, and the datapaths' reply derivation off (--derive off, lbrp's way): a
#           request enters through LB1, the reply leaves through LB2, which knows no session and
#           lets it out untranslated: the client sees the backend's own address
#   part 2  mapsync agents on LB1 and LB2 (plus a witness), derivation on: LB2 translates a flow's
#           first reply by recomputing its backend, LB1's session reaches LB2's map for the rest,
#           and every reply comes from the virtual IP
#   part 3  a spare host LB3 comes up: its agent (a listener) installs the sessions before it
#           reports ready, then the backends' return route moves to LB3: its first reply is translated
#
# CAPTURE=scan uses the scan tier instead of the emit tier. LB_PREFIX names the namespaces.
set -euo pipefail
source "$(cd "$(dirname "$0")" && pwd)/lib.sh"

case "${1:-}" in
  down) down; exit 0 ;;
  --keep | "") ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "run.sh needs root (namespaces, BPF)" >&2; exit 1; }
build
down 2>/dev/null || true
mkdir -p "$WORK"
[ "${1:-}" = --keep ] || trap down EXIT

say "topology: client, LB1, LB2, backends b1 and b2; requests via LB1, replies via LB2"
"$here/topology.sh" up
for b in b1 b2; do
  background "$b" nsenter --net="/run/netns/$P-$b" java -cp "$CP" io.mapsync.examples.lb.EchoServer "$b" 8080
done

say "part 1: no mapsync, reply derivation off"
install_lb 1 off
install_lb 2 off
wait_for b1 listening
wait_for b2 listening
ask "ask 40000 hello-1 1000" "ask 40000 hello-2 1000"
show lb1 lb2
echo "   -> LB2 has no session, so the reply keeps the backend's address: the client cannot use it."

say "part 2: mapsync agents on LB1 and LB2, and a witness (3 voters, Raft on loopback), capture: $CAPTURE"
install_lb 1 # fresh maps: an agent's bootstrap makes its map equal to the log, so agents start before traffic
install_lb 2
for id in lb1 lb2 w; do
  n=${id#lb}; [ "$id" = w ] && n=""
  agent_config "$id" "$n" >"$WORK/$id.yaml"
  background "$id" "$root/mapsync" agent --config "$WORK/$id.yaml"
done
wait_ready lb1 lb2 w
ask "ask 40001 hello-1 1000" "sleep 1000" "ask 40001 hello-2 1000" "ask 40001 hello-3 1000" "tcp hello-tcp 5000"
show lb1 lb2
echo "   -> a flow's first reply beats the replication (milliseconds); LB2 translates it anyway"
echo "      (replies_derived: the flow's hash picks the reply's backend), then holds the session."
echo "      The TCP connect above needs no SYN-ACK retransmission."

say "part 3: a spare LB host, LB3, comes up and is warm before it takes traffic"
"$here/topology.sh" add-lb 3
install_lb 3
agent_config lb3 3 >"$WORK/lb3.yaml"
background lb3 "$root/mapsync" agent --config "$WORK/lb3.yaml"
wait_ready lb3
show lb3
"$here/topology.sh" return-via 3
echo "   backends now reply through LB3"
ask "ask 40001 hello-4 1000"
show lb3

if [ "${1:-}" = --keep ]; then
  say "left running (examples/lb/run.sh down removes it)"
  echo "   client:  printf 'ask 40002 hi 1000\n' | nsenter --net=/run/netns/$P-client java -cp $CP io.mapsync.examples.lb.VipClient $VIP"
  echo "   maps:    java -cp $CP io.mapsync.examples.lb.LbShow lb1=$PIN/lb1 lb2=$PIN/lb2 lb3=$PIN/lb3"
  echo "   cluster: $root/mapsync status --endpoints 127.0.0.1:$(port client 1)"
  echo "   logs:    $WORK/*.log"
fi
