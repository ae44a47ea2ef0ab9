#!/usr/bin/env bash
# Builds a base image for the grid-server image from Debian packages alone, for machines that reach
# a Debian mirror but no container registry. Writes a `docker save`-format tarball that Jib takes as
#   mvn -pl grid-server -am -DskipTests -Pimage package -Dimage.base=tar://<that file>
# Needs root and mmdebstrap (apt-get install -y mmdebstrap); about 350 MB and a minute or two.
#
# Usage: offline-base-image.sh [output.tar]   (default: grid-server/target/base-image/debian-jre17.tar)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../target/base-image/debian-jre17.tar}"
suite="${SUITE:-bookworm}"
mirror="${MIRROR:-http://deb.debian.org/debian}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")" "$work/image"

# A minimal Debian with a headless Java 17 runtime; /bin/sh comes with it (pg_ctl needs one).
# Manual pages, docs and translations are left out; update-alternatives still wants man1 to exist.
mmdebstrap --mode=auto --variant=minbase --include=openjdk-17-jre-headless \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
  "$suite" "$work/image/layer.tar" "$mirror"

# One layer, an image config and a manifest: the `docker save` layout Jib reads from tar://.
diff_id="sha256:$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)"
cat > "$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]}}
JSON
cat > "$work/image/manifest.json" <<JSON
[{"Config":"config.json","RepoTags":["lattice-base:$suite-jre17"],"Layers":["layer.tar"]}]
JSON
tar -C "$work/image" -cf "$out" manifest.json config.json layer.tar
echo "base image: $out ($diff_id)"
