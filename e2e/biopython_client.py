"""Biopython's Bio.Entrez against Medlars' E-utilities, unmodified: its hard-coded NCBI URLs are
sent to the local server by a urllib opener. Run by the server crate's test
`biopython_reads_every_eutility`, which serves the archive and writes the plan (expected counts,
PMIDs and titles, worked out from the records and the engine) to the JSON file given as the only
argument. Exits non-zero, naming each failed check."""

import json
import sys
import urllib.request

from Bio import Entrez, Medline

plan = json.load(open(sys.argv[1]))
NCBI = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


class ToMedlars(urllib.request.BaseHandler):
    """Rewrites NCBI's E-utilities URLs to the local server's before the request is opened."""

    handler_order = 100  # before urllib's own handlers set the Host header from the URL

    def https_request(self, request):
        if request.full_url.startswith(NCBI):
            request.full_url = plan["base"] + request.full_url[len(NCBI):]
        return request

    http_request = https_request


urllib.request.install_opener(urllib.request.build_opener(ToMedlars()))
Entrez.email = "tests@medlars.invalid"
Entrez.api_key = "local"  # any key: it only shortens Biopython's pause between requests
s = plan["search"]

info = Entrez.read(Entrez.einfo())
check("pubmed" in info["DbList"], f"einfo: DbList {info['DbList']}")
info = Entrez.read(Entrez.einfo(db="pubmed", version="2.0"))["DbInfo"]
check(info["Count"] == str(plan["records"]), f"einfo: Count {info['Count']}, expected {plan['records']}")
names = {f["Name"] for f in info["FieldList"]}
check({"TIAB", "MESH", "AUTH", "PDAT"} <= names, f"einfo: fields {sorted(names)}")

found = Entrez.read(Entrez.esearch(db="pubmed", term=s["query"], retmax=20))
check(found["Count"] == str(s["count"]), f"esearch: Count {found['Count']}, expected {s['count']}")
check(found["IdList"] == [str(i) for i in s["recent"]], f"esearch: IdList {found['IdList']}")
by_date = Entrez.read(Entrez.esearch(db="pubmed", term=s["query"], retmax=5, sort="pub_date"))
check(by_date["IdList"] == [str(i) for i in s["by_pub_date"]], f"esearch sort=pub_date: {by_date['IdList']}")

history = Entrez.read(Entrez.esearch(db="pubmed", term=s["query"], usehistory="y", retmax=0))
check(history["Count"] == str(s["count"]) and history["WebEnv"] and history["QueryKey"] == "1", f"esearch history: {history}")
handle = Entrez.efetch(
    db="pubmed", rettype="medline", retmode="text", webenv=history["WebEnv"], query_key=history["QueryKey"], retstart=0, retmax=5
)
records = list(Medline.parse(handle))
check([r.get("PMID") for r in records] == [str(i) for i in s["recent"][:5]], f"efetch medline: {[r.get('PMID') for r in records]}")
for r in records:
    expected = plan["medline_titles"].get(r.get("PMID"))
    check(" ".join(r.get("TI", "").split()) == expected, f"efetch medline: PMID {r.get('PMID')} TI {r.get('TI')!r}, expected {expected!r}")
    check(r.get("AU") == plan["authors"].get(r.get("PMID")), f"efetch medline: PMID {r.get('PMID')} AU {r.get('AU')}")

posted = Entrez.read(Entrez.epost(db="pubmed", id=",".join(str(i) for i in s["recent"][:3])))
summaries = Entrez.read(Entrez.esummary(db="pubmed", webenv=posted["WebEnv"], query_key=posted["QueryKey"]))
check([d["Id"] for d in summaries] == [str(i) for i in s["recent"][:3]], f"esummary from epost: {[d['Id'] for d in summaries]}")
for d in summaries:
    check(" ".join(d["Title"].split()) == plan["titles"][d["Id"]], f"esummary v1: PMID {d['Id']} Title {d['Title']!r}")
v2 = Entrez.read(Entrez.esummary(db="pubmed", id=",".join(str(i) for i in s["recent"][:3]), version="2.0"))
docs = v2["DocumentSummarySet"]["DocumentSummary"]
check([d.attributes["uid"] for d in docs] == [str(i) for i in s["recent"][:3]], "esummary v2.0: uids")
for d in docs:
    check(" ".join(d["Title"].split()) == plan["titles"][d.attributes["uid"]], f"esummary v2.0: Title {d['Title']!r}")

c = plan["cited"]
linked = Entrez.read(Entrez.elink(dbfrom="pubmed", db="pubmed", id=str(c["pmid"]), linkname="pubmed_pubmed_citedin"))
citing = {l["Id"] for l in linked[0]["LinkSetDb"][0]["Link"]} if linked[0]["LinkSetDb"] else set()
check(citing == {str(i) for i in c["by"]}, f"elink citedin: {sorted(citing)}, expected {c['by']}")
two = Entrez.read(Entrez.elink(dbfrom="pubmed", db="pubmed", id=[str(c["pmid"]), str(s["recent"][0])]))
check(len(two) == 2, f"elink with two id= parameters: {len(two)} LinkSets, expected 2")
r = plan["refs"]
linked = Entrez.read(Entrez.elink(dbfrom="pubmed", db="pubmed", id=str(r["pmid"]), linkname="pubmed_pubmed_refs"))
refs = {l["Id"] for l in linked[0]["LinkSetDb"][0]["Link"]}
check(refs == {str(i) for i in r["cites"]}, f"elink refs: {sorted(refs)}, expected {r['cites']}")
similar = Entrez.read(Entrez.elink(dbfrom="pubmed", db="pubmed", id=str(c["pmid"]), cmd="neighbor_score", linkname="pubmed_pubmed"))
first = similar[0]["LinkSetDb"][0]["Link"][0]
check(first["Id"] == str(c["pmid"]) and int(first["Score"]) > 0, f"elink neighbor_score: first link {first}")

spelled = Entrez.read(Entrez.espell(db="pubmed", term="alzhiemer disease"))
check(spelled["CorrectedQuery"] == "alzheimer disease", f"espell: {spelled['CorrectedQuery']!r}")
gq = Entrez.read(Entrez.egquery(term=s["query"]))
check(gq["eGQueryResult"][0]["Count"] == str(s["count"]), f"egquery: {gq['eGQueryResult']}")

citation = {"journal_title": "j med case rep", "year": "2017", "volume": "11", "first_page": "58", "author_name": "cherin p", "key": "seed"}
matched = Entrez.ecitmatch(db="pubmed", bdata=[citation]).read()
check(matched.strip().endswith("|seed|28257650"), f"ecitmatch: {matched!r}")

try:
    Entrez.read(Entrez.esearch(db="fleegle", term="asthma"))
    failures.append("esearch db=fleegle: no error")
except RuntimeError as e:
    check("Invalid db name specified: fleegle" in str(e), f"esearch db=fleegle: {e}")

if failures:
    print("\n".join(f"FAILED: {f}" for f in failures), file=sys.stderr)
    sys.exit(1)
print("all Biopython checks passed")
