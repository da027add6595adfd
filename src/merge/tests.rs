//! The merge rules, one at a time, on documents built in memory.

use super::*;
use crate::handoff::{Author, ItemState, Status, Target};
use crate::testdata::{self, at};

pub(super) fn context() -> Context {
    Context {
        at: at(30, 12),
        theirs_by: Some("Sam Rivera".into()),
    }
}

pub(super) fn number(n: f64) -> Option<FieldValue> {
    Some(FieldValue::Number(n))
}

fn list(items: &[&str]) -> Option<FieldValue> {
    Some(FieldValue::List(
        items.iter().map(|s| (*s).to_string()).collect(),
    ))
}

/// A base and two copies of it, as two machines start.
pub(super) fn three() -> (Handoff, Handoff, Handoff) {
    let base = testdata::complete_handoff();
    (base.clone(), base.clone(), base)
}

pub(super) fn typing(by: &str, day: u32) -> Author<'_> {
    Author::typing(by, at(day, 9))
}

#[test]
fn fields_changed_on_different_sides_both_arrive() {
    let (base, mut ours, mut theirs) = three();
    ours.change_field("deployment", "total_cpu", number(64.0), typing("Jane", 28))
        .expect("open");
    theirs
        .change_field(
            "code_hosts",
            "repositories",
            Some(FieldValue::Integer(1500)),
            typing("Sam", 29),
        )
        .expect("open");
    let merged = merge(Some(&base), &ours, &theirs, &context());
    assert_eq!(
        merged.value("deployment", "total_cpu"),
        number(64.0).as_ref()
    );
    assert_eq!(
        merged.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(1500))
    );
    assert!(merged.conflicts.is_empty());
    assert_eq!(merged.updated_at, at(29, 9), "the later of the two");
    assert_eq!(merged.blockers(), []);
}

#[test]
fn one_field_set_two_ways_keeps_ours_and_records_theirs_as_a_blocker() {
    let (base, mut ours, mut theirs) = three();
    ours.change_field("deployment", "total_cpu", number(64.0), typing("Jane", 28))
        .expect("open");
    theirs
        .change_field("deployment", "total_cpu", number(48.0), typing("Sam", 28))
        .expect("open");
    let merged = merge(Some(&base), &ours, &theirs, &context());
    assert_eq!(
        merged.value("deployment", "total_cpu"),
        number(64.0).as_ref()
    );
    assert_eq!(
        merged.conflicts,
        [Conflict {
            at: at(30, 12),
            field: "deployment.total_cpu".into(),
            ours: number(64.0),
            theirs: number(48.0),
            theirs_by: Some("Sam Rivera".into()),
            unknown: toml::Table::new(),
        }]
    );
    let blockers = merged.blockers();
    assert_eq!(blockers.len(), 1);
    assert_eq!(
        blockers[0].target,
        Target::Conflict("deployment.total_cpu".into())
    );
    assert_eq!(
        blockers[0].message,
        "Total CPU (cores) was set two ways: 64 (kept) and 48 (by Sam Rivera); pick one"
    );
    // Merging the merge again adds nothing.
    let again = merge(Some(&base), &merged, &theirs, &context());
    assert_eq!(again.conflicts.len(), 1);

    // The same value on both sides is no conflict.
    let merged = merge(Some(&base), &ours, &ours, &context());
    assert!(merged.conflicts.is_empty());
}

#[test]
fn lists_merge_entry_by_entry_unless_one_entry_was_replaced_two_ways() {
    let (base, mut ours, mut theirs) = three();
    ours.set_value(
        "deployment",
        "tdd_links",
        list(&["https://docs.example.com/acme-tdd", "https://a"]),
    );
    theirs.set_value("deployment", "tdd_links", list(&["https://b"]));
    let merged = merge(Some(&base), &ours, &theirs, &context());
    assert_eq!(
        merged.value("deployment", "tdd_links"),
        list(&["https://a", "https://b"]).as_ref(),
        "ours added a, theirs removed the first and added b"
    );
    assert!(merged.conflicts.is_empty());

    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.set_value(
        "deployment",
        "instance_types",
        list(&["m6a.4xlarge ×4", "r6a.2xlarge ×1"]),
    );
    theirs.set_value(
        "deployment",
        "instance_types",
        list(&["m6a.4xlarge ×5", "r6a.2xlarge ×1"]),
    );
    let merged = merge(Some(&base), &ours, &theirs, &context());
    assert_eq!(
        merged.value("deployment", "instance_types"),
        ours.value("deployment", "instance_types")
    );
    assert_eq!(merged.conflicts.len(), 1, "×3 became ×4 here and ×5 there");
}

#[test]
fn notes_added_on_both_sides_all_arrive_in_time_order() {
    let (base, mut ours, mut theirs) = three();
    ours.add_note("risk", "Disk fills weekly", "Jane", at(28, 10))
        .expect("note");
    ours.add_note("issue", "Proxy strips headers", "Jane", at(28, 12))
        .expect("note");
    theirs
        .add_note("expansion", "Wants Cody", "Sam", at(28, 11))
        .expect("note");
    let merged = merge(Some(&base), &ours, &theirs, &context());
    let texts: Vec<&str> = merged
        .notes_log
        .iter()
        .skip(2)
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(
        texts,
        ["Disk fills weekly", "Wants Cody", "Proxy strips headers"]
    );
    assert_eq!(merged.notes_log.len(), 5);
    // The same merge from the other side holds the same notes.
    let mirrored = merge(Some(&base), &theirs, &ours, &context());
    assert_eq!(mirrored.notes_log, merged.notes_log);
}

#[test]
fn a_note_edited_on_both_sides_keeps_both_texts_until_someone_picks() {
    let (base, mut ours, mut theirs) = three();
    ours.edit_note(0, "800 users", "Jane", at(28, 9))
        .expect("edit");
    theirs
        .edit_note(0, "900 users", "Sam", at(28, 10))
        .expect("edit");
    let merged = merge(Some(&base), &ours, &theirs, &context());
    let note = &merged.notes_log[0];
    assert_eq!(note.text, "800 users");
    assert_eq!(
        note.edited_by.as_deref(),
        Some("Sam"),
        "the later edit's time and author"
    );
    let field = format!("note.{}", note.id);
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].field, field);
    assert_eq!(
        merged.conflicts[0].theirs,
        Some(FieldValue::Text("900 users".into()))
    );
    assert_eq!(merged.blockers()[0].target, Target::Conflict(field.clone()));
    assert_eq!(
        merged.blockers()[0].message,
        "The note by Jane Doe of 2026-03-10 14:00 was edited two ways (the other edit by Sam); pick one"
    );

    let mut taken = merged.clone();
    taken
        .resolve_conflict(0, true, "Jane", at(29, 9))
        .expect("settled");
    assert_eq!(taken.notes_log[0].text, "900 users");
    assert!(taken.conflicts.is_empty());
    let recorded = taken.history.last().expect("recorded");
    assert_eq!(
        (recorded.old.as_ref(), recorded.new.as_ref()),
        (None, None),
        "no note text in the history"
    );

    let mut deleted = merged;
    deleted.delete_note(0, "Jane", at(29, 9));
    assert!(
        deleted.conflicts.is_empty(),
        "deleting a note takes the other text with it"
    );
}

#[test]
fn a_deletion_wins_over_an_edit_and_a_one_sided_edit_wins() {
    let (base, mut ours, mut theirs) = three();
    ours.delete_note(0, "Jane", at(28, 9));
    theirs
        .edit_note(0, "800 users, and the token is abc123", "Sam", at(28, 10))
        .expect("edit");
    theirs
        .edit_note(1, "Rockskip on", "Sam", at(28, 10))
        .expect("edit");
    let merged = merge(Some(&base), &ours, &theirs, &context());
    assert!(!merged.notes_log[0].is_live());
    assert_eq!(merged.notes_log[0].text, "");
    assert_eq!(merged.notes_log[1].text, "Rockskip on");
    assert!(merged.conflicts.is_empty());
    let mirrored = merge(Some(&base), &theirs, &ours, &context());
    assert!(!mirrored.notes_log[0].is_live(), "whichever side deleted");
}

#[test]
fn checklist_items_merge_per_item_and_two_states_are_a_conflict() {
    let (base, mut ours, mut theirs) = three();
    let search = base.item_index("search_indexing").expect("item");
    let deployed = base.item_index("deployed").expect("item");
    ours.mark_todo(search);
    ours.mark_out_of_scope(deployed, "Customer deploys")
        .expect("reason");
    theirs.mark_done(deployed, "Sam", at(28, 9));
    let merged = merge(Some(&base), &ours, &theirs, &context());
    assert_eq!(
        merged.checklist_items[search].state,
        ItemState::Todo,
        "one side's change"
    );
    assert_eq!(
        merged.checklist_items[deployed].state,
        ItemState::OutOfScope,
        "ours stays"
    );
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].field, "checklist.deployed");
    assert_eq!(
        merged.conflicts[0].theirs,
        Some(FieldValue::Text("done".into()))
    );
    assert_eq!(merged.conflicts[0].theirs_by.as_deref(), Some("Sam"));

    // Done here and done there (by two people) says the same thing.
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.mark_todo(search);
    theirs.mark_todo(search);
    let todo = ours.clone();
    ours.mark_done(search, "Jane", at(28, 9));
    theirs.mark_done(search, "Sam", at(28, 10));
    let merged = merge(Some(&todo), &ours, &theirs, &context());
    assert!(merged.conflicts.is_empty());
    assert_eq!(
        merged.checklist_items[search].done_by.as_deref(),
        Some("Jane")
    );
}

#[test]
fn custom_items_added_on_both_sides_are_two_items() {
    let (base, mut ours, mut theirs) = three();
    ours.add_custom_item("Migrate saved searches")
        .expect("added");
    theirs.add_custom_item("Train the admins").expect("added");
    theirs
        .add_custom_item("Hand over the runbook")
        .expect("added");
    let merged = merge(Some(&base), &ours, &theirs, &context());
    let custom: Vec<(&str, &str)> = merged
        .checklist_items
        .iter()
        .filter(|i| i.key.starts_with("custom-"))
        .map(|i| (i.key.as_str(), i.title.as_str()))
        .collect();
    assert_eq!(
        custom,
        [
            ("custom-1", "Migrate saved searches"),
            ("custom-3", "Train the admins"),
            ("custom-2", "Hand over the runbook"),
        ]
    );
    assert!(merged.conflicts.is_empty());
}

#[test]
fn environments_added_on_both_sides_each_get_their_item() {
    let (base, mut ours, mut theirs) = three();
    ours.set_value(
        "checklist",
        "environments",
        list(&["Production", "Staging", "Dev"]),
    );
    theirs.set_value(
        "checklist",
        "environments",
        list(&["Production", "Staging", "QA"]),
    );
    let merged = merge(Some(&base), &ours, &theirs, &context());
    let keys: Vec<&str> = merged
        .checklist_items
        .iter()
        .take(4)
        .map(|i| i.key.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "environment:Production",
            "environment:Staging",
            "environment:Dev",
            "environment:QA"
        ]
    );
}

#[test]
fn a_completion_and_a_change_of_the_code_hosts_both_arrive() {
    let (base, mut ours, mut theirs) = three();
    ours.complete("Jane Doe", at(28, 10)).expect("complete");
    theirs
        .change_field(
            "code_hosts",
            "repositories",
            Some(FieldValue::Integer(1500)),
            typing("Sam", 28),
        )
        .expect("open");
    let merged = merge(Some(&base), &ours, &theirs, &context());
    assert_eq!(merged.status, Status::Complete);
    assert_eq!(merged.completed_by.as_deref(), Some("Jane Doe"));
    assert_eq!(
        merged.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(1500))
    );

    // After completion: the TA maintains the code hosts while the engineer reopens.
    let base = merged;
    let mut ours = base.clone();
    let mut theirs = base.clone();
    ours.reopen("Jane Doe", at(29, 9));
    theirs
        .change_field(
            "code_hosts",
            "monorepos",
            Some(FieldValue::Integer(3)),
            typing("Sam", 29),
        )
        .expect("maintenance");
    let merged = merge(Some(&base), &theirs, &ours, &context());
    assert_eq!(
        merged.status,
        Status::InProgress,
        "the reopening wins: only one side changed the status"
    );
    assert_eq!(
        merged.value("code_hosts", "monorepos"),
        Some(&FieldValue::Integer(3))
    );
    let fields: Vec<&str> = merged.history.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        ["code_hosts.monorepos", "status"],
        "united in time order"
    );
}

#[test]
fn a_status_set_two_ways_keeps_ours_and_records_theirs() {
    let (base, mut ours, mut theirs) = three();
    ours.complete("Jane Doe", at(28, 10)).expect("complete");
    theirs.complete("Sam Rivera", at(28, 11)).expect("complete");
    let merged = merge(Some(&base), &ours, &theirs, &context());
    assert_eq!(merged.completed_by.as_deref(), Some("Jane Doe"));
    let last = merged.history.last().expect("recorded");
    assert_eq!(
        (last.field.as_str(), last.by.as_str(), last.at),
        ("status", "Sam Rivera", at(28, 11))
    );
}

#[test]
fn a_conflict_settled_on_one_side_stays_settled() {
    let (_, mut ours, mut theirs) = three();
    let base = merge(
        None,
        &{
            ours.set_value("deployment", "total_cpu", number(1.0));
            ours.clone()
        },
        &{
            theirs.set_value("deployment", "total_cpu", number(2.0));
            theirs.clone()
        },
        &context(),
    );
    assert_eq!(base.conflicts.len(), 1);
    let mut settled = base.clone();
    settled
        .resolve_conflict(0, true, "Jane", at(30, 13))
        .expect("settled");
    let mut other = base.clone();
    other
        .add_note("risk", "meanwhile", "Sam", at(30, 14))
        .expect("note");
    let merged = merge(Some(&base), &other, &settled, &context());
    assert!(merged.conflicts.is_empty());
    assert_eq!(
        merged.value("deployment", "total_cpu"),
        number(2.0).as_ref()
    );
    assert_eq!(merged.notes_log.len(), 3);
}

#[test]
fn keys_this_version_does_not_know_are_united() {
    let (base, mut ours, mut theirs) = three();
    ours.unknown
        .insert("mood".into(), toml::Value::String("calm".into()));
    theirs
        .unknown
        .insert("colour".into(), toml::Value::String("blue".into()));
    theirs.notes_log[0]
        .unknown
        .insert("pinned".into(), toml::Value::Boolean(true));
    let merged = merge(Some(&base), &ours, &theirs, &context());
    assert_eq!(merged.unknown.len(), 2);
    assert!(merged.notes_log[0].unknown.contains_key("pinned"));
}

#[test]
fn with_no_common_version_what_only_one_side_has_arrives() {
    let mut ours = testdata::new_handoff();
    let mut theirs = testdata::new_handoff();
    ours.set_value("deployment", "total_cpu", number(8.0));
    theirs.set_value("code_hosts", "repositories", Some(FieldValue::Integer(5)));
    theirs.set_value("deployment", "total_cpu", number(9.0));
    let merged = merge(None, &ours, &theirs, &context());
    assert_eq!(
        merged.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(5))
    );
    assert_eq!(
        merged.value("deployment", "total_cpu"),
        number(8.0).as_ref()
    );
    assert_eq!(merged.conflicts.len(), 1);
}

#[test]
fn a_side_that_changed_nothing_yields_the_other_exactly() {
    let (base, _, mut theirs) = three();
    theirs
        .add_note("risk", "x", "Sam", at(28, 9))
        .expect("note");
    theirs.set_value(
        "upgrade",
        "cadence",
        Some(FieldValue::Text("Quarterly".into())),
    );
    theirs.updated_at = at(28, 9);
    assert_eq!(merge(Some(&base), &base, &theirs, &context()), theirs);
    assert_eq!(merge(Some(&base), &theirs, &base, &context()), theirs);
    assert_eq!(merge(Some(&base), &theirs, &theirs, &context()), theirs);
}
