#!/usr/bin/env bash
# Requests/s and latency under concurrent load (wrk: 2 threads, 16 connections, 10 s per URL) for
# E-utilities and pages, against `medlars serve` on an archive, and the server's peak RSS.
# Then each page alone: the p50 of 50 sequential GETs (curl's own timing) of a record page and
# of the search pages, so a search page can be compared with a record page in the same run.
# Usage: bench/load.sh DATA_DIR    (needs wrk: apt-get install wrk; BIN_DIR as in scale.sh;
#        CACHE_MB=N serves with an answer cache of N MB, 0 for none: every request computed)
set -euo pipefail
data=$1
bin=${BIN_DIR:-$(dirname "$0")/../target/release}/medlars
port=18090
times=$(mktemp)
# PMIDs from the archive itself, so any corpus serves.
ids=$("$bin" --data "$data" search 'dementia' --format ids --limit 5 2>/dev/null | paste -sd, -)
first=${ids%%,*}
# A server left on the port would be measured instead of this one.
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port already answers: stop that server first" >&2
    exit 1
fi
/usr/bin/time -v -o "$times" "$bin" --data "$data" serve --addr 127.0.0.1:$port ${CACHE_MB:+--cache-mb $CACHE_MB} 2>/dev/null &
pid=$!
until curl -sf -o /dev/null http://127.0.0.1:$port/; do sleep 0.05; done
server=$(pgrep -P $pid medlars || echo $pid)
base=http://127.0.0.1:$port
for target in \
    "/entrez/eutils/esearch.fcgi?db=pubmed&term=dementia" \
    "/entrez/eutils/esearch.fcgi?db=pubmed&term=cancer" \
    "/entrez/eutils/esearch.fcgi?db=pubmed&term=humans%5Bmh%5D&retstart=100000&retmax=10000" \
    "/entrez/eutils/esearch.fcgi?db=pubmed&term=smith+j%5Bau%5D" \
    "/entrez/eutils/esearch.fcgi?db=pubmed&term=%22mild+cognitive+impairment%22&retmax=100" \
    "/entrez/eutils/efetch.fcgi?db=pubmed&id=$first&rettype=xml" \
    "/entrez/eutils/efetch.fcgi?db=pubmed&id=$ids&rettype=medline&retmode=text" \
    "/entrez/eutils/esummary.fcgi?db=pubmed&id=$ids&version=2.0" \
    "/$first/" \
    "/?term=dementia" \
    "/?term=cancer"; do
    wrk -t2 -c16 -d10s --latency "$base$target" | awk -v t="$target" '
        /Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$4}
        END {printf "%-100s %9s req/s  p50 %8s  p99 %8s%s\n", t, rps, p50, p99, (bad ? "  NON-2xx: " bad : "")}'
done
for target in "/$first/" "/?term=dementia" "/?term=cancer"; do
    for _ in $(seq 50); do curl -s -o /dev/null -w '%{time_total}\n' "$base$target"; done | sort -n |
        awk -v t="$target" '{v[NR]=$1} END {printf "sequential %-40s p50 %8.3f ms\n", t, v[int(NR/2)+1]*1000}'
done
# The cache's figures (hits, misses, memory of the filter, year and order sets), if it has them.
curl -sf "$base/status" && echo || true
kill -INT "$server"
wait $pid || true
echo "server peak RSS: $(awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2/1024}' "$times")"
rm -f "$times"
