#!/usr/bin/env bash
# bulletin's Piper engine against Piper's own program, in one run, on this
# machine: the same model (en_US-joe-medium, where scripts/setup put it),
# the same spoken text (bulletin's engine input for a 10-sentence English
# wire story, one sentence a line) and the same length scale, run in pairs
# in alternating order so that load elsewhere hits both alike.
#
# The `piper` program (PyPI piper-tts) is installed into a throwaway virtual
# environment; set PIPER_VENV to a folder to keep it between runs.
# Wall time is the whole command, start to exit; peak memory is the maximum
# resident set of the command (ru_maxrss of its process tree).
#
# Usage: benches/piper.sh [PAIRS]   (default 5; medians of the pair ratios)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-5}"
cargo build --release --quiet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
venv="${PIPER_VENV:-$work/venv}"
if [ ! -x "$venv/bin/piper" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "piper-tts==1.8.0"
fi

python3 - "$pairs" "$work" "$venv/bin/piper" <<'PYTHON'
import json, os, shutil, statistics, subprocess, sys, time, tomllib, wave

pairs, work, piper = int(sys.argv[1]), sys.argv[2], sys.argv[3]
median = statistics.median
binary = os.path.abspath("target/release/bulletin")
story = "tests/fixtures/story_en_wire_ten_sentences.txt"
profile = "en-us-joe"

models = os.environ.get("BULLETIN_MODELS") or os.path.join(
    os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "bulletin", "voices")
model = os.path.join(models, "en_US-joe-medium.onnx")
if not os.path.isfile(model):
    sys.exit(f"piper.sh: {model} is missing; run scripts/setup")

# The spoken text: each sentence's engine input, as bulletin sends it.
plan = json.loads(subprocess.run([binary, "plan", "--json", "--voice", profile, story],
                                 check=True, capture_output=True).stdout)
lines = []
for article in plan["articles"]:
    for sentence in ([article["headline"]] if article["headline"] else []) + article["sentences"]:
        lines.append(" ".join(run["input"] for utterance in sentence["utterances"]
                              for run in utterance))
text = os.path.join(work, "spoken.txt")
with open(text, "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")

# The profile's pace as Piper's length scale: the model's × 175 / rate.
rate = tomllib.load(open(f"voices/{profile}.toml", "rb")).get("rate", 175)
config = json.load(open(model + ".json"))
length_scale = config.get("inference", {}).get("length_scale", 1.0) * 175 / rate


def measured(command, env=None):
    """Wall seconds and peak resident MiB of one command."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    error = child.stderr.read().decode(errors="replace")
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"piper.sh: {command[0]} failed:\n{error}")
    return wall, usage.ru_maxrss / 1024


def seconds(path):
    with wave.open(path) as w:
        return w.getnframes() / w.getframerate()


piper_wav = os.path.join(work, "piper.wav")
out = os.path.join(work, "out")
commands = {
    "piper": [piper, "-m", model, "-i", text, "-f", piper_wav,
              "--length-scale", f"{length_scale:.4f}"],
    "bulletin": [binary, "render", story, "--voice", profile, "--no-cache", "--quiet",
                 "--out", out],
}
# bulletin compiles a model for the machine's CPU on its first load and
# keeps the result (in ~/.cache/bulletin/models); the pairs measure the
# runs after that one. The first run is timed on its own, with an empty
# folder for compiled models, so that its cost is printed too.
first_cache = os.path.join(work, "first-run-cache")
first = measured(commands["bulletin"], env=dict(os.environ, XDG_CACHE_HOME=first_cache))
shutil.rmtree(out, ignore_errors=True)
measured(commands["bulletin"])
runs = {name: [] for name in commands}
load_before = os.getloadavg()[0]
for pair in range(pairs):
    order = ["piper", "bulletin"] if pair % 2 == 0 else ["bulletin", "piper"]
    for name in order:
        # A fresh folder each time: a finished job re-run has nothing to do.
        if name == "bulletin":
            shutil.rmtree(out, ignore_errors=True)
        runs[name].append(measured(commands[name]))
bulletin_wav = os.path.join(out, json.load(open(os.path.join(out, "manifest.json")))
                            ["articles"][0]["file"])

print(f"{len(lines)} sentences, {sum(len(line.split()) for line in lines)} words; "
      f"model {os.path.basename(model)}, length scale {length_scale:.3f}; "
      f"{os.cpu_count()} cores; {pairs} pairs; load average {load_before:.1f} before, "
      f"{os.getloadavg()[0]:.1f} after")
print(f"audio: piper {seconds(piper_wav):.1f} s, bulletin {seconds(bulletin_wav):.1f} s "
      "(with its pauses between sentences)")
print()
print(f"{'':10} {'wall s':>7} {'peak MiB':>9}")
for name, values in runs.items():
    print(f"{name:10} {median(w for w, _ in values):7.2f} {median(m for _, m in values):9.0f}")
wall_ratios = [b[0] / p[0] for b, p in zip(runs["bulletin"], runs["piper"])]
memory_ratios = [b[1] / p[1] for b, p in zip(runs["bulletin"], runs["piper"])]
print()
print("bulletin ÷ piper, per pair: wall " + " ".join(f"{r:.2f}" for r in wall_ratios)
      + "; memory " + " ".join(f"{r:.2f}" for r in memory_ratios))
print(f"median: wall {median(wall_ratios):.2f} (target ≤ 0.75), "
      f"peak memory {median(memory_ratios):.2f} (target ≤ 1.10)")
print(f"bulletin's first run on this machine, which compiles the model for its CPU: "
      f"{first[0]:.2f} s, {first[1]:.0f} MiB "
      f"(÷ piper's median: wall {first[0] / median(w for w, _ in runs['piper']):.2f})")
PYTHON
