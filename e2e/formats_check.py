"""Medlars' exports read back by the libraries people use: RIS by rispy, MEDLINE (.nbib) by
Biopython's Bio.Medline, BibTeX by bibtexparser, CSL-JSON rendered by citeproc-py, CSV by Python's
csv, Parquet by DuckDB. Run by the medlars crate's test `exports_read_back_in_their_consumers`,
which writes the files and the plan (expected counts and values, from the store) to the JSON file
given as the only argument. Exits non-zero, naming each failed check."""

import csv
import json
import sys

import bibtexparser
import duckdb
import rispy
from Bio import Medline
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

plan = json.load(open(sys.argv[1]))
files = plan["files"]
expected = plan["records"]  # pmid -> {title, ascii_title, family, doi, year, authors, first_mesh}
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def squash(s):
    return " ".join((s or "").split())


with open(files["ris"], encoding="utf-8") as f:
    entries = rispy.load(f)
check(len(entries) == plan["count"], f"RIS: {len(entries)} entries, expected {plan['count']}")
for e in entries:
    want = expected.get(e.get("accession_number"))
    if want:
        check(squash(e.get("title")) == want["title"], f"RIS {e.get('accession_number')}: title {e.get('title')!r}")
        check(e.get("authors", [None])[0] == want["ris_author"], f"RIS {e.get('accession_number')}: first author {e.get('authors')}")
        check(e.get("doi") == want["doi"], f"RIS {e.get('accession_number')}: doi {e.get('doi')}")

with open(files["medline"], encoding="utf-8") as f:
    records = list(Medline.parse(f))
check(len(records) == plan["count"], f"MEDLINE: {len(records)} records, expected {plan['count']}")
for r in records:
    want = expected.get(r.get("PMID"))
    if want:
        check(squash(r.get("TI")) == want["ascii_title"], f"MEDLINE {r.get('PMID')}: TI {r.get('TI')!r}")
        check(r.get("AU", [None])[0] == want["medline_author"], f"MEDLINE {r.get('PMID')}: AU {r.get('AU')}")

with open(files["bibtex"], encoding="utf-8") as f:
    library = bibtexparser.parse_string(f.read())
check(not library.failed_blocks, f"BibTeX: {len(library.failed_blocks)} blocks failed to parse")
check(len(library.entries) == plan["count"], f"BibTeX: {len(library.entries)} entries, expected {plan['count']}")
for entry in library.entries:
    pmid = entry.fields_dict["pmid"].value
    want = expected.get(pmid)
    check(entry.key == f"pmid{pmid}", f"BibTeX: key {entry.key} for PMID {pmid}")
    if want:
        check(entry.fields_dict["year"].value == want["year"], f"BibTeX {pmid}: year {entry.fields_dict['year'].value}")

items = json.load(open(files["csl"], encoding="utf-8"))
check(len(items) == plan["count"], f"CSL-JSON: {len(items)} items, expected {plan['count']}")
source = CiteProcJSON(items)
style = CitationStylesStyle("harvard-cite-them-right", validate=False)
bibliography = CitationStylesBibliography(style, source, formatter.plain)
for item in items:
    bibliography.register(Citation([CitationItem(item["id"])]))
rendered = [str(entry) for entry in bibliography.bibliography()]
check(len(rendered) == plan["count"], f"citeproc: {len(rendered)} entries rendered, expected {plan['count']}")
for item, text in zip(items, rendered):
    want = expected.get(item["PMID"])
    if want:
        check(want["family"] in text, f"citeproc {item['PMID']}: {want['family']} not in {text!r}")

with open(files["csv"], encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
check(len(rows) == plan["count"], f"CSV: {len(rows)} rows, expected {plan['count']}")
for row in rows:
    want = expected.get(row["PMID"])
    if want:
        check(squash(row["Title"]) == want["title"], f"CSV {row['PMID']}: Title {row['Title']!r}")
        check(row["DOI"] == (want["doi"] or ""), f"CSV {row['PMID']}: DOI {row['DOI']!r}")

parquet = files["parquet"]
count = duckdb.sql(f"select count(*) from '{parquet}'").fetchall()[0][0]
check(count == plan["store_count"], f"Parquet: {count} rows, expected {plan['store_count']}")
for pmid, want in expected.items():
    rows = duckdb.sql(
        f"select title, len(authors), mesh_headings[1].descriptor, pub_year, doi from '{parquet}' where pmid = {int(pmid)}"
    ).fetchall()
    row = rows[0] if rows else None
    check(row is not None, f"Parquet: PMID {pmid} missing")
    if row:
        title, authors, first_mesh, year, doi = row
        check(squash(title) == want["title"], f"Parquet {pmid}: title {title!r}")
        check(authors == want["authors"], f"Parquet {pmid}: {authors} authors, expected {want['authors']}")
        check(first_mesh == want["first_mesh"], f"Parquet {pmid}: first MeSH {first_mesh!r}")
        check(str(year) == want["year"], f"Parquet {pmid}: year {year}")
        check(doi == want["doi"], f"Parquet {pmid}: doi {doi}")

if failures:
    print("\n".join(f"FAILED: {f}" for f in failures), file=sys.stderr)
    sys.exit(1)
print("all format checks passed")
