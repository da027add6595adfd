//! The `[vitally]` push record merged (see the rules in `merge`): nothing either
//! side pushed is forgotten, so a later push never makes a Vitally note twice.

use super::{Pick, merge_tables, three_way};
use crate::vitally::record::{PushedNote, PushedTrait, VitallyRecord};

/// Both sides' records made into one. Without a base, an empty record stands in.
pub(super) fn merge(
    base: Option<&VitallyRecord>,
    ours: &VitallyRecord,
    theirs: &VitallyRecord,
) -> VitallyRecord {
    let empty = VitallyRecord::default();
    let base = base.unwrap_or(&empty);
    if let Pick::Agreed(record) = three_way(Some(base), Some(ours), Some(theirs)) {
        return record.unwrap_or_default();
    }
    // `None` (a first push that stopped part way) is earlier than any push.
    let theirs_later = theirs.pushed_at > ours.pushed_at;
    let (later, earlier) = if theirs_later {
        (theirs, ours)
    } else {
        (ours, theirs)
    };
    if !ours.account_id.is_empty()
        && !theirs.account_id.is_empty()
        && ours.account_id != theirs.account_id
    {
        // Two accounts: a push to the other one starts its record afresh anyway.
        return later.clone();
    }
    let named = if later.account_id.is_empty() {
        earlier
    } else {
        later
    };
    VitallyRecord {
        account: named.account.clone(),
        account_id: named.account_id.clone(),
        pushed_at: later.pushed_at,
        pushed_by: later
            .pushed_by
            .clone()
            .or_else(|| earlier.pushed_by.clone()),
        traits: traits(base, ours, theirs, theirs_later),
        notes: notes(base, ours, theirs),
        unknown: merge_tables(Some(&base.unknown), &ours.unknown, &theirs.unknown),
    }
}

/// Field by field: a side that did not change a trait's record yields; sent
/// differently by both, the later push's record stands (Vitally took its value
/// last), including a trait it cleared.
fn traits(
    base: &VitallyRecord,
    ours: &VitallyRecord,
    theirs: &VitallyRecord,
    theirs_later: bool,
) -> Vec<PushedTrait> {
    let mut fields: Vec<&str> = Vec::new();
    for record in [ours, theirs, base] {
        for t in &record.traits {
            if !fields.contains(&t.field.as_str()) {
                fields.push(&t.field);
            }
        }
    }
    fields
        .into_iter()
        .filter_map(|field| {
            let pick = three_way(
                base.pushed_trait(field),
                ours.pushed_trait(field),
                theirs.pushed_trait(field),
            );
            match pick {
                Pick::Agreed(sent) => sent,
                Pick::Differ { theirs, .. } if theirs_later => theirs,
                Pick::Differ { ours, .. } => ours,
            }
        })
        .collect()
}

/// Whether two rows are the same Vitally note: the same entry and Vitally ID, or,
/// when either creation is unconfirmed, the same external ID (the ID the other
/// side has is what the next push would find by looking that external ID up).
fn same_note(a: &PushedNote, b: &PushedNote) -> bool {
    a.entry == b.entry
        && match (&a.id, &b.id) {
            (Some(x), Some(y)) => x == y,
            _ => a.external_id == b.external_id,
        }
}

/// Note by note: every note either side made is kept, once. A row one side let go
/// of (an unconfirmed creation found never to have happened) stays gone when the
/// other side did not change it since the base.
fn notes(base: &VitallyRecord, ours: &VitallyRecord, theirs: &VitallyRecord) -> Vec<PushedNote> {
    let in_base_unchanged = |row: &PushedNote| base.notes.iter().any(|b| b == row);
    let mut taken = vec![false; theirs.notes.len()];
    let mut merged = Vec::with_capacity(ours.notes.len().max(theirs.notes.len()));
    for row in &ours.notes {
        let other = theirs
            .notes
            .iter()
            .enumerate()
            .position(|(i, t)| !taken[i] && same_note(row, t));
        match other {
            Some(i) => {
                taken[i] = true;
                let before = base.notes.iter().find(|b| same_note(b, row));
                merged.push(one_note(before, row, &theirs.notes[i]));
            }
            None if in_base_unchanged(row) => {}
            None => merged.push(row.clone()),
        }
    }
    for (row, taken) in theirs.notes.iter().zip(taken) {
        if !taken && !in_base_unchanged(row) {
            merged.push(row.clone());
        }
    }
    merged
}

/// One note both sides recorded. The Vitally ID either side learnt is kept. The
/// digest of what was sent follows the side that sent since the base; when both
/// did and they differ, it is left empty so the next push sends the note again
/// (an update, never a creation) and Vitally has the merged text for certain.
fn one_note(base: Option<&PushedNote>, ours: &PushedNote, theirs: &PushedNote) -> PushedNote {
    let mut merged = ours.clone();
    if ours.id.is_none() {
        merged.id.clone_from(&theirs.id);
        merged.external_id.clone_from(&theirs.external_id);
    }
    let confirmed = |row: &PushedNote| row.id.is_some();
    merged.sent = match (confirmed(ours), confirmed(theirs)) {
        (true, false) => ours.sent.clone(),
        (false, true) => theirs.sent.clone(),
        _ => match three_way(base.map(|b| &b.sent), Some(&ours.sent), Some(&theirs.sent)) {
            Pick::Agreed(sent) => sent.unwrap_or_default(),
            Pick::Differ { .. } => String::new(),
        },
    };
    merged.note_date = ours.note_date.or(theirs.note_date);
    merged.unknown = merge_tables(base.map(|b| &b.unknown), &ours.unknown, &theirs.unknown);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handoff::{FieldValue, Handoff};
    use crate::merge::merge;
    use crate::merge::tests::{context, number, three, typing};
    use crate::testdata::at;

    /// A note a push made from `entry`; `id` is `None` while its creation is unconfirmed.
    fn pushed_note(entry: &str, id: Option<&str>, sent: &str) -> PushedNote {
        PushedNote {
            entry: entry.into(),
            external_id: format!("handoff:acc-1:20260302T090000Z:{entry}"),
            id: id.map(str::to_string),
            sent: sent.into(),
            note_date: None,
            unknown: toml::Table::new(),
        }
    }

    fn pushed_trait(field: &str, value: f64) -> PushedTrait {
        PushedTrait {
            field: field.into(),
            trait_path: format!("vitally.custom.{field}"),
            value: FieldValue::Number(value),
            unknown: toml::Table::new(),
        }
    }

    /// A push at `day` by `by`, to account `acc-1`.
    fn push_record(
        day: u32,
        by: &str,
        notes: Vec<PushedNote>,
        traits: Vec<PushedTrait>,
    ) -> VitallyRecord {
        VitallyRecord {
            account: "acme-corp".into(),
            account_id: "acc-1".into(),
            pushed_at: Some(at(day, 9)),
            pushed_by: Some(by.into()),
            traits,
            notes,
            unknown: toml::Table::new(),
        }
    }

    /// A base that Jane pushed on the 27th, and two copies of it, as two
    /// machines start.
    fn pushed_base(
        notes: Vec<PushedNote>,
        traits: Vec<PushedTrait>,
    ) -> (Handoff, Handoff, Handoff) {
        let (mut base, _, _) = three();
        base.vitally = push_record(27, "Jane Doe", notes, traits);
        (base.clone(), base.clone(), base)
    }

    fn ids(record: &VitallyRecord) -> Vec<(&str, Option<&str>)> {
        record
            .notes
            .iter()
            .map(|n| (n.entry.as_str(), n.id.as_deref()))
            .collect()
    }

    #[test]
    fn a_push_on_one_side_survives_a_merge_with_a_side_that_did_not_push() {
        let (base, mut ours, mut theirs) = three();
        ours.change_field("deployment", "total_cpu", number(64.0), typing("Jane", 28))
            .expect("open");
        theirs.vitally = push_record(
            29,
            "Sam Rivera",
            vec![
                pushed_note("n-1", Some("note-1"), "d1"),
                pushed_note("lessons", Some("note-2"), "d2"),
            ],
            vec![pushed_trait("total_cpu", 56.0)],
        );
        for merged in [
            merge(Some(&base), &ours, &theirs, &context()),
            merge(Some(&base), &theirs, &ours, &context()),
            merge(None, &ours, &theirs, &context()),
        ] {
            assert_eq!(merged.vitally, theirs.vitally);
        }
    }

    #[test]
    fn pushes_on_both_sides_keep_every_note_once_and_the_later_push_wins_per_trait() {
        let (base, mut ours, mut theirs) = pushed_base(
            vec![
                pushed_note("n-1", Some("note-1"), "d1"),
                pushed_note("n-2", Some("note-2"), "d2"),
            ],
            vec![
                pushed_trait("total_cpu", 56.0),
                pushed_trait("repositories", 1200.0),
            ],
        );
        // Jane pushed on the 28th: n-1 updated, n-3 created, the CPU changed.
        ours.vitally.pushed_at = Some(at(28, 9));
        ours.vitally.notes[0].sent = "d1-jane".into();
        ours.vitally
            .notes
            .push(pushed_note("n-3", Some("note-3"), "d3"));
        ours.vitally.traits[0].value = FieldValue::Number(64.0);
        // Sam pushed on the 29th: n-2 updated, n-4 created, the CPU changed too,
        // the repositories cleared.
        theirs.vitally.pushed_at = Some(at(29, 9));
        theirs.vitally.pushed_by = Some("Sam Rivera".into());
        theirs.vitally.notes[1].sent = "d2-sam".into();
        theirs
            .vitally
            .notes
            .push(pushed_note("n-4", Some("note-4"), "d4"));
        theirs.vitally.traits[0].value = FieldValue::Number(48.0);
        theirs.vitally.traits.remove(1);

        let merged = merge(Some(&base), &ours, &theirs, &context()).vitally;
        assert_eq!(
            ids(&merged),
            [
                ("n-1", Some("note-1")),
                ("n-2", Some("note-2")),
                ("n-3", Some("note-3")),
                ("n-4", Some("note-4"))
            ]
        );
        let sent: Vec<&str> = merged.notes.iter().map(|n| n.sent.as_str()).collect();
        assert_eq!(
            sent,
            ["d1-jane", "d2-sam", "d3", "d4"],
            "what each side sent"
        );
        assert_eq!(
            merged.traits,
            [pushed_trait("total_cpu", 48.0)],
            "the later push"
        );
        assert_eq!(merged.pushed_at, Some(at(29, 9)));
        assert_eq!(merged.pushed_by.as_deref(), Some("Sam Rivera"));
        // The other way round, the same record but for the order of the new rows.
        let mirrored = merge(Some(&base), &theirs, &ours, &context()).vitally;
        assert_eq!(mirrored.traits, merged.traits);
        assert_eq!(mirrored.pushed_at, merged.pushed_at);
        let mut both = [ids(&merged), ids(&mirrored)];
        both.iter_mut().for_each(|v| v.sort_unstable());
        assert_eq!(both[0], both[1]);
    }

    #[test]
    fn one_entry_created_on_both_sides_keeps_both_notes_ours_first() {
        let (base, mut ours, mut theirs) = three();
        ours.vitally = push_record(
            28,
            "Jane Doe",
            vec![pushed_note("lessons", Some("note-1"), "d")],
            vec![],
        );
        theirs.vitally = push_record(
            29,
            "Sam Rivera",
            vec![pushed_note("lessons", Some("note-9"), "d")],
            vec![],
        );
        let merged = merge(Some(&base), &ours, &theirs, &context()).vitally;
        assert_eq!(
            ids(&merged),
            [("lessons", Some("note-1")), ("lessons", Some("note-9"))]
        );
        // The next push updates ours and names theirs as a copy; it creates nothing.
        assert_eq!(
            merged.note("lessons").and_then(|n| n.id.as_deref()),
            Some("note-1")
        );
        let copies: Vec<Option<&str>> = merged
            .copies("lessons")
            .iter()
            .map(|n| n.id.as_deref())
            .collect();
        assert_eq!(copies, [Some("note-9")]);
        assert_eq!(merged.doubled_entries(), ["lessons"]);

        // Once the copy is deleted in Vitally, the next push forgets it...
        let mut settled = merged.clone();
        settled.forget_deleted_copies(&["note-1".to_string()].into());
        assert_eq!(ids(&settled), [("lessons", Some("note-1"))]);
        // ...or, the other one deleted, the copy becomes the entry's note...
        let mut swapped = merged.clone();
        swapped.forget_deleted_copies(&["note-9".to_string()].into());
        assert_eq!(ids(&swapped), [("lessons", Some("note-9"))]);
        // ...and with both gone, the entry keeps its note, as any note deleted there.
        let mut gone = merged;
        gone.forget_deleted_copies(&std::collections::BTreeSet::new());
        assert_eq!(ids(&gone), [("lessons", Some("note-1"))]);
    }

    #[test]
    fn an_unconfirmed_creation_takes_the_id_the_other_side_learnt() {
        let (base, mut ours, mut theirs) =
            pushed_base(vec![pushed_note("n-1", None, "d1")], vec![]);
        ours.vitally
            .notes
            .push(pushed_note("n-2", Some("note-2"), "d2"));
        ours.vitally.pushed_at = Some(at(28, 9));
        // Sam's push found n-1 in Vitally, then sent a changed text.
        theirs.vitally.notes[0].id = Some("note-1".into());
        theirs.vitally.notes[0].sent = "d1-sam".into();
        for merged in [
            merge(Some(&base), &ours, &theirs, &context()).vitally,
            merge(Some(&base), &theirs, &ours, &context()).vitally,
        ] {
            let n1 = merged.note("n-1").expect("kept");
            assert_eq!(
                (n1.id.as_deref(), n1.sent.as_str()),
                (Some("note-1"), "d1-sam")
            );
            assert_eq!(merged.notes.len(), 2);
        }
    }

    #[test]
    fn a_note_sent_differently_by_both_sides_is_sent_again() {
        let (base, mut ours, mut theirs) =
            pushed_base(vec![pushed_note("n-1", Some("note-1"), "d1")], vec![]);
        ours.vitally.notes[0].sent = "d1-jane".into();
        ours.vitally.pushed_at = Some(at(28, 9));
        theirs.vitally.notes[0].sent = "d1-sam".into();
        theirs.vitally.pushed_at = Some(at(29, 9));
        let merged = merge(Some(&base), &ours, &theirs, &context()).vitally;
        assert_eq!(ids(&merged), [("n-1", Some("note-1"))]);
        assert_eq!(
            merged.notes[0].sent, "",
            "no digest: the next push updates it"
        );
    }

    #[test]
    fn what_one_side_let_go_of_stays_gone_and_two_accounts_are_not_mixed() {
        let (base, mut ours, mut theirs) = pushed_base(
            vec![
                pushed_note("n-1", Some("note-1"), "d1"),
                pushed_note("n-2", None, "d2"),
            ],
            vec![
                pushed_trait("total_cpu", 56.0),
                pushed_trait("repositories", 1200.0),
            ],
        );
        // Sam's push found n-2 was never made (deleted here since) and cleared a trait.
        theirs.vitally.notes.remove(1);
        theirs.vitally.traits.remove(1);
        theirs.vitally.pushed_at = Some(at(29, 9));
        ours.vitally
            .notes
            .push(pushed_note("n-3", Some("note-3"), "d3"));
        let merged = merge(Some(&base), &ours, &theirs, &context()).vitally;
        assert_eq!(
            ids(&merged),
            [("n-1", Some("note-1")), ("n-3", Some("note-3"))]
        );
        assert_eq!(merged.traits, [pushed_trait("total_cpu", 56.0)]);

        // Pushed to another account later: that account's record stands whole.
        let mut elsewhere = push_record(
            30,
            "Sam Rivera",
            vec![pushed_note("n-1", Some("x-1"), "d")],
            vec![],
        );
        elsewhere.account_id = "acc-2".into();
        theirs.vitally = elsewhere.clone();
        assert_eq!(
            merge(Some(&base), &ours, &theirs, &context()).vitally,
            elsewhere
        );
        assert_eq!(
            merge(Some(&base), &theirs, &ours, &context()).vitally,
            elsewhere
        );
    }
}
