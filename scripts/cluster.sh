#!/usr/bin/env bash
# Local 3-node clusters for faultline's replication faults, each node in its own Linux network
# namespace behind a router namespace, so a partition between nodes is a routing rule in the router.
#
#   scripts/cluster.sh up|down|status [NAME]          NAME: kafka (3 KRaft nodes), nats (3 JetStream servers), rabbitmq (3 nodes, quorum
#                                                     queues) or redis (a primary, 2 replicas, 3 Sentinels)
#   scripts/cluster.sh kill|pause|resume|start|restart NAME NODE      NODE: n1, n2, n3
#   scripts/cluster.sh block NAME FROM TO blackhole|prohibit        packets from node FROM to node TO
#   scripts/cluster.sh unblock NAME FROM TO blackhole|prohibit
#   scripts/cluster.sh leader NAME       the node that leads the controller quorum
#   scripts/cluster.sh rules             the partition rules in the router (one per line)
#
# The network (all of it made and removed by this script; nothing routes out of the machine):
#   host  flc-host 198.18.0.1/24  <->  flc-r0 198.18.0.2/24  router namespace flc-router
#   node i of kafka: namespace flc-kafka-i, eth0 198.18.(10+i).2/24 <-> router flc-kafka-i 198.18.(10+i).1
#   node i of nats:  namespace flc-nats-i,  eth0 198.18.(20+i).2/24 <-> router flc-nats-i  198.18.(20+i).1
#   node i of rabbitmq: namespace flc-rabbitmq-i, 198.18.(30+i).2 (node name rabbit@198.18.(30+i).2)
#   node i of redis: namespace flc-redis-i, 198.18.(40+i).2: redis-server :6379 (n1 starts as the
#     primary, n2 and n3 as its replicas) and a Sentinel :26379 (master name faultline, quorum 2)
# The router forwards between these subnets only and has no default route; the host reaches the
# nodes through it (route 198.18.0.0/15 via 198.18.0.2). Each node also has a Toxiproxy proxy on
# 127.0.0.1 for client-side faults (kafka: kafka3-n1..3 on 29091..29093; nats: nats3-n1..3 on 24221..24223;
# rabbitmq: rabbitmq3-n1..3 on 26671..26673; its management API on each node's :15672;
# redis: redis3-n1..3 on 26381..26383).
# Downloads are shared with scripts/services.sh (~/.cache/faultline); data, logs and pid files live
# in .services/clusters/NAME/ of this checkout.
LOG_PREFIX=cluster
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STATE="$STATE_ROOT/clusters"
NATS_VERSION=v2.15.2
NATS_BIN="$CACHE/bin/nats-server-$NATS_VERSION"
ROUTER=flc-router
NODES=(n1 n2 n3)
# The port table (config/services.json) gives each cluster its SUBNET, its clients' port on each node
# (CLIENT_PORT), and its nodes' Toxiproxy proxies on 127.0.0.1:PROXY_BASE+i, which forward to
# UPSTREAM_PORT (Kafka: a listener that advertises the proxy port).
# Rules faultline adds sit between these priorities; `rules` and `down` look only there.
RULE_PREF=1000


known_cluster() { local c; for c in "${CLUSTERS[@]}"; do [ "$c" = "$1" ] && return 0; done; die "unknown cluster '$1' (one of: ${CLUSTERS[*]})"; }
known_node() { case "$1" in n1|n2|n3) ;; *) die "unknown node '$1' (one of: ${NODES[*]})" ;; esac; }
idx() { echo "${1#n}"; }
ns_of() { echo "flc-$1-$(idx "$2")"; }
addr_of() { echo "198.18.$((SUBNET[$1] + $(idx "$2"))).2"; }
dir_of() { echo "$STATE/$1/$2"; }
pid_of() { local f="$STATE/$1/$2.pid"; [ -f "$f" ] && cat "$f" || true; }
alive() { local p; p=$(pid_of "$1" "$2"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
rt() { ip netns exec "$ROUTER" "$@"; }

# ---------------------------------------------------------------- network
need_netns() {
  command -v ip >/dev/null || die "the 'ip' command (iproute2) is missing: apt-get install iproute2"
  [ "$(id -u)" = 0 ] || die "clusters need root: network namespaces and veth pairs (CAP_NET_ADMIN)"
  if ! ip netns list >/dev/null 2>&1; then die "network namespaces are not available here (ip netns list failed)"; fi
}

net_up() { # router and host link, once
  if ! ip netns list | grep -qw "$ROUTER"; then
    ip netns add "$ROUTER" || die "could not create network namespace $ROUTER (CAP_SYS_ADMIN and CAP_NET_ADMIN are needed)"
    rt ip link set lo up
    rt sysctl -qw net.ipv4.ip_forward=1
  fi
  if ! ip link show flc-host >/dev/null 2>&1; then
    ip link add flc-host type veth peer name flc-r0 netns "$ROUTER"
    ip addr add 198.18.0.1/24 dev flc-host
    ip link set flc-host up
    rt ip addr add 198.18.0.2/24 dev flc-r0
    rt ip link set flc-r0 up
  fi
  ip route replace 198.18.0.0/15 via 198.18.0.2 dev flc-host
}

node_net_up() { # cluster node
  local ns; ns=$(ns_of "$1" "$2")
  local net=$((SUBNET[$1] + $(idx "$2")))
  ip netns list | grep -qw "$ns" && return 0
  ip netns add "$ns"
  ip netns exec "$ns" ip link set lo up
  ip link add "$ns" netns "$ROUTER" type veth peer name eth0 netns "$ns"
  rt ip addr add "198.18.$net.1/24" dev "$ns"
  rt ip link set "$ns" up
  ip netns exec "$ns" ip addr add "198.18.$net.2/24" dev eth0
  ip netns exec "$ns" ip link set eth0 up
  ip netns exec "$ns" ip route add default via "198.18.$net.1"
}

rules() { ip netns list 2>/dev/null | grep -qw "$ROUTER" || return 0; rt ip rule list | awk -v lo=$RULE_PREF -v hi=$((RULE_PREF + 999)) '{ p = $1; sub(":", "", p) } p + 0 >= lo && p + 0 <= hi'; }

block() { # cluster from to mode
  local from to; from=$(addr_of "$1" "$2"); to=$(addr_of "$1" "$3")
  case "$4" in blackhole|prohibit) ;; *) die "mode must be blackhole or prohibit, not '$4'" ;; esac
  ip netns list | grep -qw "$ROUTER" || die "the cluster network is not up (scripts/cluster.sh up $1)"
  rules | grep -q "from $from to $to $4" && return 0
  rt ip rule add from "$from/32" to "$to/32" "$4" pref "$RULE_PREF"
}

unblock() {
  local from to; from=$(addr_of "$1" "$2"); to=$(addr_of "$1" "$3")
  ip netns list | grep -qw "$ROUTER" || return 0
  while rules | grep -q "from $from to $to $4"; do rt ip rule del from "$from/32" to "$to/32" "$4" pref "$RULE_PREF"; done
}

# ---------------------------------------------------------------- kafka
kafka_props() { # node
  local i; i=$(idx "$1")
  local addr; addr=$(addr_of kafka "$1")
  local voters="" n sep=""
  for n in "${NODES[@]}"; do voters+="$sep$(idx "$n")@$(addr_of kafka "$n"):9093"; sep=","; done
  cat <<EOF
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://$addr:9092,CONTROLLER://$addr:9093,PROXIED://$addr:9094
advertised.listeners=PLAINTEXT://$addr:9092,PROXIED://127.0.0.1:$((PROXY_BASE[kafka] + i))
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,PROXIED:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$(dir_of kafka "$1")/data
num.partitions=1
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
offsets.topic.replication.factor=3
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.initial.rebalance.delay.ms=0
delete.topic.enable=true
# Fail over within seconds, so a fault of 10 s shows the election inside its window.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000
replica.lag.time.max.ms=4000
controller.quorum.election.timeout.ms=1000
controller.quorum.fetch.timeout.ms=2000
EOF
}

start_kafka_node() { # node
  local dir; dir=$(dir_of kafka "$1"); mkdir -p "$dir"
  kafka_props "$1" > "$dir/server.properties"
  # shellcheck disable=SC2059 # the format is ours
  printf "$KAFKA_LOG4J" > "$dir/log4j2.properties"
  local cp="$KAFKA_LIB/*"
  local jvm=(-Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true "-Dlog4j2.configurationFile=$dir/log4j2.properties")
  local idfile="$STATE/kafka/cluster.id"
  [ -f "$idfile" ] || java -cp "$cp" "${jvm[@]}" kafka.tools.StorageTool random-uuid > "$idfile"
  if [ ! -f "$dir/data/meta.properties" ]; then
    java -cp "$cp" "${jvm[@]}" kafka.tools.StorageTool format -t "$(cat "$idfile")" -c "$dir/server.properties" >>"$dir/node.log" 2>&1 \
      || die "formatting Kafka storage of $1 failed: see $dir/node.log"
  fi
  # setsid and ip netns exec both exec: the pid recorded is the JVM's.
  setsid ip netns exec "$(ns_of kafka "$1")" java "${jvm[@]}" -cp "$cp" kafka.Kafka "$dir/server.properties" >>"$dir/node.log" 2>&1 </dev/null &
  echo $! > "$STATE/kafka/$1.pid"
}

kafka_leader() { # the controller quorum's leader, as n<id>
  local n out
  for n in "${NODES[@]}"; do
    alive kafka "$n" || continue
    out=$(timeout 20 java -cp "$KAFKA_LIB/*" -Xmx128m org.apache.kafka.tools.MetadataQuorumCommand --bootstrap-server "$(addr_of kafka "$n"):9092" describe --status 2>/dev/null) || continue
    echo "$out" | sed -n 's/^LeaderId: *\([0-9]*\).*/n\1/p'
    return 0
  done
  return 1
}

# ---------------------------------------------------------------- nats
start_nats_node() { # node
  local dir; dir=$(dir_of nats "$1"); mkdir -p "$dir"
  local addr; addr=$(addr_of nats "$1")
  local routes="" n sep=""
  for n in "${NODES[@]}"; do routes+="$sep\"nats://$(addr_of nats "$n"):6222\""; sep=", "; done
  cat > "$dir/server.conf" <<EOF
server_name: $1
listen: $addr:4222
http: $addr:8222
jetstream { store_dir: "$dir/js", max_memory_store: 256MB, max_file_store: 4GB }
# no_advertise: clients stay on the addresses they were given (a proxied client stays on its proxy).
cluster { name: faultline, listen: $addr:6222, routes: [$routes], no_advertise: true }
EOF
  setsid ip netns exec "$(ns_of nats "$1")" "$NATS_BIN" -c "$dir/server.conf" >>"$dir/node.log" 2>&1 </dev/null &
  echo $! > "$STATE/nats/$1.pid"
}

nats_leader() { # the JetStream meta leader's server name
  local n out
  for n in "${NODES[@]}"; do
    alive nats "$n" || continue
    out=$(curl -fsS -m 3 "http://$(addr_of nats "$n"):8222/jsz" 2>/dev/null) || continue
    echo "$out" | tr -d '\n ' | sed -n 's/.*"meta_cluster":{[^}]*"leader":"\([^"]*\)".*/\1/p'
    return 0
  done
  return 1
}

# ---------------------------------------------------------------- rabbitmq
rabbit_env() { # node: the environment every rabbitmq command of that node runs with
  local dir; dir=$(dir_of rabbitmq "$1")
  echo RABBITMQ_NODENAME="rabbit@$(addr_of rabbitmq "$1")" RABBITMQ_USE_LONGNAME=true RABBITMQ_NODE_IP_ADDRESS="$(addr_of rabbitmq "$1")" \
    RABBITMQ_NODE_PORT=5672 RABBITMQ_DIST_PORT=25672 RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_LOGS=- HOME="$dir" ERL_CRASH_DUMP="$dir/erl_crash.dump"
}

start_rabbitmq_node() { # node
  local dir; dir=$(dir_of rabbitmq "$1"); mkdir -p "$dir"
  # One Erlang cookie for the three nodes (distribution refuses peers with another).
  [ -f "$STATE/rabbitmq/cookie" ] || head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$STATE/rabbitmq/cookie"
  install -m 400 "$STATE/rabbitmq/cookie" "$dir/.erlang.cookie"
  local n i=1
  {
    echo "listeners.tcp.default = 5672"
    echo "loopback_users = none"
    echo "management.tcp.port = 15672"
    echo "cluster_formation.peer_discovery_backend = classic_config"
    for n in "${NODES[@]}"; do echo "cluster_formation.classic_config.nodes.$i = rabbit@$(addr_of rabbitmq "$n")"; i=$((i + 1)); done
  } > "$dir/rabbitmq.conf"
  printf '[rabbitmq_management].\n' > "$dir/enabled_plugins"
  # shellcheck disable=SC2046
  setsid ip netns exec "$(ns_of rabbitmq "$1")" env $(rabbit_env "$1") /usr/lib/rabbitmq/bin/rabbitmq-server >>"$dir/node.log" 2>&1 </dev/null &
  echo $! > "$STATE/rabbitmq/$1.pid"
}

rabbitmq_leader() { # RabbitMQ has no cluster-wide leader: each quorum queue has its own (faultline asks the management API)
  return 1
}

# ---------------------------------------------------------------- redis
start_redis_node() { # node: its redis-server (the node's pid) and its Sentinel (a pid file of its own)
  local dir; dir=$(dir_of redis "$1"); mkdir -p "$dir"
  local addr primary; addr=$(addr_of redis "$1"); primary=$(addr_of redis n1)
  local ns; ns=$(ns_of redis "$1")
  # protected-mode off: the node is reachable only inside the namespaces this script made
  local args=(--bind "$addr" --port 6379 --protected-mode no --dir "$dir" --save '' --appendonly no --daemonize no)
  # a node that was primary before comes back as one; the Sentinels make it a replica of the current primary
  [ "$1" != n1 ] && [ ! -f "$dir/started" ] && args+=(--replicaof "$primary" 6379)
  setsid ip netns exec "$ns" redis-server "${args[@]}" >>"$dir/node.log" 2>&1 </dev/null &
  echo $! > "$STATE/redis/$1.pid"
  touch "$dir/started"
  local sp; sp=$(cat "$STATE/redis/$1-sentinel.pid" 2>/dev/null || true)
  if [ -z "$sp" ] || ! kill -0 "$sp" 2>/dev/null; then
    # Sentinel rewrites its file: written once, then it is Sentinel's
    [ -f "$dir/sentinel.conf" ] || printf 'bind %s\nprotected-mode no\nport 26379\ndir %s\nsentinel monitor faultline %s 6379 2\nsentinel down-after-milliseconds faultline 2000\nsentinel failover-timeout faultline 6000\nsentinel parallel-syncs faultline 2\n' "$addr" "$dir" "$primary" > "$dir/sentinel.conf"
    setsid ip netns exec "$ns" redis-server "$dir/sentinel.conf" --sentinel >>"$dir/sentinel.log" 2>&1 </dev/null &
    echo $! > "$STATE/redis/$1-sentinel.pid"
  fi
}

redis_leader() { # the primary, as the Sentinels see it
  local n out
  for n in "${NODES[@]}"; do
    out=$(redis-cli -h "$(addr_of redis "$n")" -p 26379 --raw SENTINEL get-master-addr-by-name faultline 2>/dev/null | head -1) || continue
    [ -n "$out" ] || continue
    echo "n$(( $(echo "$out" | cut -d. -f3) - SUBNET[redis] ))"
    return 0
  done
  return 1
}

# ---------------------------------------------------------------- common
start_node() { # cluster node
  alive "$1" "$2" && return 0
  node_net_up "$1" "$2"
  "start_$1_node" "$2"
}

# A node is its process group (setsid made the recorded pid its leader): RabbitMQ's start script runs
# the Erlang VM as a child, so signals go to the whole group.
signal_node() { signal_group "$(pid_of "$1" "$2")" "$3"; }

stop_node() { # cluster node
  local p; p=$(pid_of "$1" "$2")
  [ -n "$p" ] && stop_group "$p" 80
  # whatever else runs in the node's namespace (RabbitMQ's epmd) goes with it
  local ns; ns=$(ns_of "$1" "$2")
  ip netns list 2>/dev/null | grep -qw "$ns" && ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
  rm -f "$STATE/$1/$2.pid"
}

ensure_toxiproxy() { # cluster
  if ! port_open "${DIRECT[toxiproxy]}"; then bash "$ROOT/scripts/services.sh" start toxiproxy; fi
  local body="[" sep="" n
  for n in "${NODES[@]}"; do
    body+="$sep$(proxy_json "${1}3-$n" "127.0.0.1:$((PROXY_BASE[$1] + $(idx "$n")))" "$(addr_of "$1" "$n"):${UPSTREAM_PORT[$1]}")"
    sep=","
  done
  populate_proxies "$body]" "$1"
}

wait_ready() { # cluster
  local deadline=$((SECONDS + READY_TIMEOUT)) n err
  for n in "${NODES[@]}"; do
    until err=$(node "$ROOT/scripts/cluster-ready.mjs" "$1" "$(addr_of "$1" "$n"):${CLIENT_PORT[$1]}" 2>&1 >/dev/null); do
      alive "$1" "$n" || die "$1 $n exited during start-up; its log: $(dir_of "$1" "$n")/node.log ($(tail -n 3 "$(dir_of "$1" "$n")/node.log" | tr '\n' ' '))"
      [ $SECONDS -lt $deadline ] || die "$1 $n is not ready after ${READY_TIMEOUT}s: $err"
      sleep 0.5
    done
  done
}

install_missing() { # cluster
  command -v java >/dev/null || die "java is missing (Java 17+ is needed for Kafka)"
  command -v curl >/dev/null || die "curl is missing (scripts/services.sh up installs it)"
  if [ ! -f "$KAFKA_LIB/kafka_2.13-$KAFKA_VERSION.jar" ] || ! (cd "$ROOT" && node -e "require.resolve('kafkajs')" 2>/dev/null); then
    say "fetching what is missing through scripts/services.sh"
    bash "$ROOT/scripts/services.sh" up >/dev/null
  fi
  if [ "$1" = nats ]; then go_build "$NATS_BIN" "github.com/nats-io/nats-server/v2@$NATS_VERSION" nats-server; fi
}

cmd_up() {
  local c=$1 n started=()
  need_netns; install_missing "$c"
  mkdir -p "$STATE/$c"
  net_up
  # Redis keeps nothing on disk: with no node running, its Sentinels' rewritten files (which name the
  # last primary) and the nodes' markers go too, and it starts again as n1 primary, n2 and n3 replicas.
  if [ "$c" = redis ] && ! alive redis n1 && ! alive redis n2 && ! alive redis n3; then
    for n in "${NODES[@]}"; do stop_node redis "$n"; done
    rm -rf "${STATE:?}/redis"; mkdir -p "$STATE/redis"
  fi
  for n in "${NODES[@]}"; do alive "$c" "$n" || { start_node "$c" "$n"; started+=("$n"); }; done
  wait_ready "$c"
  ensure_toxiproxy "$c"
  [ ${#started[@]} -gt 0 ] && say "$c: started ${started[*]}" || say "$c: all nodes already running"
  cmd_status "$c"
}

cmd_down() { # [cluster]
  local c n
  # every node at once: each is given up to 20 s to stop before it is killed, and one after the other
  # that was a minute for the twelve
  for c in "${@:-${CLUSTERS[@]}}"; do
    for n in "${NODES[@]}"; do stop_node "$c" "$n" & done
  done
  wait
  for c in "${@:-${CLUSTERS[@]}}"; do
    for n in "${NODES[@]}"; do ip netns del "$(ns_of "$c" "$n")" 2>/dev/null || true; done
    [ -f "$STATE/$c/cluster.id" ] && say "$c: stopped"
  done
  # The router goes when no cluster has a node left (deleting a namespace deletes its veths).
  if ! ip netns list 2>/dev/null | grep -q '^flc-[a-z]*-[0-9]'; then
    ip netns del "$ROUTER" 2>/dev/null || true
    ip link del flc-host 2>/dev/null || true
  fi
}

cmd_status() {
  local c=$1 n p state leader=-
  alive "$c" n1 || alive "$c" n2 || alive "$c" n3 && leader=$("${c}_leader" || echo -)
  local role='broker, controller' lead='broker, controller (quorum leader)'
  [ "$c" = nats ] && role='server' lead='server (JetStream meta leader)'
  [ "$c" = rabbitmq ] && role='node (each quorum queue elects its own leader)' lead=$role
  [ "$c" = redis ] && role='replica + Sentinel' lead='primary + Sentinel'
  printf '%-8s %-5s %-18s %-16s %-16s %-8s %-8s %s\n' cluster node address proxied netns state pid role
  for n in "${NODES[@]}"; do
    p=$(pid_of "$c" "$n")
    if alive "$c" "$n"; then
      state=up
      paused "$p" && state=paused
    else state=down; p=-; fi
    printf '%-8s %-5s %-18s %-16s %-16s %-8s %-8s %s\n' "$c" "$n" "$(addr_of "$c" "$n"):${CLIENT_PORT[$c]}" "127.0.0.1:$((PROXY_BASE[$c] + $(idx "$n")))" "$(ns_of "$c" "$n")" "$state" "${p:--}" \
      "$([ "$n" = "$leader" ] && echo "$lead" || echo "$role")"
  done
}

action=${1:-}
case "$action" in
  up) [ $# -eq 2 ] || die "usage: $0 up NAME (one of: ${CLUSTERS[*]})"; known_cluster "$2"; cmd_up "$2" ;;
  down) [ $# -le 2 ] || die "usage: $0 down [NAME]"; [ $# -eq 2 ] && known_cluster "$2"; shift; cmd_down "$@" ;;
  status) [ $# -eq 2 ] || die "usage: $0 status NAME"; known_cluster "$2"; cmd_status "$2" ;;
  leader) [ $# -eq 2 ] || die "usage: $0 leader NAME"; known_cluster "$2"; "$2_leader" || die "no node of $2 answers" ;;
  pause|resume|kill)
    [ $# -eq 3 ] || die "usage: $0 $action NAME NODE"; known_cluster "$2"; known_node "$3"
    alive "$2" "$3" || die "$2 $3 is not running (scripts/cluster.sh up $2)"
    case "$action" in pause) sig=STOP ;; resume) sig=CONT ;; kill) sig=KILL ;; esac
    signal_node "$2" "$3" "$sig"
    if [ "$action" = kill ]; then
      for _ in $(seq 1 40); do alive "$2" "$3" || break; sleep 0.25; done
      # RabbitMQ's epmd outlives the VM: a kill leaves nothing of the node running
      ip netns pids "$(ns_of "$2" "$3")" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
      rm -f "$STATE/$2/$3.pid"
    fi ;;
  start) [ $# -eq 3 ] || die "usage: $0 start NAME NODE"; known_cluster "$2"; known_node "$3"; need_netns; net_up; start_node "$2" "$3" ;;
  restart) [ $# -eq 3 ] || die "usage: $0 restart NAME NODE"; known_cluster "$2"; known_node "$3"; stop_node "$2" "$3"; start_node "$2" "$3" ;;
  block|unblock)
    [ $# -eq 5 ] || die "usage: $0 $action NAME FROM TO blackhole|prohibit"; known_cluster "$2"; known_node "$3"; known_node "$4"
    "$action" "$2" "$3" "$4" "$5" ;;
  rules) rules ;;
  *) echo "usage: $0 up|down|status NAME | kill|pause|resume|start|restart NAME NODE | block|unblock NAME FROM TO MODE | leader NAME | rules" >&2; exit 2 ;;
esac
