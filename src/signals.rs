//! The signals that ask the program to stop: SIGTERM (a `kill`), SIGHUP (the
//! terminal closed) and SIGINT (Ctrl-C), watched the same way by the wizard and
//! by plain mode. (Their tests send real signals to the program:
//! `tests/faults/signals.rs`, `tests/plain/edges.rs`.)

use std::io;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

/// What the watch holds after a hang-up; also what a vanished terminal counts as.
pub const HANG_UP: usize = SIGHUP as usize;

/// Starts watching for SIGTERM, SIGHUP and SIGINT. The value returned holds the
/// number of the last of them received, 0 while none has come.
pub fn watch_stop() -> Result<Arc<AtomicUsize>, String> {
    let stop = Arc::new(AtomicUsize::new(0));
    for signal in [SIGTERM, SIGHUP, SIGINT] {
        let value = usize::try_from(signal).unwrap_or(HANG_UP);
        signal_hook::flag::register_usize(signal, Arc::clone(&stop), value)
            .map_err(cannot_watch)?;
    }
    Ok(stop)
}

/// The one line for a signal that cannot be watched.
pub fn cannot_watch(e: io::Error) -> String {
    format!("cannot watch for signals: {e}")
}
