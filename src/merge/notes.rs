//! The notes log merged entry by entry, by id (see the rules in `merge`).

use std::collections::{HashMap, HashSet};

use super::{Merger, Pick, merge_tables, three_way};
use crate::handoff::{FieldValue, NOTE_CONFLICT, NoteEntry};

/// Every entry of both sides once, in time order.
pub(super) fn merge<'a>(merger: &mut Merger<'a>, base: Option<&'a [NoteEntry]>) -> Vec<NoteEntry> {
    // The documents outlive the merger's borrow.
    let (ours_doc, theirs_doc) = (merger.ours, merger.theirs);
    let (ours, theirs) = (&ours_doc.notes_log, &theirs_doc.notes_log);
    let by_id = |notes: &'a [NoteEntry]| -> HashMap<&'a str, &'a NoteEntry> {
        notes.iter().map(|n| (n.id.as_str(), n)).collect()
    };
    let base = by_id(base.unwrap_or(&[]));
    let theirs_by_id = by_id(theirs);
    let ours_ids: HashSet<&str> = ours.iter().map(|n| n.id.as_str()).collect();

    let mut merged = Vec::with_capacity(ours.len().max(theirs.len()));
    for note in ours {
        match theirs_by_id.get(note.id.as_str()) {
            Some(other) => {
                let before = base.get(note.id.as_str()).copied();
                merged.push(merge_note(merger, before, note, other));
            }
            // In the base, gone from theirs: taken out of the file on purpose.
            None if base.contains_key(note.id.as_str()) => {}
            None => merged.push(note.clone()),
        }
    }
    merged.extend(
        theirs
            .iter()
            .filter(|n| !ours_ids.contains(n.id.as_str()) && !base.contains_key(n.id.as_str()))
            .cloned(),
    );
    // Stable: among notes of the same second, ours first, each side in its order.
    merged.sort_by_key(|n| n.created_at);
    merged
}

/// One entry both sides have.
fn merge_note(
    merger: &mut Merger<'_>,
    base: Option<&NoteEntry>,
    ours: &NoteEntry,
    theirs: &NoteEntry,
) -> NoteEntry {
    if ours == theirs {
        return ours.clone();
    }
    // A deletion wins: it took the words out on purpose.
    if !ours.is_live() {
        return ours.clone();
    }
    if !theirs.is_live() {
        return theirs.clone();
    }
    let mut merged = ours.clone();
    // `None` (never edited) is earlier than any edit.
    let theirs_later = theirs.edited_at > ours.edited_at;
    match three_way(
        base.map(|b| &b.category),
        Some(&ours.category),
        Some(&theirs.category),
    ) {
        Pick::Agreed(category) => merged.category = category.unwrap_or_default(),
        Pick::Differ { .. } if theirs_later => merged.category.clone_from(&theirs.category),
        Pick::Differ { .. } => {}
    }
    match three_way(base.map(|b| &b.text), Some(&ours.text), Some(&theirs.text)) {
        Pick::Agreed(text) => merged.text = text.unwrap_or_default(),
        Pick::Differ { .. } => merger.conflict(
            format!("{NOTE_CONFLICT}{}", ours.id),
            Some(FieldValue::Text(ours.text.clone())),
            Some(FieldValue::Text(theirs.text.clone())),
            theirs
                .edited_by
                .clone()
                .or_else(|| Some(theirs.author.clone())),
        ),
    }
    if theirs_later {
        merged.edited_at = theirs.edited_at;
        merged.edited_by.clone_from(&theirs.edited_by);
    }
    merged.unknown = merge_tables(base.map(|b| &b.unknown), &ours.unknown, &theirs.unknown);
    merged
}
