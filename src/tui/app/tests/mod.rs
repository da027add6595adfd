//! `App::update`, one action at a time, without a terminal: moving and leaving
//! here, typing in `editing`, the checklist and completion in `checklist`, work
//! done elsewhere (fill, push, conflicts, sync) in `outside`.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::handoff::{FieldValue, Handoff, ItemState, Origin, Position};
use crate::testdata;
use crate::tui::effect::Effect;

pub(super) fn clock() -> Timestamp {
    testdata::at(28, 12)
}

pub(super) fn app(doc: Handoff) -> App {
    App::new(doc, "Jane Doe".into(), None).with_clock(clock)
}

pub(super) fn is_save(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Save { .. }))
}

pub(super) fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Type(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

/// Focus the field with this key on the current step.
pub(super) fn focus(app: &mut App, key: &str) {
    let step = app.current_step();
    let index = step
        .fields
        .iter()
        .position(|f| f.key == key)
        .expect("field");
    let row = rows(step)
        .iter()
        .position(|r| *r == Row::Field(index))
        .expect("row");
    app.update(Action::Focus { row, sel: None });
}

pub(super) fn step(app: &mut App, key: &str) {
    app.update(Action::GoToStep(form().step_index(key).expect("step")));
}

pub(super) fn focus_row(app: &mut App, wanted: Row) {
    let row = app.rows().iter().position(|r| *r == wanted).expect("row");
    app.update(Action::Focus { row, sel: None });
}

mod checklist;
mod editing;
mod outside;

#[test]
fn tab_and_steps_move_and_wrap_into_neighbouring_steps() {
    let mut app = app(testdata::new_handoff());
    assert_eq!((app.step, app.row), (0, 0));
    // The Handoff step has four fields: customer, engineer, TA, Vitally account.
    for _ in 0..4 {
        app.update(Action::NextField);
    }
    assert_eq!(
        (app.step, app.row),
        (1, 0),
        "Tab past the last field opens the next step"
    );
    app.update(Action::PrevField);
    assert_eq!(
        (app.step, app.row),
        (0, 3),
        "Shift-Tab goes back to the last field"
    );
    app.update(Action::NextStep);
    app.update(Action::NextStep);
    assert_eq!(app.step, 2);
    app.update(Action::PrevStep);
    assert_eq!(app.step, 1);
    app.update(Action::GoToStep(7));
    assert_eq!(app.step, 7);
    app.update(Action::NextStep);
    assert_eq!(app.step, 7, "no step after the last");
    app.update(Action::GoToStep(42));
    assert_eq!(app.step, 7);
}

#[test]
fn read_only_refuses_every_editing_action_and_never_changes_the_document() {
    let doc = testdata::complete_handoff();
    let mut app = App::new(
        doc.clone(),
        "Sam".into(),
        Some("opened with `handoff view`".into()),
    )
    .with_clock(clock);
    let editing = [
        Action::Activate,
        Action::Toggle,
        Action::Add,
        Action::Delete,
        Action::OutOfScope,
        Action::Recategorize,
        Action::Save,
        Action::ExternalEditor,
        Action::Paste("x".into()),
    ];
    for s in 0..form().steps.len() {
        app.update(Action::GoToStep(s));
        for row in 0..app.rows().len() {
            app.update(Action::Focus { row, sel: Some(0) });
            for action in editing.iter().cloned() {
                app.update(action);
                // Enter reads what cannot be changed; nothing else opens.
                if app.key_mode() == KeyMode::Read {
                    app.update(Action::Cancel);
                }
                assert_eq!(app.key_mode(), KeyMode::Browse, "step {s} row {row}");
            }
        }
    }
    assert_eq!(app.doc, doc);
    assert!(!app.dirty);
}

#[test]
fn position_is_saved_and_restored() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "code_hosts");
    focus(&mut app, "monorepos");
    let position = Position {
        step: "code_hosts".into(),
        field: "monorepos".into(),
    };
    assert_eq!(
        app.update(Action::Quit),
        [
            Effect::Remember {
                position: position.clone()
            },
            Effect::Exit
        ],
        "nothing changed: the file is not written, the place is remembered"
    );
    let again = self::app(app.doc.clone()).resume_at(Some(position));
    assert_eq!(again.current_step().key, "code_hosts");
    assert_eq!(again.current_row(), Some(Row::Field(2)));
}

#[test]
fn quitting_mid_edit_keeps_the_text() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "deployment");
    focus(&mut app, "start_date");
    app.update(Action::Activate);
    type_text(&mut app, "2026-01-12");
    assert!(
        is_save(&app.update(Action::Quit)),
        "a change is saved on the way out"
    );
    assert_eq!(app.update(Action::Saved(Ok(clock()))), [Effect::Exit]);
    assert_eq!(
        app.doc.value("deployment", "start_date"),
        Some(&FieldValue::Date(
            chrono::NaiveDate::from_ymd_opt(2026, 1, 12).expect("date")
        ))
    );
}

#[test]
fn a_failed_save_warns_and_quit_twice_means_it() {
    let mut app = app(testdata::new_handoff());
    focus(&mut app, "technical_advisor");
    app.update(Action::Activate);
    type_text(&mut app, "Sam");
    assert!(is_save(&app.update(Action::Activate)), "a change is saved");
    app.update(Action::Saved(Err("the disk is full".into())));
    assert!(matches!(app.save_state, SaveState::Failed(_)));
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("Work kept"))
    );
    assert!(is_save(&app.update(Action::Quit)), "quitting tries to save");
    assert_eq!(
        app.update(Action::Saved(Err("the disk is full".into()))),
        [],
        "a failed save does not leave"
    );
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("again to quit"))
    );
    assert!(
        is_save(&app.update(Action::Quit)),
        "q again tries once more"
    );
    assert_eq!(
        app.update(Action::Saved(Err("the disk is full".into()))),
        [Effect::Exit],
        "and then means it"
    );
    app.update(Action::Saved(Ok(clock())));
    assert_eq!(app.save_state, SaveState::Saved(clock()));
    assert!(!app.dirty);
}

#[test]
fn help_opens_the_key_list_in_the_reader_and_esc_closes_it() {
    let mut app = app(testdata::new_handoff());
    app.update(Action::Help);
    assert_eq!(app.key_mode(), KeyMode::Read);
    let Mode::Read(reader) = &app.mode else {
        panic!("the key list is read in the reader");
    };
    assert!(reader.text.contains("While typing"), "{}", reader.text);
    assert!(reader.text.contains("Ctrl-U"), "{}", reader.text);
    app.update(Action::Cancel);
    assert_eq!(
        app.key_mode(),
        KeyMode::OnText,
        "back on the customer field"
    );
}

#[test]
fn save_copy_asks_for_a_path_even_read_only() {
    let mut app = App::new(
        testdata::complete_handoff(),
        "Sam".into(),
        Some("viewing".into()),
    )
    .with_clock(clock);
    app.update(Action::SaveCopy);
    assert_eq!(app.key_mode(), KeyMode::EditLine);
    type_text(&mut app, "/tmp/acme-copy.toml");
    let to = std::path::PathBuf::from("/tmp/acme-copy.toml");
    assert_eq!(
        app.update(Action::Activate),
        [Effect::WriteCopy { to: to.clone() }]
    );
    app.update(Action::Copied { to, result: Ok(()) });
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text == "Saved a copy to /tmp/acme-copy.toml")
    );
    assert!(!app.dirty);
}

/// Nothing gives a name: the wizard asks once, keeps the answer, and a note that
/// was waiting for it is not lost.
#[test]
fn with_no_name_the_wizard_asks_once_and_the_note_waits() {
    let mut app = App::new(testdata::new_handoff(), String::new(), None)
        .with_clock(clock)
        .with_who(crate::identity::Who::only(None));
    step(&mut app, "notes");
    focus_row(&mut app, Row::NotesLog);
    app.update(Action::Add);
    app.update(Action::Activate);
    type_text(&mut app, "Rockskip on");
    app.update(Action::NextField);
    assert!(
        matches!(&app.mode, Mode::Edit(e) if e.target == EditTarget::Name),
        "asked who is writing"
    );
    assert!(app.doc.notes_log.is_empty(), "no note without an author");
    type_text(&mut app, "Sam Rivera");
    assert_eq!(
        app.update(Action::Activate),
        [Effect::RememberName {
            name: "Sam Rivera".into()
        }]
    );
    assert!(
        matches!(&app.mode, Mode::Edit(e) if matches!(e.target, EditTarget::Note { .. })),
        "back to the note"
    );
    app.update(Action::NextField);
    assert_eq!(app.doc.notes_log.len(), 1);
    assert_eq!(app.doc.notes_log[0].author, "Sam Rivera");
    assert_eq!(app.doc.notes_log[0].text, "Rockskip on");
}
