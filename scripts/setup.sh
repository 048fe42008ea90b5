#!/usr/bin/env bash
# Sets up a fresh Debian machine for developing pgsynth: the real binaries the tests run, the npm
# dependencies, a build, and a first run of the CLI on the README example.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

export DEBIAN_FRONTEND=noninteractive
sudo_if_needed apt-get update -qq
# --no-install-recommends keeps docker-compose from pulling in dockerd, containerd and iptables
# (only `docker-compose config` is used, to check generated compose files); shellcheck lints
# the generated scripts; curl and iproute2 (ss) run in the docs' own commands (test/docs);
# pgbackrest is the backup tool the Backup construct configures (its tests run it).
sudo_if_needed apt-get install -y -qq --no-install-recommends postgresql pgpool2 haproxy docker-compose shellcheck curl iproute2 pgbackrest >/dev/null
# Package scripts may start the distribution's own services on 5432/9999: the tests own the ports.
for service in postgresql pgpool2 haproxy; do sudo_if_needed service "$service" stop >/dev/null 2>&1 || true; done

npm ci --no-audit --no-fund
# The PostgreSQL majors Debian does not ship (13, 14, 16, 17), for the tests that check generated
# files against every supported major. Optional dependencies: on a platform other than linux-x64
# npm skips them and those tests report themselves skipped with the reason.
npm ci --prefix test/pg-majors --no-audit --no-fund
npm run build
node dist/cli/main.js validate --config fixtures/readme-example/cluster.config.ts
