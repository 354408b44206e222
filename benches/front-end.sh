#!/usr/bin/env bash
# Front-end speed, side by side in one run: this branch's release binary
# against a baseline binary (another checkout's, say main's) on the same
# inputs — `bulletin plan` of the sample page (start-up, jieba, the rules and
# pinyin for 112 sentences) and `bulletin normalize` over 2,000 English and
# 2,000 Chinese news lines. Prints medians and new ÷ baseline.
#   benches/front-end.sh BASELINE_BINARY [REPEAT]
#   benches/front-end.sh /work/main/target/release/bulletin 5
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=${1:?usage: benches/front-end.sh BASELINE_BINARY [REPEAT]}
repeat=${2:-5}
cargo build --release --quiet
bin=target/release/bulletin
page=tests/fixtures/page_zh_daily_pdf_extract.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# News-shaped lines with the classes the rules read.
python3 - "$work" <<'PY'
import sys, random
random.seed(7)
en = ["The plant employs 1,250 people.", "Call 555-0142 for details.", "GDP grew 3.5% in Q3.",
      "Flight BA2490 left at 3:30 p.m. on July 25, 2012.", "He won 6-4, 6-3.",
      "About 1/3 of voters backed the $2.5 bn plan.", "Henry VIII and World War II.",
      "Dr. Smith of NATO met the FBI in Washington D.C.", "A 42 km run at 15:30 GMT.",
      "Prices rose from 2010-2015 by 12 mg/L."]
zh = ["尾号1702的车辆于2025年4月25日11：00限行。", "拨打110报警，湖人队2/2战平。", "投资1250000元，增长5.2%。",
      "孩子长得快，他在数钱，你得走了。", "05年毕业的他被选为代表，率团访问。", "公元前221年，秦统一六国。"]
with open(f"{sys.argv[1]}/en.txt", "w") as f:
    f.write("\n".join(random.choice(en) for _ in range(2000)) + "\n")
with open(f"{sys.argv[1]}/zh.txt", "w") as f:
    f.write("\n".join(random.choice(zh) for _ in range(2000)) + "\n")
PY

median_seconds() { python3 - "$repeat" "$@" <<'PY'
import statistics, subprocess, sys, time
repeat, command = int(sys.argv[1]), sys.argv[2:]
stdin = None
if "<" in command:
    at = command.index("<")
    stdin, command = command[at + 1], command[:at]
times = []
for _ in range(repeat):
    with open(stdin) if stdin else open("/dev/null") as source:
        start = time.perf_counter()
        subprocess.run(command, check=True, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
print(f"{statistics.median(times):.3f}")
PY
}

printf '%-34s %9s %9s %8s\n' "median of $repeat, $(nproc) cores" "new s" "base s" "new÷base"
row() {
    local name=$1; shift
    local new base
    new=$(median_seconds "$bin" "$@")
    base=$(median_seconds "$baseline" "$@")
    python3 -c "import sys; n,b=float(sys.argv[2]),float(sys.argv[3]); print(f'{sys.argv[1]:<34} {n:9.3f} {b:9.3f} {n/b:8.2f}')" "$name" "$new" "$base"
}
row "plan sample page (json)" plan "$page" --json
row "normalize 2,000 English lines" normalize --lang en "<" "$work/en.txt"
row "normalize 2,000 Chinese lines" normalize --lang zh "<" "$work/zh.txt"
row "normalize --pinyin 2,000 Chinese" normalize --lang zh --pinyin "<" "$work/zh.txt"
