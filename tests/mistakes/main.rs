//! What a careful user hit (issue 9), in a real pseudo-terminal: the built binary
//! runs under portable-pty and vt100 reads its screen (see `common`). Each test
//! presses the keys a person would, the wrong ones too, mostly on a small 80×24
//! terminal, and checks what that person cares about: which customer opened, what
//! the file holds afterwards, who is recorded, where the cursor is.
//!
//! - `picker`: the selection stays on a refused handoff, locks are shown, `/` filters
//!   (item 1); in a read-only directory `v` views the customer picked (item 8)
//! - `typing`: stray letters on a text field are text, Ctrl-U, `o` asks first (item
//!   2), the terminal's cursor in the field being edited (item 17)
//! - `identity`: `--as`, `HANDOFF_USER`, the config, git; asked once, never
//!   "unknown" (item 3)
//! - `values`: a deleted note's text is gone (4), duplicate environments (5), $EDITOR
//!   (9), numbers (10), every bad list entry (11), far-off dates
//! - `screens`: Tab on an invalid last field, PgUp back to the field left (12),
//!   wording (14), layout at 120 columns (15)

#[path = "../common/mod.rs"]
mod common;

mod identity;
mod picker;
mod screens;
mod typing;
mod values;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use handoff::handoff::{FieldValue, Handoff};

/// The small terminal most of these tests run in.
const SMALL: (u16, u16) = (80, 24);

const CHECKLIST: &str = "5 · Closeout checklist";

const VITALLY_ACCOUNT: Field = Field::new("1", FIRST_STEP, 3, "Vitally account");
const TDD_LINKS: Field = Field::new("2", DEPLOYMENT, 0, "Technical Design Document links");
const START_DATE: Field = Field::new("2", DEPLOYMENT, 1, "Implementation start date");
const TOTAL_CPU: Field = Field::new("2", DEPLOYMENT, 7, "Total CPU");
const TOTAL_MEMORY: Field = Field::new("2", DEPLOYMENT, 8, "Total memory");
const TOTAL_DISK: Field = Field::new("2", DEPLOYMENT, 9, "Total disk space");
const ENVIRONMENTS: Field = Field::new("5", CHECKLIST, 0, "Customer environments");
const CHECKLIST_ITEMS: Field = Field::new("5", CHECKLIST, 1, "Closeout items");

/// `handoff ARGS` in `dir`, in a terminal of `size`, with `env` added.
fn spawn(dir: &Path, args: &[&str], env: &[(&str, &str)], size: (u16, u16)) -> Term {
    Term::spawn_program(
        dir,
        env!("CARGO_BIN_EXE_handoff"),
        args,
        env,
        size.0,
        size.1,
    )
}

/// `handoff open FILE` on the fixture at 80×24, on its first step.
fn open_small(fx: &Fixture) -> Term {
    let t = spawn(fx.dir(), &["open", &fx.file()], &[], SMALL);
    t.wait_for(FIRST_STEP);
    t
}

/// The lines one version of a file has that the other has not, each way:
/// (only before, only after).
fn changed_lines(before: &[u8], after: &[u8]) -> (Vec<String>, Vec<String>) {
    let count = |bytes: &[u8]| {
        let mut lines: BTreeMap<String, i64> = BTreeMap::new();
        for line in text(bytes).lines() {
            *lines.entry(line.to_string()).or_default() += 1;
        }
        lines
    };
    let (old, new) = (count(before), count(after));
    let only = |a: &BTreeMap<String, i64>, b: &BTreeMap<String, i64>| -> Vec<String> {
        a.iter()
            .filter(|(line, n)| **n > b.get(*line).copied().unwrap_or(0))
            .map(|(line, _)| line.clone())
            .collect()
    };
    (only(&old, &new), only(&new, &old))
}

/// Whether a changed line is only the file's own time of change.
fn is_updated_at(line: &str) -> bool {
    line.starts_with("updated_at = ")
}

fn text_value(h: &Handoff, step: &str, field: &str) -> Option<String> {
    match h.value(step, field) {
        Some(FieldValue::Text(t)) => Some(t.clone()),
        None => None,
        other => panic!("{step}.{field}: expected text, found {other:?}"),
    }
}

/// A new note with `text`, committed with Tab.
fn add_note(t: &Term, text: &str) {
    open_new_note(t);
    t.send(text);
    t.wait_for(text);
    t.send(TAB);
    t.wait_gone("Tab done");
}
