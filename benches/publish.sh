#!/usr/bin/env bash
# What publishing MP3 and Opus costs, in one run on this machine: cold
# renders of the sample page with `--format wav` and with
# `--format wav,mp3,opus`, taken in pairs (one of each, back to back, each
# with an empty cache and folder), so load from anything else running
# falls on both sides of every pair. Prints each pair's ratio and the
# median; the target is at most 1.5 (encoding runs in the render's pool,
# beside synthesis, not after it).
#
# Usage: benches/publish.sh [PAIRS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-3}"
cargo build --release --quiet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$pairs" "$work" <<'PYTHON'
import os, statistics, subprocess, sys, time

pairs, work = int(sys.argv[1]), sys.argv[2]
page = "tests/fixtures/page_zh_daily_pdf_extract.txt"

def render(formats, run):
    out = os.path.join(work, f"{run}-{formats.replace(',', '-')}")
    start = time.perf_counter()
    subprocess.run(
        ["target/release/bulletin", "render", page, "--out", out,
         "--cache", out + "-cache", "--format", formats, "--quiet"],
        check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start

ratios = []
for run in range(pairs):
    # Alternate which goes first, so neither always gets a cooler machine.
    order = ["wav", "wav,mp3,opus"] if run % 2 == 0 else ["wav,mp3,opus", "wav"]
    seconds = {formats: render(formats, run) for formats in order}
    ratio = seconds["wav,mp3,opus"] / seconds["wav"]
    ratios.append(ratio)
    print(f"pair {run + 1}: wav {seconds['wav']:.2f} s, wav,mp3,opus "
          f"{seconds['wav,mp3,opus']:.2f} s, ratio {ratio:.2f}")
median = statistics.median(ratios)
print(f"median ratio {median:.2f} (target <= 1.50): {'met' if median <= 1.5 else 'NOT met'}")
PYTHON
