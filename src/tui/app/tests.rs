//! `App::update`, one action at a time, without a terminal.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::handoff::{FieldValue, Handoff, ItemState, Origin, Position};
use crate::testdata;
use crate::tui::effect::Effect;

fn clock() -> Timestamp {
    testdata::at(28, 12)
}

fn app(doc: Handoff) -> App {
    App::new(doc, "Jane Doe".into(), None).with_clock(clock)
}

fn is_save(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Save { .. }))
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Type(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

/// Focus the field with this key on the current step.
fn focus(app: &mut App, key: &str) {
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

fn step(app: &mut App, key: &str) {
    app.update(Action::GoToStep(form().step_index(key).expect("step")));
}

fn focus_row(app: &mut App, wanted: Row) {
    let row = app.rows().iter().position(|r| *r == wanted).expect("row");
    app.update(Action::Focus { row, sel: None });
}

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
fn typing_a_valid_value_commits_it_and_asks_for_a_save() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "deployment");
    focus(&mut app, "total_cpu");
    app.update(Action::Activate);
    assert_eq!(app.key_mode(), KeyMode::EditLine);
    type_text(&mut app, "48");
    assert!(!app.dirty, "nothing is committed while typing");
    app.update(Action::Activate);
    assert_eq!(
        app.doc.value("deployment", "total_cpu"),
        Some(&FieldValue::Number(48.0))
    );
    assert!(app.dirty);
    assert_eq!(app.doc.updated_at, clock());
    assert_eq!(
        app.key_mode(),
        KeyMode::OnText,
        "back on the field, where typing edits it again"
    );
}

#[test]
fn an_invalid_value_is_kept_as_typed_and_never_traps() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "deployment");
    focus(&mut app, "instance_url");
    app.update(Action::Activate);
    type_text(&mut app, "sourcegraph.acme");
    assert_eq!(
        app.editor_problem().as_deref(),
        Some("Enter a full URL starting with https:// (or http://)")
    );
    app.update(Action::NextField);
    assert_eq!(app.key_mode(), KeyMode::OnText, "moving on works");
    assert_eq!(
        app.doc.value("deployment", "instance_url"),
        Some(&FieldValue::Text("sourcegraph.acme".into()))
    );
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.error && m.text.contains("kept as typed"))
    );
    assert!(app.doc.blockers().iter().any(|b| {
        b.message
            .starts_with("Sourcegraph instance URL: Enter a full URL")
    }));
}

#[test]
fn esc_cancels_a_line_edit() {
    let mut app = app(testdata::new_handoff());
    focus(&mut app, "technical_advisor");
    app.update(Action::Activate);
    type_text(&mut app, "Sam");
    app.update(Action::Cancel);
    assert_eq!(app.doc.value("handoff", "technical_advisor"), None);
    assert!(!app.dirty);
}

#[test]
fn esc_on_a_changed_note_asks_before_throwing_it_away() {
    let mut app = app(testdata::complete_handoff());
    step(&mut app, "notes");
    focus_row(&mut app, Row::NotesLog);
    app.update(Action::Add);
    app.update(Action::Activate); // first category
    type_text(&mut app, "half a thought");
    app.update(Action::Cancel);
    assert_eq!(app.key_mode(), KeyMode::Confirm);
    app.update(Action::No);
    assert_eq!(app.key_mode(), KeyMode::EditLong, "back to the text");
    assert_eq!(
        app.editor().map(editor_text).as_deref(),
        Some("half a thought")
    );
    app.update(Action::Cancel);
    app.update(Action::Yes);
    assert_eq!(app.key_mode(), KeyMode::Browse);
    assert_eq!(app.doc.notes_log.len(), 2);
}

#[test]
fn notes_are_added_edited_recategorized_and_deleted_with_times() {
    let mut app = app(testdata::complete_handoff());
    step(&mut app, "notes");
    focus_row(&mut app, Row::NotesLog);
    app.update(Action::Add);
    assert_eq!(app.key_mode(), KeyMode::Choose);
    app.update(Action::Down);
    app.update(Action::Down);
    app.update(Action::Activate);
    assert_eq!(app.key_mode(), KeyMode::EditLong);
    type_text(&mut app, "Zoekt OOM");
    app.update(Action::Type(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    type_text(&mut app, "fixed with more memory");
    app.update(Action::NextField);
    let note = app.doc.notes_log.last().expect("note");
    assert_eq!(note.text, "Zoekt OOM\nfixed with more memory");
    assert_eq!(note.category, "errors_engineering");
    assert_eq!(note.author, "Jane Doe");
    assert_eq!(note.created_at, clock());
    assert_eq!(
        app.current_row(),
        Some(Row::NotesLog),
        "Tab finishes a note and stays on the log"
    );
    assert_eq!(app.sel, 2, "the new note is selected");

    app.update(Action::Activate);
    type_text(&mut app, "!");
    let effects = app.update(Action::Save);
    assert!(is_save(&effects), "{effects:?}");
    assert_eq!(
        app.doc.notes_log[2].text,
        "Zoekt OOM\nfixed with more memory!"
    );
    assert_eq!(app.doc.notes_log[2].edited_at, Some(clock()));

    app.update(Action::Recategorize);
    app.update(Action::Down);
    app.update(Action::Activate);
    assert_eq!(app.doc.notes_log[2].category, "issue");

    app.update(Action::Delete);
    assert_eq!(app.key_mode(), KeyMode::Confirm);
    app.update(Action::No);
    assert!(app.doc.notes_log[2].is_live());
    app.update(Action::Delete);
    app.update(Action::Yes);
    assert_eq!(
        app.doc.notes_log[2].deleted_at,
        Some(clock()),
        "kept, marked deleted"
    );
    assert_eq!(app.live_notes().len(), 2);
}

#[test]
fn an_empty_note_is_refused() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "notes");
    focus_row(&mut app, Row::NotesLog);
    app.update(Action::Add);
    app.update(Action::Activate);
    app.update(Action::NextField);
    assert_eq!(app.key_mode(), KeyMode::EditLong);
    assert!(app.doc.notes_log.is_empty());
}

#[test]
fn checklist_toggle_records_who_and_when_and_out_of_scope_needs_a_reason() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "checklist");
    focus_row(&mut app, Row::Checklist);
    app.update(Action::Toggle);
    let item = &app.doc.checklist_items[0];
    assert_eq!(item.state, ItemState::Done);
    assert_eq!(item.done_by.as_deref(), Some("Jane Doe"));
    assert_eq!(item.done_at, Some(clock()));
    app.update(Action::Toggle);
    assert_eq!(app.doc.checklist_items[0].state, ItemState::Todo);
    assert_eq!(app.doc.checklist_items[0].done_by, None);

    app.update(Action::Down);
    app.update(Action::OutOfScope);
    assert_eq!(app.key_mode(), KeyMode::Confirm, "asked first");
    app.update(Action::Yes);
    app.update(Action::Activate);
    assert_eq!(
        app.key_mode(),
        KeyMode::EditLine,
        "an empty reason is refused"
    );
    assert_eq!(app.doc.checklist_items[1].state, ItemState::Todo);
    type_text(&mut app, "Customer runs it");
    app.update(Action::Activate);
    assert_eq!(app.doc.checklist_items[1].state, ItemState::OutOfScope);
    assert_eq!(
        app.doc.checklist_items[1].reason.as_deref(),
        Some("Customer runs it")
    );
}

#[test]
fn checklist_add_custom_and_optional_items_and_delete_only_those() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "checklist");
    focus_row(&mut app, Row::Checklist);
    let before = app.doc.checklist_items.len();
    app.update(Action::Add);
    app.update(Action::Activate); // "Custom item…"
    type_text(&mut app, "SSO with Okta");
    app.update(Action::Activate);
    app.update(Action::Add);
    app.update(Action::Down);
    app.update(Action::Activate); // first optional item
    let items = &app.doc.checklist_items;
    assert_eq!(items.len(), before + 2);
    assert_eq!(items[before].title, "SSO with Okta");
    assert_eq!(items[before].origin, Origin::Custom);
    assert_eq!(
        items[before + 1].title,
        "Admin accounts provisioned and admins trained"
    );

    app.update(Action::Delete);
    app.update(Action::Yes);
    assert_eq!(app.doc.checklist_items.len(), before + 1);

    app.update(Action::Focus {
        row: app.row,
        sel: Some(1),
    });
    app.update(Action::Delete);
    assert_eq!(
        app.key_mode(),
        KeyMode::Browse,
        "default items are not deleted"
    );
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("out of scope (o)"))
    );
}

#[test]
fn environments_list_adds_an_infrastructure_item() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "checklist");
    focus(&mut app, "environments");
    app.update(Action::Add);
    type_text(&mut app, "Staging");
    app.update(Action::Activate);
    assert_eq!(app.doc.environments(), ["Production", "Staging"]);
    assert_eq!(
        app.doc.checklist_items[1].title,
        "Infrastructure complete: Staging"
    );
    app.update(Action::Delete);
    app.update(Action::Yes);
    assert_eq!(app.doc.environments(), ["Production"]);
    assert!(
        !app.doc
            .checklist_items
            .iter()
            .any(|i| i.title.ends_with("Staging"))
    );
}

#[test]
fn choices_with_other_and_multi_choice() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "deployment");
    focus(&mut app, "deployment_type");
    app.update(Action::Activate);
    for _ in 0..6 {
        app.update(Action::Down);
    }
    app.update(Action::Activate);
    assert_eq!(
        app.doc.value("deployment", "deployment_type"),
        Some(&FieldValue::Text("Docker single container".into()))
    );
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("not meant for production"))
    );

    app.update(Action::Activate); // opens on the current choice
    app.update(Action::Down);
    app.update(Action::Down); // "Other…"
    app.update(Action::Activate);
    type_text(&mut app, "Nomad");
    app.update(Action::Activate);
    assert_eq!(
        app.doc.value("deployment", "deployment_type"),
        Some(&FieldValue::Text("Nomad".into()))
    );

    step(&mut app, "code_hosts");
    focus(&mut app, "hosts");
    app.update(Action::Activate);
    app.update(Action::Toggle);
    app.update(Action::Down);
    app.update(Action::Toggle);
    app.update(Action::Up);
    app.update(Action::Up); // "Other…"
    app.update(Action::Toggle);
    type_text(&mut app, "npm registry");
    app.update(Action::Activate);
    assert_eq!(
        app.doc.value("code_hosts", "hosts"),
        Some(&FieldValue::List(vec![
            "GitHub.com".into(),
            "GitHub Enterprise".into(),
            "npm registry".into()
        ]))
    );
}

#[test]
fn review_blocker_jumps_to_its_field_and_completion_is_gated() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "review");
    focus_row(&mut app, Row::Complete);
    app.update(Action::Activate);
    assert_eq!(
        app.key_mode(),
        KeyMode::Browse,
        "no confirmation while blocked"
    );
    let message = app.message.clone().expect("refusal");
    assert!(message.error);
    assert!(
        message
            .text
            .starts_with("Cannot complete: 25 things block it"),
        "{}",
        message.text
    );
    assert_eq!(app.current_row(), Some(Row::Blockers));
    app.update(Action::Activate);
    assert_eq!(app.current_step().key, "handoff");
    assert_eq!(app.current_row(), Some(Row::Field(2)), "the TA field");

    let mut app = self::app(testdata::complete_handoff());
    step(&mut app, "checklist");
    focus_row(&mut app, Row::Checklist);
    app.update(Action::Focus {
        row: app.row,
        sel: Some(3),
    });
    app.update(Action::Toggle); // un-tick one item
    step(&mut app, "review");
    focus_row(&mut app, Row::Blockers);
    app.update(Action::Activate);
    assert_eq!(app.current_step().key, "checklist");
    assert_eq!(app.sel, 3, "the item itself is selected");
}

#[test]
fn completing_asks_then_records_and_locks_editing() {
    let mut app = app(testdata::complete_handoff());
    step(&mut app, "review");
    focus_row(&mut app, Row::Complete);
    app.update(Action::Activate);
    assert_eq!(app.key_mode(), KeyMode::Confirm);
    app.update(Action::No);
    assert_eq!(app.doc.status, Status::InProgress);
    app.update(Action::Activate);
    app.update(Action::Yes);
    assert_eq!(app.doc.status, Status::Complete);
    assert_eq!(app.doc.completed_by.as_deref(), Some("Jane Doe"));
    assert_eq!(app.doc.completed_at, Some(clock()));
    assert!(app.dirty, "completion is saved");

    app.update(Action::Saved(Ok(clock())));
    let before = app.doc.clone();
    step(&mut app, "deployment");
    app.update(Action::Activate);
    assert_eq!(app.key_mode(), KeyMode::Browse);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.starts_with("Read-only:") && m.text.contains("handoff reopen")),
        "{:?}",
        app.message
    );
    assert_eq!(app.doc, before);
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
fn a_completed_handoff_opens_for_the_ta_to_maintain_the_code_hosts() {
    let mut doc = testdata::complete_handoff();
    doc.complete("Jane Doe", clock()).expect("complete");
    let mut app = App::new(doc, "Sam Rivera".into(), None).with_clock(clock);
    assert!(
        app.read_only.is_none(),
        "opened with `open`, it can be maintained"
    );

    step(&mut app, "deployment");
    focus(&mut app, "total_cpu");
    assert_eq!(
        app.key_mode(),
        KeyMode::Browse,
        "a closed field takes no typing"
    );
    app.update(Action::Activate);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("`handoff reopen FILE`")),
        "says why and how: {:?}",
        app.message
    );

    step(&mut app, "code_hosts");
    focus(&mut app, "repositories");
    assert_eq!(app.key_mode(), KeyMode::OnText);
    app.update(Action::Activate);
    app.update(Action::ClearLine);
    type_text(&mut app, "1500");
    app.update(Action::Activate);
    assert_eq!(
        app.doc.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(1500))
    );
    let change = app.doc.history.last().expect("recorded");
    assert_eq!(
        (change.field.as_str(), change.by.as_str()),
        ("code_hosts.repositories", "Sam Rivera")
    );
    assert_eq!(app.doc.completed_by.as_deref(), Some("Jane Doe"));

    step(&mut app, "notes");
    focus_row(&mut app, Row::NotesLog);
    app.update(Action::Delete);
    assert_ne!(
        app.key_mode(),
        KeyMode::Confirm,
        "notes are not changed after completion"
    );
    app.update(Action::Add);
    assert_eq!(app.key_mode(), KeyMode::Choose, "but can be added");
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
fn list_entries_are_added_edited_and_deleted() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "deployment");
    focus(&mut app, "instance_types");
    app.update(Action::Add);
    type_text(&mut app, "m6a.4xlarge ×3");
    app.update(Action::Activate);
    app.update(Action::Add);
    type_text(&mut app, "r6a.2xlarge");
    app.update(Action::Activate);
    app.update(Action::Up);
    app.update(Action::Activate);
    type_text(&mut app, " ×2");
    app.update(Action::Activate);
    assert_eq!(app.list_entries(1, 6), ["m6a.4xlarge ×3 ×2", "r6a.2xlarge"]);
    app.update(Action::Delete);
    app.update(Action::Yes);
    assert_eq!(app.list_entries(1, 6), ["r6a.2xlarge"]);
}

#[test]
fn paste_goes_into_the_editor_as_text() {
    let mut app = app(testdata::new_handoff());
    focus(&mut app, "technical_advisor");
    app.update(Action::Paste("Sam\nRivera".into()));
    assert_eq!(app.key_mode(), KeyMode::EditLine);
    app.update(Action::Activate);
    assert_eq!(
        app.doc.value("handoff", "technical_advisor"),
        Some(&FieldValue::Text("Sam Rivera".into()))
    );
}

#[test]
fn external_editor_round_trip() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "lessons");
    app.update(Action::Activate);
    type_text(&mut app, "draft");
    assert_eq!(
        app.update(Action::ExternalEditor),
        [Effect::EditExternally {
            text: "draft".into()
        }]
    );
    app.update(Action::ExternalEditDone(Ok("line one\nline two\n".into())));
    app.update(Action::NextField);
    assert_eq!(
        app.doc.value("lessons", "text"),
        Some(&FieldValue::Text("line one\nline two".into()))
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

#[test]
fn a_name_found_after_the_first_frame_is_used_and_none_means_asking() {
    let mut app = App::new(testdata::new_handoff(), String::new(), None)
        .with_who(crate::identity::Who::only(None));
    app.update(Action::NameKnown(Some("Jane Doe".into())));
    assert_eq!(app.user.as_deref(), Some("Jane Doe"));
    assert_eq!(app.key_mode(), KeyMode::OnText, "nothing was asked");
    let mut app = App::new(testdata::new_handoff(), String::new(), None)
        .with_who(crate::identity::Who::only(None));
    app.update(Action::NameKnown(None));
    assert!(matches!(&app.mode, Mode::Edit(e) if e.target == EditTarget::Name));
}
