#!/usr/bin/env bash
# Installs (if missing) and runs faultline's local test services on 127.0.0.1:
# Kafka (KRaft), RabbitMQ, NATS JetStream, Redis, Mosquitto, each behind a Toxiproxy proxy.
#
#   scripts/services.sh up | down | status
#   scripts/services.sh pause|resume|kill|start|restart NAME
#   scripts/services.sh cluster up|down|status NAME ...   3-node clusters: see scripts/cluster.sh
#
# Downloads are cached in ~/.cache/faultline (shared by every clone); data, logs and pid
# files live in .services/ of this checkout, or of the working directory when faultline is an
# installed package (node_modules/faultline/scripts/services.sh), or in $FAULTLINE_STATE.
# `down` stops only the pids this script wrote.
LOG_PREFIX=services
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STATE="$STATE_ROOT"
export FAULTLINE_STATE="$STATE"
TOXIPROXY_VERSION=v2.12.0
TOXIPROXY_BIN="$CACHE/bin/toxiproxy-server-$TOXIPROXY_VERSION"

pidfile() { echo "$STATE/$1.pid"; }
logfile() { echo "$STATE/$1.log"; }
pid_of() { local f; f=$(pidfile "$1"); [ -f "$f" ] && cat "$f" || true; }
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

# ---------------------------------------------------------------- install
need_apt=()
install_missing() {
  command -v java >/dev/null || die "java is missing (Java 17+ is needed for Kafka)"
  command -v rabbitmq-server >/dev/null || [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need_apt+=(rabbitmq-server)
  command -v nats-server >/dev/null || need_apt+=(nats-server)
  command -v redis-server >/dev/null || need_apt+=(redis-server)
  command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || need_apt+=(mosquitto)
  command -v curl >/dev/null || need_apt+=(curl)
  # for the report's browser test (Debian's build; no browser is ever downloaded)
  command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  if [ ${#need_apt[@]} -gt 0 ]; then apt_install "${need_apt[@]}"; fi
  # v2's server package is cmd/server; its binary is named `server`.
  go_build "$TOXIPROXY_BIN" "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION" server
  fetch_kafka
  node_packages
}

# ---------------------------------------------------------------- start one
launch() { # name, command...: start detached, record the pid
  local name=$1; shift
  setsid "$@" >>"$(logfile "$name")" 2>&1 </dev/null &
  echo $! > "$(pidfile "$name")"
}

start_toxiproxy() { launch toxiproxy "$TOXIPROXY_BIN" -host 127.0.0.1 -port "${DIRECT[toxiproxy]#*:}"; }

start_kafka() {
  local dir="$STATE/kafka"; mkdir -p "$dir"
  cat > "$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://${DIRECT[kafka]},PROXIED://${UPSTREAM[kafka]},CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://${DIRECT[kafka]},PROXIED://${PROXIED[kafka]}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,PROXIED:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
delete.topic.enable=true
EOF
  # shellcheck disable=SC2059 # the format is ours
  printf "$KAFKA_LOG4J" > "$dir/log4j2.properties"
  local cp="$KAFKA_LIB/*"
  local jvm=(-Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true "-Dlog4j2.configurationFile=$dir/log4j2.properties")
  if [ ! -f "$dir/data/meta.properties" ]; then
    local id; id=$(java -cp "$cp" "${jvm[@]}" kafka.tools.StorageTool random-uuid)
    java -cp "$cp" "${jvm[@]}" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" >>"$(logfile kafka)" 2>&1 \
      || die "formatting Kafka storage failed: see $(logfile kafka)"
  fi
  launch kafka java "${jvm[@]}" -cp "$cp" kafka.Kafka "$dir/server.properties"
}

start_rabbitmq() {
  local dir="$STATE/rabbitmq"; mkdir -p "$dir"
  printf 'listeners.tcp.default = %s\nloopback_users = none\n' "${DIRECT[rabbitmq]#*:}" > "$dir/rabbitmq.conf"
  # The management plugin is optional; skip it so start-up stays fast.
  printf '[].\n' > "$dir/enabled_plugins"
  launch rabbitmq env \
    RABBITMQ_NODENAME=faultline@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="${DIRECT[rabbitmq]#*:}" \
    RABBITMQ_DIST_PORT=25672 ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_LOGS=- \
    HOME="$dir" ERL_CRASH_DUMP="$dir/erl_crash.dump" /usr/lib/rabbitmq/bin/rabbitmq-server
}

start_nats() {
  mkdir -p "$STATE/nats"
  launch nats nats-server -a 127.0.0.1 -p "${DIRECT[nats]#*:}" -js -sd "$STATE/nats"
}

start_redis() {
  mkdir -p "$STATE/redis"
  launch redis redis-server --bind 127.0.0.1 --port "${DIRECT[redis]#*:}" --dir "$STATE/redis" --save '' --appendonly no --daemonize no
}

start_mosquitto() {
  local dir="$STATE/mosquitto"; mkdir -p "$dir"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nmax_queued_messages 0\nmax_inflight_messages 0\n' "${DIRECT[mosquitto]#*:}" "$dir" > "$dir/mosquitto.conf"
  launch mosquitto "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$dir/mosquitto.conf"
}

start_one() {
  local name=$1
  if alive "$name"; then return 0; fi
  if port_open "${DIRECT[$name]}"; then
    die "${DIRECT[$name]} ($name) is taken by a process this script did not start: stop it, or change the port in config/services.json (test/ports.test.ts then names every other place to change)"
  fi
  "start_$name"
}

# ---------------------------------------------------------------- readiness
wait_ready() { # names...
  local deadline=$((SECONDS + READY_TIMEOUT)) name
  for name in "$@"; do
    until node "$ROOT/scripts/ready.mjs" "$name" direct >/dev/null 2>"$STATE/$name.ready.err"; do
      if ! alive "$name"; then
        die "$name exited during start-up; its log: $(logfile "$name") ($(tail -n 3 "$(logfile "$name")" | tr '\n' ' '))"
      fi
      if [ $SECONDS -ge $deadline ]; then
        die "$name is not ready at ${DIRECT[$name]} after ${READY_TIMEOUT}s: $(cat "$STATE/$name.ready.err" | tail -n 1); its log: $(logfile "$name")"
      fi
      sleep 0.5
    done
  done
}

ensure_proxies() {
  local body="[" sep="" name
  for name in "${SERVICES[@]}"; do
    [ "$name" = toxiproxy ] && continue
    body+="$sep$(proxy_json "$name" "${PROXIED[$name]}" "${UPSTREAM[$name]}")"
    sep=","
  done
  populate_proxies "$body]" "the local services (log: $(logfile toxiproxy))"
}

# ---------------------------------------------------------------- commands
cmd_up() {
  mkdir -p "$STATE"
  install_missing
  local name started=()
  for name in "${SERVICES[@]}"; do
    if ! alive "$name"; then start_one "$name"; started+=("$name"); fi
  done
  wait_ready "${SERVICES[@]}"
  ensure_proxies
  for name in "${SERVICES[@]}"; do
    [ "$name" = toxiproxy ] && continue
    node "$ROOT/scripts/ready.mjs" "$name" proxy >/dev/null 2>"$STATE/$name.ready.err" \
      || die "$name answers directly but not through its proxy ${PROXIED[$name]}: $(tail -n 1 "$STATE/$name.ready.err")"
  done
  [ ${#started[@]} -gt 0 ] && say "started: ${started[*]}" || say "all services already running"
  cmd_status
}

stop_one() {
  local name=$1 p; p=$(pid_of "$name")
  [ -n "$p" ] && stop_group "$p" 60
  rm -f "$(pidfile "$name")"
}

cmd_down() {
  local i
  # Clusters first: their nodes, namespaces and veths (nothing when none was started).
  if [ -d "$STATE/clusters" ] || ip netns list 2>/dev/null | grep -q '^flc-'; then bash "$ROOT/scripts/cluster.sh" down; fi
  for ((i=${#SERVICES[@]}-1; i>=0; i--)); do stop_one "${SERVICES[$i]}"; done
  say "stopped"
}

cmd_status() {
  local name state p
  printf '%-10s %-16s %-16s %-8s %s\n' service direct proxied state pid
  for name in "${SERVICES[@]}"; do
    p=$(pid_of "$name")
    if alive "$name"; then
      state=up
      paused "$p" && state=paused
    else state=down; p=-; fi
    printf '%-10s %-16s %-16s %-8s %s\n' "$name" "${DIRECT[$name]}" "${PROXIED[$name]}" "$state" "${p:--}"
  done
}

known() { local n; for n in "${SERVICES[@]}"; do [ "$n" = "$1" ] && return 0; done; die "unknown service '$1' (one of: ${SERVICES[*]})"; }

action=${1:-}
case "$action" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  pause|resume|kill)
    [ $# -eq 2 ] || die "usage: $0 $action NAME"; known "$2"
    alive "$2" || die "$2 is not running (scripts/services.sh up)"
    case "$action" in pause) sig=STOP ;; resume) sig=CONT ;; kill) sig=KILL ;; esac
    # the whole process group (setsid made the pid its leader): RabbitMQ's start script runs the VM as a child
    signal_group "$(pid_of "$2")" "$sig"
    if [ "$action" = kill ]; then
      # wait until the kernel has reaped it so a following `start` sees the port free
      for _ in $(seq 1 40); do alive "$2" || break; sleep 0.25; done
      rm -f "$(pidfile "$2")"
    fi ;;
  start)
    [ $# -eq 2 ] || die "usage: $0 start NAME"; known "$2"; mkdir -p "$STATE"
    for _ in $(seq 1 40); do alive "$2" || ! port_open "${DIRECT[$2]}" && break; sleep 0.25; done
    start_one "$2"; wait_ready "$2"; [ "$2" = toxiproxy ] && ensure_proxies || true ;;
  restart)
    [ $# -eq 2 ] || die "usage: $0 restart NAME"; known "$2"
    stop_one "$2"; "$0" start "$2" ;;
  cluster) shift; exec bash "$ROOT/scripts/cluster.sh" "$@" ;;
  *) echo "usage: $0 up|down|status|pause NAME|resume NAME|kill NAME|start NAME|restart NAME" >&2; exit 2 ;;
esac
