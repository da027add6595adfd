//! Typing: fields, notes, lists, choices, paste and `$EDITOR`.

use super::*;

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
fn on_the_notes_step_a_note_is_added_from_a_limit_field_and_letters_stay_text() {
    let mut app = app(testdata::new_handoff());
    step(&mut app, "notes");
    focus_row(&mut app, Row::Field(0));
    assert_eq!(app.key_mode(), KeyMode::OnText);
    // `a` on the field is typing…
    assert_eq!(
        crate::tui::keys::map_key(
            KeyMode::OnText,
            KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE)
        ),
        Some(Action::Type(KeyEvent::new(
            KeyCode::Char('a'),
            KeyModifiers::NONE
        )))
    );
    // …and Alt-A adds a note from there.
    let add = crate::tui::keys::map_key(
        KeyMode::OnText,
        KeyEvent::new(KeyCode::Char('a'), KeyModifiers::ALT),
    );
    assert_eq!(add, Some(Action::Add));
    app.update(Action::Add);
    let Mode::Choose(chooser) = &app.mode else {
        panic!("a new note starts with its category");
    };
    assert_eq!(chooser.purpose, ChooserPurpose::NoteCategory { note: None });
}
