//! The SSH input decoder on any bytes, fed in chunks the input chooses: never a panic, and the
//! bytes kept pending stay bounded.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sansang::ssh::input::Decoder;

fuzz_target!(|data: &[u8]| {
    let mut d = Decoder::default();
    let split = data.first().map_or(1, |b| (*b as usize % 16) + 1);
    for chunk in data.chunks(split) {
        let _ = d.feed(chunk);
        if d.waiting() && chunk.len() % 3 == 0 {
            let _ = d.timeout();
        }
    }
    let _ = d.timeout();
    assert!(!d.waiting());
});
