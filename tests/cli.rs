//! The command line: help, exit codes, and errors that name the problem.

mod common;

use common::{bulletin, files_in, fixture, refused};

#[test]
fn every_command_has_help_with_examples() {
    for command in ["render", "plan", "voices"] {
        let output = bulletin().args([command, "--help"]).output().unwrap();
        assert!(output.status.success());
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(
            help.contains("Examples:") && help.contains(&format!("bulletin {command}")),
            "{help}"
        );
    }
    let output = bulletin().arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("Exit codes:"));
}

#[test]
fn invalid_utf8_names_the_file_and_byte_offset_and_writes_nothing() {
    let error = refused(&[fixture("invalid_utf8.txt").as_os_str()]);
    assert!(
        error.contains("invalid_utf8.txt") && error.contains("byte offset 3"),
        "{error}"
    );
}

#[test]
fn empty_input_says_nothing_was_found() {
    let error = refused(&[fixture("whitespace_only.txt").as_os_str()]);
    assert!(
        error.contains("nothing was found to read") && error.contains("whitespace_only.txt"),
        "{error}"
    );
}

#[test]
fn missing_file_is_bad_input() {
    let output = bulletin()
        .args(["plan", "no/such/file.txt"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no/such/file.txt"));
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(
        bulletin().args(["render"]).output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(
        bulletin()
            .args(["render", "x.txt", "--jobs", "0"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    let output = bulletin()
        .args(["plan", "--voice", "nope"])
        .arg(fixture("article_en_with_headline.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no voice profile named \"nope\""));
}

#[test]
fn missing_espeak_program_says_how_to_install_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let empty_path = tempfile::tempdir().unwrap();
    let output = bulletin()
        .env("BULLETIN_ESPEAK_MODE", "process")
        .env("PATH", empty_path.path())
        .arg("render")
        .arg(fixture("article_en_with_headline.txt"))
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        error.contains("espeak-ng is not installed") && error.contains("apt-get install espeak-ng"),
        "{error}"
    );
    // Reported once: not again as its own cause.
    assert_eq!(error.matches("is not installed").count(), 1, "{error}");
    assert!(files_in(out.path()).is_empty());
}

#[test]
fn voices_lists_the_built_in_profiles_as_usable() {
    let output = bulletin().arg("voices").output().unwrap();
    assert!(output.status.success());
    let listing = String::from_utf8_lossy(&output.stdout);
    for name in ["zh-cn", "en-us"] {
        let line = listing
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {listing}"));
        assert!(line.ends_with("usable"), "{line}");
    }
}

#[test]
fn voices_folder_overrides_a_profile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("en-us.toml"),
        "engine = \"espeak-ng\"\nvoice = \"en-gb\"\nlanguage = \"en\"\n",
    )
    .unwrap();
    let output = bulletin()
        .arg("plan")
        .arg("--voices")
        .arg(dir.path())
        .arg("--json")
        .arg(fixture("article_en_with_headline.txt"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let output = bulletin()
        .arg("voices")
        .env("BULLETIN_VOICES", dir.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).contains("en-gb"));
}

#[test]
fn plan_listing_is_readable() {
    let output = bulletin()
        .arg("plan")
        .arg(fixture("article_en_with_headline.txt"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let listing = String::from_utf8_lossy(&output.stdout);
    assert!(
        listing.starts_with("Article 1: Storm hits the coast"),
        "{listing}"
    );
    assert!(
        listing.contains("says: Winds of one hundred twenty"),
        "{listing}"
    );
}
