#!/usr/bin/env bash
# Installs the Debian packages tickshm builds and runs with, only those missing.
set -euo pipefail

PACKAGES=(g++ cmake make pkg-config libspdlog-dev libcli11-dev libgtest-dev libgmock-dev
          libbenchmark-dev libncurses-dev tmux clang-14 libclang-rt-14-dev
          nlohmann-json3-dev nats-server libnats-dev zlib1g-dev iproute2
          libiceoryx-posh-dev iceoryx libzmq3-dev gnuplot-nox)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  [ "${1:-}" = "--quiet" ] || echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "install-deps: missing packages (${missing[*]}) and not root, no sudo: install them as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
