//! Two versions of one handoff made into one, by meaning rather than by lines:
//! what `handoff merge-driver` does when git meets the same file changed on two
//! machines. Nothing either side wrote is lost: what cannot be combined keeps
//! ours in the document and theirs in a `[[conflict]]` for a person to settle.
//!
//! The rules, part by part (`base` is the version both started from):
//! - **Fields**: changed on one side only, that side's value; changed on both
//!   sides to the same value, that value; to different values, ours stays and
//!   theirs goes into a `[[conflict]]` (which blocks completion). Lists (links,
//!   instance types, environments, code hosts) merge entry by entry: entries added
//!   on either side are in, entries removed on either side are out; only when
//!   both sides replaced the same entry differently is it a conflict.
//! - **Notes**, by id (`notes`): an entry added on either side is in, once; in
//!   time order. An edit on one side wins; the text edited on both sides keeps
//!   ours and records theirs in a conflict; a category changed on both sides
//!   takes the later edit. A deletion wins over an edit: deleting removes the
//!   words on purpose (a pasted secret), so the other side's version of that note
//!   goes too. An entry taken out of the file by hand on one side stays out.
//! - **Checklist items**, by key (`checklist`): a state changed on one side wins;
//!   two different states (done here, out of scope there; two reasons) keep ours
//!   and record theirs in a conflict; two "done"s by different people are not a
//!   conflict (ours stays). Custom items added on both sides under the same key
//!   are two items: theirs gets the next free key.
//! - **Status**: completed or reopened on one side wins. Set differently on both
//!   sides, ours stays and theirs is recorded as a `[[change]]`.
//! - **History** (`[[change]]`, `[[reopened]]`): united in time order, without
//!   duplicates. **Conflicts**: one settled on either side is settled.
//! - **The Vitally push record** (`[vitally]`, `vitally`): nothing either side
//!   pushed is forgotten, so a later push never makes a Vitally note twice.
//!   - Notes, by entry: every note either side made is kept, once (the same
//!     entry and Vitally ID; or the same external ID when one side's creation
//!     was unconfirmed, the other's ID then being the one the next push would
//!     have found). The Vitally ID either side learnt is kept; the digest of
//!     what was sent follows the side that sent since the base, and when both
//!     did differently it is emptied so the next push sends the note again (an
//!     update).
//!   - The same entry with two different Vitally IDs means both machines created
//!     its note before they synced: Vitally already holds two. Both rows are
//!     kept, ours first. The first row with an ID is the entry's note, the one
//!     a push updates; the others are copies. The next push looks the copies up
//!     in Vitally, forgets those deleted there, and names the rest with their
//!     IDs ("delete it in Vitally") until they are gone. It creates nothing.
//!   - Traits, by field: one side's change wins; changed by both, the later
//!     push (`pushed_at`) wins, including a trait it cleared.
//!   - `pushed_at` and `pushed_by`: the later push's. A row one side let go of
//!     (an unconfirmed creation found never to have happened, a trait cleared)
//!     stays gone when the other side left it as it was. Records of two
//!     different accounts are not mixed: the later push's stands, as a push to
//!     the other account would start afresh anyway.
//! - **`updated_at`**: the later one. **Keys this version does not know**: united;
//!   set differently on both sides, ours.

mod checklist;
pub mod driver;
mod notes;
mod vitally;

use std::collections::HashSet;

use crate::form;
use crate::handoff::{Change, Conflict, FieldValue, Handoff, SCHEMA, Status, Timestamp, Values};

/// What the merge knows beyond the three documents.
#[derive(Debug, Clone)]
pub struct Context {
    /// When the merge happens: the time of the conflicts it records.
    pub at: Timestamp,
    /// Who wrote theirs, when git says (the author of their last commit to the
    /// file); the history of theirs is asked first, field by field.
    pub theirs_by: Option<String>,
}

/// A three-way decision: one value, or two that both sides chose.
#[derive(Debug, PartialEq)]
enum Pick<T> {
    Agreed(T),
    Differ { ours: T, theirs: T },
}

/// The three-way rule for one value: a side that did not change it yields to
/// the side that did. Without a base (added on both sides), absent yields to present.
fn three_way<T: PartialEq + Clone>(
    base: Option<&T>,
    ours: Option<&T>,
    theirs: Option<&T>,
) -> Pick<Option<T>> {
    if ours == theirs || theirs == base {
        Pick::Agreed(ours.cloned())
    } else if ours == base {
        Pick::Agreed(theirs.cloned())
    } else {
        Pick::Differ {
            ours: ours.cloned(),
            theirs: theirs.cloned(),
        }
    }
}

/// When a handoff's status last changed: its completion, or its last reopening.
fn status_event(handoff: &Handoff) -> Option<Timestamp> {
    match handoff.status {
        Status::Complete => handoff.completed_at,
        Status::InProgress => handoff.reopen_history.last().map(|r| r.at),
    }
}

/// Merges theirs into ours. `base` is `None` when the two have no common
/// version (the same customer's file started on two machines).
pub fn merge(
    base: Option<&Handoff>,
    ours: &Handoff,
    theirs: &Handoff,
    context: &Context,
) -> Handoff {
    let mut merger = Merger {
        base,
        ours,
        theirs,
        context,
        conflicts: Vec::new(),
    };
    merger.run()
}

struct Merger<'a> {
    base: Option<&'a Handoff>,
    ours: &'a Handoff,
    theirs: &'a Handoff,
    context: &'a Context,
    /// Conflicts this merge found, added after the ones the sides carried.
    conflicts: Vec<Conflict>,
}

impl Merger<'_> {
    fn run(&mut self) -> Handoff {
        let (base, ours, theirs) = (self.base, self.ours, self.theirs);
        let mut merged = ours.clone();
        merged.schema = SCHEMA;
        merged.created_at = match three_way(
            base.map(|b| &b.created_at),
            Some(&ours.created_at),
            Some(&theirs.created_at),
        ) {
            Pick::Agreed(at) => at.unwrap_or(ours.created_at),
            Pick::Differ { .. } => ours.created_at.min(theirs.created_at),
        };
        merged.updated_at = ours.updated_at.max(theirs.updated_at);

        let form = form::form();
        for step in &form.steps {
            let key = step.key.as_str();
            let empty = Values::new();
            let pick = |h: &Handoff| -> Values { h.values(key).cloned().unwrap_or_default() };
            let values = self.merge_values(
                key,
                base.and_then(|b| b.values(key)).unwrap_or(&empty),
                &pick(ours),
                &pick(theirs),
            );
            if let Some(target) = merged.values_mut(key) {
                *target = values;
                crate::handoff::sort_in_form_order(target, step);
            }
        }

        merged.notes_log = notes::merge(self, base.map(|b| b.notes_log.as_slice()));
        merged.checklist_items = checklist::merge(self, base.map(|b| b.checklist_items.as_slice()));
        let environments = format!("{}.{}", form::STEP_CHECKLIST, form::FIELD_ENVIRONMENTS);
        if !self.conflicts.iter().any(|c| c.field == environments) {
            // One infrastructure item per environment of the merged list.
            merged.sync_environment_items();
        }

        merged.reopen_history = unite(&ours.reopen_history, &theirs.reopen_history, |r| r.at);
        merged.history = unite(&ours.history, &theirs.history, |c| c.at);
        self.merge_status(&mut merged);
        merged.history.sort_by_key(|c| c.at);
        merged.conflicts = self.carried_conflicts(&merged);
        for conflict in std::mem::take(&mut self.conflicts) {
            let known = merged.conflicts.iter().any(|c| {
                c.field == conflict.field && c.ours == conflict.ours && c.theirs == conflict.theirs
            });
            if !known {
                merged.conflicts.push(conflict);
            }
        }
        merged.vitally = vitally::merge(base.map(|b| &b.vitally), &ours.vitally, &theirs.vitally);
        merged.unknown = merge_tables(base.map(|b| &b.unknown), &ours.unknown, &theirs.unknown);
        merged
    }

    /// Completion and reopening: one unit, so `completed_at` never comes from
    /// one side and `status` from the other. Changed on both sides, the first
    /// completion stands (two completions), or else the later event (a
    /// completion after the other side's reopening, or the reopening after it);
    /// a completion that does not stand is kept as a `[[change]]`. Either way
    /// round, the two merges agree.
    fn merge_status(&self, merged: &mut Handoff) {
        let unit = |h: &Handoff| (h.status, h.completed_at, h.completed_by.clone());
        let base = self.base.map(unit);
        let (ours, theirs) = (self.ours, self.theirs);
        let (winner, other) = match three_way(base.as_ref(), Some(&unit(ours)), Some(&unit(theirs)))
        {
            Pick::Agreed(_) if unit(theirs) != unit(ours) && Some(unit(ours)) == base => {
                (theirs, ours)
            }
            Pick::Agreed(_) => (ours, theirs),
            Pick::Differ { .. } => {
                let theirs_first = match (ours.status, theirs.status) {
                    (Status::Complete, Status::Complete) => theirs.completed_at < ours.completed_at,
                    _ => status_event(theirs) > status_event(ours),
                };
                if theirs_first {
                    (theirs, ours)
                } else {
                    (ours, theirs)
                }
            }
        };
        merged.status = winner.status;
        merged.completed_at = winner.completed_at;
        merged.completed_by.clone_from(&winner.completed_by);
        let lost = other.status == Status::Complete && unit(other) != unit(winner);
        if let (true, Some(at)) = (lost && Some(unit(other)) != base, other.completed_at) {
            merged.history.push(Change {
                at,
                by: other
                    .completed_by
                    .clone()
                    .unwrap_or_else(|| "someone".to_string()),
                field: "status".to_string(),
                old: Some(FieldValue::Text(Status::InProgress.label().to_string())),
                new: Some(FieldValue::Text(Status::Complete.label().to_string())),
                source: Some("merge: completed on another machine too".into()),
                unknown: toml::Table::new(),
            });
        }
    }

    /// One step's values, field by field.
    fn merge_values(
        &mut self,
        step: &str,
        base: &Values,
        ours: &Values,
        theirs: &Values,
    ) -> Values {
        let mut merged = Values::new();
        let keys = ours
            .keys()
            .chain(theirs.keys().filter(|k| !ours.contains_key(*k)));
        let keys: Vec<String> = keys.chain(base.keys()).cloned().collect();
        for key in keys {
            if merged.contains_key(&key) {
                continue;
            }
            let (b, o, t) = (base.get(&key), ours.get(&key), theirs.get(&key));
            let value = match three_way(b, o, t) {
                Pick::Agreed(value) => value,
                Pick::Differ { ours: o, theirs: t } => {
                    match merge_lists(b, o.as_ref(), t.as_ref()) {
                        Some(list) => Some(list),
                        None => {
                            let field = format!("{step}.{key}");
                            let theirs_by = self.theirs_by(&field);
                            self.conflict(field, o.clone(), t, theirs_by);
                            o
                        }
                    }
                }
            };
            if let Some(value) = value {
                merged.insert(key, value);
            }
        }
        merged
    }

    /// Who set theirs: their latest recorded change of it that ours does not
    /// have, else whoever git says wrote theirs.
    fn theirs_by(&self, field: &str) -> Option<String> {
        self.theirs
            .history
            .iter()
            .rev()
            .find(|c| c.field == field && !self.ours.history.contains(c))
            .map(|c| c.by.clone())
            .or_else(|| self.context.theirs_by.clone())
    }

    fn conflict(
        &mut self,
        field: String,
        ours: Option<FieldValue>,
        theirs: Option<FieldValue>,
        theirs_by: Option<String>,
    ) {
        self.conflicts.push(Conflict {
            at: self.context.at,
            field,
            ours,
            theirs,
            theirs_by,
            unknown: toml::Table::new(),
        });
    }

    /// The conflicts both sides carried in: one settled on either side (gone
    /// from it since the base) stays settled; one about a note now deleted goes
    /// with the note's words.
    fn carried_conflicts(&self, merged: &Handoff) -> Vec<Conflict> {
        let base: &[Conflict] = self.base.map_or(&[], |b| &b.conflicts);
        let settled =
            |c: &Conflict, other: &Handoff| base.contains(c) && !other.conflicts.contains(c);
        let mut carried: Vec<Conflict> = self
            .ours
            .conflicts
            .iter()
            .filter(|c| !settled(c, self.theirs))
            .cloned()
            .collect();
        for conflict in &self.theirs.conflicts {
            if !carried.contains(conflict) && !settled(conflict, self.ours) {
                carried.push(conflict.clone());
            }
        }
        carried.retain(
            |c| match c.field.strip_prefix(crate::handoff::NOTE_CONFLICT) {
                Some(id) => merged.notes_log.iter().any(|n| n.id == id && n.is_live()),
                None => true,
            },
        );
        carried
    }
}

/// Two lists both sides changed, merged entry by entry; `None` when both
/// replaced the same entry with different ones (or one is not a list).
fn merge_lists(
    base: Option<&FieldValue>,
    ours: Option<&FieldValue>,
    theirs: Option<&FieldValue>,
) -> Option<FieldValue> {
    let list = |v: Option<&FieldValue>| -> Option<Vec<String>> {
        match v {
            None => Some(Vec::new()),
            Some(FieldValue::List(items)) => Some(items.clone()),
            Some(_) => None,
        }
    };
    let (base, ours, theirs) = (list(base)?, list(ours)?, list(theirs)?);
    let missing = |from: &[String], of: &[String]| -> Vec<String> {
        of.iter().filter(|e| !from.contains(e)).cloned().collect()
    };
    let (removed_ours, added_ours) = (missing(&ours, &base), missing(&base, &ours));
    let (removed_theirs, added_theirs) = (missing(&theirs, &base), missing(&base, &theirs));
    let replaced_both = removed_ours.iter().any(|e| removed_theirs.contains(e))
        && !added_ours.is_empty()
        && !added_theirs.is_empty()
        && added_ours != added_theirs;
    if replaced_both {
        return None;
    }
    let mut merged: Vec<String> = ours
        .into_iter()
        .filter(|e| !removed_theirs.contains(e))
        .collect();
    for entry in added_theirs {
        if !merged.contains(&entry) {
            merged.push(entry);
        }
    }
    Some(FieldValue::List(merged))
}

/// Both sides' entries once each, in time order (ours first among equals).
fn unite<T: PartialEq + Clone>(ours: &[T], theirs: &[T], at: impl Fn(&T) -> Timestamp) -> Vec<T> {
    let mut all: Vec<T> = ours.to_vec();
    for entry in theirs {
        if !all.contains(entry) {
            all.push(entry.clone());
        }
    }
    all.sort_by_key(|e| at(e));
    all
}

/// Keys this version does not know, merged key by key; ours where both differ.
fn merge_tables(
    base: Option<&toml::Table>,
    ours: &toml::Table,
    theirs: &toml::Table,
) -> toml::Table {
    let mut merged = toml::Table::new();
    let mut seen = HashSet::new();
    let keys = ours
        .keys()
        .chain(theirs.keys())
        .chain(base.into_iter().flat_map(|b| b.keys()));
    for key in keys {
        if !seen.insert(key.clone()) {
            continue;
        }
        let pick = three_way(
            base.and_then(|b| b.get(key)),
            ours.get(key),
            theirs.get(key),
        );
        let value = match pick {
            Pick::Agreed(value) => value,
            Pick::Differ { ours, .. } => ours,
        };
        if let Some(value) = value {
            merged.insert(key.clone(), value);
        }
    }
    merged
}

#[cfg(test)]
mod tests;
