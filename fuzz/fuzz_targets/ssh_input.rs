//! The SSH input decoder on any bytes, fed in chunks the input chooses: never a panic, and after
//! a timeout nothing is left waiting but an unfinished bracketed paste (bounded by MAX_PENDING).
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
    // Each timeout settles at least the pending Esc (a later lone Esc then waits for its own).
    let paste = data.windows(6).any(|w| w == b"\x1b[200~");
    for _ in 0..=data.len() {
        if !d.waiting() || paste {
            break;
        }
        let _ = d.timeout();
    }
    assert!(!d.waiting() || paste);
});
