#!/usr/bin/env python3
"""Chooses the sample of real NLM records committed in sample/ (see README.md there).

Usage: python3 sample/select.py ../shared    (writes sample/pubmed-sample.xml.gz and
       sample/desc-sample.xml.gz; deterministic: the same shared files give the same bytes)

Records come whole, byte for byte, from the shared corpus; MeSH descriptors whole from NLM's
desc2024. Chosen so that every section of the record page and every sidebar filter of the search
page has records, records cite one another (references link, "Cited by" lists), and the whole
stays under the size budget.
"""

import gzip
import re
import sys
from pathlib import Path

RECORD = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>|<PubmedBookArticle>.*?</PubmedBookArticle>", re.S)
PMID = re.compile(rb"<PMID[^>]*>(\d+)</PMID>")
# Compressed bytes of the records at most (the MeSH subset and the README come on top).
BUDGET = 1_450_000
# Records wanted for each feature, at least.
EACH = 6
# Records in all: a few hundred, so that filters and the timeline have something to count.
RECORDS = 300

FEATURES = {
    "structured abstract": rb"<AbstractText [^>]*Label=",
    "keywords": rb"<KeywordList",
    "orcid": rb'Source="ORCID"',
    "grants": rb"<GrantList",
    "substances": rb"<ChemicalList",
    "comments or corrections": rb"<CommentsCorrections ",
    "retraction": rb'RefType="Retraction(In|Of)"|Retracted Publication',
    "erratum": rb'RefType="ErratumIn"',
    "free full text (pmc)": rb'IdType="pmc"',
    "references with pmids": rb"<ReferenceList>.*?<ArticleId IdType=\"pubmed\">",
    "several affiliations": rb"</AffiliationInfo>\s*<AffiliationInfo>",
    "review": rb">Review</PublicationType>",
    "systematic review": rb">Systematic Review</PublicationType>",
    "meta-analysis": rb">Meta-Analysis</PublicationType>",
    "randomized controlled trial": rb">Randomized Controlled Trial</PublicationType>",
    "clinical trial": rb">Clinical Trial",
    "case reports": rb">Case Reports</PublicationType>",
    "french": rb"<Language>fre</Language>",
    "german": rb"<Language>ger</Language>",
    "spanish": rb"<Language>spa</Language>",
    "humans": rb">Humans</DescriptorName>",
    "animals": rb">Animals</DescriptorName>",
    "female": rb">Female</DescriptorName>",
    "male": rb">Male</DescriptorName>",
    "child": rb">(Child|Infant|Adolescent)</DescriptorName>",
    "adult": rb">Adult</DescriptorName>",
    "aged": rb">Aged</DescriptorName>",
    "major topic": rb'MajorTopicYN="Y"',
    "qualifiers": rb"<QualifierName",
    "inline markup": rb"<(i|sup|sub)>",
    "investigators": rb"<InvestigatorList",
    "data banks": rb"<DataBankList",
}
# Filter headings and their descendants, kept in the MeSH subset whatever the sample uses.
FILTER_HEADINGS = ["Humans", "Animals", "Female", "Male", "Child", "Infant", "Adolescent", "Adult", "Aged"]


def records_of(path):
    data = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
    return RECORD.findall(data)


def main(shared):
    pubmed = shared / "data/pubmed"
    # The seed record first (the page Medlars is matched against), then the rich efetch set, then
    # every other file for features the set lacks (books, old DTDs).
    sources = [shared / "seed/pubmed-28257650.xml"]
    sources += sorted((pubmed / "efetch-alzheimer-2025").glob("*.xml.gz"))
    sources += sorted(p for p in pubmed.rglob("*.xml*") if "efetch-alzheimer-2025" not in str(p))
    pool, order = {}, []
    for path in sources:
        for rec in records_of(path):
            m = PMID.search(rec)
            if m and m.group(1) not in pool:
                pool[m.group(1)] = rec
                order.append(m.group(1))
    size = {p: len(gzip.compress(r, 6, mtime=0)) for p, r in pool.items()}
    chosen, used = [], 0

    def take(pmid):
        nonlocal used
        if pmid in chosen or used + size[pmid] > BUDGET:
            return False
        chosen.append(pmid)
        used += size[pmid]
        return True

    take(order[0])
    for name, pattern in FEATURES.items():
        regex = re.compile(pattern, re.S)
        have = sum(1 for p in chosen if regex.search(pool[p]))
        # Smaller records first, so the budget covers more.
        for pmid in sorted((p for p in order if regex.search(pool[p])), key=lambda p: (size[p], int(p))):
            if have >= EACH:
                break
            have += take(pmid)
    # Then records citing or cited by those chosen, so references link and "Cited by" lists.
    cited = re.compile(rb'<ArticleId IdType="pubmed">(\d+)</ArticleId>')
    refs = {p: set(cited.findall(pool[p])) - {p} for p in order}
    citers = {}
    for p in order:
        for r in refs[p]:
            citers.setdefault(r, set()).add(p)
    def link():
        grew = True
        while grew:
            grew = False
            chosen_set = set(chosen)
            for pmid in sorted(order, key=lambda p: (size[p], int(p))):
                linked = refs[pmid] & chosen_set or citers.get(pmid, set()) & chosen_set
                if pmid not in chosen_set and linked and len(chosen) < RECORDS and take(pmid):
                    chosen_set.add(pmid)
                    grew = True

    link()
    # Then the rich efetch set in its order, linking as it grows.
    for pmid in order:
        if len(chosen) >= RECORDS:
            break
        if take(pmid):
            link()
    out = Path(__file__).parent
    body = b"\n".join(pool[p] for p in chosen)
    xml = (
        b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
        b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n' + body + b"\n</PubmedArticleSet>\n"
    )
    (out / "pubmed-sample.xml.gz").write_bytes(gzip.compress(xml, 9, mtime=0))
    write_mesh(shared, out, b"\n".join(pool[p] for p in chosen))
    chosen_set = set(chosen)
    citing = sum(1 for p in chosen if refs[p] & chosen_set)
    print(f"{len(chosen)} records, {used} bytes compressed one by one; {citing} cite another of them")
    for name, pattern in FEATURES.items():
        n = sum(1 for p in chosen if re.search(pattern, pool[p], re.S))
        print(f"  {name}: {n}")


def write_mesh(shared, out, records):
    text = gzip.open(shared / "data/mesh/desc2024.xml.gz").read()
    head, rest = text.split(b"<DescriptorRecord ", 1)
    descriptors = re.findall(rb"<DescriptorRecord .*?</DescriptorRecord>", b"<DescriptorRecord " + rest, re.S)
    name_of = lambda d: re.search(rb"<DescriptorName>\s*<String>(.*?)</String>", d).group(1)
    trees_of = lambda d: re.findall(rb"<TreeNumber>(.*?)</TreeNumber>", d)
    used = set(re.findall(rb'<DescriptorName [^>]*>(.*?)</DescriptorName>', records))
    used |= set(re.findall(rb"<NameOfSubstance [^>]*>(.*?)</NameOfSubstance>", records))
    used |= {h.encode() for h in FILTER_HEADINGS}
    by_name = {name_of(d): d for d in descriptors}
    keep_trees = set()
    for name in used:
        for tree in trees_of(by_name.get(name, b"")):
            parts = tree.split(b".")
            keep_trees.update(b".".join(parts[:i]) for i in range(1, len(parts) + 1))
    filters = [t for h in FILTER_HEADINGS for t in trees_of(by_name[h.encode()])]
    kept = [
        d
        for d in descriptors
        if name_of(d) in used
        or any(t in keep_trees for t in trees_of(d))
        or any(t.startswith(f + b".") for t in trees_of(d) for f in filters)
    ]
    xml = head + b"\n".join(kept) + b"\n</DescriptorRecordSet>\n"
    (out / "desc-sample.xml.gz").write_bytes(gzip.compress(xml, 9, mtime=0))
    print(f"{len(kept)} MeSH descriptors")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"))
