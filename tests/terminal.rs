//! The wizard in a real pseudo-terminal: the built binary runs under portable-pty,
//! its output is parsed by vt100, and every key waits for the screen it should produce.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use handoff::handoff::{FieldValue, Status};
use handoff::{store, testdata};
use rustix::process::Signal;

/// The first field of step 2.
const TDD_LINKS: Field = Field::new(
    "2",
    "2 · Production deployment",
    0,
    "Technical Design Document links",
);

/// `handoff new` for Acme Corp in a new directory at 100×30, on its first step: the
/// directory, the file `new` made there, and the wizard.
fn new_handoff() -> (tempfile::TempDir, PathBuf, Term) {
    let dir = tempdir();
    let path = dir.path().join("acme-corp.toml");
    let t = Term::spawn(dir.path(), NEW_ACME, SIZE.0, SIZE.1);
    t.wait_for(FIRST_STEP);
    (dir, path, t)
}

/// `new_handoff` with a start date typed but not confirmed: what a signal or a closed
/// terminal must not lose.
fn new_handoff_with_a_start_date_typed() -> (tempfile::TempDir, PathBuf, Term) {
    let (dir, path, t) = new_handoff();
    t.send(PG_DN);
    t.wait_for("2 · Production deployment");
    t.send(TAB);
    t.wait_focus("Implementation start date");
    t.send(ENTER);
    t.wait_for("Enter done");
    t.send("2026-01-12");
    t.wait_for("2026-01-12");
    (dir, path, t)
}

/// The date typed by `new_handoff_with_a_start_date_typed` is in the file, and the lock
/// was released.
fn assert_start_date_saved(path: &Path) {
    let saved = fs::read_to_string(path).expect("read the file");
    assert!(
        saved.contains("start_date = 2026-01-12"),
        "the typed date was not saved:\n{saved}"
    );
    assert!(!store::lock_path(path).exists(), "the lock is left behind");
}

// ---------------------------------------------------------------- the tests

#[test]
fn a_complete_handoff_with_keys_only() {
    let (dir, path, mut t) = new_handoff();
    t.wait_focus("Customer (account) name");
    assert!(path.is_file(), "`new` created the file before the wizard");

    // 2 · Production deployment
    t.send(PG_DN);
    t.wait_for("2 · Production deployment");
    t.wait_focus("Technical Design Document links");
    edit_field_shown(
        &t,
        "https://docs.example.com/tdd",
        "• https://docs.example.com/tdd",
    );
    tab_and_edit_each(
        &t,
        &[
            ("Implementation start date", "2026-01-12"),
            ("Implementation completion date", "2026-02-27"),
            ("Sourcegraph instance URL", "https://sg.acme.example"),
        ],
    );
    t.send(TAB);
    t.wait_focus("Deployment type");
    pick_first(&t, "Kubernetes (Helm)");
    t.send(TAB);
    t.wait_focus("Infrastructure hosting provider");
    pick_first(&t, "AWS");
    t.send(TAB);
    t.wait_focus("Machine instance types");
    t.send("a");
    t.wait_for("Enter done");
    t.send("m6a.4xlarge x3");
    t.wait_for("m6a.4xlarge x3");
    t.send(ENTER);
    t.wait_gone("Enter done");
    t.wait_value("• m6a.4xlarge x3");
    tab_and_edit_each(
        &t,
        &[
            ("Total CPU (cores)", "48"),
            ("Total memory (GB)", "192"),
            ("Total disk space (GB)", "2000"),
        ],
    );

    // 3 · Code hosts
    t.send(PG_DN);
    t.wait_for("3 · Code hosts");
    t.wait_focus("Code hosts in use");
    t.send(ENTER);
    t.wait_for("Space tick");
    t.wait_for("[ ] GitHub.com");
    t.send(SPACE);
    t.wait_for("[x] GitHub.com");
    t.send(ENTER);
    t.wait_gone("Space tick");
    t.wait_value("GitHub.com");
    tab_and_edit_each(
        &t,
        &[
            ("Number of repositories", "1200"),
            ("Number of monorepos", "3"),
            ("Largest repository (MB)", "4500"),
        ],
    );

    // 4 · Implementation notes
    t.send(PG_DN);
    t.wait_for("4 · Implementation notes");
    t.wait_focus("Agreed upper limit of users");
    edit_field(&t, "800");
    tab_and_edit(&t, "Agreed upper limit of concurrent users", "150");
    tab_and_edit(&t, "Agreed upper limit of repositories", "2000");
    t.send(TAB);
    t.wait_focus("Notes log");
    t.send("a");
    t.wait_for("New note: category");
    t.wait_selected("Upper limits");
    t.send(ENTER);
    t.wait_for("New note — Upper limits");
    t.wait_for("Tab done");
    t.send("800 users agreed");
    t.wait_for("800 users agreed");
    t.send(ENTER);
    t.send("150 at peak");
    t.wait_for("150 at peak");
    t.wait_for("New note — Upper limits");
    t.send(TAB);
    t.wait_for("Note added");
    t.wait_for("Notes log  1 entry");

    // 5 · Closeout checklist
    t.send(PG_DN);
    t.wait_for("5 · Closeout checklist");
    t.wait_focus("Customer environments");
    t.wait_value("• Production");
    t.send(TAB);
    t.wait_focus("Closeout items");
    let items = [
        "Infrastructure complete",
        "Sourcegraph deployed",
        "Code host connections",
        "Repositories syncing",
        "Search indexing",
        "General site configuration",
    ];
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            t.send(DOWN);
        }
        t.wait_selected(item);
        t.send(SPACE);
        t.wait_for(&format!("{} of 6 settled", n + 1));
    }
    assert_eq!(t.screen().matches("[x] ").count(), 6, "{}", t.dump());

    // 8 · Review and complete
    t.send("8");
    t.wait_for("8 · Review and complete");
    t.wait_for("Nothing blocks completion");
    t.wait_for("Tab blockers");
    t.send(TAB);
    t.wait_gone("Tab blockers");
    t.send(TAB);
    t.wait_for("▸  Complete handoff");
    t.send(ENTER);
    t.wait_for("Mark this handoff complete?");
    t.send("y");
    t.wait_for("Handoff complete");
    t.wait_for("· complete ·");
    t.send(CTRL_C);
    let raw = wait_clean_exit(&mut t);
    let h = load(&path);
    let (done, total) = h.progress();
    let summary = format!("{}: complete, {done} of {total} done", path.display());
    let after = after_alt_screen(&raw);
    assert!(after.contains(&summary), "{summary:?} not in {after:?}");

    let check = run_plain(dir.path(), &["check", &path.display().to_string()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "check: {}{}",
        text(&check.stdout),
        text(&check.stderr)
    );
    assert_eq!(h.status, Status::Complete);
    assert_eq!(done, total);
    assert_eq!(
        h.value("deployment", "instance_url"),
        Some(&FieldValue::Text("https://sg.acme.example".into()))
    );
    assert_eq!(
        h.value("deployment", "total_cpu"),
        Some(&FieldValue::Number(48.0))
    );
    assert_eq!(
        h.value("deployment", "instance_types"),
        Some(&FieldValue::List(vec!["m6a.4xlarge x3".into()]))
    );
    assert_eq!(
        h.value("code_hosts", "hosts"),
        Some(&FieldValue::List(vec!["GitHub.com".into()]))
    );
    assert_eq!(
        h.value("code_hosts", "monorepos"),
        Some(&FieldValue::Integer(3))
    );
    let notes: Vec<&str> = h.notes_log.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(notes, ["800 users agreed\n150 at peak"]);
    assert!(!store::lock_path(&path).exists(), "the lock is released");
}

#[test]
fn b_quit_in_the_middle_and_resume_where_left() {
    let (dir, path, mut t) = new_handoff();
    TDD_LINKS.focus(&t);
    tab_and_edit(&t, "Implementation start date", "2026-01-12");
    t.send(TAB);
    t.wait_focus("Implementation completion date");
    tab_and_edit(&t, "Sourcegraph instance URL", "https://sg.acme.example");
    t.send(TAB);
    t.wait_focus("Deployment type");
    t.send(CTRL_C);
    wait_clean_exit(&mut t);

    let h = load(&path);
    assert_eq!(
        h.value("deployment", "start_date"),
        Some(&FieldValue::Date(
            chrono::NaiveDate::from_ymd_opt(2026, 1, 12).expect("date")
        ))
    );
    assert_eq!(
        h.value("deployment", "instance_url"),
        Some(&FieldValue::Text("https://sg.acme.example".into()))
    );
    assert_eq!(h.value("deployment", "completion_date"), None);
    assert_eq!(h.status, Status::InProgress);
    // The place to resume is this machine's, not the shared file's.
    let position = handoff::state::position_in(&dir.path().join(".local/state/handoff"), &path)
        .expect("the position is remembered");
    assert_eq!(
        (position.step.as_str(), position.field.as_str()),
        ("deployment", "deployment_type")
    );
    assert!(
        !fs::read_to_string(&path)
            .expect("read")
            .contains("[position]")
    );
    assert!(!store::lock_path(&path).exists(), "the lock is released");

    let mut t = Term::spawn(dir.path(), &["open", &path.display().to_string()], 100, 30);
    t.wait_for("2 · Production deployment");
    t.wait_focus("Deployment type");
    let screen = t.screen();
    for shown in ["2026-01-12", "https://sg.acme.example"] {
        assert!(screen.contains(shown), "{shown:?} not shown\n{}", t.dump());
    }
    assert!(
        screen
            .lines()
            .any(|l| l.starts_with("▸ 2 Production deployment")),
        "the sidebar marks step 2\n{}",
        t.dump()
    );
    assert!(store::lock_path(&path).exists(), "open holds the lock");
    t.send(CTRL_C);
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", t.dump());
    assert!(!store::lock_path(&path).exists(), "the lock is released");
}

#[test]
fn c_view_never_writes_or_locks() {
    let dir = tempdir();
    let path = dir.path().join("acme-corp.toml");
    store::save(&path, &testdata::complete_handoff()).expect("save the fixture");
    let before = fs::read(&path).expect("read the fixture");
    let files_before = files_in(dir.path());
    let lock_file = store::lock_path(&path);

    let mut t = Term::spawn(dir.path(), &["view", &path.display().to_string()], 100, 30);
    t.wait_for(FIRST_STEP);
    t.wait_for("READ-ONLY");
    t.wait_for("Read-only: opened with `handoff view`");
    t.wait_refusal(false);
    assert!(!lock_file.exists(), "view took a lock");

    // Each refused key says so; Tab and back clears the message for the next one.
    let refused = |t: &Term, keys: &[&str], label: &str| {
        for key in keys {
            t.send(key);
            t.wait_refusal(true);
            t.send(TAB);
            t.wait_refusal(false);
            t.send(SHIFT_TAB);
            t.wait_focus(label);
        }
    };

    // Enter reads what cannot be changed, in full; Esc closes the reader.
    let reads = |t: &Term, label: &str| {
        t.send(ENTER);
        t.wait_for("Esc closes");
        t.send(ESC);
        t.wait_gone("Esc closes");
        t.wait_focus(label);
    };

    // A field edited as one line: Enter reads it, `typed` does nothing, Ctrl-S is refused.
    let line_field = |t: &Term, label: &str, typed: &str| {
        t.wait_focus(label);
        reads(t, label);
        t.send(typed);
        refused(t, &[CTRL_S], label);
    };

    // 1 · Handoff: a text field.
    line_field(&t, "Customer (account) name", "xyz");

    // 2 · Production deployment: a list and a date.
    TDD_LINKS.focus(&t);
    refused(&t, &["a", "d"], TDD_LINKS.label);
    reads(&t, TDD_LINKS.label);
    t.send(TAB);
    // Without an editor, letters go nowhere (digits would jump to steps).
    line_field(&t, "Implementation start date", "wxyz");
    t.wait_value("2026-01-12");

    // 3 · Code hosts: the multi-choice field.
    let hosts = Field::new("3", "3 · Code hosts", 0, "Code hosts in use");
    hosts.focus(&t);
    refused(&t, &[SPACE], hosts.label);
    reads(&t, hosts.label);

    // 4 · The notes log.
    let notes = Field::new("4", "4 · Implementation notes", 3, "Notes log");
    notes.focus(&t);
    refused(&t, &["a", "c", "d"], notes.label);
    reads(&t, notes.label);

    // 5 · The checklist items.
    let items = Field::new("5", "5 · Closeout checklist", 1, "Closeout items");
    items.focus(&t);
    refused(&t, &[SPACE, "o", "a", "d"], items.label);
    reads(&t, items.label);
    assert!(!lock_file.exists(), "view took a lock");

    // 8 · Review: the Complete button.
    t.send("8");
    t.wait_for("8 · Review and complete");
    t.send(TAB);
    t.send(TAB);
    t.wait_for("▸  Complete handoff");
    t.send(ENTER);
    t.wait_refusal(true);
    assert!(
        !t.screen().contains("Mark this handoff complete?"),
        "view offered to complete\n{}",
        t.dump()
    );

    assert_eq!(
        fs::read(&path).expect("read"),
        before,
        "view changed the file"
    );
    assert!(!lock_file.exists(), "view took a lock");
    t.send(CTRL_C);
    let raw = wait_clean_exit(&mut t);
    assert!(
        raw.contains(&format!("{}: viewed, ", path.display())),
        "no summary line in {raw:?}"
    );
    assert_eq!(
        fs::read(&path).expect("read"),
        before,
        "view changed the file"
    );
    assert!(!lock_file.exists(), "view left a lock");
    assert_eq!(files_in(dir.path()), files_before, "view wrote a file");
}

#[test]
fn d_a_second_open_names_the_holder_and_offers_read_only() {
    let fx = Fixture::made_by_cli();
    let lock_file = fx.lock_path();

    let mut first = fx.open();
    assert!(lock_file.exists(), "open holds the lock");
    let holder = format!("jane@{} (pid {}", store::hostname(), first.pid());

    let mut second = fx.spawn();
    second.wait_for("Open it read-only instead? [y/N]");
    second.wait_for(&format!("being edited by {holder}"));
    second.send("n\r");
    let status = second.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 1, "{}", second.dump());
    let raw = second.raw();
    assert!(
        raw.contains(&format!("not opened; {holder}")) && raw.contains("is editing it"),
        "the refusal names the holder: {raw:?}"
    );
    assert!(!raw.contains(ALT_ON), "the refused open drew a screen");

    let mut third = fx.spawn();
    third.wait_for("Open it read-only instead? [y/N]");
    third.send("y\r");
    third.wait_for("READ-ONLY");
    third.wait_for(FIRST_STEP);
    third.wait_for("Read-only: ");
    third.wait_refusal(false);
    third.send("a");
    third.wait_refusal(true);
    let lock_text = fs::read_to_string(&lock_file).expect("the lock is still there");
    assert!(
        lock_text.contains(&format!("pid = {}", first.pid())),
        "the first editor still holds the lock: {lock_text}"
    );
    third.send(CTRL_C);
    wait_clean_exit(&mut third);
    assert!(
        lock_file.exists(),
        "the read-only session took the lock away"
    );

    first.send(CTRL_C);
    let status = first.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", first.dump());
    assert!(!lock_file.exists(), "the lock is released");
}

#[test]
fn e_sigterm_saves_the_half_typed_text_and_restores_the_terminal() {
    let (_dir, path, mut t) = new_handoff_with_a_start_date_typed();
    t.signal(Signal::TERM);
    let status = t.wait_exit(WAIT);
    assert!(
        status.signal().is_none(),
        "died of the signal instead of handling it: {status:?}"
    );
    assert_alt_screen_left(&t.raw());
    assert_start_date_saved(&path);
}

#[test]
fn f_a_too_small_terminal_says_so_and_quits() {
    let dir = tempdir();
    let mut t = Term::spawn(dir.path(), NEW_ACME, 40, 10);
    t.wait_for("Terminal too small");
    t.send(CTRL_C);
    wait_clean_exit(&mut t);
    let path = dir.path().join("acme-corp.toml");
    assert!(store::load(&path).is_ok(), "the handoff is still readable");
    assert!(!store::lock_path(&path).exists(), "the lock is released");
}

/// Without a terminal (a pipe, a script, /dev/null) `open` asks its questions as
/// plain lines instead of refusing; with nothing to read it ends at once and
/// changes nothing.
#[test]
fn g_open_without_a_terminal_asks_plain_questions() {
    let fx = Fixture::made_by_cli();
    let out = run_plain(fx.dir(), &["open", &fx.file()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let said = text(&out.stdout);
    assert!(
        said.contains(
            "Handoff, 1 of 4: Customer (account) name. Required, text. Now: Acme Corp.\n"
        ),
        "{said}"
    );
    assert!(!said.contains('\x1b'), "{said:?}");
    assert_eq!(fx.read(), fx.created);
    assert!(!fx.lock_path().exists());
}

/// Closing the terminal window (the pty goes away) must end the wizard as SIGTERM
/// does: save, release the lock, exit.
#[test]
fn h_closing_the_terminal_saves_and_exits() {
    let (_dir, path, mut t) = new_handoff_with_a_start_date_typed();
    t.hang_up();
    let status = t.wait_exit(Duration::from_secs(5));
    assert_start_date_saved(&path);
    // It ends like any program whose terminal was closed: by the hang-up, not
    // by a panic about writing to a terminal that is gone (abort, exit 101).
    assert_eq!(status.signal(), Some("Hangup"), "{status:?}");
}

/// `handoff` alone: with nothing saved, Enter asks for a customer and starts a new
/// handoff; with one saved, Enter resumes it.
#[test]
fn i_the_picker_starts_a_new_handoff_and_resumes_a_saved_one() {
    let dir = tempdir();
    let mut t = Term::spawn(dir.path(), &[], 100, 30);
    t.wait_for("Pick a handoff");
    t.wait_for("+ New handoff…");
    t.send(ENTER);
    t.wait_for("Customer (account) name — Enter creates");
    t.send("Globex 株式会社");
    t.wait_for("Globex 株式会社");
    t.send(ENTER);
    t.wait_for(FIRST_STEP);
    t.send(CTRL_C);
    assert!(t.wait_exit(WAIT).success(), "{}", t.dump());
    let path = dir.path().join("globex-株式会社.toml");
    let h = store::load(&path).expect("the new handoff was saved");
    assert_eq!(h.handoff.customer(), "Globex 株式会社");

    let mut t = Term::spawn(dir.path(), &[], 100, 30);
    t.wait_for("Globex 株式会社");
    t.send(ENTER);
    t.wait_for(FIRST_STEP);
    t.wait_for("Globex 株式会社 · in progress");
    t.send(CTRL_C);
    assert!(t.wait_exit(WAIT).success(), "{}", t.dump());
}
