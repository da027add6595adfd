//! `P`: the dashboard fields and notes sent to Vitally from the wizard.

use std::path::Path;

use crate::common::{CTRL_C, ENTER, Term, assert_clean_exit};
use crate::fake_vitally::{FakeVitally, KEY};
use handoff::handoff::FieldValue;
use handoff::{store, testdata};

/// A complete handoff for account `acme-corp` in a new directory.
fn acme() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let mut doc = testdata::complete_handoff();
    doc.set_value(
        "handoff",
        "vitally_account",
        Some(FieldValue::Text("acme-corp".into())),
    );
    let path = dir.path().join("acme-corp.toml");
    store::save(&path, &doc).expect("save");
    (dir, path)
}

fn wizard_for(dir: &Path, path: &Path, fake: &FakeVitally) -> Term {
    let url = fake.url();
    let config = dir.join("config.toml");
    let config = config.to_str().expect("path is text");
    crate::wizard(
        dir,
        path,
        &[
            ("VITALLY_BASE_URL", &url),
            ("VITALLY_API_KEY", KEY),
            ("HANDOFF_CONFIG", config),
            ("HANDOFF_USER", "Jane Doe"),
            ("HANDOFF_VITALLY_TIMEOUT_MS", "3000"),
            ("HANDOFF_VITALLY_BACKOFF_MS", "20"),
        ],
    )
}

/// Nothing the key was sent with keeps it: not the screen, not a file.
fn assert_no_key(dir: &Path, t: &Term) {
    assert!(!t.raw().contains(KEY), "the key reached the terminal");
    for entry in std::fs::read_dir(dir).expect("list") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(&path).expect("read")).into_owned();
            assert!(!text.contains(KEY), "the key is in {}", path.display());
        }
    }
}

#[test]
fn p_asks_then_pushes_and_the_file_records_what_vitally_has() {
    let (dir, path) = acme();
    let fake = FakeVitally::start();
    let mut t = wizard_for(dir.path(), &path, &fake);
    t.wait_for(crate::common::FIRST_STEP);
    t.send("\x1b8"); // the review page: letters are commands there
    t.wait_for("8 · Review and complete");
    t.send("P");
    t.wait_for("Send the dashboard fields and the notes to Vitally account acme-corp?");
    // Enter is not an answer: nothing is sent until y.
    t.send(ENTER);
    assert!(fake.requests().is_empty());
    t.send("y");
    t.wait_status("Pushed to Vitally: 14 traits set, 4 notes created, 0 updated");
    t.wait_for("Pushed to Vitally ");
    t.wait_for("(nothing changed since)");
    t.send(CTRL_C);
    assert_clean_exit(&mut t, &path);

    assert_eq!(fake.writes().len(), 5, "one PUT of the traits, four notes");
    let record = store::load(&path).expect("loads").handoff.vitally;
    assert_eq!(record.account_id, "acc-0001");
    assert_eq!(record.notes.len(), 4);
    assert!(record.notes.iter().all(|n| n.id.is_some()));
    assert_no_key(dir.path(), &t);
}

#[test]
fn a_push_refused_by_vitally_says_so_and_changes_nothing_in_the_file() {
    let (dir, path) = acme();
    let before = std::fs::read(&path).expect("read");
    let fake = FakeVitally::start();
    fake.fault_from(1, crate::fake_vitally::Fault::Status(401));
    let mut t = wizard_for(dir.path(), &path, &fake);
    t.wait_for(crate::common::FIRST_STEP);
    t.send("\x1b8");
    t.wait_for("8 · Review and complete");
    t.send("P");
    t.wait_for("Vitally account acme-corp?");
    t.send("y");
    t.wait_status("Push to Vitally: ");
    assert!(t.screen().contains("401"), "{}", t.dump());
    t.send(CTRL_C);
    assert_clean_exit(&mut t, &path);
    assert_eq!(std::fs::read(&path).expect("read"), before);
    assert_no_key(dir.path(), &t);
}

#[test]
fn without_an_account_p_says_where_to_give_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = crate::common::new_file(dir.path());
    let before = std::fs::read(&path).expect("read");
    let mut t = Term::spawn_program(
        dir.path(),
        env!("CARGO_BIN_EXE_handoff"),
        &["open", &path.display().to_string()],
        &[],
        crate::common::SIZE.0,
        crate::common::SIZE.1,
    );
    t.wait_for(crate::common::FIRST_STEP);
    t.send("\x1b8");
    t.wait_for("8 · Review and complete");
    t.send("P");
    t.wait_status("No Vitally account: fill in \"Vitally account\" on the Handoff step first");
    t.send(CTRL_C);
    assert_clean_exit(&mut t, &path);
    assert_eq!(std::fs::read(&path).expect("read"), before);
}
