//! What changed in a handoff between two versions, in a few words for a commit
//! message and for what came in from the team ("Globex: 2 notes,
//! deployment.total_cpu", "Initech: completed by Jane Doe"). Compared by
//! meaning: a file rewritten in another layout changed nothing.

use std::collections::HashSet;

use crate::form;
use crate::handoff::{Handoff, Status};

/// At most this many fields and items are named; the rest are counted.
const NAMED: usize = 4;

/// "Customer: what changed", or `None` when nothing did by meaning.
pub fn line(file: &str, before: Option<&Handoff>, after: Option<&Handoff>) -> Option<String> {
    let parts = changes(before, after);
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "{}: {}",
        customer(file, before, after),
        parts.join(", ")
    ))
}

/// The customer's name, else the file's.
pub fn customer(file: &str, before: Option<&Handoff>, after: Option<&Handoff>) -> String {
    [after, before]
        .into_iter()
        .flatten()
        .map(Handoff::customer)
        .find(|c| !c.trim().is_empty())
        .map_or_else(
            || file.trim_end_matches(".toml").to_string(),
            str::to_string,
        )
}

/// What changed, most telling first.
pub fn changes(before: Option<&Handoff>, after: Option<&Handoff>) -> Vec<String> {
    let (before, after) = match (before, after) {
        (None, None) => return Vec::new(),
        (None, Some(_)) => return vec!["new handoff".to_string()],
        (Some(_), None) => return vec!["removed".to_string()],
        (Some(b), Some(a)) if b == a => return Vec::new(),
        (Some(b), Some(a)) => (b, a),
    };
    let mut parts = Vec::new();
    if let Some(status) = status_change(before, after) {
        parts.push(status);
    }
    parts.extend(note_changes(before, after));
    let mut named = changed_fields(before, after);
    named.extend(changed_items(before, after));
    if named.len() > NAMED {
        let more = named.len() - (NAMED - 1);
        named.truncate(NAMED - 1);
        named.push(format!("{more} more"));
    }
    parts.extend(named);
    let new = after
        .conflicts
        .iter()
        .filter(|c| !before.conflicts.contains(c))
        .count();
    let settled = before
        .conflicts
        .iter()
        .filter(|c| !after.conflicts.contains(c))
        .count();
    if new > 0 {
        parts.push(format!("{} to settle", count(new, "conflict")));
    }
    if settled > 0 {
        parts.push(format!("{} settled", count(settled, "conflict")));
    }
    if before.vitally.pushed_at != after.vitally.pushed_at {
        parts.push(match after.vitally.pushed_by.as_deref() {
            Some(by) => format!("pushed to Vitally by {by}"),
            None => "pushed to Vitally".to_string(),
        });
    }
    if parts.is_empty() {
        parts.push("history".to_string());
    }
    parts
}

fn status_change(before: &Handoff, after: &Handoff) -> Option<String> {
    let someone = |by: Option<&str>| by.unwrap_or("someone").to_string();
    match (before.status, after.status) {
        (Status::InProgress, Status::Complete) => Some(format!(
            "completed by {}",
            someone(after.completed_by.as_deref())
        )),
        (Status::Complete, Status::InProgress) => Some(format!(
            "reopened by {}",
            someone(after.reopen_history.last().map(|r| r.by.as_str()))
        )),
        _ => None,
    }
}

/// "2 notes", "1 note edited", "1 note deleted".
fn note_changes(before: &Handoff, after: &Handoff) -> Vec<String> {
    let old: std::collections::HashMap<&str, _> = before
        .notes_log
        .iter()
        .map(|n| (n.id.as_str(), n))
        .collect();
    let (mut added, mut edited, mut deleted) = (0, 0, 0);
    let mut seen = HashSet::new();
    for note in &after.notes_log {
        seen.insert(note.id.as_str());
        match old.get(note.id.as_str()) {
            None if note.is_live() => added += 1,
            None => {}
            Some(was) if was.is_live() && !note.is_live() => deleted += 1,
            Some(was) if was.text != note.text || was.category != note.category => edited += 1,
            Some(_) => {}
        }
    }
    deleted += before
        .notes_log
        .iter()
        .filter(|n| n.is_live() && !seen.contains(n.id.as_str()))
        .count();
    let mut parts = Vec::new();
    if added > 0 {
        parts.push(count(added, "note"));
    }
    if edited > 0 {
        parts.push(format!("{} edited", count(edited, "note")));
    }
    if deleted > 0 {
        parts.push(format!("{} deleted", count(deleted, "note")));
    }
    parts
}

/// `step.field` of each field whose value differs, in form order.
fn changed_fields(before: &Handoff, after: &Handoff) -> Vec<String> {
    let mut changed = Vec::new();
    for step in &form::form().steps {
        let (Some(old), Some(new)) = (before.values(&step.key), after.values(&step.key)) else {
            continue;
        };
        let keys = new
            .keys()
            .chain(old.keys().filter(|k| !new.contains_key(*k)));
        for key in keys {
            if old.get(key) != new.get(key) {
                changed.push(format!("{}.{key}", step.key));
            }
        }
    }
    changed
}

/// `checklist.KEY` of each item added, removed, or in another state.
fn changed_items(before: &Handoff, after: &Handoff) -> Vec<String> {
    let state = |h: &Handoff, key: &str| {
        h.item_index(key).map(|i| {
            let item = &h.checklist_items[i];
            (item.state_text(), item.title.clone())
        })
    };
    let keys = after.checklist_items.iter().map(|i| i.key.as_str()).chain(
        before
            .checklist_items
            .iter()
            .map(|i| i.key.as_str())
            .filter(|k| after.item_index(k).is_none()),
    );
    keys.filter(|key| state(before, key) != state(after, key))
        .map(|key| format!("checklist.{key}"))
        .collect()
}

/// "1 note", "2 notes".
pub fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handoff::{Author, FieldValue};
    use crate::testdata;

    #[test]
    fn a_change_reads_as_the_customer_and_what_changed() {
        let before = testdata::complete_handoff();
        let mut after = before.clone();
        after
            .add_note("risk", "Disk fills weekly", "Sam", testdata::at(28, 9))
            .expect("note");
        after
            .add_note("issue", "Proxy strips headers", "Sam", testdata::at(28, 10))
            .expect("note");
        after
            .change_field(
                "deployment",
                "total_cpu",
                Some(FieldValue::Number(64.0)),
                Author::typing("Sam", testdata::at(28, 11)),
            )
            .expect("open");
        assert_eq!(
            line("acme-corp.toml", Some(&before), Some(&after)).as_deref(),
            Some("Acme Corp: 2 notes, deployment.total_cpu")
        );
        assert_eq!(line("acme-corp.toml", Some(&before), Some(&before)), None);
    }

    #[test]
    fn a_push_alone_reads_as_a_push_not_as_history() {
        let before = testdata::complete_handoff();
        let mut after = before.clone();
        after.vitally.pushed_at = Some(testdata::at(28, 9));
        after.vitally.pushed_by = Some("Sam Rivera".into());
        assert_eq!(
            line("acme-corp.toml", Some(&before), Some(&after)).as_deref(),
            Some("Acme Corp: pushed to Vitally by Sam Rivera")
        );
    }

    #[test]
    fn completion_reopening_deletion_and_many_fields_are_told_apart() {
        let before = testdata::complete_handoff();
        let mut after = before.clone();
        after
            .complete("Jane Doe", testdata::at(28, 9))
            .expect("complete");
        assert_eq!(
            changes(Some(&before), Some(&after)),
            ["completed by Jane Doe"]
        );
        let mut reopened = after.clone();
        reopened.reopen("Sam Rivera", testdata::at(29, 9));
        assert_eq!(
            changes(Some(&after), Some(&reopened)),
            ["reopened by Sam Rivera"]
        );

        let mut edited = before.clone();
        edited.delete_note(0, "Jane", testdata::at(28, 9));
        for (field, n) in [
            ("total_cpu", 1.0),
            ("total_memory_gb", 2.0),
            ("total_disk_gb", 3.0),
        ] {
            edited.set_value("deployment", field, Some(FieldValue::Number(n)));
        }
        edited.set_value("code_hosts", "monorepos", None);
        edited.mark_todo(0);
        assert_eq!(
            changes(Some(&before), Some(&edited)),
            [
                "1 note deleted",
                "deployment.total_cpu",
                "deployment.total_memory_gb",
                "deployment.total_disk_gb",
                "2 more"
            ]
        );
        assert_eq!(changes(None, Some(&before)), ["new handoff"]);
        assert_eq!(changes(Some(&before), None), ["removed"]);
        assert_eq!(customer("globex.toml", None, None), "globex");
    }
}
