#!/bin/sh
# The restart the agent's policy names for the "leaky" service: stop the running app and start a healthy one
# in its own session, so it outlives this script. Usage: restart_leaky_app.sh DIR
set -eu
dir="$1"
if [ -f "$dir/leaky.pid" ]; then kill "$(cat "$dir/leaky.pid")" 2>/dev/null || true; fi
setsid python3 "$(dirname "$0")/leaky_app.py" "$dir/leaky.pid" </dev/null >/dev/null 2>&1 &
echo "restarted leaky"
