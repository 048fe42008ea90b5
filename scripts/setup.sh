#!/usr/bin/env bash
# Sets up a fresh Debian machine for developing pgsynth: the real binaries the tests run, Docker
# Engine and the image the compose suite runs, the npm dependencies, a build, and a first run of
# the CLI on the README example.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

export DEBIAN_FRONTEND=noninteractive
sudo_if_needed apt-get update -qq
# --no-install-recommends keeps the installs small. docker.io (Engine 20.10) and docker-compose
# 1.29 run the compose suite (test/compose); debootstrap builds its image from Debian packages,
# since no registry is reachable; shellcheck lints the generated scripts; curl and iproute2 (ss)
# run in the docs' own commands (test/docs); pgbackrest is the backup tool the Backup construct
# configures (its tests run it).
sudo_if_needed apt-get install -y -qq --no-install-recommends postgresql pgpool2 haproxy docker.io docker-compose debootstrap shellcheck curl iproute2 pgbackrest >/dev/null
# Package scripts may start the distribution's own services on 5432/9999: the tests own the ports.
for service in postgresql pgpool2 haproxy; do sudo_if_needed service "$service" stop >/dev/null 2>&1 || true; done

# dockerd in the background unless it answers already; then the test image, rebuilt only when its
# recipe (scripts/build-test-image.sh) changed or the machine has none.
sudo_if_needed bash scripts/start-dockerd.sh
sudo_if_needed bash scripts/build-test-image.sh

npm ci --no-audit --no-fund
# The PostgreSQL majors Debian does not ship (13, 14, 16, 17), for the tests that check generated
# files against every supported major. Optional dependencies: on a platform other than linux-x64
# npm skips them and those tests report themselves skipped with the reason.
npm ci --prefix test/pg-majors --no-audit --no-fund
npm run build
node dist/cli/main.js validate --config fixtures/readme-example/cluster.config.ts
