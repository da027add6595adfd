//! The edges of plain mode: signals, locks, `view --plain`, `:edit`, and real
//! terminals that cannot (or should not) draw screens.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use handoff::handoff::FieldValue;
use handoff::store;
use rustix::process::Signal;

use crate::common::*;
use crate::{Live, run, run_env};

#[test]
fn a_signal_saves_what_was_answered_and_exits_cleanly() {
    for signal in [Signal::TERM, Signal::INT, Signal::HUP] {
        let dir = tempdir();
        let path = new_file(dir.path());
        let mut live = Live::start(
            dir.path(),
            &["open", "--plain", &path.display().to_string()],
        );
        live.wait_for("Handoff, 1 of 4: Customer (account) name.");
        live.type_line(":step 7");
        live.wait_for("Long-term upgrade strategy, 1 of 3:");
        live.type_line("6.4.1");
        live.wait_for("Saved: Current Sourcegraph version = 6.4.1");
        live.wait_for("Long-term upgrade strategy, 2 of 3:");
        // Nobody types now: the session waits on stdin, and the signal must end it.
        send_signal(live.child.id(), signal).expect("signal the session");
        let (status, out) = live.finish();
        assert!(status.success(), "{signal:?}: exit {status:?}\n{out}");
        assert!(
            out.contains("Stopped by a signal: everything answered is saved.\n"),
            "{signal:?}:\n{out}"
        );
        assert_eq!(
            load(&path).value("upgrade", "current_version"),
            Some(&FieldValue::Text("6.4.1".into()))
        );
        assert!(
            !store::lock_path(&path).exists(),
            "{signal:?}: the lock is left"
        );
    }
}

#[test]
fn a_locked_handoff_is_one_line_and_exit_1_without_a_terminal() {
    let fx = Fixture::new();
    // This test process holds the lock, as another editor would.
    let lock = store::Lock::acquire(&fx.path, "Sam").expect("lock");
    let ran = run(fx.dir(), &["open", &fx.file()], "Sam Rivera\n");
    assert_eq!(ran.status.code(), Some(1), "{}", ran.out);
    let line = format!(
        "handoff: {}: being edited by Sam@{} (pid ",
        fx.file(),
        store::hostname()
    );
    assert!(ran.err.starts_with(&line), "{}", ran.err);
    assert_eq!(ran.err.lines().count(), 1, "{}", ran.err);
    assert_eq!(fx.read(), fx.created, "the file is untouched");
    drop(lock);
}

#[test]
fn view_plain_prints_everything_and_never_locks_or_writes() {
    let dir = tempdir();
    let path = dir.path().join("acme-corp.toml");
    store::save(&path, &handoff::testdata::complete_handoff()).expect("save");
    let before = fs::read(&path).expect("read");
    // Holding the lock proves view never needs it.
    let _lock = store::Lock::acquire(&path, "Sam").expect("lock");
    let ran = run(dir.path(), &["view", "--plain", "acme-corp"], "");
    ran.assert_success();
    ran.assert_plain();
    assert!(
        ran.out
            .starts_with("Handoff: Acme Corp\nStatus: in progress, "),
        "{}",
        ran.out
    );
    ran.said("\nStep 2, Production deployment:\n");
    ran.said("  Total CPU (cores): 56\n");
    ran.said("  Notes log, 2 notes:\n");
    ran.said("Nothing blocks completion.\n");
    assert_eq!(fs::read(&path).expect("read"), before);
}

#[test]
fn edit_writes_a_long_text_in_the_editor_on_a_private_temporary_file() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let temp = dir.path().join("tmp");
    fs::create_dir(&temp).expect("a temporary directory");
    let seen = dir.path().join("seen");
    let editor = dir.path().join("editor.sh");
    fs::write(
        &editor,
        format!(
            "#!/bin/sh\nstat -c '%a %n' \"$1\" > '{}'\nprintf 'Written in the editor.\\nTwo lines.\\n' > \"$1\"\n",
            seen.display()
        ),
    )
    .expect("write the editor");
    fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).expect("chmod");
    let ran = run_env(
        dir.path(),
        &["open", "--plain", &path.display().to_string()],
        ":step 6\n:edit\n:quit\n",
        &[
            ("EDITOR", &editor.display().to_string()),
            ("TMPDIR", &temp.display().to_string()),
        ],
    );
    ran.assert_success();
    ran.said("Saved: Lessons learned = Written in the editor. … (2 lines)\n");
    assert_eq!(
        load(&path).value("lessons", "text"),
        Some(&FieldValue::Text(
            "Written in the editor.\nTwo lines.".into()
        ))
    );
    let seen = fs::read_to_string(&seen).expect("the editor ran");
    let (mode, file) = seen.trim().split_once(' ').expect("mode and name");
    assert_eq!(mode, "600", "only you can read the file: {seen}");
    assert!(file.starts_with(&temp.display().to_string()), "{seen}");
    assert!(
        fs::read_dir(&temp).expect("list").next().is_none(),
        "the temporary file is removed"
    );
}

#[test]
fn end_of_input_at_once_changes_nothing_and_exits_0() {
    let fx = Fixture::new();
    let ran = run(fx.dir(), &["open", &fx.file()], "");
    ran.assert_success();
    ran.assert_plain();
    ran.said("Handoff, 1 of 4: Customer (account) name. Required, text. Now: Acme Corp.\nSaved. ");
    assert_eq!(fx.read(), fx.created, "nothing answered, nothing written");
    assert!(!fx.lock_path().exists());
}

#[test]
fn a_file_that_is_not_there_is_exit_2_and_leaves_nothing_behind() {
    let dir = tempdir();
    for file in ["nope.toml", "no-such-dir/nope.toml"] {
        let ran = run(dir.path(), &["open", "--plain", file], "");
        assert_eq!(ran.status.code(), Some(2), "{file}: {}", ran.err);
        assert_eq!(ran.err.lines().count(), 1, "{}", ran.err);
        assert!(ran.err.contains("nope.toml"), "{}", ran.err);
    }
    assert_eq!(files_in(dir.path()), std::collections::BTreeSet::new());
}

/// Waits until everything the program wrote contains `text`.
fn wait_raw(t: &Term, text: &str) {
    let deadline = Instant::now() + WAIT;
    while !t.raw().contains(text) {
        assert!(Instant::now() < deadline, "no {text:?} in:\n{}", t.raw());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// In a real terminal that cannot draw (`TERM=dumb`), or whose user asked for
/// plain prompts (`ACCESSIBLE`), not one escape sequence is ever written.
#[test]
fn a_real_terminal_with_term_dumb_or_accessible_gets_no_escape_sequence() {
    for env in [[("TERM", "dumb")], [("ACCESSIBLE", "1")]] {
        let fx = Fixture::new();
        let mut t = fx.spawn_with_env(&env);
        wait_raw(&t, "Handoff, 1 of 4: Customer (account) name.");
        t.send("\n\n\n\n");
        wait_raw(&t, "Production deployment, 1 of 10:");
        t.send("https://docs.example.com/tdd\n\n");
        wait_raw(&t, "Saved: Technical Design Document links");
        t.send("2026-13-01\n");
        wait_raw(&t, "Not saved: 2026-13-01 is not a day in the calendar.");
        t.send("?\n");
        wait_raw(&t, "Implementation start date: The day work");
        t.send("2026-01-12\n:step 5\n\nd\n");
        wait_raw(&t, "Saved: Infrastructure complete: Production is done.");
        t.send(":quit\n");
        let status = t.wait_exit(WAIT);
        assert!(status.success(), "{env:?}: exit {status:?}\n{}", t.raw());
        let raw = t.raw();
        assert!(
            !raw.contains('\x1b'),
            "{env:?}: an escape sequence was written:\n{raw:?}"
        );
        let h = fx.load();
        assert!(h.value("deployment", "start_date").is_some(), "{env:?}");
        assert!(!fx.lock_path().exists(), "{env:?}");
    }
}
