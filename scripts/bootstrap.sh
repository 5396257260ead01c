#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the demo need.
#
# Idempotent: when everything is already present it only runs `dpkg-query` and
# exits in well under a second. Works as root on a fresh Debian 12; when not
# root it uses sudo if it can, and otherwise prints the command to run.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang clang-format
  libclang-rt-14-dev
  # libraries
  libzmq3-dev cppzmq-dev
  libprotobuf-dev protobuf-compiler
  libgrpc++-dev protobuf-compiler-grpc grpc-proto
  libabsl-dev libpqxx-dev libspdlog-dev libfmt-dev prometheus-cpp-dev
  catch2 libbenchmark-dev
  libsodium-dev libssl-dev libsecp256k1-dev libyaml-cpp-dev
  libboost1.74-dev rapidjson-dev
  # the throwaway database the tests and the demo start
  postgresql-15 postgresql-client-15
  # validation tools (deployment checks, metrics lint, protocol examples)
  python3 python3-zmq python3-protobuf python3-grpcio python3-yaml
  docker-compose yamllint prometheus unzip curl
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
# Node.js is needed only by the deployment and OTLP checks; a machine may have
# it from elsewhere (e.g. NodeSource), in which case Debian's must not replace it.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "bootstrap: all ${#packages[@]} packages present"
  exit 0
fi

echo "bootstrap: installing ${#missing[@]} package(s): ${missing[*]}"
apt_cmd=(env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}")
if [[ $(id -u) -eq 0 ]]; then
  sudo_cmd=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo_cmd=(sudo)
else
  echo "bootstrap: not root and no password-less sudo. Run as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# A package server may already run after install (postgresql's own cluster);
# the project never uses it, so keep policy-rc.d from starting services.
"${sudo_cmd[@]}" "${apt_cmd[@]}" -qq
echo "bootstrap: done"
