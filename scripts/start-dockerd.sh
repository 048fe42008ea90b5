#!/usr/bin/env bash
# Starts Docker Engine for the compose suite when it is not running: CI machines are fresh, run as
# root and start no service (no systemd), so `dockerd` runs in the background with its defaults.
# Does nothing when `docker info` already answers.
set -euo pipefail

readonly LOG=/var/log/pgsynth-dockerd.log
readonly WAIT_SECONDS=60

if docker info >/dev/null 2>&1; then
  exit 0
fi
command -v dockerd >/dev/null || { echo "start-dockerd: dockerd not found: apt-get install --no-install-recommends docker.io" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || { echo "start-dockerd: dockerd needs root (run it with sudo)" >&2; exit 1; }

# setsid + nohup: the daemon outlives this script and the CI step that ran it.
setsid nohup dockerd >>"$LOG" 2>&1 </dev/null &
for (( waited = 0; waited < WAIT_SECONDS; waited++ )); do
  if docker info >/dev/null 2>&1; then
    echo "start-dockerd: dockerd ready after ${waited} s (log: $LOG)"
    exit 0
  fi
  sleep 1
done
tail -20 "$LOG" >&2
echo "start-dockerd: dockerd did not answer within $WAIT_SECONDS s (log: $LOG)" >&2
exit 1
