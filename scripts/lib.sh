# What scripts/services.sh and scripts/cluster.sh share, sourced by both: where state and downloads
# live, the port table (config/services.json through scripts/ports.mjs), messages, the Kafka
# version, builds with `go install` into the cache, Toxiproxy proxies, process groups, and a cleanup
# that runs however the script ends (temp folders, Debian's policy-rc.d).
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# An installed package keeps its state in the working directory, not in node_modules.
case "$ROOT" in */node_modules/*) STATE_ROOT="${FAULTLINE_STATE:-$PWD/.services}" ;; *) STATE_ROOT="${FAULTLINE_STATE:-$ROOT/.services}" ;; esac
CACHE="${FAULTLINE_CACHE:-$HOME/.cache/faultline}"
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/scripts/kafka-pom.xml")
KAFKA_LIB="$CACHE/kafka-$KAFKA_VERSION/lib"
READY_TIMEOUT=${FAULTLINE_READY_TIMEOUT:-90}
KAFKA_LOG4J='rootLogger.level=WARN\nrootLogger.appenderRef.stdout.ref=STDOUT\nappender.stdout.type=Console\nappender.stdout.name=STDOUT\nappender.stdout.layout.type=PatternLayout\nappender.stdout.layout.pattern=[%%d] %%p %%m (%%c)%%n\n'

eval "$(node "$ROOT/scripts/ports.mjs")"

LOG_PREFIX=${LOG_PREFIX:-faultline}
say() { printf '[%s] %s\n' "$LOG_PREFIX" "$*" >&2; }
die() { printf '[%s] error: %s\n' "$LOG_PREFIX" "$*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null; }
# A pid's state letter: T when stopped (paused).
paused() { [ "$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)" = T ]; }

# ---------------------------------------------------------------- cleanup on any exit
TEMPS=()
POLICY_RC=""
cleanup() {
  local t
  for t in "${TEMPS[@]}"; do rm -rf "$t"; done
  [ -n "$POLICY_RC" ] && rm -f "$POLICY_RC"
  return 0
}
trap cleanup EXIT
temp_dir() { local d; d=$(mktemp -d); TEMPS+=("$d"); echo "$d"; }

# apt-get install, without the packages' init scripts starting system-wide copies (policy-rc.d,
# removed again on any exit).
apt_install() {
  say "installing from Debian: $*"
  apt-get update -qq >/dev/null
  POLICY_RC=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\nexit 101\n' > "$POLICY_RC"; chmod +x "$POLICY_RC"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  rm -f "$POLICY_RC"; POLICY_RC=""
}

# go install PKG@VERSION, its binary BUILT moved to DEST (once; the cache is shared by every clone).
go_build() { # dest pkg@version built-name
  [ -x "$1" ] && return 0
  command -v go >/dev/null || die "go is missing: it is needed once to build $(basename "$1")"
  say "building $(basename "$1") with go install $2"
  local gobin; gobin=$(temp_dir)
  GOBIN="$gobin" go install "$2"
  mkdir -p "$(dirname "$1")"; mv "$gobin/$3" "$1"
}

fetch_kafka() {
  [ -f "$KAFKA_LIB/kafka_2.13-$KAFKA_VERSION.jar" ] && return 0
  command -v mvn >/dev/null || die "mvn is missing: it is needed once to fetch the Kafka jars"
  say "fetching Kafka $KAFKA_VERSION jars from Maven Central"
  local tmp="$KAFKA_LIB.partial"; rm -rf "$tmp"; TEMPS+=("$tmp")
  mvn -q -f "$ROOT/scripts/kafka-pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp"
  mv "$tmp" "$KAFKA_LIB"
}

node_packages() {
  (cd "$ROOT" && node -e "require.resolve('kafkajs')" 2>/dev/null) && return 0
  say "installing node packages (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund >/dev/null)
}

# Toxiproxy's /populate: creates the missing proxies of a JSON array, leaves existing ones (and their toxics) as they are.
populate_proxies() { # json what
  curl -fsS -m 10 -X POST -H 'Content-Type: application/json' -d "$1" "http://${DIRECT[toxiproxy]}/populate" >/dev/null \
    || die "could not create the Toxiproxy proxies of $2"
}
proxy_json() { printf '{"name":"%s","listen":"%s","upstream":"%s","enabled":true}' "$1" "$2" "$3"; }

# A started process is its process group (setsid made its pid the leader): signals go to the group,
# so a start script's children (RabbitMQ's Erlang VM) get them too.
signal_group() { kill -"$2" -- "-$1" 2>/dev/null || true; }
# TERM (after CONT, for a paused one), then KILL after `tries` quarter-seconds.
stop_group() { # pid tries
  kill -0 "$1" 2>/dev/null || return 0
  signal_group "$1" CONT
  signal_group "$1" TERM
  for _ in $(seq 1 "$2"); do kill -0 "$1" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$1" 2>/dev/null && signal_group "$1" KILL
  return 0
}
