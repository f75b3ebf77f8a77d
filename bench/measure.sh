#!/usr/bin/env bash
# The query and server figures of an archive already built: query latency per class (plus the
# broad queries and a PMID lookup) and the E-utilities and pages under load. scale.sh runs it
# after its ingest; run it alone to compare two builds on the same archive.
# Usage: bench/measure.sh DATA_DIR [SHARED_DIR]   (BIN_DIR, RUNS and SMOKE as in scale.sh; COLD=1
#        also measures every query with an empty answer cache, and the load with the cache off)
set -euo pipefail
cd "$(dirname "$0")/.."
data=$1
shared=${2:-../shared}
bin=${BIN_DIR:-target/release}
extra=$(mktemp)
trap 'rm -f "$extra"' EXIT
pmid=$("$bin/medlars" --data "$data" search 'dementia' --format ids --limit 1 2>/dev/null)
cat bench/tiab_queries.tsv bench/broad_queries.tsv > "$extra"
printf 'PMID lookup\t%s[pmid]\n' "$pmid" >> "$extra"
"$bin/medlars-bench" queries --store "$data" --shared "$shared" --extra "$extra" --runs "${RUNS:-100}" ${COLD:+--cold}
if [ -z "${SMOKE:-}" ]; then
    bench/load.sh "$data"
    [ -z "${COLD:-}" ] || CACHE_MB=0 bench/load.sh "$data"
fi
