#!/usr/bin/env bash
# Export throughput: `medlars export` to Parquet and JSON Lines from an archive of the shared
# corpus, and, as the peer, pubmed_parser parsing the same files into one pandas DataFrame.
# Usage: bench/export.sh DATA_DIR [SHARED_DIR]   (DATA_DIR built by bench/run.sh or `medlars ingest`)
set -euo pipefail
data=$1
shared=${2:-../shared}
bin=$(dirname "$0")/../target/release/medlars
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
records=$("$bin" --data "$data" stats | awk '/^records/ {print $2}')
for format in parquet jsonl; do
    best=""
    for _ in 1 2 3; do
        start=$(date +%s%N)
        "$bin" --data "$data" export --format $format "$out/all.$format" 2>/dev/null
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
    done
    size=$(stat -c %s "$out/all.$format")
    echo "medlars export --format $format: $records records in $best ms: $(( records * 1000 / best )) records/s, $(( size / 1000000 )) MB"
done
python3 "$(dirname "$0")/pubmed_parser_peer.py" --dataframe "$shared/data/pubmed"
