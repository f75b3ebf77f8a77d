#!/usr/bin/env bash
# Time from starting `medlars serve` on an archive to its first answered request (best of 5).
# Usage: bench/serve_startup.sh DATA_DIR
set -euo pipefail
data=$1
bin=$(dirname "$0")/../target/release/medlars
best=""
for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$bin" --data "$data" serve --addr 127.0.0.1:18089 2>/dev/null &
    pid=$!
    until curl -sf -o /dev/null http://127.0.0.1:18089/28257650/; do sleep 0.005; done
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    kill "$pid"; wait "$pid" 2>/dev/null || true
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
echo "serve startup: first record page answered ${best} ms after launch (best of 5)"
