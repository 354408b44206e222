#!/usr/bin/env bash
# Memory and loudness of the streaming audio stage, in one run on this
# machine (issue #12 parts 1 and 2), every render cold (--no-cache, --jobs 2):
#
# 1. Peak RSS (/usr/bin/time) of three jobs against the issue's targets:
#    one 1 h 54 min article (the sample page's text five times under one
#    `# 长篇` Markdown heading; also with its programme, which streams the
#    article file), the sample page, and a 200-article batch.
#    `bulletin plan` on the long article shows what the text stage alone
#    takes of it.
# 2. The sample page's wall time against one serial `espeak-ng -v
#    cmn-latn-pinyin` fed the same engine input, interleaved, medians.
# 3. ffmpeg's ebur128 on the long article: integrated loudness and true peak.
#
# With BASELINE=/path/to/an/older/bulletin, that binary runs every job too,
# interleaved, and the ratios new ÷ old are printed beside.
#
# Usage: benches/memory.sh [REPEAT]   (default 3 timed runs of the page)
set -euo pipefail
cd "$(dirname "$0")/.."
repeat="${1:-3}"
cargo build --release --quiet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$repeat" "$work" "${BASELINE:-}" <<'PYTHON'
import json, os, re, shutil, statistics, subprocess, sys, time

repeat, work, baseline = int(sys.argv[1]), sys.argv[2], sys.argv[3]
binaries = {"new": os.path.abspath("target/release/bulletin")}
if baseline:
    binaries["old"] = os.path.abspath(baseline)
sample = "tests/fixtures/page_zh_daily_pdf_extract.txt"
page = open(sample, encoding="utf-8").read()

long_article = os.path.join(work, "long.md")
with open(long_article, "w", encoding="utf-8") as f:
    f.write("# 长篇\n\n" + "\n\n".join([page] * 5) + "\n")
batch = os.path.join(work, "batch")
os.makedirs(batch)
paragraphs = [p.replace("\n", "") for p in page.split("\n\n") if len(p) > 60]
for i in range(200):
    body = paragraphs[i % len(paragraphs)] + paragraphs[(i * 7 + 3) % len(paragraphs)]
    with open(os.path.join(batch, f"article-{i:03}.txt"), "w", encoding="utf-8") as f:
        f.write(f"第{i + 1}条新闻\n\n{body}\n")


def run(command):
    """Wall seconds and peak RSS in MiB of a command."""
    started = time.perf_counter()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], check=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    return wall, int(result.stderr.strip().splitlines()[-1]) / 1024


def render(name, inputs, out):
    shutil.rmtree(out, ignore_errors=True)
    return run([binaries[name], "render", *inputs, "--out", out, "--quiet", "--no-cache",
                "--jobs", "2"])


print(f"{os.cpu_count()} cores, --jobs 2, --no-cache; load average {os.getloadavg()[0]:.1f}")
print()
print(f"{'peak RSS':34} {'MiB':>7} {'target':>7} {'÷target':>8}" +
      (f" {'old MiB':>8} {'new÷old':>8}" if baseline else ""))
jobs = [("long article, 1 h 54 min", [long_article], 200),
        ("the same with --programme", [long_article, "--programme"], 200),
        ("sample page, 10 articles", [sample], 150),
        ("batch of 200 articles", [batch], 150)]
long_out = os.path.join(work, "long-new")
for label, inputs, target in jobs:
    peaks = {}
    for name in binaries:
        out = long_out if (name == "new" and inputs == [long_article]) else os.path.join(work, "out")
        peaks[name] = render(name, inputs, out)[1]
    line = f"{label:34} {peaks['new']:7.0f} {target:7} {peaks['new'] / target:8.2f}"
    if baseline:
        line += f" {peaks['old']:8.0f} {peaks['new'] / peaks['old']:8.2f}"
    print(line)
plan_peak = run([binaries["new"], "plan", "--json", long_article])[1]
print(f"{'  of which the text stage (plan)':34} {plan_peak:7.0f}")

# The page's wall time against one serial espeak-ng over its Chinese runs.
plan = json.loads(subprocess.run([binaries["new"], "plan", "--json", sample], check=True,
                                 capture_output=True).stdout)
zh = [run_["input"] + "\n" for article in plan["articles"]
      for sentence in ([article["headline"]] if article["headline"] else []) + article["sentences"]
      for utterance in sentence["utterances"] for run_ in utterance if run_["lang"] == "zh"]
engine_input = os.path.join(work, "zh.txt")
with open(engine_input, "w", encoding="utf-8") as f:
    f.writelines(zh)
espeak = ["espeak-ng", "-v", "cmn-latn-pinyin", "-s", "175", "-p", "50", "-a", "100", "-b", "1",
          "-f", engine_input, "--stdout"]
walls = {name: [] for name in ["espeak"] + list(binaries)}
for _ in range(repeat):
    walls["espeak"].append(run(espeak)[0])
    for name in binaries:
        walls[name].append(render(name, [sample], os.path.join(work, "page"))[0])
median = {name: statistics.median(w) for name, w in walls.items()}
print()
line = (f"sample page wall: {median['new']:.2f} s; serial espeak-ng {median['espeak']:.2f} s; "
        f"espeak-ng ÷ render = {median['espeak'] / median['new']:.2f}×")
if baseline:
    line += (f"; old render {median['old']:.2f} s ({median['espeak'] / median['old']:.2f}×), "
             f"new ÷ old = {median['new'] / median['old']:.2f}")
print(line + f" (median of {repeat}, interleaved)")

# Loudness of the long article as ffmpeg reads it.
wav = next(os.path.join(long_out, f) for f in os.listdir(long_out) if f.endswith(".wav"))
report = subprocess.run(["ffmpeg", "-hide_banner", "-nostats", "-i", wav, "-af",
                         "ebur128=peak=true", "-f", "null", "-"],
                        capture_output=True, text=True).stderr
summary = report[report.rindex("Summary:"):]
integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
ok = abs(integrated + 23) <= 0.5 and peak <= -1
print()
print(f"long article, ffmpeg ebur128: {integrated:.1f} LUFS (target -23 ± 0.5), "
      f"true peak {peak:.1f} dBTP (target ≤ -1): {'met' if ok else 'NOT MET'}")
PYTHON
