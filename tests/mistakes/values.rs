//! What goes into the file from the screen: a deleted note's text (item 4), the
//! same environment twice (5), text through $EDITOR (9), numbers as people write
//! them (10), every bad entry of a list (11), dates far from today.

use std::fs;

use handoff::handoff::FieldValue;

use super::*;

#[test]
fn deleting_a_note_takes_its_text_out_of_the_file() {
    let fx = Fixture::new();
    let mut t = open_small(&fx);
    add_note(&t, "admin token s3cr3t-pasted-by-mistake");
    add_note(&t, "Rockskip is on");
    t.wait_for("2 entries");
    // Home selects the first note: `d` asks, and only `y` deletes.
    t.send("\x1b[Hd");
    t.wait_for("Delete the note of");
    t.send("x");
    t.wait_for("Delete the note of");
    t.send("y");
    t.wait_gone("Delete the note of");
    t.wait_for("1 entry");
    fx.quit(&mut t);

    let saved = text(&fx.read());
    assert!(!saved.contains("s3cr3t"), "the text is gone:\n{saved}");
    let h = fx.load();
    assert_eq!(live_notes(&h), ["Rockskip is on"]);
    let deleted = &h.notes_log[0];
    assert_eq!(deleted.deleted_by.as_deref(), Some("jane"));
    assert!(deleted.deleted_at.is_some());
    assert!(deleted.text.is_empty());
}

#[test]
fn the_same_environment_twice_is_refused_in_any_case() {
    let fx = Fixture::new();
    let mut t = open_small(&fx);
    ENVIRONMENTS.focus(&t);
    for (typed, refusal) in [
        (
            "production",
            Some("\"production\" is listed already (as \"Production\")"),
        ),
        ("Staging", None),
        (
            "STAGING ",
            Some("\"STAGING\" is listed already (as \"Staging\")"),
        ),
    ] {
        t.send("a");
        t.wait_for("Enter done");
        t.send(typed);
        t.send(ENTER);
        t.wait_gone("Enter done");
        if let Some(refusal) = refusal {
            t.wait_until("the refusal on the status line", |s| {
                status_text(s) == format!("Customer environments: {refusal}")
            });
        }
    }
    t.wait_for("Infrastructure complete: Staging");
    fx.quit(&mut t);
    let h = fx.load();
    assert_eq!(
        h.value("checklist", "environments"),
        Some(&FieldValue::List(vec![
            "Production".into(),
            "Staging".into()
        ]))
    );
    let keys: Vec<&str> = h
        .checklist_items
        .iter()
        .map(|i| i.key.as_str())
        .filter(|k| k.starts_with("environment:"))
        .collect();
    assert_eq!(keys, ["environment:Production", "environment:Staging"]);
}

/// The wizard with `env`, editing the Technical Advisor's name, and Ctrl-E.
fn ctrl_e_on_the_advisor(fx: &Fixture, env: &[(&str, &str)]) -> Term {
    let t = spawn(fx.dir(), &["open", &fx.file()], env, SMALL);
    t.wait_for(FIRST_STEP);
    ADVISOR.focus(&t);
    t.send(ENTER);
    t.wait_for("Enter done");
    t.send("\x05");
    t
}

#[test]
fn ctrl_e_goes_through_a_private_file_and_a_one_line_field_gets_one_line() {
    let fx = Fixture::new();
    let work = tempdir();
    let (tmp, log, script) = (
        work.path().join("tmp"),
        work.path().join("editor.log"),
        work.path().join("editor.sh"),
    );
    fs::create_dir(&tmp).expect("a TMPDIR");
    // The editor notes the file's mode and name and whether it ends in a
    // newline, then appends a line, as someone typing at its end would.
    fs::write(
        &script,
        format!(
            "stat -c '%a %n' \"$1\" > '{log}'\n\
             tail -c 1 \"$1\" | od -An -c >> '{log}'\n\
             printf 'and a second line\\n' >> \"$1\"\n",
            log = log.display()
        ),
    )
    .expect("write the editor");
    let editor = format!("sh {}", script.display());
    let tmp_arg = tmp.display().to_string();
    let env = [("EDITOR", editor.as_str()), ("TMPDIR", tmp_arg.as_str())];
    let mut t = ctrl_e_on_the_advisor(&fx, &env);
    t.wait_for("Sam and a second line");
    t.send(ENTER);
    t.wait_gone("Enter done");
    t.wait_value("Sam and a second line");
    fx.quit(&mut t);

    let logged = fs::read_to_string(&log).expect("the editor ran");
    let mut lines = logged.lines();
    let (mode, name) = lines
        .next()
        .and_then(|l| l.split_once(' '))
        .expect("mode and name");
    assert_eq!(mode, "600", "only its owner can read it: {logged}");
    let name = std::path::Path::new(name);
    assert_eq!(name.parent(), Some(tmp.as_path()), "{logged}");
    let file = name.file_name().expect("a name").to_string_lossy();
    assert!(
        file.starts_with("handoff-") && file.ends_with(".md") && file.len() > 12,
        "a fresh name nobody can guess: {file}"
    );
    assert_eq!(
        lines.next().map(str::trim),
        Some("\\n"),
        "it ends in a newline"
    );
    assert_eq!(
        fs::read_dir(&tmp).expect("TMPDIR").count(),
        0,
        "and it is removed"
    );
    assert_eq!(
        text_value(&fx.load(), "handoff", "technical_advisor").as_deref(),
        Some("Sam and a second line"),
        "no newline inside a one-line field"
    );

    // An editor that is not there is named.
    let env = [("EDITOR", "/nonexistent/bin/handoff-no-editor")];
    let mut t = ctrl_e_on_the_advisor(&fx, &env);
    t.wait_until("the editor named on the status line", |s| {
        status_text(s).contains("/nonexistent/bin/handoff-no-editor")
    });
    t.send(ESC);
    t.wait_gone("Enter done");
    fx.quit(&mut t);
}

#[test]
fn numbers_as_people_write_them_are_taken_and_absurd_ones_are_not() {
    let fx = Fixture::new();
    let mut t = open_small(&fx);
    TOTAL_CPU.focus(&t);
    t.send("1,000,000");
    t.send(ENTER);
    t.wait_for("Must be at most 100,000");
    replace_value(&t, "2,500");
    t.wait_gone("Must be at most");
    TOTAL_MEMORY.focus(&t);
    t.send("48 GB");
    t.send(ENTER);
    t.wait_gone("Enter done");
    TOTAL_DISK.focus(&t);
    t.send("1e29");
    t.send(ENTER);
    t.wait_for("Enter a number, e.g. 48 or 1.5");
    fx.quit(&mut t);

    let h = fx.load();
    assert_eq!(
        h.value("deployment", "total_cpu"),
        Some(&FieldValue::Number(2500.0))
    );
    assert_eq!(
        h.value("deployment", "total_memory_gb"),
        Some(&FieldValue::Number(48.0))
    );
    assert_eq!(
        h.value("deployment", "total_disk_gb"),
        Some(&FieldValue::Text("1e29".into())),
        "kept as typed, never as the number 1e29"
    );
}

#[test]
fn every_bad_entry_of_a_list_is_named() {
    let fx = Fixture::new();
    let mut t = open_small(&fx);
    TDD_LINKS.focus(&t);
    for entry in [
        "notaurl",
        "https://docs.example.com/acme-tdd",
        "also not one",
    ] {
        t.send("a");
        t.wait_for("Enter done");
        t.send(entry);
        t.send(ENTER);
        t.wait_gone("Enter done");
    }
    t.wait_until("both bad entries named", |s| {
        status_text(s).contains("Entries 1 and 3: enter a full URL")
    });
    fx.quit(&mut t);
    assert_eq!(
        fx.load().value("deployment", "tdd_links"),
        Some(&FieldValue::List(vec![
            "notaurl".into(),
            "https://docs.example.com/acme-tdd".into(),
            "also not one".into(),
        ])),
        "kept as typed, to be fixed"
    );
}

#[test]
fn a_date_far_from_today_is_warned_about_and_kept() {
    let fx = Fixture::new();
    let mut t = spawn(fx.dir(), &["open", &fx.file()], &[], (120, 36));
    t.wait_for(FIRST_STEP);
    START_DATE.focus(&t);
    t.send("1900-01-01");
    t.send(ENTER);
    t.wait_gone("Enter done");
    t.send("\x1b8");
    t.wait_for("8 · Review and complete");
    t.wait_for("1900-01-01 is before 2000-01-01");
    fx.quit(&mut t);
    assert!(
        text(&fx.read()).contains("start_date = 1900-01-01"),
        "a warning, not a refusal"
    );
}
