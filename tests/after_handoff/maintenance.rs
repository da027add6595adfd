//! Maintenance after completion (issue 10, items 2 and 3): `handoff open` on a
//! completed handoff lets the TA change the code hosts and add notes, each change
//! recorded in the history, and refuses everything else with one line naming
//! `handoff reopen`.

use std::fs;

use handoff::handoff::{FieldValue, Status};
use handoff::store;
use handoff::testdata;

use super::*;

/// The note the TA adds.
const NOTE: &str = "Two new GitLab groups mirrored; watch gitserver disk.";

/// The one line a refused edit shows, on the status line.
const REFUSAL: &str = "Read-only: this handoff is complete: only the code hosts can be changed \
                       and notes added; `handoff reopen FILE` opens the rest again";

/// Total CPU (cores): the eighth field of step 2.
const TOTAL_CPU: Field = Field::new("2", DEPLOYMENT, 7, "Total CPU (cores)");

/// Jane completes the handoff in the wizard: review page, the button, "y".
fn complete_in_the_wizard(dir: &Path, path: &Path) {
    let mut t = spawn_as(dir, JANE, &["open", &path.display().to_string()], SIZE);
    t.wait_for(FIRST_STEP);
    go_to_step(&t, 8, "8 · Review and complete");
    t.wait_for("Nothing blocks completion");
    t.send(TAB);
    t.send(TAB);
    t.wait_for("▸  Complete handoff");
    t.send(ENTER);
    t.wait_for("y yes");
    t.send("y");
    t.wait_until("\"complete\" in the header", |s| {
        header_row(s).contains("· complete ·")
    });
    t.wait_saved();
    t.send(CTRL_C);
    assert_clean_exit(&mut t, path);
}

#[test]
fn a_the_ta_changes_the_repository_count_and_adds_a_note_and_nothing_else_changes() {
    let dir = tempdir();
    let path = write(dir.path(), &testdata::complete_handoff());
    let file = path.display().to_string();
    complete_in_the_wizard(dir.path(), &path);
    let before = load(&path);
    assert_eq!(before.status, Status::Complete);
    assert_eq!(before.completed_by.as_deref(), Some(JANE));
    assert!(before.history.is_empty(), "{:?}", before.history);

    let mut t = spawn_as(dir.path(), SAM, &["open", &file], SIZE);
    t.wait_until("the handoff, complete, open for maintenance", |s| {
        header_row(s).contains("· complete ·") && !header_row(s).contains("READ-ONLY")
    });
    assert!(
        store::lock_path(&path).exists(),
        "maintenance holds the lock"
    );

    // The repository count: a code-host field, open to the TA.
    go_to_step(&t, 3, "3 · Code hosts");
    t.send(TAB);
    t.wait_focus("Number of repositories");
    replace_value(&t, "1500");
    t.wait_value("1500");
    t.wait_until(
        "\"complete · maintained by Sam Rivera\" in the header",
        |s| header_row(s).contains("· complete · maintained by Sam Rivera ·"),
    );
    t.wait_saved();

    // A note, category Risk.
    NOTES_LOG.focus(&t);
    t.send("a");
    t.wait_for("New note: category");
    t.send(&DOWN.repeat(4));
    t.wait_selected("Risk");
    t.send(ENTER);
    t.wait_for("New note — Risk");
    t.send(NOTE);
    t.wait_for(NOTE);
    t.send(TAB);
    t.wait_gone("New note — Risk");
    t.wait_for("3 entries");
    t.wait_saved();
    t.send(CTRL_C);
    assert_clean_exit(&mut t, &path);

    let after = load(&path);
    // The history: one entry for the field, one for the note, both Sam's.
    let new = &after.history[before.history.len()..];
    assert_eq!(new.len(), 2, "{new:#?}");
    let repositories: Vec<_> = new
        .iter()
        .filter(|c| c.field == "code_hosts.repositories")
        .collect();
    assert_eq!(repositories.len(), 1, "{new:#?}");
    let change = repositories[0];
    assert_eq!(change.by, SAM);
    assert_eq!(change.old, Some(FieldValue::Integer(1200)));
    assert_eq!(change.new, Some(FieldValue::Integer(1500)));
    assert_eq!(change.source, None, "typed, not filled");
    let noted = new.iter().find(|c| c.field == "note").expect("the note");
    assert_eq!(noted.by, SAM);
    assert_eq!(
        noted.new,
        Some(FieldValue::Text(format!("risk: {NOTE}"))),
        "the history names the note's category and first line"
    );
    assert!(change.at <= noted.at, "in the order made");

    let note = after.notes_log.last().expect("the new note");
    assert_eq!(
        (
            note.author.as_str(),
            note.category.as_str(),
            note.text.as_str()
        ),
        (SAM, "risk", NOTE)
    );
    assert_eq!(note.created_at, noted.at);

    // Completion stays as it was: maintenance never changes who completed it.
    assert_eq!(after.status, Status::Complete);
    assert_eq!(after.completed_by, before.completed_by);
    assert_eq!(after.completed_at, before.completed_at);
    assert_eq!(after.maintained_by(), Some((SAM, noted.at)));

    // Nothing else changed: take the three changes away and the rest is as it was.
    let mut rest = after.clone();
    rest.set_value(
        "code_hosts",
        "repositories",
        Some(FieldValue::Integer(1200)),
    );
    rest.notes_log.pop();
    rest.history.truncate(before.history.len());
    assert_eq!(rest.updated_at, noted.at, "updated when the note was added");
    rest.updated_at = before.updated_at;
    assert_eq!(
        rest, before,
        "only the repository count and the note changed"
    );

    // The commands agree: still complete, listed as maintained.
    let check = run_plain(dir.path(), &["check", &file]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    assert_eq!(
        text(&check.stdout),
        format!("{file}: complete, 29 of 29 done\n")
    );
    let list = run_plain(dir.path(), &["list"]);
    assert!(list.status.success(), "{}", text(&list.stderr));
    let day = handoff::handoff::time::local(noted.at).format("%Y-%m-%d");
    assert!(
        text(&list.stdout).contains(&format!("complete · maintained {day}")),
        "{}",
        text(&list.stdout)
    );
}

/// Waits for the refusal of a closed field, exactly, with no editor open.
fn wait_refused(t: &Term) {
    t.wait_refusal(true);
    t.wait_until(&format!("the status line {REFUSAL:?}"), |s| {
        status_text(s) == REFUSAL
    });
    assert!(!t.screen().contains("Enter done"), "{}", t.dump());
}

/// Tab away and back: the refusal clears, the field has the marker again.
fn clear_refusal(t: &Term) {
    t.send(TAB);
    t.wait_refusal(false);
    t.send(SHIFT_TAB);
    t.wait_focus(TOTAL_CPU.label);
}

#[test]
fn b_a_deployment_field_refuses_with_one_line_naming_reopen_and_nothing_is_written() {
    let dir = tempdir();
    let path = write(dir.path(), &completed());
    let before = fs::read(&path).expect("read the handoff");
    let mut t = spawn_as(
        dir.path(),
        SAM,
        &["open", &path.display().to_string()],
        SIZE,
    );
    t.wait_until("the handoff, complete, open for maintenance", |s| {
        header_row(s).contains("· complete ·") && !header_row(s).contains("READ-ONLY")
    });
    TOTAL_CPU.focus(&t);
    t.wait_value("56");

    // Enter, which edits an open field.
    t.send(ENTER);
    wait_refused(&t);
    clear_refusal(&t);
    // Letters, commands elsewhere (add, delete, quit) or not: typing, refused.
    for key in ["a", "d", "q", "x", "7"] {
        t.send(key);
        wait_refused(&t);
        clear_refusal(&t);
    }
    // A paste, which on an open field starts editing with the pasted text.
    t.send("\x1b[200~64\x1b[201~");
    wait_refused(&t);
    clear_refusal(&t);
    // No editor opened, and the value stays.
    t.send(TAB);
    t.wait_refusal(false);
    t.send(SHIFT_TAB);
    t.wait_focus(TOTAL_CPU.label);
    t.wait_value("56");
    assert!(!t.screen().contains("Enter done"), "{}", t.dump());

    t.send(CTRL_C);
    assert_clean_exit(&mut t, &path);
    assert_eq!(
        fs::read(&path).expect("read the handoff"),
        before,
        "a refused edit writes nothing"
    );
}
