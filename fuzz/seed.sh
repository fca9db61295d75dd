#!/usr/bin/env bash
# Seed corpora from the project's own files and tests (no third-party data).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=..
mkdir -p corpus/dataset corpus/csv_reader corpus/view_query corpus/jsonstat_import corpus/ted_rows \
  corpus/national_rows corpus/eforms_document
for csv in "$root"/data/*.csv; do
  name=$(basename "$csv" .csv)
  { cat "$csv"; printf '\0'; cat "$root/data/$name.toml"; } > "corpus/dataset/$name"
  cp "$csv" "corpus/csv_reader/$name"
done
printf 'country;period;value;flag;source;note\r\nNO;2016;0,43;;src;"a ""quoted""\r\nnote"\r\n' > corpus/csv_reader/dialect
printf 'country,period,value,flag,source,note\nNO,2016,1,,src,"open\nNO,2017,2,,src,\n' > corpus/csv_reader/unclosed
i=0
for query in "" "country=NO~SE&time=2010..latest&mode=index&lang=sv&tab=table" "countries=NO,SE&from=2016&to=2022" \
  "mode=share:advertised-procurements&kind=bar&scale=log" "width=4000&height=3000" "theme=dark&dialect=excel-nordic" \
  "country=NO&country=SE&from=&to=latest" "time=earliest..2020" "lang=de" "countries=NO,XX" "%FF=%00"; do
  printf '%s' "$query" > "corpus/view_query/$i"; i=$((i + 1))
done
bin="$root/target/debug/indikator"
[[ -x $bin ]] || (cd "$root" && cargo build -q)
for id in innovation-procurements advertised-procurements innovation-procedure-share; do
  "$bin" export "$id" --format jsonstat -o "corpus/jsonstat_import/$id.json"
done
"$bin" notices --generate 40 --seed 5 -o corpus/ted_rows/full.csv 2>/dev/null
tail -n +2 corpus/ted_rows/full.csv > corpus/ted_rows/rows && rm corpus/ted_rows/full.csv
printf '1,2021,0,0,0,,NO\n"unclosed,2021\n' > corpus/ted_rows/broken
# National rows: the first byte chooses the header (even: Doffin, odd: Upphandlingsmyndigheten).
"$bin" notices --generate 30 --layout doffin --seed 5 -o doffin.tmp 2>/dev/null
{ printf '\0'; tail -n +2 doffin.tmp; } > corpus/national_rows/doffin && rm doffin.tmp
"$bin" notices --generate 30 --layout uhm-csv --seed 5 -o uhm.tmp 2>/dev/null
{ printf '\1'; tail -n +2 uhm.tmp | cut -d';' -f1,2,6,7,8; } > corpus/national_rows/uhm && rm uhm.tmp
# eForms: generated notices (the SDK's examples are not committed; add them by hand if there).
"$bin" notices --generate 8 --layout eforms --seed 5 -o eforms.tmp 2>/dev/null
find eforms.tmp -name '*.xml' -exec cp {} corpus/eforms_document/ \; && rm -r eforms.tmp
echo "seeded: $(ls corpus/* | wc -l) files"
