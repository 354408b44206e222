#!/usr/bin/env bash
# Compares the ways bulletin can run espeak-ng, in one run, on this machine:
#
# 1. The sample page rendered cold (a new `bulletin render` each time) in
#    every mode of BULLETIN_ESPEAK_MODE with --jobs 2, against one serial
#    `espeak-ng -v cmn-latn-pinyin` process fed the same Chinese engine
#    input (every zh run of `bulletin plan --json`, one per line).
# 2. A batch of 200 small articles made from the sample's paragraphs,
#    rendered with the default (workers-fork): wall time against engine CPU ÷ cores.
#
# CPU seconds are those of the command and all the processes it waited
# for (getrusage of children). "Engine CPU" is what espeak-ng itself needs
# for the text: the CPU of serial `espeak-ng` runs over every run of the
# plan (Chinese with cmn-latn-pinyin, Latin with en-us). "Render CPU" is
# everything a render does: text, synthesis, resampling, loudness, writing.
#
# Usage: benches/engines.sh [REPEAT]   (default 3 runs each; medians shown)
set -euo pipefail
cd "$(dirname "$0")/.."
repeat="${1:-3}"
cargo build --release --quiet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 - "$repeat" "$work" <<'PYTHON'
import json, os, resource, shutil, statistics, subprocess, sys, time

median = statistics.median

repeat, work = int(sys.argv[1]), sys.argv[2]
load_before = os.getloadavg()[0]
binary = os.path.abspath("target/release/bulletin")
sample = "tests/fixtures/page_zh_daily_pdf_extract.txt"
cores = os.cpu_count()
jobs = "2"


def machine_busy():
    """CPU seconds every process on the machine has used since boot."""
    ticks = [int(t) for t in open("/proc/stat").readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


others = []  # CPU seconds other processes took during each timed run


def timed(command, env=None, stdout=subprocess.DEVNULL):
    """Wall and CPU seconds (user + system, with waited-for children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy = machine_busy()
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=stdout, stderr=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    others.append(max(0.0, machine_busy() - busy - cpu) / wall)
    return wall, cpu


def plan_cpu(inputs):
    return statistics.median(timed([binary, "plan", "--json", *inputs])[1]
                             for _ in range(repeat))


def render(inputs, mode, out):
    # A fresh folder each time: a finished job re-run into its own folder
    # has nothing to do.
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu = timed([binary, "render", *inputs, "--out", out, "--quiet", "--no-cache", "--jobs", jobs],
                      env={"BULLETIN_ESPEAK_MODE": mode})
    summary = json.load(open(os.path.join(out, "manifest.json")))["summary"]
    return wall, cpu, summary


def plan_of(inputs):
    return json.loads(subprocess.run([binary, "plan", "--json", *inputs], check=True,
                                     capture_output=True).stdout)


def runs_of(plan):
    return [run for article in plan["articles"]
            for sentence in ([article["headline"]] if article["headline"] else [])
            + article["sentences"]
            for utterance in sentence["utterances"] for run in utterance]


def espeak_commands(plan_runs, folder):
    """One serial espeak-ng per language over every run of a plan, one run
    per line, with the profiles' rate and pitch: the engines' own work."""
    commands = []
    for lang, voice in [("zh", "cmn-latn-pinyin"), ("en", "en-us")]:
        lines = [run["input"] + "\n" for run in plan_runs if run["lang"] == lang]
        if not lines:
            continue
        path = os.path.join(folder, f"{lang}.txt")
        with open(path, "w") as f:
            f.writelines(lines)
        commands.append(["espeak-ng", "-v", voice, "-s", "175", "-p", "50", "-a", "100",
                         "-b", "1", "-f", path, "--stdout"])
    return commands


def engine_cpu(commands):
    """Median CPU seconds of the serial espeak-ng runs, all languages."""
    return median(sum(timed(c)[1] for c in commands) for _ in range(repeat))


plan = plan_of([sample])
runs = runs_of(plan)
engines = espeak_commands(runs, work)
# The serial reference the issue names: one espeak-ng -v cmn-latn-pinyin
# fed every Chinese run of the plan.
espeak = engines[0]
with open(os.path.join(work, "zh.wav"), "wb") as wav:
    subprocess.run(espeak, check=True, stdout=wav)
serial_audio = (os.path.getsize(os.path.join(work, "zh.wav")) - 44) / 2 / 22050

modes = ["process", "library", "workers", "workers-fork"]
results = {name: [] for name in ["serial"] + modes}
for _ in range(repeat):
    # Interleaved, so that a burst of load elsewhere hits every mode alike.
    wall, cpu = timed(espeak)
    results["serial"].append((wall, cpu, None))
    for mode in modes:
        results[mode].append(render([sample], mode, os.path.join(work, mode)))
sample_plan_cpu = plan_cpu([sample])
sample_engine_cpu = engine_cpu(engines)

serial_wall = median(r[0] for r in results["serial"])
serial_cpu = median(r[1] for r in results["serial"])
load = os.getloadavg()[0]
print(f"Sample page: {len(plan['articles'])} articles, {len(runs)} utterances "
      f"({sum(r['lang'] == 'zh' for r in runs)} zh); {cores} cores; --jobs {jobs}; "
      f"median of {repeat}; load average {load_before:.1f} before, {load:.1f} after")
print(f"text stage (bulletin plan): {sample_plan_cpu:.2f} s CPU; espeak-ng's own work for "
      f"every run (zh and en): {sample_engine_cpu:.2f} s CPU")
print(f"other processes used {median(others):.2f} of the {cores} cores during the runs (median)")
print()
print(f"{'':22} {'wall s':>7} {'÷serial':>8} {'audio s':>8} {'RTF':>6} "
      f"{'CPU s':>6} {'efficiency':>11}")
row = "{:22} {:7.2f} {:8.2f} {:8.1f} {:6.0f} {:6.2f} {:>11}"
print(row.format("espeak-ng, serial", serial_wall, 1.0, serial_audio,
                 serial_audio / serial_wall, serial_cpu, "-"))
for mode in modes:
    wall = median(r[0] for r in results[mode])
    cpu = median(r[1] for r in results[mode])
    audio = results[mode][0][2]["audio_s"]
    print(row.format(f"render, {mode}", wall, wall / serial_wall, audio, audio / wall,
                     cpu, f"{cpu / (wall * cores):.2f}"))
print()
print(f"÷serial: render wall ÷ serial espeak-ng wall (issue 7 target: ≤ {1 / 1.7:.2f}). "
      "RTF: audio s ÷ wall s.")
print("efficiency: render CPU ÷ (wall × cores), how busy the render keeps the cores.")
floor = sample_engine_cpu / cores / serial_wall
print(f"floor: espeak-ng's own work alone, spread perfectly over {cores} cores, would take "
      f"{floor:.2f} × serial; the rest of a render (text, 48 kHz, loudness, writing) "
      f"costs {median(r[1] for r in results['workers-fork']) - sample_engine_cpu:.2f} s CPU "
      "in the default mode.")

# The batch: 200 articles, a headline and two paragraphs each.
paragraphs = [p.strip() for p in open(sample, encoding="utf-8").read().split("\n\n")
              if p.strip()]
articles = os.path.join(work, "articles")
os.makedirs(articles)
for i in range(200):
    first, second = paragraphs[i % len(paragraphs)], paragraphs[(i + 1) % len(paragraphs)]
    headline = first.replace("\n", "").split("，")[0][:16]
    with open(os.path.join(articles, f"{i:03}.txt"), "w", encoding="utf-8") as f:
        f.write(f"{headline}\n\n{first}\n\n{second}\n")
others.clear()
batch = [render([articles], "workers-fork", os.path.join(work, "batch")) for _ in range(repeat)]
batch_others = median(others)
batch_folder = os.path.join(work, "batch-text")
os.makedirs(batch_folder)
batch_engine_cpu = engine_cpu(espeak_commands(runs_of(plan_of([articles])), batch_folder))
wall = median(r[0] for r in batch)
cpu = median(r[1] for r in batch)
summary = batch[0][2]
print()
print(f"Batch: {summary['articles']} articles, {summary['sentences']} sentences, "
      f"{summary['audio_s']:.0f} s of audio, workers-fork, --jobs {jobs}; other processes "
      f"used {batch_others:.2f} of the {cores} cores")
print(f"wall {wall:.2f} s; render CPU {cpu:.2f} s; espeak-ng's own work {batch_engine_cpu:.2f} s CPU")
print(f"wall ÷ (espeak-ng CPU ÷ cores) = {wall / (batch_engine_cpu / cores):.2f} (issue 7 target ≤ 1.15)")
print(f"wall ÷ (render CPU ÷ cores) = {wall / (cpu / cores):.2f} (how busy the render keeps the cores)")
PYTHON
