# Shared by run.sh and demo.sh (sourced): the example's settings and its steps as functions.
# LB_PREFIX names the namespaces and pins (default mslb), CAPTURE the agents' tier (default emit).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export LB_PREFIX=${LB_PREFIX:-mslb}
P=$LB_PREFIX
PIN=/sys/fs/bpf/mapsync-lb/$P
WORK=/tmp/mapsync-lb/$P
VIP=10.13.13.13:8000
BACKENDS=(--backend 10.13.2.11:8080 --backend 10.13.2.12:8080)
CAPTURE=${CAPTURE:-emit}
JAR=$root/agent/target/mapsync.jar
CP="$JAR:$root/examples/target/classes"
RAFT_PORT=${LB_RAFT_PORT:-7300}
CLIENT_PORT=${LB_CLIENT_PORT:-7400}

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# nsenter, not "ip netns exec": the latter remounts /sys and so hides the pins under /sys/fs/bpf.
in_ns() { local host=$1; shift; nsenter --net="/run/netns/$P-$host" "$@"; }
java_in() { local host=$1; shift; in_ns "$host" java -cp "$CP" "$@"; }
ask() { printf '%s\n' "$@" | java_in client io.mapsync.examples.lb.VipClient "$VIP" | grep -v '^client ready\|^slept' | sed 's/^/   client: /'; }
show() { local a=(); for h in "$@"; do a+=("$h=$PIN/$h"); done; java -cp "$CP" io.mapsync.examples.lb.LbShow "${a[@]}" | sed 's/^/   /'; }

down() { # every process it started (TERM, then KILL after 15 s), the namespaces, the pins, the work files
  local f pids=() i
  for f in "$WORK"/*.pid; do [ -f "$f" ] && pids+=("$(cat "$f")"); done
  for i in "${pids[@]}"; do kill "$i" 2>/dev/null || true; done
  local alive
  for ((i = 0; i < 150; i++)); do
    alive=0
    for f in "${pids[@]}"; do if kill -0 "$f" 2>/dev/null; then alive=1; fi; done
    if [ "$alive" = 0 ]; then break; fi
    sleep 0.1
  done
  for i in "${pids[@]}"; do kill -9 "$i" 2>/dev/null || true; done
  "$here/topology.sh" down
  rm -rf "$WORK"
  rmdir /tmp/mapsync-lb 2>/dev/null || true
}

build() { # LB_NO_BUILD=1: use what is built (the tests)
  [ -n "${LB_NO_BUILD:-}" ] && return
  "$root/mapsync" --version >/dev/null # builds agent/target/mapsync.jar (and the examples) when sources are newer
  local jar
  jar=$(ls "$root"/examples/target/mapsync-examples-*.jar 2>/dev/null | head -n 1)
  if [ -z "$jar" ] || [ -n "$(find "$root/examples/src/main" "$here/lb.bpf.o" -newer "$jar" -print -quit)" ]; then
    (cd "$root" && mvn -q -B -DskipTests -pl examples -am package)
  fi
}

install_lb() { # N [on|off]: a fresh datapath (new maps, new emit ring) on lbN, deriving replies or not (default on)
  in_ns "lb$1" tc qdisc del dev front clsact 2>/dev/null || true
  rm -rf "${PIN:?}/lb$1"
  java_in "lb$1" io.mapsync.examples.lb.LbInstaller --pin-root "$PIN/lb$1" --dev front --vip "$VIP" "${BACKENDS[@]}" \
    --derive "${2:-on}" | sed 's/^/   /'
}

background() { # name command...: runs a program (not a function: its pid is the one killed) in the background
  "${@:2}" >"$WORK/$1.log" 2>&1 &
  echo $! >"$WORK/$1.pid"
  disown $! # down() and the demo's failover end it: no "Killed" line from the shell
}

# Raft port 730N and etcd-API (client) port 740N of each agent (LB_RAFT_PORT and LB_CLIENT_PORT
# move the bases; the tests name each port), all on the host's loopback. lb1,
# lb2 and the witness w vote; lb3, the spare LB host's agent, is a listener (receives the log,
# never votes), so the voters commit without it until it comes up.
declare -A N=([lb1]=1 [lb2]=2 [w]=3 [lb3]=4)
port() { # raft|client N: agent N's port; LB_RAFT_PORTS / LB_CLIENT_PORTS ("p1 p2 p3 p4") name all four
  local list base
  if [ "$1" = raft ]; then list=${LB_RAFT_PORTS:-}; base=$RAFT_PORT; else list=${LB_CLIENT_PORTS:-}; base=$CLIENT_PORT; fi
  if [ -n "$list" ]; then echo "$list" | cut -d' ' -f"$2"; else echo $((base + $2)); fi
}
agent_config() { # id [lb-number]
  cat <<EOF
id: $1
data_dir: $WORK/data/$1
peers: {lb1: 127.0.0.1:$(port raft 1), lb2: 127.0.0.1:$(port raft 2), w: 127.0.0.1:$(port raft 3), lb3: 127.0.0.1:$(port raft 4)}
listeners: [lb3]
client_address: 127.0.0.1:$(port client "${N[$1]}")
EOF
  if [ -n "${2:-}" ]; then cat <<EOF
emit_pin_root: $PIN/lb$2
maps:
  - name: lb_sessions
    pinned: $PIN/lb$2/lb_sessions
    capture: $CAPTURE
    scan_interval: 100ms
    lru_eviction: local
EOF
  fi
}

wait_for() { # name pattern: until the background program's log shows the line
  local deadline=$((SECONDS + 180))
  until grep -q "$2" "$WORK/$1.log"; do
    if ! kill -0 "$(cat "$WORK/$1.pid")" 2>/dev/null || ((SECONDS > deadline)); then
      echo "$1 did not start; its log:"; tail -n 30 "$WORK/$1.log"; exit 1
    fi
    sleep 0.2
  done
}

wait_ready() { # agent id...
  local id
  for id in "$@"; do
    wait_for "$id" "mapsync agent $id ready"
    echo "   agent $id ready"
  done
}

