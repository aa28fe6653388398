#!/usr/bin/env bash
# faultline vs each broker's own perf tool, one invocation (see bench/native.ts). Starts the services,
# installs natscli (go install) and the RabbitMQ Java client (Maven) if missing, then prints the tables and writes bench/results/<date>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh up >/dev/null
CACHE="${FAULTLINE_CACHE:-$HOME/.cache/faultline}"
if [ ! -x "$CACHE/bin/nats" ]; then
  echo "[bench] installing natscli v0.5.0 with go install" >&2
  GOBIN="$CACHE/bin" go install github.com/nats-io/natscli/nats@v0.5.0
fi
if [ ! -f "$CACHE/amqp-client-5.37.1/amqp-client-5.37.1.jar" ]; then
  echo "[bench] fetching the RabbitMQ Java client from Maven Central" >&2
  mvn -q -f bench/rabbitmq-pom.xml dependency:copy-dependencies -DoutputDirectory="$CACHE/amqp-client-5.37.1"
fi
npx tsx bench/native.ts
