#!/usr/bin/env bash
# Generates the secrets one deployment of the suite needs, into DIR (mode 0700):
#
#   approval.key              risk's approval HMAC key, shared with execution (hex)
#   admin-tokens              admin bearer tokens, one "name:secret" per line
#   operator.token            the first of them (for tradectl --token-file)
#   signer.curve              the signer's CURVE key pair (server)
#   execution.curve           execution's CURVE key pair (signer client)
#   reconciler.curve          the reconciler's CURVE key pair (signer client)
#   signer-clients            "name:<public key>" lines: the signer's allow-list
#   keystore.passphrase       the passphrase of the signer's keystore
#
#   scripts/gen-secrets.sh DIR [KEYGEN]
#
# KEYGEN is the tradeplane-keygen binary (default: the release build's, then
# the dev build's, then PATH). Files that already exist are kept, so running it
# twice is harmless; delete a file to regenerate it. Nothing here is ever
# committed: DIR belongs outside the repository or in a git-ignored place.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
dir=$1
root=$(cd "$(dirname "$0")/.." && pwd)
keygen=${2:-}
if [[ -z "$keygen" ]]; then
  for candidate in "$root/build/release/bin/tradeplane-keygen" "$root/build/dev/bin/tradeplane-keygen"; do
    if [[ -x "$candidate" ]]; then keygen=$candidate; break; fi
  done
fi
keygen=${keygen:-tradeplane-keygen}
if ! command -v "$keygen" >/dev/null 2>&1; then
  echo "gen-secrets: tradeplane-keygen not found (build first: make build)" >&2
  exit 1
fi

umask 077
mkdir -p "$dir"
chmod 700 "$dir"

[[ -s "$dir/approval.key" ]] || "$keygen" secret 32 >"$dir/approval.key"
if [[ ! -s "$dir/admin-tokens" ]]; then
  "$keygen" token operator >"$dir/admin-tokens"
  "$keygen" token automation >>"$dir/admin-tokens"
fi
[[ -s "$dir/operator.token" ]] || head -n 1 "$dir/admin-tokens" >"$dir/operator.token"
[[ -s "$dir/keystore.passphrase" ]] || "$keygen" secret 32 >"$dir/keystore.passphrase"
for name in signer execution reconciler; do
  [[ -s "$dir/$name.curve" ]] || "$keygen" curve "$dir/$name.curve" >/dev/null
done
{
  for name in execution reconciler; do
    echo "$name:$(sed -n 's/^public: *//p' "$dir/$name.curve")"
  done
} >"$dir/signer-clients"
echo "gen-secrets: secrets in $dir"
