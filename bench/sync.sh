#!/usr/bin/env bash
# `medlars sync` end to end against a loopback tree laid out as NLM's (python3's http.server
# serving a corpus's baseline/ and updatefiles/ with NLM-style .md5 files and its own HTML
# listings), against the same work done in sequence: download every file (curl), check each
# .md5 (md5sum), then `medlars ingest`.
# Usage: bench/sync.sh CORPUS_DIR   (a corpus of `medlars-bench generate`: baseline/ and updates/;
#        BIN_DIR as in scale.sh; JOBS for sync's --jobs, 3 by default)
set -euo pipefail
corpus=$(cd "$1" && pwd)
bin=${BIN_DIR:-$(dirname "$0")/../target/release}/medlars
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/tree/pubmed/baseline" "$work/tree/pubmed/updatefiles"
for pair in baseline:baseline updates:updatefiles; do
    for file in "$corpus/${pair%%:*}"/pubmed*.xml.gz; do
        name=$(basename "$file")
        ln -s "$file" "$work/tree/pubmed/${pair##*:}/$name"
        echo "MD5($name)= $(md5sum < "$file" | cut -d' ' -f1)" > "$work/tree/pubmed/${pair##*:}/$name.md5"
    done
done
port=18093
python3 -m http.server --bind 127.0.0.1 --directory "$work/tree" $port > /dev/null 2>&1 &
server=$!
until curl -sf -o /dev/null http://127.0.0.1:$port/pubmed/baseline/; do sleep 0.1; done
base=http://127.0.0.1:$port/pubmed/
bytes=$(du -sLb "$work/tree/pubmed" | cut -f1)
files=$(ls "$work/tree/pubmed"/*/*.xml.gz | wc -l)
echo "tree: $files files, $((bytes >> 20)) MB"

start=$(date +%s.%N)
/usr/bin/time -v -o "$work/sync.time" "$bin" --data "$work/synced" sync --source "$base" --jobs "${JOBS:-3}" 2>/dev/null
end=$(date +%s.%N)
echo "sync, download and ingest overlapped: $(echo "$end - $start" | bc) s, peak RSS $(awk -F': ' '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$work/sync.time")"

start=$(date +%s.%N)
mkdir -p "$work/fetched/baseline" "$work/fetched/updatefiles"
for dir in baseline updatefiles; do
    for file in "$work/tree/pubmed/$dir"/*.xml.gz; do
        name=$(basename "$file")
        curl -sf -o "$work/fetched/$dir/$name" "$base$dir/$name"
        curl -sf "$base$dir/$name.md5" | grep -q "$(md5sum < "$work/fetched/$dir/$name" | cut -d' ' -f1)"
    done
done
mid=$(date +%s.%N)
"$bin" --data "$work/ingested" ingest "$work/fetched/baseline" "$work/fetched/updatefiles" > /dev/null 2>&1
end=$(date +%s.%N)
echo "in sequence: download and verify $(echo "$mid - $start" | bc) s, then ingest $(echo "$end - $mid" | bc) s, $(echo "$end - $start" | bc) s in all"
a=$("$bin" --data "$work/synced" stats --digest | awk '/^digest/ {print $2}')
b=$("$bin" --data "$work/ingested" stats --digest | awk '/^digest/ {print $2}')
[ "$a" = "$b" ] && echo "same store digest: $a" || { echo "DIGESTS DIFFER: $a $b"; exit 1; }
