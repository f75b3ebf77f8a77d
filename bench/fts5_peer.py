"""Peer measurement: SQLite FTS5 (Python's sqlite3) loading the title and abstract of every record
and running the same title/abstract Boolean queries as Medlars.

Usage: python3 bench/fts5_peer.py RECORDS.jsonl QUERIES.tsv [--runs N]
RECORDS.jsonl is `medlars export --format jsonl` (reading it is not timed); QUERIES.tsv has
label, Medlars query, FTS5 query per line. Prints the load rate and, per query, hits and p50/p99.
"""
import argparse
import json
import sqlite3
import time


def text_of(record):
    if record.get("type") != "article":
        return record.get("book", {}).get("book", {}).get("title", {}).get("text", ""), ""
    article = record["medline"]["article"]
    title = article.get("title", {}).get("text", "")
    sections = (article.get("abstract_") or {}).get("texts", [])
    return title, " ".join(s.get("text", {}).get("text", "") for s in sections)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("records")
    ap.add_argument("queries")
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    rows = [text_of(json.loads(line)) for line in open(args.records, encoding="utf-8")]
    db = sqlite3.connect(":memory:")
    db.execute("create virtual table docs using fts5(title, abstract)")
    start = time.perf_counter()
    with db:
        db.executemany("insert into docs(title, abstract) values (?, ?)", rows)
    db.execute("insert into docs(docs) values ('optimize')")
    load = time.perf_counter() - start
    print(f"fts5: loaded {len(rows)} records in {load:.3f} s: {len(rows) / load:.0f} records/s")
    for line in open(args.queries, encoding="utf-8"):
        label, _, fts = line.rstrip("\n").split("\t")
        times, hits = [], 0
        for _ in range(args.runs + 3):
            t = time.perf_counter()
            hits = db.execute("select count(*) from docs where docs match ?", (fts,)).fetchone()[0]
            times.append((time.perf_counter() - t) * 1e3)
        times = sorted(times[3:])
        p = lambda q: times[min(int(len(times) * q), len(times) - 1)]
        print(f"  {label:<44} {hits:>7} hits  p50 {p(0.5):>8.3f} ms  p99 {p(0.99):>8.3f} ms")


if __name__ == "__main__":
    main()
