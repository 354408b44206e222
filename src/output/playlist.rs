//! The `.m3u` playlist of a render's article files, in reading order, for
//! players and playout systems that take a list.

use std::fmt::Write;

/// One file of the playlist.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry<'a> {
    /// The file name, relative to the playlist.
    pub file: &'a str,
    /// Its length in seconds.
    pub duration_s: f64,
    /// What a player shows.
    pub title: &'a str,
}

/// An extended M3U playlist: `#EXTM3U`, then `#EXTINF` and the file name
/// of each entry.
pub fn m3u(entries: &[Entry<'_>]) -> String {
    let mut out = String::from("#EXTM3U\n");
    for entry in entries {
        let title = entry.title.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = write!(
            out,
            "#EXTINF:{},{title}\n{}\n",
            entry.duration_s.round() as u64,
            entry.file
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_files_in_order_with_rounded_lengths() {
        let entries = [
            Entry {
                file: "01-storm.wav",
                duration_s: 61.6,
                title: "Storm\nhits",
            },
            Entry {
                file: "02-liao-yuan.wav",
                duration_s: 12.2,
                title: "辽源",
            },
        ];
        assert_eq!(
            m3u(&entries),
            "#EXTM3U\n#EXTINF:62,Storm hits\n01-storm.wav\n#EXTINF:12,辽源\n02-liao-yuan.wav\n"
        );
    }
}
