//! The checklist, the review page's blockers and completion, and maintenance after it.

use super::*;

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
    // Letters typed on a closed field are refused as typing, never taken as
    // commands (`q`, `d`, `a`…).
    assert_eq!(app.key_mode(), KeyMode::OnText);
    type_text(&mut app, "qd");
    assert!(matches!(app.mode, Mode::Browse), "no editor opens");
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("`handoff reopen FILE`")),
        "typing says why: {:?}",
        app.message
    );
    app.message = None;
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
