#!/usr/bin/env bash
# Creates random demo webhook secrets and the two demo staff tokens (a supervisor for every
# station, staff_demo; an agent for Köln, staff_demo_koeln) in var/secrets/ (never in git)
# for the example config, so `wache serve`, `wache send-test` and the staff inbox at
# http://127.0.0.1:8080/staff/ work on a fresh machine. Existing files are kept.
# Production: set WACHE_META_APP_SECRET, WACHE_META_VERIFY_TOKEN, WACHE_X_CONSUMER_SECRET
# (or point the config at files your secret store writes).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/secrets
chmod 700 var/secrets
for name in meta_app_secret meta_verify_token x_consumer_secret staff_demo staff_demo_koeln; do
  f="var/secrets/$name"
  if [[ ! -s "$f" ]]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$f")
    echo "dev-secrets: created $f"
  fi
done
