#!/usr/bin/env bash
# Peer measurement: NCBI EDirect's local PubMed archive (rchive, from Debian's ncbi-entrez-direct)
# on the same baseline files, with the steps of its archive-pubmed script done by hand (that script
# downloads from NCBI): archive the records, build the Entrez index, invert, merge, promote to
# postings; then phrase-search the title/abstract queries. Prints seconds per step and records/s.
# Usage: bench/edirect_peer.sh WORK_DIR FILE.xml.gz...
set -euo pipefail
work=$1; shift
rm -rf "$work"; mkdir -p "$work"/{Archive,Index,Invert,Merged,Postings,Scratch}
records=0
start=$(date +%s%N)
for fl in "$@"; do
    base="$work/Scratch/$(basename "${fl%.xml.gz}")"
    gunzip -c "$fl" | transmute -strict -normalize pubmed |
        transmute -compress -strict -wrp PubmedArticleSet -pattern "PubmedArticleSet/*" -format flush > "$base.xml"
    records=$(( records + $(grep -c "<PubmedArticle>" "$base.xml") ))
    rchive -gzip -db pubmed -input "$base.xml" -archive "$work/Archive" "$work/Index" "$work/Invert" \
        -index MedlineCitation/PMID^Version -pattern PubmedArticle < /dev/null > /dev/null
    rm "$base.xml"
done
archived=$(date +%s%N)
rchive -e2incIndex "$work/Archive" "$work/Index" -e2index > /dev/null
rchive -e2incInvert "$work/Index" "$work/Invert" > /dev/null
( cd "$work/Invert" && rchive -gzip -merge "$work/Merged" *.inv.gz > /dev/null )
( cd "$work/Merged" && ls *.mrg.gz | sort | xargs -n 100 echo | while read files; do
    rchive -promote "$work/Postings" "NORM STEM TIAB TITL YEAR MESH AUTH" $files > /dev/null
  done )
done_at=$(date +%s%N)
ms() { echo $(( ($2 - $1) / 1000000 )); }
echo "edirect rchive: $records records archived in $(ms $start $archived) ms, indexed in $(ms $archived $done_at) ms: $(( records * 1000 / $(ms $start $done_at) )) records/s end to end"
while IFS=$'\t' read -r label _ fts; do
    case "$fts" in
        \"*) q="${fts//\"/} [TIAB]" ;;   # a phrase: its words, tagged once
        *) q=$(echo "$fts" | sed 's/\([a-z*]\+\)/\1 [TIAB]/g') ;;
    esac
    t0=$(date +%s%N)
    hits=$(phrase-search -path "$work/Postings" -query "$q" 2>/dev/null | wc -l)
    echo "  $label: $hits hits in $(ms $t0 $(date +%s%N)) ms  ($q)"
done < "$(dirname "$0")/tiab_queries.tsv"
