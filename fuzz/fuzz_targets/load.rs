//! The loader on arbitrary bytes: it may refuse, never panic; what it accepts saves
//! and loads back the same.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.toml");
    if let Ok(loaded) = handoff::store::parse(path, text) {
        let _ = loaded.handoff.blockers();
        let _ = handoff::export::markdown(&loaded.handoff);
        let saved = handoff::store::to_toml(&loaded.handoff).expect("a loaded handoff saves");
        let again = handoff::store::parse(path, &saved).expect("a saved handoff loads");
        assert_eq!(again.handoff, loaded.handoff);
    }
});
