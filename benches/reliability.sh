#!/usr/bin/env bash
# Hostile inputs (issue #16), measured side by side in one run: peak RSS and
# wall time of this build against an earlier one on
#   - a 2.1 MB one-article Chinese input (plan: the text side),
#   - 100,000 tiny lines (plan),
#   - 200,000 nested <div>s, 2.2 MB of HTML (plan),
#   - an --intro WAV whose header claims 2 GB, in a sparse file (render).
#   BEFORE=/path/to/old/bulletin benches/reliability.sh
# Without BEFORE only this build is measured. Each run is cut at LIMIT
# seconds (default 60); a cut run prints its figures with ">".
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
after=target/release/bulletin
before=${BEFORE:-}
limit=${LIMIT:-60}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -c "print('中共中央政治局召开会议分析研究'*47000)" > "$work/one-article.txt"
python3 -c "
for i in range(100000): print('短句%d。' % i)" > "$work/lines.txt"
python3 -c "print('<html><body>' + '<div>'*200000 + '<p>Deep text.</p>')" > "$work/nested.html"
python3 - "$work/intro.wav" <<'PY'
import struct, sys
data = 0x7FFF0000
with open(sys.argv[1], "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", data + 36) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, 48000, 96000, 2, 16)
            + b"data" + struct.pack("<I", data))
    f.truncate(data + 44)  # sparse: reads as silence, takes no disk
PY
echo "Storm hits the coast." > "$work/story.txt"

# Prints "seconds peak_MiB cut" for one command.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" timeout "$limit" "$@" >/dev/null 2>&1 && cut=0 || cut=$?
    read -r seconds kib < <(tail -n 1 "$work/time")
    echo "$seconds $((kib / 1024)) $([ "$cut" = 124 ] && echo cut || echo done)"
}

row() {
    local name=$1; shift
    local a b
    a=$(measure "$after" "$@")
    if [ -n "$before" ]; then b=$(measure "$before" "$@"); else b="- - -"; fi
    python3 - "$name" "$b" "$a" <<'PY'
import sys
name, b, a = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
def show(m):
    if m[0] == "-":
        return "         -"
    mark = ">" if m[2] == "cut" else " "
    return f"{mark}{float(m[0]):6.2f} s {int(m[1]):6d} MiB"
ratio = ""
if b[0] != "-":
    ratio = f"  time {float(b[0]) / max(float(a[0]), 0.01):6.1f}x  RSS {int(b[1]) / max(int(a[1]), 1):5.1f}x"
print(f"{name:32s} before {show(b)}   after {show(a)}{ratio}")
PY
}

echo "cut at ${limit} s; before: ${before:-(not given)}"
row "plan 2.1 MB one article" plan "$work/one-article.txt"
row "plan 100,000 lines" plan "$work/lines.txt"
row "plan 200,000 nested <div>s" plan "$work/nested.html"
row "render with a 2 GB --intro" render "$work/story.txt" --out "$work/out" \
    --no-cache --quiet --programme --intro "$work/intro.wav"
