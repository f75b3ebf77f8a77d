#!/usr/bin/env bash
# EDirect's local PubMed archive (`archive-pubmed -index`: stash every record, then build its
# search index) against `medlars ingest` (store and index), on the same baseline files.
# archive-pubmed downloads with `download-pubmed` and `download-ncbi-data`, which know only NCBI's
# servers; here both are replaced by commands that download nothing, the files being placed in
# its Source folder first, and its MeSH tree file is made from MeSH as EDirect's documentation
# says (xtract over desc2024.xml). Everything else is archive-pubmed's own run.
# Usage: bench/edirect.sh CORPUS_DIR [FILES]   (a corpus of `medlars-bench generate`; its first
#        FILES baseline files, 2 by default; BIN_DIR as in scale.sh; MESH, the desc XML.gz)
set -euo pipefail
corpus=$(cd "$1" && pwd)
count=${2:-2}
bin=${BIN_DIR:-$(dirname "$0")/../target/release}/medlars
mesh=${MESH:-$(dirname "$0")/../../shared/data/mesh/desc2024.xml.gz}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/master/Archive" "$work/master/Postings" "$work/stand-ins"
for dir in Source Index Invert Merged Extras; do mkdir -p "$work/working/$dir"; done
mapfile -t files < <(ls "$corpus"/baseline/pubmed*.xml.gz | head -n "$count")
for file in "${files[@]}"; do ln -s "$file" "$work/working/Source/"; done
for tool in download-pubmed download-ncbi-data; do printf '#!/bin/sh\nexit 0\n' > "$work/stand-ins/$tool"; done
chmod +x "$work/stand-ins"/*
gunzip -c "$mesh" | xtract -pattern DescriptorRecord -element "DescriptorRecord/DescriptorUI" \
    -sep "," -element TreeNumber > "$work/working/Extras/meshtree.txt"
records=0
for file in "${files[@]}"; do records=$((records + $(gunzip -c "$file" | grep -c '<PubmedArticle>'))); done
echo "files: ${#files[@]} ($records records, $(du -cshL "${files[@]}" | tail -1 | cut -f1))"

start=$(date +%s.%N)
PATH="$work/stand-ins:$PATH" /usr/bin/time -v -o "$work/edirect.time" \
    archive-pubmed -index "$work/master" "$work/working" > "$work/edirect.log" 2>&1
end=$(date +%s.%N)
edirect=$(echo "$end - $start" | bc)
steps=$(grep -E '^(POP|IDX|INV|MRG|PST) [0-9]+ seconds' "$work/edirect.log" | awk '!seen[$0]++' | paste -sd, -)
echo "archive-pubmed -index: $edirect s ($steps), peak RSS $(awk -F': ' '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$work/edirect.time"), disk $(du -sh "$work/master" | cut -f1)"
grep -q 'EXITING DUE TO BUILD FAILURE' "$work/edirect.log" && { tail -20 "$work/edirect.log"; exit 1; }

start=$(date +%s.%N)
/usr/bin/time -v -o "$work/medlars.time" "$bin" --data "$work/medlars" ingest "${files[@]}" > /dev/null 2>&1
end=$(date +%s.%N)
medlars=$(echo "$end - $start" | bc)
echo "medlars ingest: $medlars s, peak RSS $(awk -F': ' '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$work/medlars.time"), disk $(du -sh "$work/medlars" | cut -f1)"
echo "ratio (archive-pubmed / medlars): $(echo "scale=2; $edirect / $medlars" | bc)"
