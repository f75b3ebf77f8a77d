"""Peer measurement: pubmed_parser's parse_medline_xml over the same files medlars-bench parses.

Usage: python3 bench/pubmed_parser_peer.py [--dataframe] PATH...   (files or directories)
Prints one line in the same shape as `medlars-bench parse`: MB of XML per second and records per
second, best of --passes passes. With --dataframe, the records also become one pandas DataFrame
(pubmed_parser's usual end point, the peer of `medlars export`). parse_medline_xml reads gzip files of PubmedArticle records only;
files it cannot read are counted and skipped.
"""
import argparse
import gzip
import os
import sys
import time

import pubmed_parser as pp


def expand(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                out += [os.path.join(root, n) for n in names if n.endswith((".xml", ".xml.gz"))]
        else:
            out.append(p)
    return sorted(out)


def xml_size(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        return len(f.read())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--passes", type=int, default=1)
    ap.add_argument("--dataframe", action="store_true")
    args = ap.parse_args()
    files = expand(args.paths)
    size = sum(xml_size(f) for f in files)
    best, records, failed = float("inf"), 0, 0
    for _ in range(args.passes):
        records, failed = 0, 0
        start = time.perf_counter()
        rows = []
        for f in files:
            try:
                parsed = list(pp.parse_medline_xml(f))
                records += len(parsed)
                if args.dataframe:
                    rows += parsed
            except Exception:  # noqa: BLE001 - a peer's failure is counted, not fatal
                failed += 1
        if args.dataframe:
            import pandas

            pandas.DataFrame(rows)
        best = min(best, time.perf_counter() - start)
    what = "pubmed_parser (parse + DataFrame)" if args.dataframe else "pubmed_parser"
    print(
        f"{what}: {len(files)} files ({failed} failed), {records} records, {size / 1e6:.1f} MB XML "
        f"in {best:.3f} s: {size / 1e6 / best:.1f} MB/s, {records / best:.0f} records/s"
    )


if __name__ == "__main__":
    sys.exit(main())
