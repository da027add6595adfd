//! The loader on arbitrary bytes: it may refuse, never panic; what it accepts saves
//! and loads back the same; and the shortcut that reads the notes log apart agrees
//! with the ordinary read, result for result and error for error.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.toml");
    let whole = handoff::store::parse(path, text);
    let split = handoff::store::parse_split(path, text.to_string()).and_then(|(mut loaded, pending)| {
        pending.parse_into(&mut loaded)?;
        Ok(loaded)
    });
    match (&whole, &split) {
        (Ok(a), Ok(b)) => assert_eq!(a.handoff, b.handoff),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("the two reads disagree: {:?} vs {:?}", whole.is_ok(), split.is_ok()),
    }
    if let Ok(loaded) = whole {
        let _ = loaded.handoff.blockers();
        let _ = handoff::export::markdown(&loaded.handoff);
        let saved = handoff::store::to_toml(&loaded.handoff).expect("a loaded handoff saves");
        let again = handoff::store::parse(path, &saved).expect("a saved handoff loads");
        assert_eq!(again.handoff, loaded.handoff);
    }
});
