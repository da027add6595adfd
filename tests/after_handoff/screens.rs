//! What the TA sees, as snapshots (`TestBackend`, 100×30, times pinned to UTC):
//! the reader on a long note, the review page with the notes log and the history,
//! the maintenance header, and a view's header after its file changed.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use handoff::handoff::{FieldValue, Handoff, Timestamp};
use handoff::testdata;
use handoff::tui::action::Action;
use handoff::tui::app::App;

use super::*;
use crate::drawn::go_to;

const VIEW: &str = "opened with `handoff view`; nothing can be changed";

fn fixed_now() -> Timestamp {
    testdata::at(31, 12)
}

/// The wizard on `doc` as Sam: maintaining it (`open`), or reading it (`view`).
fn app(doc: Handoff, read_only: bool) -> App {
    handoff::handoff::time::show_times_in_utc();
    App::new(doc, SAM.into(), read_only.then(|| VIEW.to_string())).with_clock(fixed_now)
}

fn screen(app: &App) -> String {
    screen_of(app, SIZE)
}

fn screen_of(app: &App, (cols, rows): (u16, u16)) -> String {
    crate::drawn::screen(app, cols, rows)
}

/// `maintained()` with the long note as its newest entry.
fn with_a_long_note() -> Handoff {
    let mut h = maintained();
    h.add_note("issue", &long_note(70), SAM, testdata::at(31, 8))
        .expect("a long note");
    h
}

/// The reader open on the newest note, in a view.
fn reading_the_long_note() -> App {
    let mut app = app(with_a_long_note(), true);
    go_to(&mut app, "notes");
    for _ in 0..3 {
        app.update(Action::NextField);
    }
    app.update(Action::End);
    app.update(Action::Activate);
    app
}

#[test]
fn the_reader_on_a_long_note_at_its_top_and_its_end() {
    let mut app = reading_the_long_note();
    let top = screen(&app);
    assert!(top.contains(" lines 1–25 of 70 "), "{top}");
    insta::assert_snapshot!("reader_long_note_top", top);
    app.update(Action::End);
    let end = screen(&app);
    assert!(end.contains("Line 70: the last line"), "{end}");
    assert!(end.contains(" lines 46–70 of 70 "), "{end}");
    insta::assert_snapshot!("reader_long_note_end", end);
}

#[test]
fn the_review_page_with_the_notes_log_and_the_history() {
    let mut app = app(maintained(), true);
    go_to(&mut app, "review");
    // Down the page to the notes log: the newest note first.
    let notes_at = handoff::review::lines(app.document())
        .iter()
        .position(|l| l.text.starts_with("Notes log"))
        .expect("the notes log on the page");
    for _ in 0..notes_at.saturating_sub(1) {
        app.update(Action::Down);
    }
    let notes = screen(&app);
    let newest = notes.find("Gitserver disk at 80%").expect("Sam's note");
    let older = notes
        .find("800 users, 150 concurrent")
        .expect("Jane's note");
    assert!(newest < older, "newest first\n{notes}");
    insta::assert_snapshot!("review_notes_log", notes);

    app.update(Action::End);
    let history = screen(&app);
    for line in [
        "│History",
        "│  Completed 2026-03-28 10:00 by Jane Doe",
        "│  2026-03-30 11:00 · Sam Rivera",
        "│    Note added: — → risk: Gitserver disk at 80%;",
        "│  2026-03-29 09:00 · Sam Rivera",
        "│    Number of repositories: 1200 → 1500",
        "  Completed 2026-03-28 10:00 by Jane Doe · maintained ",
    ] {
        assert!(history.contains(line), "{line:?}\n{history}");
    }
    insta::assert_snapshot!("review_history", history);
}

#[test]
fn the_maintenance_header_after_the_ta_changed_a_code_host_field() {
    let mut app = app(completed(), false);
    assert!(
        screen(&app)
            .lines()
            .next()
            .is_some_and(|l| l.contains("· complete ·"))
    );
    go_to(&mut app, "code_hosts");
    app.update(Action::NextField);
    app.update(Action::Activate);
    for _ in 0..4 {
        app.update(Action::Type(KeyEvent::new(
            KeyCode::Backspace,
            KeyModifiers::NONE,
        )));
    }
    for c in "1500".chars() {
        app.update(Action::Type(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
    app.update(Action::Activate);
    app.update(Action::Saved(Ok(fixed_now())));
    let text = screen(&app);
    assert!(
        text.contains(" complete · maintained by Sam Rivera · 29 of 29 done · saved 12:00:00 "),
        "{text}"
    );
    insta::assert_snapshot!("maintenance_header", text);
}

#[test]
fn a_views_header_after_its_file_changed() {
    let mut app = app(completed(), true);
    go_to(&mut app, "code_hosts");
    app.update(Action::Reloaded {
        result: Ok(Box::new(maintained())),
        editing: None,
    });
    let text = screen(&app);
    let header = text.lines().next().expect("a header");
    for part in [
        "complete · maintained by Sam Rivera",
        "updated 11:00 by Sam Rivera",
        "READ-ONLY",
    ] {
        assert!(header.contains(part), "{part:?} in {header}");
    }
    insta::assert_snapshot!("view_updated_header", text);
    // At 80 columns who maintains it gives way, then the note is cut; the
    // READ-ONLY badge stays at the right edge.
    let narrow = screen_of(&app, (80, 24));
    let header = narrow.lines().next().expect("a header");
    assert_eq!(
        header,
        "\" handoff  Acme Corp · complete · maintained · updated 11:00 by Sam Ri READ-ONLY \""
    );

    app.update(Action::Reloaded {
        result: Err("acme-corp.toml:1: not a handoff".into()),
        editing: None,
    });
    let text = screen(&app);
    assert!(
        text.contains("The file can no longer be read (acme-corp.toml:1: not a handoff); showing the last good copy"),
        "{text}"
    );
    assert!(text.contains("1500"), "the last good copy stays\n{text}");

    // Readable again: the warning goes, the view's reason shows again.
    let mut again = maintained();
    again.set_value(
        "code_hosts",
        "repositories",
        Some(FieldValue::Integer(1600)),
    );
    app.update(Action::Reloaded {
        result: Ok(Box::new(again)),
        editing: None,
    });
    let text = screen(&app);
    assert!(!text.contains("can no longer be read"), "{text}");
    assert!(text.contains(&format!(" Read-only: {VIEW} ")), "{text}");
    assert!(text.contains("1600"), "{text}");
}
