#!/usr/bin/env bash
# Builds the image the compose suite (test/compose) runs every service in, from Debian 12's own
# packages: no container registry is reachable from CI, so `FROM postgres:15` cannot work.
# PostgreSQL 15, Pgpool-II 4.3, HAProxy 2.6 and pgBackRest in one image that meets the image contract of
# docs/running.md, and nothing else: no imitation of another image's entrypoint scripts.
#
# The tag is the hash of this file (the recipe): an image built from the same recipe is reused,
# a changed recipe or a fresh machine builds again.
#
#   bash scripts/build-test-image.sh              build unless the image exists
#   bash scripts/build-test-image.sh --print-tag  print the tag only (no Docker needed)
set -euo pipefail

readonly REPOSITORY=pgsynth-test/bookworm
readonly SUITE=bookworm
readonly MIRROR=http://deb.debian.org/debian
readonly PACKAGES=postgresql-15,pgpool2,haproxy,pgbackrest

hash=$(sha256sum "${BASH_SOURCE[0]}")
readonly TAG="$REPOSITORY:${hash:0:12}"

if [[ "${1:-}" == --print-tag ]]; then
  echo "$TAG"
  exit 0
fi

if docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "build-test-image: $TAG exists (same recipe), not rebuilt"
  exit 0
fi

for tool in debootstrap docker; do
  command -v "$tool" >/dev/null || { echo "build-test-image: $tool not found: run bash scripts/setup.sh" >&2; exit 1; }
done
[[ "$(id -u)" == 0 ]] || { echo "build-test-image: debootstrap needs root" >&2; exit 1; }

started=$SECONDS
rootfs=$(mktemp -d /var/tmp/pgsynth-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

echo "build-test-image: debootstrap $SUITE with $PACKAGES"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 || {
  tail -20 "$rootfs.log" >&2
  echo "build-test-image: debootstrap failed (full log: $rootfs.log)" >&2
  exit 1
}
rm -f "$rootfs.log"

# postgresql-common made a "15 main" cluster on install: the cluster's data lives in volumes.
rm -rf "$rootfs"/etc/postgresql/15 "$rootfs"/var/lib/postgresql/15
# The folders the official images have: the socket folder any user may use (3777, as there), a
# Pgpool runtime folder its user owns, an empty data folder for the volume to start from.
chroot "$rootfs" bash -euc '
  mkdir -p /var/run/postgresql /var/run/pgpool /var/lib/postgresql/data
  chown postgres:postgres /var/run/postgresql /var/run/pgpool /var/lib/postgresql/data
  chmod 3777 /var/run/postgresql
  chmod 0700 /var/lib/postgresql/data
  apt-get clean
  rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/*
'

tar -C "$rootfs" -c . | docker import --change 'ENV LANG=C.UTF-8' --change 'CMD ["bash"]' - "$TAG" >/dev/null
echo "build-test-image: built $TAG in $((SECONDS - started)) s"
