//! For random pairs of edits made on two machines from a common version, the
//! merged handoff contains every note and every recorded change of both sides,
//! every value either side set (or a conflict holding it), in time order, every
//! Vitally note either side pushed, and reads back from its file as it is.

use std::path::Path;

use chrono::Duration;
use proptest::prelude::*;

use handoff::handoff::{Author, FieldValue, Handoff, NOTE_CONFLICT, Timestamp};
use handoff::merge::{Context, merge};
use handoff::store;
use handoff::testdata::{self, at};
use handoff::vitally::record::PushedNote;

/// One thing a person does to the handoff.
#[derive(Debug, Clone)]
enum Act {
    AddNote(usize, String),
    EditNote(usize, String),
    DeleteNote(usize),
    Recategorize(usize, usize),
    SetCpu(u8),
    SetRepositories(u8),
    AddLink(u8),
    RemoveFirstLink,
    ToggleItem(usize),
    OutOfScope(usize, String),
    AddCustomItem(String),
    Complete,
    Reopen,
    /// A push to Vitally: every live note not pushed yet is created, the CPU sent.
    Push,
}

fn edit() -> impl Strategy<Value = Act> {
    let words = "[a-z]{1,8}( [a-z]{1,8}){0,3}";
    prop_oneof![
        (0..7usize, words).prop_map(|(c, t)| Act::AddNote(c, t)),
        (0..4usize, words).prop_map(|(i, t)| Act::EditNote(i, t)),
        (0..4usize).prop_map(Act::DeleteNote),
        (0..4usize, 0..7usize).prop_map(|(i, c)| Act::Recategorize(i, c)),
        (0..4u8).prop_map(Act::SetCpu),
        (0..4u8).prop_map(Act::SetRepositories),
        (0..4u8).prop_map(Act::AddLink),
        Just(Act::RemoveFirstLink),
        (0..8usize).prop_map(Act::ToggleItem),
        (0..8usize, words).prop_map(|(i, r)| Act::OutOfScope(i, r)),
        "[A-Z][a-z]{1,10}".prop_map(Act::AddCustomItem),
        Just(Act::Complete),
        Just(Act::Reopen),
        Just(Act::Push),
    ]
}

/// Applies a person's edits by the document's own rules; refused ones (a closed
/// step, a deleted note) change nothing, as in the wizard.
fn apply(handoff: &mut Handoff, edits: &[Act], by: &str, start: Timestamp) {
    let categories = &handoff::form::form().note_categories;
    for (k, edit) in edits.iter().enumerate() {
        let when = start + Duration::minutes(2 * k as i64);
        let author = Author::typing(by, when);
        let set = |h: &mut Handoff, step: &str, field: &str, v: FieldValue| {
            let _ = h.change_field(step, field, Some(v), author);
        };
        match edit {
            Act::AddNote(c, text) => {
                let _ = handoff.add_note(&categories[*c].key, text, by, when);
            }
            Act::EditNote(i, text) => {
                let _ = handoff.edit_note(*i, text, by, when);
            }
            Act::DeleteNote(i) => {
                handoff.delete_note(*i, by, when);
            }
            Act::Recategorize(i, c) => {
                handoff.recategorize_note(*i, &categories[*c].key, by, when);
            }
            Act::SetCpu(n) => set(
                handoff,
                "deployment",
                "total_cpu",
                FieldValue::Number(f64::from(*n) * 8.0),
            ),
            Act::SetRepositories(n) => set(
                handoff,
                "code_hosts",
                "repositories",
                FieldValue::Integer(i64::from(*n) * 100),
            ),
            Act::AddLink(n) => {
                let mut links = match handoff.value("deployment", "tdd_links") {
                    Some(FieldValue::List(l)) => l.clone(),
                    _ => Vec::new(),
                };
                links.push(format!("https://docs.example.com/{by}-{n}"));
                set(handoff, "deployment", "tdd_links", FieldValue::List(links));
            }
            Act::RemoveFirstLink => {
                if let Some(FieldValue::List(links)) = handoff.value("deployment", "tdd_links") {
                    let links = links.iter().skip(1).cloned().collect();
                    set(handoff, "deployment", "tdd_links", FieldValue::List(links));
                }
            }
            Act::ToggleItem(i) if handoff.status_is_open() => {
                handoff.toggle_item(*i, by, when);
            }
            Act::OutOfScope(i, reason) if handoff.status_is_open() => {
                let _ = handoff.mark_out_of_scope(*i, reason);
            }
            Act::AddCustomItem(title) if handoff.status_is_open() => {
                handoff.add_custom_item(title);
            }
            Act::Complete => {
                let _ = handoff.complete(by, when);
            }
            Act::Reopen => {
                handoff.reopen(by, when);
            }
            Act::Push => push(handoff, by, k, when),
            _ => {}
        }
    }
}

/// What a push to Vitally records: a note for each live entry without one
/// (its Vitally ID unique to the person and the push), the CPU as a trait.
fn push(handoff: &mut Handoff, by: &str, k: usize, when: Timestamp) {
    let live: Vec<(String, String)> = handoff
        .notes_log
        .iter()
        .filter(|n| n.is_live())
        .map(|n| (n.id.clone(), n.text.clone()))
        .collect();
    let cpu = handoff.value("deployment", "total_cpu").cloned();
    let record = &mut handoff.vitally;
    record.account = "acme-corp".into();
    record.account_id = "acc-1".into();
    for (i, (entry, text)) in live.into_iter().enumerate() {
        match record.note_mut(&entry) {
            Some(note) => note.sent = text,
            None => record.notes.push(PushedNote {
                external_id: format!("handoff:acc-1:{entry}"),
                entry,
                id: Some(format!("{by}-{k}-{i}")),
                sent: text,
                note_date: None,
                unknown: toml::Table::new(),
            }),
        }
    }
    record.set_trait("deployment.total_cpu", "vitally.custom.totalCpu", cpu);
    record.pushed_at = Some(when);
    record.pushed_by = Some(by.to_string());
}

/// Every Vitally note either side made is in the merged record, so the next
/// push creates none of them again; the later push's time and person stand.
fn pushes_are_kept(
    ours: &Handoff,
    theirs: &Handoff,
    merged: &Handoff,
) -> Result<(), TestCaseError> {
    let record = &merged.vitally;
    for side in [ours, theirs] {
        for note in side.vitally.notes.iter().filter(|n| n.id.is_some()) {
            prop_assert!(
                record
                    .notes
                    .iter()
                    .any(|n| n.entry == note.entry && n.id == note.id),
                "the Vitally note {:?} of {} is forgotten",
                note.id,
                note.entry
            );
            prop_assert!(record.note(&note.entry).is_some_and(|n| n.id.is_some()));
        }
    }
    let later = ours.vitally.pushed_at.max(theirs.vitally.pushed_at);
    prop_assert_eq!(record.pushed_at, later);
    if later.is_some() {
        let by = [ours, theirs]
            .into_iter()
            .find(|h| h.vitally.pushed_at == later)
            .and_then(|h| h.vitally.pushed_by.clone());
        prop_assert_eq!(&record.pushed_by, &by);
    }
    Ok(())
}

trait Open {
    fn status_is_open(&self) -> bool;
}

impl Open for Handoff {
    /// The checklist is closed once the handoff is complete.
    fn status_is_open(&self) -> bool {
        self.step_is_open("checklist")
    }
}

fn text_kept(merged: &Handoff, id: &str, text: &str) -> bool {
    let field = format!("{NOTE_CONFLICT}{id}");
    let in_conflict = merged.conflicts.iter().any(|c| {
        c.field == field
            && [&c.ours, &c.theirs]
                .iter()
                .any(|v| v.as_ref().is_some_and(|v| v.to_input() == text))
    });
    let note = merged.notes_log.iter().find(|n| n.id == id);
    in_conflict || note.is_some_and(|n| !n.is_live() || n.text == text)
}

/// Whatever one side wrote since the base is in the merge.
fn side_is_kept(base: &Handoff, side: &Handoff, merged: &Handoff) -> Result<(), TestCaseError> {
    for note in &side.notes_log {
        prop_assert!(
            merged.notes_log.iter().any(|n| n.id == note.id),
            "note {} is missing",
            note.id
        );
        let before = base.notes_log.iter().find(|n| n.id == note.id);
        if note.is_live() && before.is_none_or(|b| b.text != note.text) {
            prop_assert!(
                text_kept(merged, &note.id, &note.text),
                "the text of {} is lost",
                note.id
            );
        }
    }
    for change in &side.history {
        prop_assert!(
            merged.history.contains(change),
            "change {change:?} is missing"
        );
    }
    for reopening in &side.reopen_history {
        prop_assert!(merged.reopen_history.contains(reopening));
    }
    let conflict_about = |field: &str| merged.conflicts.iter().any(|c| c.field == field);
    for (step, field) in [
        ("deployment", "total_cpu"),
        ("code_hosts", "repositories"),
        ("deployment", "tdd_links"),
    ] {
        let (was, now) = (base.value(step, field), side.value(step, field));
        if was == now || conflict_about(&format!("{step}.{field}")) {
            continue;
        }
        match (was, now, merged.value(step, field)) {
            (
                Some(FieldValue::List(was)),
                Some(FieldValue::List(now)),
                Some(FieldValue::List(got)),
            ) => {
                for added in now.iter().filter(|e| !was.contains(e)) {
                    prop_assert!(got.contains(added), "{added} is lost from {step}.{field}");
                }
            }
            (_, now, got) => prop_assert_eq!(got, now, "{}.{}", step, field),
        }
    }
    for item in &side.checklist_items {
        let merged_item = merged
            .checklist_items
            .iter()
            .find(|i| i.title == item.title);
        prop_assert!(merged_item.is_some(), "item {} is missing", item.title);
        let changed = base
            .checklist_items
            .iter()
            .find(|i| i.key == item.key)
            .is_none_or(|b| b.state_text() != item.state_text());
        if changed && !conflict_about(&format!("checklist.{}", item.key)) {
            prop_assert_eq!(
                merged_item.map(handoff::handoff::ChecklistItem::state_text),
                Some(item.state_text())
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_merge_keeps_everything_both_sides_wrote(
        ours_edits in prop::collection::vec(edit(), 0..10),
        theirs_edits in prop::collection::vec(edit(), 0..10),
    ) {
        let base = testdata::complete_handoff();
        let mut ours = base.clone();
        let mut theirs = base.clone();
        apply(&mut ours, &ours_edits, "Jane Doe", at(28, 9));
        apply(&mut theirs, &theirs_edits, "Sam Rivera", at(28, 9) + Duration::minutes(1));
        let context = Context { at: at(30, 12), theirs_by: Some("Sam Rivera".into()) };
        let merged = merge(Some(&base), &ours, &theirs, &context);

        side_is_kept(&base, &ours, &merged)?;
        side_is_kept(&base, &theirs, &merged)?;
        pushes_are_kept(&ours, &theirs, &merged)?;
        prop_assert!(merged.notes_log.windows(2).all(|w| w[0].created_at <= w[1].created_at), "notes in time order");
        prop_assert!(merged.history.windows(2).all(|w| w[0].at <= w[1].at), "history in time order");
        prop_assert_eq!(merged.updated_at, ours.updated_at.max(theirs.updated_at));

        // The other way round, the same notes and history.
        let mirrored = merge(Some(&base), &theirs, &ours, &context);
        let ids = |h: &Handoff| { let mut v: Vec<String> = h.notes_log.iter().map(|n| n.id.clone()).collect(); v.sort(); v };
        prop_assert_eq!(ids(&mirrored), ids(&merged));
        prop_assert_eq!(&mirrored.history, &merged.history);
        let rows = |h: &Handoff| { let mut v: Vec<(String, Option<String>)> = h.vitally.notes.iter().map(|n| (n.entry.clone(), n.id.clone())).collect(); v.sort(); v };
        prop_assert_eq!(rows(&mirrored), rows(&merged));

        // A side that changed nothing yields the other exactly.
        prop_assert_eq!(&merge(Some(&base), &base, &theirs, &context), &theirs);

        // And the file reads back as the document.
        let text = store::to_toml(&merged).map_err(TestCaseError::fail)?;
        let reread = store::parse(Path::new("merged.toml"), &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(reread.handoff, merged);
    }
}
