//! Broadcast-ready audio, checked from the files themselves: rate, loudness
//! and true peak (by the ebur128 crate, and by ffmpeg when it is there),
//! clean joins, the `bext` and `LIST` chunks, subtitles and the programme.

mod common;

use std::path::Path;

use common::{
    bulletin, ffmpeg_loudness, field, files_in, fixture, loudness, parse_subtitles, read_wav,
    render, riff_chunks, Cue, SAMPLE_PAGE,
};
use serde_json::Value;

/// How far the integrated loudness may be from the target.
const LOUDNESS_TOLERANCE_LU: f64 = 0.5;
/// No sentence may start or end on a step larger than this…
const EDGE_PEAK: f32 = 0.001;
/// …nor move by more than this per sample within a quarter millisecond of
/// an edge.
const EDGE_JUMP: f32 = 0.005;

/// What a WAV must be.
struct Expect<'a> {
    rate: u32,
    bits: u16,
    lufs: f64,
    title: &'a str,
}

/// Checks a WAV against `expect` and its manifest `loudness`, and returns
/// its samples.
fn check_wav(path: &Path, expect: &Expect<'_>, recorded: &Value) -> Vec<f32> {
    let name = path.display();
    let reader = hound::WavReader::open(path).unwrap();
    assert_eq!(reader.spec().bits_per_sample, expect.bits, "{name}");
    let (rate, samples) = read_wav(path);
    assert_eq!(rate, expect.rate, "{name}");

    let (integrated, true_peak) = loudness(&samples, rate);
    assert!(
        (integrated - expect.lufs).abs() <= LOUDNESS_TOLERANCE_LU,
        "{name}: {integrated} LUFS"
    );
    assert!(true_peak <= -1.0, "{name}: {true_peak} dBTP");
    let recorded_lufs = recorded["integrated_lufs"].as_f64().unwrap();
    assert!((recorded_lufs - integrated).abs() < 0.05, "{name}");
    assert!(recorded["true_peak_dbtp"].as_f64().unwrap() <= -1.0);
    assert!(recorded["range_lu"].as_f64().unwrap() >= 0.0);
    if let Some((ffmpeg_lufs, ffmpeg_peak)) = ffmpeg_loudness(path) {
        assert!(
            (ffmpeg_lufs - expect.lufs).abs() <= LOUDNESS_TOLERANCE_LU,
            "{name}: ffmpeg says {ffmpeg_lufs} LUFS"
        );
        assert!(
            ffmpeg_peak <= -1.0,
            "{name}: ffmpeg says {ffmpeg_peak} dBTP"
        );
    }

    let bytes = std::fs::read(path).unwrap();
    let chunks = riff_chunks(&bytes);
    let ids: Vec<&[u8; 4]> = chunks.iter().map(|(id, _)| id).collect();
    assert_eq!(ids, [b"fmt ", b"bext", b"LIST", b"data"], "{name}");
    let bext = &chunks[1].1;
    let mut cut = expect.title.len().min(256);
    while !expect.title.is_char_boundary(cut) {
        cut -= 1;
    }
    let title = &expect.title[..cut];
    assert_eq!(field(&bext[..256]), title, "{name}");
    assert_eq!(field(&bext[256..288]), "bulletin");
    assert_eq!(
        u16::from_le_bytes([bext[346], bext[347]]),
        2,
        "bext version"
    );
    let loudness_value = i16::from_le_bytes([bext[412], bext[413]]);
    assert_eq!(loudness_value, (recorded_lufs * 100.0).round() as i16);
    assert!(field(&bext[602..]).starts_with(&format!(
        "A=PCM,F={},W={},M=mono,T=bulletin",
        expect.rate, expect.bits
    )));
    assert!(String::from_utf8_lossy(&chunks[2].1).contains(title));
    samples
}

/// The spans of an article's spoken sentences, headline first, as
/// (start sample, end sample, text).
fn spans(article: &Value) -> Vec<(usize, usize, String)> {
    article["headline"]
        .as_object()
        .map(|h| Value::Object(h.clone()))
        .into_iter()
        .chain(article["sentences"].as_array().unwrap().iter().cloned())
        .map(|s| {
            let at = |key: &str| usize::try_from(s[key].as_u64().unwrap()).unwrap();
            (
                at("start_sample"),
                at("end_sample"),
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Every sentence fades in from and out to silence: no step at its edges.
fn check_joins(samples: &[f32], spans: &[(usize, usize, String)], rate: u32) {
    let near = rate as usize / 4000;
    for (start, end, text) in spans {
        for edge in [*start, end - 1] {
            assert!(samples[edge].abs() < EDGE_PEAK, "step at an edge of {text}");
        }
        for window in [start - near..start + near, end - near..end + near] {
            let jump = samples[window]
                .windows(2)
                .map(|w| (w[1] - w[0]).abs())
                .fold(0.0, f32::max);
            assert!(jump < EDGE_JUMP, "a jump of {jump} at an edge of {text}");
        }
    }
}

/// The `.srt` and `.vtt` named in `entry` both hold exactly these cues.
fn check_subtitles(out: &Path, entry: &Value, expected: &[Cue]) {
    for (key, vtt) in [("srt", false), ("vtt", true)] {
        let name = entry[key].as_str().unwrap();
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        assert_eq!(parse_subtitles(&text, vtt), expected, "{name}");
    }
}

/// The cues a span list gives, shifted by `offset` samples.
fn cues(spans: &[(usize, usize, String)], offset: usize, rate: u32) -> Vec<Cue> {
    let ms = |sample: usize| ((sample as u64) * 1000 + u64::from(rate) / 2) / u64::from(rate);
    spans
        .iter()
        .map(|(start, end, text)| (ms(offset + start), ms(offset + end), text.clone()))
        .collect()
}

fn articles(manifest: &Value) -> &Vec<Value> {
    manifest["articles"].as_array().unwrap()
}

#[test]
fn sample_page_and_its_programme_are_broadcast_ready() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path();
    let manifest = render(&[Path::new(SAMPLE_PAGE)], out, &["--programme"]);

    let mut programme_cues = Vec::new();
    let programme = &manifest["programme"];
    for (article, start) in articles(&manifest)
        .iter()
        .zip(programme["articles"].as_array().unwrap())
    {
        let file = article["file"].as_str().unwrap();
        let title = article["title"]
            .as_str()
            .unwrap_or_else(|| article["source"].as_str().unwrap());
        let expect = Expect {
            rate: 48000,
            bits: 16,
            lufs: -23.0,
            title,
        };
        let samples = check_wav(&out.join(file), &expect, &article["loudness"]);
        let spans = spans(article);
        // The timings are exact samples, and the seconds agree with them.
        for (sentence, (start, _, _)) in article["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&spans[usize::from(article["headline"].is_object())..])
        {
            let seconds = *start as f64 / 48000.0;
            assert!((sentence["start_s"].as_f64().unwrap() - seconds).abs() < 1e-6);
        }
        check_joins(&samples, &spans, 48000);
        check_subtitles(out, article, &cues(&spans, 0, 48000));
        assert_eq!(start["file"], article["file"]);
        let offset = usize::try_from(start["start_sample"].as_u64().unwrap()).unwrap();
        programme_cues.extend(cues(&spans, offset, 48000));
    }

    let expect = Expect {
        rate: 48000,
        bits: 16,
        lufs: -23.0,
        title: &programme_title(out),
    };
    let samples = check_wav(&out.join("programme.wav"), &expect, &programme["loudness"]);
    let duration = programme["duration_s"].as_f64().unwrap();
    assert!((samples.len() as f64 / 48000.0 - duration).abs() < 1e-6);
    check_subtitles(out, programme, &programme_cues);
    let playlist = std::fs::read_to_string(out.join("playlist.m3u")).unwrap();
    let listed: Vec<&str> = playlist.lines().filter(|l| !l.starts_with('#')).collect();
    let files: Vec<&str> = articles(&manifest)
        .iter()
        .map(|a| a["file"].as_str().unwrap())
        .collect();
    assert_eq!(listed, files);
    assert!(playlist.starts_with("#EXTM3U\n#EXTINF:"));

    for tool in [
        ["sox", "--i", "-r"].as_slice(),
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "stream=sample_rate",
            "-of",
            "csv=p=0",
        ]
        .as_slice(),
    ] {
        let Ok(output) = std::process::Command::new(tool[0])
            .args(&tool[1..])
            .arg(out.join("programme.wav"))
            .output()
        else {
            continue;
        };
        assert!(output.status.success(), "{} failed", tool[0]);
        assert_eq!(
            String::from_utf8_lossy(&output.stdout).trim(),
            "48000",
            "{}",
            tool[0]
        );
    }
}

#[test]
fn rate_depth_loudness_and_pauses_follow_the_flags() {
    let out = tempfile::tempdir().unwrap();
    let out = out.path();
    let manifest = render(
        &[&fixture("article_en_with_headline.txt")],
        out,
        &[
            "--rate",
            "44100",
            "--bits",
            "24",
            "--loudness",
            "-16",
            "--pause-sentence",
            "0.5s",
            "--pause-headline",
            "1s",
            "--pause-paragraph",
            "700ms",
        ],
    );
    let article = &articles(&manifest)[0];
    assert_eq!(article["sample_rate"], 44100);
    assert_eq!(article["bits"], 24);
    let expect = Expect {
        rate: 44100,
        bits: 24,
        lufs: -16.0,
        title: "Storm hits the coast",
    };
    let samples = check_wav(
        &out.join(article["file"].as_str().unwrap()),
        &expect,
        &article["loudness"],
    );
    let spans = spans(article);
    check_joins(&samples, &spans, 44100);
    // Headline, then a paragraph of two sentences, then one of one.
    let gaps: Vec<usize> = spans.windows(2).map(|w| w[1].0 - w[0].1).collect();
    assert_eq!(gaps, [44100, 22050, 30870]);
    check_subtitles(out, article, &cues(&spans, 0, 44100));
}

/// Writes a tone as a WAV in the given format, to stand in for a jingle.
fn jingle(path: &Path, spec: hound::WavSpec, seconds: f32, hz: f32) -> usize {
    let frames = (spec.sample_rate as f32 * seconds) as usize;
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..frames {
        let value = 0.8 * (std::f32::consts::TAU * hz * i as f32 / spec.sample_rate as f32).sin();
        for _ in 0..spec.channels {
            match spec.sample_format {
                hound::SampleFormat::Float => writer.write_sample(value).unwrap(),
                hound::SampleFormat::Int => {
                    let full = (1i64 << (spec.bits_per_sample - 1)) - 1;
                    writer
                        .write_sample((f64::from(value) * full as f64) as i32)
                        .unwrap();
                }
            }
        }
    }
    writer.finalize().unwrap();
    frames
}

/// The programme's title: "Bulletin" and the date its `bext` chunk gives.
fn programme_title(out: &Path) -> String {
    let bytes = std::fs::read(out.join("programme.wav")).unwrap();
    format!("Bulletin {}", field(&riff_chunks(&bytes)[1].1[320..330]))
}

/// Writes `intro.wav` (22.05 kHz stereo 16-bit), `sting.wav` (44.1 kHz
/// float) and `outro.wav` (96 kHz 24-bit) into `dir`, and returns their
/// lengths once at 48 kHz.
fn write_jingles(dir: &Path) -> Vec<usize> {
    let spec = |channels, sample_rate, bits_per_sample, sample_format| hound::WavSpec {
        channels,
        sample_rate,
        bits_per_sample,
        sample_format,
    };
    let clips = [
        (
            "intro.wav",
            spec(2, 22050, 16, hound::SampleFormat::Int),
            1.0,
        ),
        (
            "sting.wav",
            spec(1, 44100, 32, hound::SampleFormat::Float),
            0.5,
        ),
        (
            "outro.wav",
            spec(1, 96000, 24, hound::SampleFormat::Int),
            0.8,
        ),
    ];
    let mut lengths = Vec::new();
    for (name, spec, seconds) in clips {
        let frames = jingle(&dir.join(name), spec, seconds, 660.0);
        lengths.push((frames * 48000).div_ceil(spec.sample_rate as usize));
    }
    lengths
}

#[test]
fn programme_plays_intro_stings_and_outro_of_any_rate_around_the_articles() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    std::fs::copy(
        fixture("article_en_with_headline.txt"),
        inputs.join("a.txt"),
    )
    .unwrap();
    std::fs::copy(
        fixture("article_zh_with_headline_and_latin.txt"),
        inputs.join("b.txt"),
    )
    .unwrap();
    let lengths = write_jingles(dir.path());
    let [intro, sting, outro] = lengths[..] else {
        unreachable!()
    };

    let out = dir.path().join("out");
    let clip = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (intro_path, sting_path, outro_path) =
        (clip("intro.wav"), clip("sting.wav"), clip("outro.wav"));
    let manifest = render(
        &[&inputs],
        &out,
        &[
            "--programme",
            "--intro",
            &intro_path,
            "--sting",
            &sting_path,
            "--outro",
            &outro_path,
        ],
    );
    let programme = &manifest["programme"];
    let article_len = |i: usize| {
        let (_, samples) = read_wav(&out.join(articles(&manifest)[i]["file"].as_str().unwrap()));
        samples.len()
    };
    let (first, second) = (article_len(0), article_len(1));
    let starts: Vec<u64> = programme["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["start_sample"].as_u64().unwrap())
        .collect();
    assert_eq!(starts, [intro as u64, (intro + first + sting) as u64]);

    let title = programme_title(&out);
    let expect = Expect {
        rate: 48000,
        bits: 16,
        lufs: -23.0,
        title: &title,
    };
    let samples = check_wav(&out.join("programme.wav"), &expect, &programme["loudness"]);
    assert_eq!(samples.len(), intro + first + sting + second + outro);
    // The jingles are there: sound where they play.
    for range in [
        0..intro,
        intro + first..intro + first + sting,
        samples.len() - outro..samples.len(),
    ] {
        assert!(common::rms(&samples[range]) > 0.01);
    }
    let mut expected = Vec::new();
    for (article, start) in articles(&manifest).iter().zip(&starts) {
        expected.extend(cues(
            &spans(article),
            usize::try_from(*start).unwrap(),
            48000,
        ));
    }
    check_subtitles(&out, programme, &expected);
    assert!(files_in(&out).contains(&"playlist.m3u".to_string()));
}

#[test]
fn an_unreadable_clip_is_bad_input_found_before_synthesis() {
    let out = tempfile::tempdir().unwrap();
    let output = bulletin()
        .arg("render")
        .arg(fixture("article_en_with_headline.txt"))
        .arg("--out")
        .arg(out.path().join("never"))
        .args([
            "--programme",
            "--sting",
            "tests/fixtures/article_en_with_headline.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("article_en_with_headline.txt"), "{error}");
    assert!(!out.path().join("never").exists());
}

#[test]
fn audio_flags_are_checked() {
    let cases: [&[&str]; 5] = [
        &["--rate", "22050"],
        &["--bits", "8"],
        &["--pause-sentence", "350"],
        &["--intro", "x.wav"],
        &["--loudness", "3"],
    ];
    for args in cases {
        let output = bulletin()
            .arg("render")
            .arg(fixture("article_en_with_headline.txt"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let error = String::from_utf8_lossy(&output.stderr);
        assert!(error.contains(args[0]), "{args:?}: {error}");
    }
}
