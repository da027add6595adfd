//! What the wizard draws: every step empty and filled, the review page with its
//! blockers, the key list, pop-ups, and the too-small message (`TestBackend`, 100×30).

#[path = "common/drawn.rs"]
mod drawn;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use drawn::screen;
use handoff::handoff::{Handoff, Timestamp};
use handoff::testdata;
use handoff::tui::action::Action;
use handoff::tui::app::App;

fn fixed_now() -> Timestamp {
    testdata::at(28, 12)
}

/// Times on screen are local; pin them to UTC so snapshots read the same anywhere.
fn utc() {
    handoff::handoff::time::show_times_in_utc();
}

fn app(doc: Handoff) -> App {
    utc();
    App::new(doc, "Jane Doe".into(), None).with_clock(fixed_now)
}

fn key(c: KeyCode) -> Action {
    Action::Type(KeyEvent::new(c, KeyModifiers::NONE))
}

#[test]
fn every_step_empty_and_filled() {
    for (name, doc) in [
        ("empty", testdata::new_handoff()),
        ("filled", testdata::complete_handoff()),
    ] {
        let mut app = app(doc);
        for step in 0..8 {
            app.update(Action::GoToStep(step));
            let key = app.current_step().key.clone();
            insta::assert_snapshot!(
                format!("step_{}_{key}_{name}", step + 1),
                screen(&app, 100, 30)
            );
        }
    }
}

#[test]
fn review_with_blockers_lists_them_and_refuses_completion() {
    let mut app = app(testdata::new_handoff());
    app.update(Action::GoToStep(7));
    app.update(Action::NextField);
    app.update(Action::NextField);
    app.update(Action::Activate);
    let text = screen(&app, 100, 30);
    assert!(
        text.contains("Cannot complete: 25 things block it"),
        "{text}"
    );
    insta::assert_snapshot!("review_refused", text);
}

#[test]
fn help_overlay() {
    let mut app = app(testdata::new_handoff());
    app.update(Action::Help);
    insta::assert_snapshot!("help", screen(&app, 100, 30));
}

#[test]
fn too_small() {
    let app = app(testdata::new_handoff());
    insta::assert_snapshot!("too_small", screen(&app, 40, 10));
    // Every size down to 1×1 draws without panicking.
    for (w, h) in [(20, 5), (59, 14), (60, 15), (1, 1), (300, 100)] {
        screen(&app, w, h);
    }
}

#[test]
fn pop_ups_and_editors() {
    let mut app = app(testdata::new_handoff());
    app.update(Action::GoToStep(1));
    for _ in 0..4 {
        app.update(Action::NextField);
    }
    app.update(Action::Activate);
    insta::assert_snapshot!("choice_popup", screen(&app, 100, 30));
    app.update(Action::Cancel);

    app.update(Action::PrevField);
    app.update(Action::Activate);
    for c in "sourcegraph.acme".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    insta::assert_snapshot!("editing_with_live_error", screen(&app, 100, 30));

    let mut app = self::app(testdata::complete_handoff());
    app.update(Action::GoToStep(3));
    for _ in 0..3 {
        app.update(Action::NextField);
    }
    app.update(Action::Add);
    app.update(Action::Down);
    app.update(Action::Activate);
    for c in "Customer wants SAML next quarter.".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    insta::assert_snapshot!("new_note", screen(&app, 100, 30));
}

#[test]
fn read_only_header_and_refusal() {
    let mut app = App::new(
        testdata::complete_handoff(),
        "Sam".into(),
        Some("opened with `handoff view`".into()),
    )
    .with_clock(fixed_now);
    utc();
    app.update(Action::GoToStep(4));
    app.update(Action::NextField);
    app.update(Action::Toggle);
    let text = screen(&app, 100, 30);
    assert!(text.contains("READ-ONLY"), "{text}");
    assert!(
        text.contains("Read-only: opened with `handoff view`"),
        "{text}"
    );
    insta::assert_snapshot!("read_only", text);
}

#[test]
fn unicode_everywhere_draws() {
    let mut doc = testdata::complete_handoff();
    let wild = "株式会社 👩‍💻 e\u{301} ﷽ \u{200b}tab\there";
    doc.set_value(
        "handoff",
        "customer",
        Some(handoff::handoff::FieldValue::Text(wild.into())),
    );
    doc.notes_log.push(testdata::note(
        "risk",
        &wild.repeat(20),
        testdata::at(12, 8),
    ));
    let mut app = app(doc);
    for step in 0..8 {
        app.update(Action::GoToStep(step));
        for (w, h) in [(100, 30), (61, 15), (20, 5)] {
            screen(&app, w, h);
        }
    }
}
