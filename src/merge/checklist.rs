//! The checklist merged item by item, by key (see the rules in `merge`).

use super::{Merger, Pick, merge_tables, three_way};
use crate::handoff::{ChecklistItem, FieldValue, Origin};

fn find<'a>(items: &'a [ChecklistItem], key: &str) -> Option<&'a ChecklistItem> {
    items.iter().find(|i| i.key == key)
}

/// Both sides' items: ours in our order, theirs where they stand in theirs.
pub(super) fn merge(merger: &mut Merger<'_>, base: Option<&[ChecklistItem]>) -> Vec<ChecklistItem> {
    let base = base.unwrap_or(&[]);
    // The documents outlive the merger's borrow.
    let (ours_doc, theirs_doc) = (merger.ours, merger.theirs);
    let ours = &ours_doc.checklist_items;
    let theirs = distinct_custom_keys(base, ours, &theirs_doc.checklist_items);
    let mut merged: Vec<ChecklistItem> = Vec::with_capacity(ours.len());
    for item in ours {
        let before = find(base, &item.key);
        match find(&theirs, &item.key) {
            Some(other) => merged.push(merge_item(merger, before, item, other)),
            // Removed on their side and untouched on ours: removed.
            None if before == Some(item) => {}
            None => merged.push(item.clone()),
        }
    }
    for (index, item) in theirs.iter().enumerate() {
        let removed_here = find(base, &item.key) == Some(item);
        if find(ours, &item.key).is_some() || removed_here {
            continue;
        }
        // After the item it follows in theirs, and after what ours added there.
        let after = theirs[..index]
            .iter()
            .rev()
            .find_map(|p| merged.iter().position(|m| m.key == p.key));
        let mut place = after.map_or(0, |p| p + 1);
        while merged
            .get(place)
            .is_some_and(|m| find(&theirs, &m.key).is_none())
        {
            place += 1;
        }
        merged.insert(place, item.clone());
    }
    merged
}

/// Theirs, with each custom item added on both sides under a key ours gave
/// another item moved to the next free `custom-N`.
fn distinct_custom_keys(
    base: &[ChecklistItem],
    ours: &[ChecklistItem],
    theirs: &[ChecklistItem],
) -> Vec<ChecklistItem> {
    let mut taken: Vec<String> = base
        .iter()
        .chain(ours)
        .chain(theirs)
        .map(|i| i.key.clone())
        .collect();
    theirs
        .iter()
        .map(|item| {
            let clash = item.origin == Origin::Custom
                && find(base, &item.key).is_none()
                && find(ours, &item.key).is_some_and(|o| o.title != item.title);
            if !clash {
                return item.clone();
            }
            let key = (1..)
                .map(|n| format!("custom-{n}"))
                .find(|k| !taken.contains(k))
                .unwrap_or_default();
            taken.push(key.clone());
            ChecklistItem {
                key,
                ..item.clone()
            }
        })
        .collect()
}

/// One item both sides have.
fn merge_item(
    merger: &mut Merger<'_>,
    base: Option<&ChecklistItem>,
    ours: &ChecklistItem,
    theirs: &ChecklistItem,
) -> ChecklistItem {
    if ours == theirs {
        return ours.clone();
    }
    let state = |i: &ChecklistItem| (i.state, i.done_by.clone(), i.done_at, i.reason.clone());
    let mut merged = ours.clone();
    match three_way(
        base.map(state).as_ref(),
        Some(&state(ours)),
        Some(&state(theirs)),
    ) {
        Pick::Agreed(Some((state, done_by, done_at, reason))) => {
            merged.state = state;
            merged.done_by = done_by;
            merged.done_at = done_at;
            merged.reason = reason;
        }
        Pick::Agreed(None) => {}
        // Both done (by two people, or at two times) says the same: ours stays.
        Pick::Differ { .. } if ours.state_text() == theirs.state_text() => {}
        Pick::Differ { .. } => {
            let field = format!("checklist.{}", ours.key);
            let by = theirs.done_by.clone().or_else(|| merger.theirs_by(&field));
            merger.conflict(
                field,
                Some(FieldValue::Text(ours.state_text())),
                Some(FieldValue::Text(theirs.state_text())),
                by,
            );
        }
    }
    if let Pick::Agreed(Some(title)) = three_way(
        base.map(|b| &b.title),
        Some(&ours.title),
        Some(&theirs.title),
    ) {
        merged.title = title;
    }
    merged.unknown = merge_tables(base.map(|b| &b.unknown), &ours.unknown, &theirs.unknown);
    merged
}
