//! A view follows its file (issue 10, item 4): when another process saves the
//! handoff, an open `handoff view` shows the new version within a second, keeps
//! its place and says "updated HH:MM by NAME"; a file that turns unreadable keeps
//! the last good copy on screen with a one-line warning. The view itself never
//! writes or locks.

use std::fs;
use std::time::{Duration, Instant};

use handoff::handoff::FieldValue;

use super::*;

/// How long a saved change may take to show: the view looks every 500 ms; the
/// rest is margin for a machine busy with other builds (the time it took is
/// printed).
const REFRESH: Duration = Duration::from_secs(2);

/// Whether the header says "updated HH:MM by WHO".
fn says_updated_by(header: &str, who: &str) -> bool {
    header.match_indices("updated ").any(|(at, _)| {
        let rest = &header[at + "updated ".len()..];
        let clock: Vec<char> = rest.chars().take(5).collect();
        clock.len() == 5
            && clock[2] == ':'
            && [0, 1, 3, 4].iter().all(|&i| clock[i].is_ascii_digit())
            && rest[5..].starts_with(&format!(" by {who} "))
    })
}

/// `handoff --as Sam set FILE ASSIGNMENT` from another process.
fn set_as_sam(dir: &Path, file: &str, assignment: &str) {
    let out = run_plain(dir, &["--as", SAM, "set", file, assignment]);
    assert!(out.status.success(), "set: {}", text(&out.stderr));
}

/// Waits (up to `REFRESH`) until the view shows `ok`; returns how long it took.
fn refreshed(t: &Term, what: &str, ok: impl Fn(&vt100::Screen) -> bool) -> Duration {
    let saved = Instant::now();
    t.wait_until_within(REFRESH, what, ok);
    let took = saved.elapsed();
    eprintln!(
        "the view showed {what} {} ms after the save",
        took.as_millis()
    );
    took
}

#[test]
fn e_a_view_shows_what_another_process_saved_and_keeps_the_last_good_copy() {
    let dir = tempdir();
    let path = write(dir.path(), &completed());
    let file = path.display().to_string();
    let lock = store::lock_path(&path);
    let mut t = view(dir.path(), &path, SIZE);
    go_to_step(&t, 3, "3 · Code hosts");
    t.send(TAB);
    t.wait_focus("Number of repositories");
    t.wait_value("1200");
    assert!(!t.row(0).contains("updated"), "{}", t.dump());

    // `handoff set`: the new value where the view was, and who changed it.
    set_as_sam(dir.path(), &file, "code_hosts.repositories=1500");
    refreshed(&t, "1500 and \"updated … by Sam Rivera\"", |s| {
        focused_value(s).as_deref() == Some("1500") && says_updated_by(&header_row(s), SAM)
    });
    t.wait_focus("Number of repositories");
    t.wait_until(
        "\"complete · maintained by Sam Rivera\" in the header",
        |s| header_row(s).contains("complete · maintained by Sam Rivera"),
    );
    t.wait_for("READ-ONLY");

    // `handoff note`: the notes step shows it.
    let note = "Customer adds a GitLab instance in May.";
    let out = run_plain(
        dir.path(),
        &[
            "--as",
            "Jane Doe",
            "note",
            &file,
            "--category",
            "expansion",
            note,
        ],
    );
    assert!(out.status.success(), "note: {}", text(&out.stderr));
    refreshed(&t, "\"updated … by Jane Doe\"", |s| {
        says_updated_by(&header_row(s), JANE)
    });
    go_to_step(&t, 4, NOTES);
    t.wait_for("3 entries");
    t.wait_for("Expansion opportunity");

    // The library's own save, the way the wizard saves: shown on the code hosts.
    go_to_step(&t, 3, "3 · Code hosts");
    let mut h = load(&path);
    h.change_field(
        "code_hosts",
        "monorepos",
        Some(FieldValue::Integer(3)),
        handoff::handoff::Author::typing(SAM, handoff::handoff::now()),
    )
    .expect("the code hosts stay open");
    store::save(&path, &h).expect("save");
    refreshed(&t, "3 monorepos", |s| {
        s.contents()
            .contains("How many of those repositories are monorepos")
            && s.contents().lines().any(|l| body(l, SIZE.0).trim() == "3")
            && says_updated_by(&header_row(s), SAM)
    });
    let last_good = fs::read(&path).expect("read");

    // Garbage in the file: one warning, the last good copy stays on screen.
    fs::write(&path, "this is = not [a handoff\n").expect("spoil the file");
    refreshed(&t, "the warning", |s| {
        status_text(s).starts_with(&format!("The file can no longer be read ({file}:1"))
    });
    t.with_screen(|s| {
        let status = status_text(s);
        assert!(
            status.ends_with("); showing the last good copy"),
            "{status}"
        );
        assert!(
            s.contents()
                .contains("How many of those repositories are monorepos")
        );
        assert!(says_updated_by(&header_row(s), SAM), "{}", header_row(s));
    });
    assert_eq!(
        t.with_screen(|s| s.contents().matches("can no longer be read").count()),
        1,
        "one warning\n{}",
        t.dump()
    );

    // Good again: the new version shows, and the warning goes with the bad copy.
    fs::write(&path, &last_good).expect("restore the file");
    set_as_sam(dir.path(), &file, "code_hosts.repositories=1600");
    refreshed(&t, "1600, and the warning gone", |s| {
        s.contents()
            .lines()
            .any(|l| body(l, SIZE.0).trim() == "1600")
            && !s.contents().contains("can no longer be read")
    });
    t.wait_status("Read-only: opened with `handoff view`");

    assert!(!lock.exists(), "a view never locks");
    let written = fs::read(&path).expect("read");
    t.send("q");
    wait_clean_exit(&mut t);
    assert_eq!(
        fs::read(&path).expect("read"),
        written,
        "a view never writes"
    );
    assert!(!lock.exists(), "a view never locks");
}

#[test]
fn e_a_file_that_turns_to_garbage_under_an_untouched_view_warns_and_keeps_the_copy() {
    let dir = tempdir();
    let path = write(dir.path(), &maintained());
    let file = path.display().to_string();
    let mut t = view(dir.path(), &path, SIZE);
    go_to_step(&t, 3, "3 · Code hosts");
    t.send(TAB);
    t.wait_value("1500");
    // Half a file, as a copy cut short would leave it.
    let whole = fs::read_to_string(&path).expect("read");
    fs::write(&path, &whole[..whole.len() / 2]).expect("cut the file short");
    refreshed(&t, "the warning", |s| {
        status_text(s).starts_with(&format!("The file can no longer be read ({file}"))
    });
    t.wait_focus("Number of repositories");
    t.wait_value("1500");
    t.send("q");
    wait_clean_exit(&mut t);
}
