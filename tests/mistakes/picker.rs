//! Item 1: the picker never moves the selection to another customer behind the
//! user's back, says who is editing what, lines its columns up whatever the
//! script, and filters as you type. Item 8 from the picker: a directory where no
//! lock can be made still lets the handoff picked be viewed.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use handoff::handoff::{Handoff, now};
use handoff::store::{self, LockHolder};
use handoff::tui::text::width;

use super::*;

/// Three handoffs whose names take one, two (CJK) and two-plus-one (emoji)
/// columns a character; returns the directory.
fn three_customers() -> tempfile::TempDir {
    let dir = tempdir();
    for customer in ["Acme Corp", "Globex 株式会社", "🚀 Rocket Labs"] {
        let path = dir.path().join(format!("{}.toml", store::slug(customer)));
        store::create(&path, &Handoff::new(customer, "Jane Doe", "Sam", now()))
            .expect("create a handoff");
    }
    dir
}

/// Sam has `file` open on his laptop: the lock another machine's `handoff open`
/// leaves (a lock of this machine's is checked against its process).
fn sam_edits(dir: &Path, file: &str) -> String {
    let holder = LockHolder {
        user: "Sam".into(),
        host: "laptop-of-sam".into(),
        pid: 4242,
        since: now(),
    };
    let lock = toml::to_string(&holder).expect("a lock as TOML");
    fs::write(store::lock_path(&dir.join(file)), &lock).expect("write the lock");
    lock
}

/// The screen's row that contains `needle`.
fn row_with(t: &Term, needle: &str) -> String {
    t.with_screen(|s| {
        let rows = s.size().0.get();
        (0..rows)
            .map(|r| screen_row(s, r))
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no row with {needle:?}\n{}", s.contents()))
    })
}

/// What `line` shows from display column `col` on (`None` when `col` falls
/// inside a wide character or past the end).
fn from_column(line: &str, col: usize) -> Option<&str> {
    let mut used = 0;
    for (at, c) in line.char_indices() {
        if used == col {
            return Some(&line[at..]);
        }
        used += width(&c.to_string());
        if used > col {
            return None;
        }
    }
    None
}

/// The display column at which `needle` starts in `line`.
fn column(line: &str, needle: &str) -> usize {
    let at = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"));
    width(&line[..at])
}

/// `v`: the wizard opens read-only on `customer` (its header says so), and
/// Ctrl-C leaves it cleanly.
fn view_and_leave(t: &mut Term, customer: &str) {
    t.send("v");
    t.wait_for("READ-ONLY");
    t.wait_until(&format!("{customer} in the wizard's header"), |s| {
        header_row(s).contains(&format!("{customer} · in progress"))
    });
    t.send(CTRL_C);
    wait_clean_exit(t);
}

#[test]
fn a_handoff_someone_edits_is_refused_and_v_views_that_same_customer() {
    let dir = three_customers();
    let globex = dir.path().join("globex-株式会社.toml");
    let before = fs::read(&globex).expect("read Globex");
    let lock = sam_edits(dir.path(), "globex-株式会社.toml");

    let mut t = spawn(dir.path(), &[], &[], SMALL);
    t.wait_for("Pick a handoff");
    t.wait_for("EDITING");
    assert!(
        row_with(&t, "Globex").contains("🔒 Sam"),
        "the lock is on Globex's row\n{}",
        t.dump()
    );
    t.send(DOWN);
    t.wait_selected("Globex");
    // The line under the list says who, where and since when.
    t.wait_for("Sam@laptop-of-sam (pid 4242");

    t.send(ENTER);
    t.wait_for("is being edited by Sam@laptop-of-sam");
    // The wrong keys by accident: Enter again, and a letter the picker does not
    // know. The selection has not moved.
    t.send(ENTER);
    t.send("x");
    t.wait_for("press v to view it read-only");
    t.wait_selected("Globex");
    assert!(
        !t.with_screen(highlighted)
            .iter()
            .any(|h| h.contains("Acme Corp")),
        "the refusal moved the selection back to the first row\n{}",
        t.dump()
    );

    view_and_leave(&mut t, "Globex 株式会社");
    assert_eq!(
        fs::read(&globex).expect("read Globex"),
        before,
        "viewing never writes"
    );
    assert_eq!(
        fs::read_to_string(store::lock_path(&globex)).expect("Sam's lock"),
        lock,
        "Sam's lock is left alone"
    );
}

#[test]
fn the_filter_narrows_as_you_type_keeps_the_selection_and_esc_clears_it() {
    let dir = three_customers();
    let files = files_in(dir.path());
    let mut t = spawn(dir.path(), &[], &[], SMALL);
    t.wait_for("🚀 Rocket Labs");
    t.wait_for("/ filter");
    // The columns line up by display width: CJK and emoji take two columns.
    for heading in ["STATUS", "PROGRESS", "UPDATED"] {
        let at = column(&row_with(&t, heading), heading);
        for customer in ["Acme Corp", "Globex 株式会社", "🚀 Rocket Labs"] {
            let row = row_with(&t, customer);
            let starts = from_column(&row, at).is_some_and(|cell| !cell.starts_with(' '))
                && from_column(&row, at - 1).is_some_and(|gap| gap.starts_with(' '));
            assert!(
                starts,
                "{customer}'s {heading} does not start under its heading: {row:?}\n{}",
                t.dump()
            );
        }
    }

    t.send("/");
    t.wait_for("type to filter");
    // `q` quits the list; here it is typed, and nothing has that in its name.
    t.send("q");
    t.wait_for("Nothing matches “q”");
    t.send(BACKSPACE);
    t.wait_for("3 of 3 shown");
    t.send("ROCK");
    t.wait_for("1 of 3 shown");
    t.wait_gone("Acme Corp");
    t.wait_selected("Rocket Labs");
    t.send(ESC);
    t.wait_for("Acme Corp");
    t.wait_gone("shown");
    t.wait_selected("Rocket Labs");
    // The first Esc cleared the filter; the second quits, as it did before.
    t.send(ESC);
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "{status:?}\n{}", t.dump());
    assert_eq!(files_in(dir.path()), files, "nothing was created or locked");

    // Enter opens the match that is selected.
    let mut t = spawn(dir.path(), &[], &[], SMALL);
    t.wait_for("Pick a handoff");
    t.send("/株");
    t.wait_for("1 of 3 shown");
    t.send(ENTER);
    t.wait_until("Globex in the wizard's header", |s| {
        header_row(s).contains("Globex 株式会社 · in progress")
    });
    t.send(CTRL_C);
    wait_clean_exit(&mut t);
}

/// `chattr +i`: nothing can be created in `dir`, not even by root, until dropped.
struct Immutable<'a>(&'a Path);

impl<'a> Immutable<'a> {
    fn set(dir: &'a Path) -> Immutable<'a> {
        let out = std::process::Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .output()
            .expect("run chattr (the fault tests need root, as CI has)");
        assert!(out.status.success(), "chattr +i: {}", text(&out.stderr));
        Immutable(dir)
    }
}

impl Drop for Immutable<'_> {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(self.0)
            .status();
    }
}

/// Three customers in a directory made read-only, and Enter on the third:
/// refused, with what can be done instead.
fn rocket_labs_refused(dir: &Path) -> (BTreeSet<String>, Immutable<'_>, Term) {
    let files = files_in(dir);
    let frozen = Immutable::set(dir);
    let t = spawn(dir, &[], &[], SMALL);
    t.wait_for("Pick a handoff");
    t.send(&format!("{DOWN}{DOWN}"));
    t.wait_selected("Rocket Labs");
    t.send(ENTER);
    t.wait_for("cannot be locked for editing");
    t.wait_for("v views it read-only");
    t.wait_for("e edits it without saving");
    (files, frozen, t)
}

#[test]
fn in_a_read_only_directory_the_picker_says_why_and_v_views_the_same_customer() {
    let dir = three_customers();
    let (files, frozen, mut t) = rocket_labs_refused(dir.path());
    view_and_leave(&mut t, "🚀 Rocket Labs");
    drop(frozen);
    assert_eq!(files_in(dir.path()), files, "no lock, no copy, nothing new");
}

#[test]
fn in_a_read_only_directory_e_edits_the_same_customer_without_saving() {
    let dir = three_customers();
    let (files, frozen, mut t) = rocket_labs_refused(dir.path());
    t.send("e");
    t.wait_for("NOT SAVED");
    t.wait_until("Rocket Labs in the wizard's header", |s| {
        header_row(s).contains("🚀 Rocket Labs · in progress")
    });
    assert!(!t.screen().contains("READ-ONLY"), "{}", t.dump());
    // A change is kept on screen, not saved; quitting warns once, then means it.
    t.send(&format!("x{ENTER}"));
    t.wait_for("Rocket Labsx");
    t.send(CTRL_C);
    t.wait_for("Press Ctrl-C again");
    t.send(CTRL_C);
    let status = t.wait_exit(crate::common::WAIT);
    assert_eq!(status.exit_code(), 1, "{}", t.dump());
    assert!(
        t.screen().contains("changes were not saved"),
        "{}",
        t.dump()
    );
    drop(frozen);
    assert_eq!(files_in(dir.path()), files, "no lock, no copy, nothing new");
}
