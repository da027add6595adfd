//! Punishment (issue 4): the wizard must never lose work. The built binary runs in a
//! pseudo-terminal (see `common`) and is killed at random (`kills`), signalled mid-edit
//! (`signals`), starved of disk and robbed of its directory (`disk`), resized without
//! mercy and fed odd Unicode and huge pastes (`terminal`), and confronted with every
//! kind of lock file (`locks`). Each test starts from `common::Fixture`: a new handoff
//! file in a temporary directory, and the wizard on it at 100×30. Every wait has a time
//! limit, so nothing here can hang.

#[path = "../common/mod.rs"]
mod common;

mod disk;
mod kills;
mod locks;
mod signals;
mod terminal;

use common::*;
use handoff::handoff::{FieldValue, Handoff};

/// A tiny xorshift64* generator: reproducible from its seed, no crates needed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

// The fields the tests edit, and the titles of their steps.
const UPGRADE: &str = "7 · Long-term upgrade strategy";
const ENGINEER: Field = Field::new("1", FIRST_STEP, 1, "Implementation engineer");
const INSTANCE_URL: Field = Field::new("2", DEPLOYMENT, 3, "Sourcegraph instance URL");
const INSTANCE_TYPES: Field = Field::new("2", DEPLOYMENT, 6, "Machine instance types");
const CURRENT_VERSION: Field = Field::new("7", UPGRADE, 0, "Current Sourcegraph");

/// A bracketed paste of `text` into whatever has the keyboard.
fn paste(t: &Term, text: &str) {
    let mut bytes = Vec::with_capacity(text.len() + 12);
    bytes.extend_from_slice(b"\x1b[200~");
    bytes.extend_from_slice(text.as_bytes());
    bytes.extend_from_slice(b"\x1b[201~");
    t.send_large(&bytes);
}

/// A long note: about `bytes` bytes of text over many lines.
fn long_note(bytes: usize) -> String {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < bytes {
        if n > 0 {
            text.push('\n');
        }
        text.push_str(&format!(
            "line {n:05}: the customer's runbook, copied in full for the TA"
        ));
        n += 1;
    }
    text
}

fn text_value(h: &Handoff, step: &str, field: &str) -> Option<String> {
    match h.value(step, field) {
        Some(FieldValue::Text(t)) => Some(t.clone()),
        other => panic!("{step}.{field}: expected text, found {other:?}"),
    }
}

/// The value of the field `CURRENT_VERSION` goes to.
fn current_version(h: &Handoff) -> Option<String> {
    text_value(h, "upgrade", "current_version")
}

/// q: a clean exit (see `Fixture::quit`), and the file holds `version` as the current
/// version.
fn quit_with_current_version(fx: &Fixture, t: &mut Term, version: &str) {
    fx.quit(t);
    assert_eq!(current_version(&fx.load()).as_deref(), Some(version));
}

/// The whole output's lines, without the terminal's carriage returns and empty lines.
fn output_lines(raw: &str) -> Vec<String> {
    raw.split('\n')
        .map(|l| l.trim_end_matches('\r').trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Waits for a wizard that must refuse to start: it exits with a failure. Returns all
/// it wrote.
fn wait_refused(t: &mut Term) -> String {
    let status = t.wait_exit(WAIT);
    assert!(!status.success(), "exit {status:?}");
    t.raw()
}

/// The one line a refusal wrote.
fn one_line(raw: &str) -> String {
    let mut lines = output_lines(raw);
    assert_eq!(lines.len(), 1, "one line: {lines:?}");
    lines.remove(0)
}
