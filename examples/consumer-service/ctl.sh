#!/usr/bin/env bash
# Starts, kills (SIGKILL) or stops the example service, for faultline `exec` faults.
#   ctl.sh start DIR [service.mjs arguments]   (arguments are remembered in DIR for later starts)
#   ctl.sh kill DIR | ctl.sh stop DIR
set -euo pipefail
cmd=$1 dir=$2
mkdir -p "$dir"
case $cmd in
  start)
    shift 2
    [ $# -gt 0 ] && printf '%s\n' "$@" > "$dir/args"
    mapfile -t args < "$dir/args"
    setsid node "$(dirname "$0")/service.mjs" "${args[@]}" >> "$dir/service.log" 2>&1 < /dev/null &
    echo $! > "$dir/service.pid"
    # ready when it has said so (its group exists), at most 10 s
    for _ in $(seq 1 100); do grep -q "service $(cat "$dir/service.pid") ready" "$dir/service.log" 2>/dev/null && exit 0; sleep 0.1; done
    echo "the service did not start: see $dir/service.log" >&2; exit 1 ;;
  kill) kill -9 "$(cat "$dir/service.pid")" 2>/dev/null || true ;;
  stop) kill "$(cat "$dir/service.pid")" 2>/dev/null || true ;;
  *) echo "usage: ctl.sh start|kill|stop DIR [args]" >&2; exit 2 ;;
esac
