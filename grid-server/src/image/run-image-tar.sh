#!/usr/bin/env bash
# Runs the grid-server image from Jib's tarball with no container runtime: unpacks its layers and
# starts its entrypoint with the image's environment, working directory and (non-root) user, in a
# private mount namespace with /proc mounted. Network and memory are not isolated, so pass a unique
# cluster name and free ports. Needs root, util-linux (unshare) and python3.
# READ_ONLY=1 runs it as the Helm chart does: read-only root filesystem, an empty /tmp, and a
# writable empty directory as the working directory (the chart's data volume).
#
# Usage: run-image-tar.sh grid-server/target/grid-server-image.tar --lattice.cluster-name=check-1 \
#          --lattice.network.port=39311 --server.port=39312
set -euo pipefail

image="$(realpath "$1")"; shift
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/image" "$work/rootfs"
tar -xf "$image" -C "$work/image"

# manifest.json -> layers in order; config -> Env, Entrypoint, WorkingDir, User (one per line).
python3 - "$work/image" > "$work/plan" <<'PY'
import json, sys, os
root = sys.argv[1]
manifest = json.load(open(os.path.join(root, "manifest.json")))[0]
config = json.load(open(os.path.join(root, manifest["Config"])))["config"]
for layer in manifest["Layers"]:
    print("layer\t" + layer)
for env in config.get("Env", []):
    print("env\t" + env)
for arg in config.get("Entrypoint", []) + (config.get("Cmd") or []):
    print("arg\t" + arg)
print("workdir\t" + config.get("WorkingDir", "/"))
print("user\t" + config.get("User", "0:0"))
PY

env_vars=(); command=(); workdir=/; user=0:0
while IFS=$'\t' read -r kind value; do
  case "$kind" in
    layer) tar -xf "$work/image/$value" -C "$work/rootfs" 2>/dev/null ;;
    env) env_vars+=("$value") ;;
    arg) command+=("$value") ;;
    workdir) workdir="$value" ;;
    user) user="$value" ;;
  esac
done < "$work/plan"

mkdir -p "$work/volume" "$work/tmp"
chown "$user" "$work/volume"
chmod 1777 "$work/tmp"
echo "running ${command[*]} $* as $user in $workdir${READ_ONLY:+ on a read-only root}" >&2
unshare --mount --fork /bin/sh -c '
  root="$1"; user="$2"; workdir="$3"; volume="$4"; tmp="$5"; shift 5
  if [ -n "$READ_ONLY" ]; then
    mount --bind "$root" "$root" && mount -o remount,bind,ro "$root"
    mount --bind "$tmp" "$root/tmp"
    mount --bind "$volume" "$root$workdir"
  fi
  mount -t proc proc "$root/proc"
  exec chroot --userspec="$user" "$root" /usr/bin/env -i "$@"
' run "$work/rootfs" "$user" "$workdir" "$work/volume" "$work/tmp" "${env_vars[@]}" \
  /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "${command[@]}" "$@"
