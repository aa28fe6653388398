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
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
case "$ROOT" in */node_modules/*) STATE="${FAULTLINE_STATE:-$PWD/.services}" ;; *) STATE="${FAULTLINE_STATE:-$ROOT/.services}" ;; esac
export FAULTLINE_STATE="$STATE"
CACHE="${FAULTLINE_CACHE:-$HOME/.cache/faultline}"
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/scripts/kafka-pom.xml")
KAFKA_LIB="$CACHE/kafka-$KAFKA_VERSION/lib"
TOXIPROXY_VERSION=v2.12.0
TOXIPROXY_BIN="$CACHE/bin/toxiproxy-server-$TOXIPROXY_VERSION"
READY_TIMEOUT=${FAULTLINE_READY_TIMEOUT:-90}

# name | direct | proxied | upstream the proxy forwards to
SERVICES=(toxiproxy kafka rabbitmq nats redis mosquitto)
declare -A DIRECT=([toxiproxy]=127.0.0.1:8474 [kafka]=127.0.0.1:9092 [rabbitmq]=127.0.0.1:5672 [nats]=127.0.0.1:4222 [redis]=127.0.0.1:6379 [mosquitto]=127.0.0.1:1883)
declare -A PROXIED=([toxiproxy]=- [kafka]=127.0.0.1:19092 [rabbitmq]=127.0.0.1:5673 [nats]=127.0.0.1:14222 [redis]=127.0.0.1:16379 [mosquitto]=127.0.0.1:11883)
# Kafka's proxy forwards to a second listener (9094) that advertises the proxy port 19092,
# so a client that bootstraps through the proxy is told to stay on it.
declare -A UPSTREAM=([kafka]=127.0.0.1:9094 [rabbitmq]=127.0.0.1:5672 [nats]=127.0.0.1:4222 [redis]=127.0.0.1:6379 [mosquitto]=127.0.0.1:1883)

say() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

pidfile() { echo "$STATE/$1.pid"; }
logfile() { echo "$STATE/$1.log"; }
pid_of() { local f; f=$(pidfile "$1"); [ -f "$f" ] && cat "$f" || true; }
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null; }

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
  if [ ${#need_apt[@]} -gt 0 ]; then
    say "installing from Debian: ${need_apt[*]}"
    apt-get update -qq >/dev/null
    # policy-rc.d keeps the packages' own init scripts from starting system-wide copies.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
    rm -f /usr/sbin/policy-rc.d
  fi
  if [ ! -x "$TOXIPROXY_BIN" ]; then
    command -v go >/dev/null || die "go is missing: it is needed once to build toxiproxy-server"
    say "building toxiproxy-server $TOXIPROXY_VERSION with go install"
    local gobin; gobin=$(mktemp -d)
    # v2's server package is cmd/server; its binary is named `server`.
    GOBIN="$gobin" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION"
    mkdir -p "$(dirname "$TOXIPROXY_BIN")"; mv "$gobin/server" "$TOXIPROXY_BIN"; rm -rf "$gobin"
  fi
  if [ ! -f "$KAFKA_LIB/kafka_2.13-$KAFKA_VERSION.jar" ]; then
    command -v mvn >/dev/null || die "mvn is missing: it is needed once to fetch the Kafka jars"
    say "fetching Kafka $KAFKA_VERSION jars from Maven Central"
    local tmp="$KAFKA_LIB.partial"; rm -rf "$tmp"
    mvn -q -f "$ROOT/scripts/kafka-pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp"
    mv "$tmp" "$KAFKA_LIB"
  fi
  if ! (cd "$ROOT" && node -e "require.resolve('kafkajs')" 2>/dev/null); then
    say "installing node packages (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund >/dev/null)
  fi
}

# ---------------------------------------------------------------- start one
launch() { # name, command...: start detached, record the pid
  local name=$1; shift
  setsid "$@" >>"$(logfile "$name")" 2>&1 </dev/null &
  echo $! > "$(pidfile "$name")"
}

start_toxiproxy() { launch toxiproxy "$TOXIPROXY_BIN" -host 127.0.0.1 -port 8474; }

start_kafka() {
  local dir="$STATE/kafka"; mkdir -p "$dir"
  cat > "$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:9092,PROXIED://127.0.0.1:9094,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092,PROXIED://${PROXIED[kafka]}
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
  cat > "$dir/log4j2.properties" <<'EOF'
rootLogger.level=WARN
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
EOF
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
  printf 'listeners.tcp.default = 5672\nloopback_users = none\n' > "$dir/rabbitmq.conf"
  printf '[rabbitmq_management].\n' > "$dir/enabled_plugins"
  # The management plugin is optional; skip it so start-up stays fast.
  printf '[].\n' > "$dir/enabled_plugins"
  launch rabbitmq env \
    RABBITMQ_NODENAME=faultline@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 \
    RABBITMQ_DIST_PORT=25672 ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_CONFIG_FILE="$dir/rabbitmq" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log" RABBITMQ_LOGS=- \
    HOME="$dir" ERL_CRASH_DUMP="$dir/erl_crash.dump" /usr/lib/rabbitmq/bin/rabbitmq-server
}

start_nats() {
  mkdir -p "$STATE/nats"
  launch nats nats-server -a 127.0.0.1 -p 4222 -js -sd "$STATE/nats"
}

start_redis() {
  mkdir -p "$STATE/redis"
  launch redis redis-server --bind 127.0.0.1 --port 6379 --dir "$STATE/redis" --save '' --appendonly no --daemonize no
}

start_mosquitto() {
  local dir="$STATE/mosquitto"; mkdir -p "$dir"
  printf 'listener 1883 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\nmax_queued_messages 0\nmax_inflight_messages 0\n' "$dir" > "$dir/mosquitto.conf"
  launch mosquitto "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$dir/mosquitto.conf"
}

start_one() {
  local name=$1
  if alive "$name"; then return 0; fi
  if port_open "${DIRECT[$name]}"; then
    die "${DIRECT[$name]} ($name) is taken by a process this script did not start: stop it, or change the port in DESIGN.md, this script and docker-compose.yml"
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
    body+="$sep{\"name\":\"$name\",\"listen\":\"${PROXIED[$name]}\",\"upstream\":\"${UPSTREAM[$name]}\",\"enabled\":true}"
    sep=","
  done
  body+="]"
  # /populate creates missing proxies and leaves existing ones (and their toxics) as they are.
  curl -fsS -m 10 -X POST -H 'Content-Type: application/json' -d "$body" http://127.0.0.1:8474/populate >/dev/null \
    || die "could not create the Toxiproxy proxies (log: $(logfile toxiproxy))"
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
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    kill -CONT "$p" 2>/dev/null || true
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null || true
  fi
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
      [ "$(ps -o stat= -p "$p" 2>/dev/null | cut -c1)" = T ] && state=paused
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
    kill -"$sig" -- "-$(pid_of "$2")"
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
