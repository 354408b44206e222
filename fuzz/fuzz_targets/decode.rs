#![no_main]
//! Arbitrary bytes through encoding detection and strict decoding: an
//! error or text, never a panic.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = bulletin::ingest::decode::decode("fuzz", bytes, None);
});
