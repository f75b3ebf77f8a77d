#!/usr/bin/env bash
# A bounded soak on loopback: `medlars serve` on an archive for MINUTES (10 by default) at its
# capacity (wrk, 2 threads x 16 connections, a mix of searches, fetches, summaries, links,
# pages and bad requests, each request picked at random), while a hostile client keeps 200 idle
# and half-sent connections open and sends long and deeply nested queries. Every 10 s: the
# interval's requests/s and p99 latency, the server's RSS and open files.
# Usage: bench/soak.sh DATA_DIR [MINUTES]   (needs wrk and python3; BIN_DIR as in scale.sh)
set -euo pipefail
data=$1
minutes=${2:-10}
bin=${BIN_DIR:-$(dirname "$0")/../target/release}/medlars
port=18094
work=$(mktemp -d)
trap 'kill $server $hostile 2>/dev/null || true; rm -rf "$work"' EXIT
ids=$("$bin" --data "$data" search 'dementia' --format ids --limit 5 2>/dev/null | paste -sd, -)
first=${ids%%,*}
# A server left on the port would be measured instead of this one.
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port already answers: stop that server first" >&2
    exit 1
fi
"$bin" --data "$data" serve --addr 127.0.0.1:$port 2>/dev/null &
server=$!
until curl -sf -o /dev/null http://127.0.0.1:$port/status; do sleep 0.1; done
long=$(python3 -c "print('+OR+'.join('w%d' % i for i in range(3000)))")
cat > "$work/mix.lua" <<LUA
local paths = {
  "/entrez/eutils/esearch.fcgi?db=pubmed&term=dementia",
  "/entrez/eutils/esearch.fcgi?db=pubmed&term=cancer&retstart=40",
  "/entrez/eutils/esearch.fcgi?db=pubmed&term=humans%5Bmh%5D+AND+2015:2020%5Bdp%5D&sort=pub_date",
  "/entrez/eutils/esearch.fcgi?db=pubmed&term=smith+j%5Bau%5D",
  "/entrez/eutils/esearch.fcgi?db=pubmed&term=%28%28%28amyloid",
  "/entrez/eutils/esearch.fcgi?db=fleegle&term=x",
  "/entrez/eutils/efetch.fcgi?db=pubmed&id=$first&rettype=xml",
  "/entrez/eutils/efetch.fcgi?db=pubmed&id=$ids&rettype=medline&retmode=text",
  "/entrez/eutils/esummary.fcgi?db=pubmed&id=$ids&version=2.0",
  "/entrez/eutils/elink.fcgi?dbfrom=pubmed&db=pubmed&id=$first&linkname=pubmed_pubmed",
  "/entrez/eutils/efetch.fcgi?db=pubmed&id=1999999999",
  "/$first/",
  "/?term=dementia",
  "/?term=cancer&filter=years.2015-2020",
  "/nonsense",
}
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
LUA
# The hostile client: idle and half-sent connections, long and deep queries, in a loop.
python3 - "$port" "$long" <<'PY' &
import socket, sys, time, urllib.request
port, long = int(sys.argv[1]), sys.argv[2]
held = []
while True:
    try:
        while len(held) < 200:
            s = socket.create_connection(("127.0.0.1", port))
            if len(held) % 2:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            held.append(s)
        for query in (long, "+NOT+".join(["w"] * 400)):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/entrez/eutils/esearch.fcgi?db=pubmed&term={query}", timeout=60).read()
            except Exception:
                pass
        # Connections the server closed are replaced.
        alive = []
        for s in held:
            s.setblocking(False)
            try:
                gone = s.recv(1) == b""
            except BlockingIOError:
                gone = False
            except OSError:
                gone = True
            (s.close() if gone else alive.append(s))
        held = alive
    except OSError:
        pass
    time.sleep(1)
PY
hostile=$!
echo "interval  requests/s  p99      RSS      open files"
for i in $(seq $((minutes * 6))); do
    out=$(wrk -t2 -c16 -d10s --latency -s "$work/mix.lua" http://127.0.0.1:$port/)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '/^ +99%/ {print $2}')
    rss=$(awk '/VmRSS/ {printf "%.0f MB", $2/1024}' /proc/$server/status)
    files=$(ls /proc/$server/fd | wc -l)
    printf "%4d s  %10s  %-8s %-8s %s\n" $((i * 10)) "$rps" "$p99" "$rss" "$files"
done
kill -0 $server && echo "server alive after $minutes minutes"
