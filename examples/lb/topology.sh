#!/usr/bin/env bash
# The example's network: network namespaces joined by two bridges, wired for asymmetric routing.
#
#   topology.sh up              client, LB1, LB2, backends b1 and b2, and the two bridges
#   topology.sh add-lb N        one more LB host (lbN), on both bridges
#   topology.sh enter-via N     the client sends its requests for the VIP (and its pings to the
#                               backends' network) through lbN, as an upstream router would
#   topology.sh cut N           lbN's host dies for the network: both its links go down
#   topology.sh return-via N    the backends send their replies to the clients through lbN
#   topology.sh down            deletes every namespace of the topology and its BPF pins
#
# LB_PREFIX (default mslb) prefixes every namespace and the pin directory, so a test run and a
# hand-run topology can coexist. Nothing is created in the host's own namespace.
#
#   front 10.13.1.0/24:  client .10, lbN .N          VIP 10.13.13.13:8000 (routed via lb1)
#   back  10.13.2.0/24:  lbN .N, b1 .11, b2 .12      backends listen on :8080
set -euo pipefail
P=${LB_PREFIX:-mslb}
PIN_DIR=/sys/fs/bpf/mapsync-lb/$P
VIP=10.13.13.13

ns() { echo "$P-$1"; }
in_ns() { local n; n=$(ns "$1"); shift; ip netns exec "$n" "$@"; }
sysctl_in() { in_ns "$1" sh -c "echo $3 > /proc/sys/$2"; }

host() { # name: a namespace with loopback up and no reverse-path filter
  ip netns add "$(ns "$1")"
  ip -n "$(ns "$1")" link set lo up
  # Replies reach the client from an LB it did not send to: strict reverse-path filtering would drop them.
  sysctl_in "$1" net/ipv4/conf/all/rp_filter 0
  sysctl_in "$1" net/ipv4/conf/default/rp_filter 0
}

plug() { # host ifname bridge address: a veth from the host to a bridge port in the switch namespace
  local port="$1-${2:0:1}"
  ip -n "$(ns "$1")" link add "$2" type veth peer name "$port" netns "$(ns sw)"
  ip -n "$(ns sw)" link set "$port" master "$3" up
  ip -n "$(ns "$1")" addr add "$4" dev "$2"
  ip -n "$(ns "$1")" link set "$2" up
}

lb_host() { # N
  host "lb$1"
  sysctl_in "lb$1" net/ipv4/ip_forward 1
  plug "lb$1" front br-front "10.13.1.$1/24"
  plug "lb$1" back br-back "10.13.2.$1/24"
}

backend() { # name last-octet
  host "$1"
  plug "$1" back br-back "10.13.2.$2/24"
  # The asymmetric part: replies to the clients go through lb2, not lb1 where the requests came in.
  ip -n "$(ns "$1")" route add 10.13.1.0/24 via 10.13.2.2
}

up() {
  ip netns add "$(ns sw)"
  ip -n "$(ns sw)" link set lo up
  for br in br-front br-back; do
    ip -n "$(ns sw)" link add "$br" type bridge
    ip -n "$(ns sw)" link set "$br" up
  done
  host client
  plug client front br-front 10.13.1.10/24
  ip -n "$(ns client)" route add "$VIP/32" via 10.13.1.1
  ip -n "$(ns client)" route add 10.13.2.0/24 via 10.13.1.1
  lb_host 1
  lb_host 2
  backend b1 11
  backend b2 12
}

down() {
  local n
  for n in $(ip netns list | awk '{print $1}' | grep -E "^$P-(sw|client|lb[0-9]+|b[0-9]+)$" || true); do
    ip netns del "$n"
  done
  rm -rf "$PIN_DIR"
  rmdir /sys/fs/bpf/mapsync-lb 2>/dev/null || true
}

case "${1:-}" in
  up) up ;;
  add-lb) lb_host "${2:?add-lb needs the LB number}" ;;
  enter-via)
    for net in "$VIP/32" 10.13.2.0/24; do
      ip -n "$(ns client)" route replace "$net" via "10.13.1.${2:?enter-via needs the LB number}"
    done ;;
  cut)
    for dev in front back; do ip -n "$(ns "lb${2:?cut needs the LB number}")" link set "$dev" down; done ;;
  return-via)
    for b in b1 b2; do ip -n "$(ns $b)" route replace 10.13.1.0/24 via "10.13.2.${2:?return-via needs the LB number}"; done ;;
  down) down ;;
  *) echo "usage: $0 up | add-lb N | enter-via N | return-via N | cut N | down   (LB_PREFIX=$P)" >&2; exit 2 ;;
esac
