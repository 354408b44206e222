#!/usr/bin/env bash
# Batch benchmark, in one run on this machine: a cold render of the sample
# page against a warm re-run (every segment from the cache), and peak memory
# of a 200-article batch against a single article.
#   benches/batch.sh            (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/bulletin
page=tests/fixtures/page_zh_daily_pdf_extract.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() { python3 - "$@" <<'PY'
import subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(f"{time.perf_counter() - start:.3f}")
PY
}
peak_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; }

cold=$(seconds "$bin" render "$page" --out "$work/cold" --cache "$work/cache" --quiet)
# The same job again: its output is complete, so there is nothing to do.
warm=$(seconds "$bin" render "$page" --out "$work/cold" --cache "$work/cache" --quiet)
# The same job into a new folder: every segment from the cache, but the
# articles are assembled, normalized and written again.
fresh=$(seconds "$bin" render "$page" --out "$work/fresh" --cache "$work/cache" --quiet)
python3 - "$cold" "$warm" "$fresh" <<'PY'
import sys
cold, warm, fresh = map(float, sys.argv[1:])
print(f"sample page: cold {cold:.2f} s; warm re-run {warm:.3f} s = {warm / cold:.1%} of cold (target <= 3%); "
      f"from the cache into a new folder {fresh:.2f} s = {fresh / cold:.0%}")
PY

# 200 articles from the sample page's paragraphs, one file each.
mkdir -p "$work/batch"
python3 - "$page" "$work/batch" <<'PY'
import sys, pathlib
paragraphs = [p.replace("\n", "") for p in pathlib.Path(sys.argv[1]).read_text().split("\n\n") if len(p) > 60]
for i in range(200):
    body = paragraphs[i % len(paragraphs)] + paragraphs[(i * 7 + 3) % len(paragraphs)]
    pathlib.Path(sys.argv[2], f"article-{i:03}.txt").write_text(f"第{i + 1}条新闻\n\n{body}\n")
PY
mkdir -p "$work/one" && cp "$work/batch/article-000.txt" "$work/one/"
one=$(peak_kib "$bin" render "$work/one" --out "$work/one-out" --cache "$work/cache2" --quiet --jobs 2)
many=$(peak_kib "$bin" render "$work/batch" --out "$work/batch-out" --cache "$work/cache2" --quiet --jobs 2)
python3 - "$one" "$many" <<'PY'
import sys
one, many = map(int, sys.argv[1:])
print(f"peak memory: 1 article {one / 1024:.0f} MiB, 200 articles {many / 1024:.0f} MiB, ratio {many / one:.2f}")
PY
