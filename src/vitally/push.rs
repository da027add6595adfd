//! Sending a [`Plan`]: the traits, then each new note, then each changed one,
//! handing the updated record to the observer after every write that Vitally
//! confirmed, so a push that stops part way (a failure, a kill) has recorded what
//! was sent and the next push completes it without making any note twice.
//!
//! Before the first note is created, every note about to be created is recorded
//! without a Vitally ID; a creation whose answer never came (a timeout, a 5xx, a
//! kill) is then looked up by its external ID before it is tried again, here or in
//! the next push.

use super::client::{CallError, RETRIES, Vitally};
use super::plan::{Plan, WriteKind, find_notes, plural};
use super::record::VitallyRecord;
use super::{Observer, PushError};
use crate::handoff::Timestamp;

/// What a push did.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub traits_set: usize,
    pub notes_created: usize,
    pub notes_updated: usize,
    /// "not removed from Vitally: …" and notes that could not be updated.
    pub left_alone: Vec<String>,
    /// The record as saved last.
    pub record: VitallyRecord,
}

impl Summary {
    /// "12 traits set, 5 notes created, 2 updated".
    pub fn line(&self) -> String {
        format!(
            "{} set, {} created, {} updated",
            plural(self.traits_set, "trait"),
            plural(self.notes_created, "note"),
            self.notes_updated
        )
    }
}

/// Sends the plan's writes as `who`; `at` is recorded as the push's time.
pub fn push(
    plan: Plan,
    vitally: &Vitally,
    who: &str,
    at: Timestamp,
    observer: &mut dyn Observer,
) -> Result<Summary, PushError> {
    let Plan {
        account,
        writes,
        left_alone,
        mut record,
        ..
    } = plan;
    record.account.clone_from(&account.given);
    record.account_id.clone_from(&account.id);
    let mut summary = Summary {
        traits_set: 0,
        notes_created: 0,
        notes_updated: 0,
        left_alone,
        record: VitallyRecord::default(),
    };
    let keep = |record: &VitallyRecord, observer: &mut dyn Observer| {
        observer.record(record).map_err(PushError::Save)
    };

    // Creations about to be tried are recorded first, without an ID.
    let mut pending = false;
    for write in &writes {
        if let WriteKind::CreateNote(note) = &write.kind
            && record.note(&note.entry).is_none()
        {
            record.notes.push(note.clone());
            pending = true;
        }
    }

    let total = writes.len();
    for (i, write) in writes.iter().enumerate() {
        // Saved with the traits, or here before the first creation.
        if pending && matches!(write.kind, WriteKind::CreateNote(_)) {
            keep(&record, observer)?;
        }
        observer.request(&write.call, &write.what, Some((i + 1, total)));
        match &write.kind {
            WriteKind::Traits(changes) => {
                vitally.send(&write.call, true, observer)?;
                for change in changes {
                    record.set_trait(&change.field, &change.trait_path, change.value.clone());
                }
                summary.traits_set += changes.len();
            }
            WriteKind::CreateNote(note) => {
                let id = create(
                    vitally,
                    &write.call,
                    &account.id,
                    &note.external_id,
                    observer,
                )?;
                if let Some(kept) = record.note_mut(&note.entry) {
                    kept.id = Some(id);
                    kept.sent.clone_from(&note.sent);
                }
                summary.notes_created += 1;
            }
            WriteKind::UpdateNote { entry, sent } => {
                match vitally.send(&write.call, true, observer) {
                    Ok(_) => {
                        if let Some(kept) = record.note_mut(entry) {
                            kept.sent.clone_from(sent);
                        }
                        summary.notes_updated += 1;
                    }
                    // Deleted in Vitally: the TA may have meant it; say so and go on.
                    Err(CallError::NotFound { .. }) => summary.left_alone.push(format!(
                        "not updated: {} is no longer in Vitally (deleted there?)",
                        write.what
                    )),
                    Err(e) => return Err(e.into()),
                }
            }
        }
        keep(&record, observer)?;
        pending = false;
    }
    record.pushed_at = Some(at);
    record.pushed_by = Some(who.to_string());
    keep(&record, observer)?;
    summary.record = record;
    Ok(summary)
}

/// Creates one note and returns its Vitally ID. When the outcome of a try is
/// unknown, Vitally is asked whether the note exists before trying again.
fn create(
    vitally: &Vitally,
    call: &super::client::Call,
    account_id: &str,
    external_id: &str,
    observer: &mut dyn Observer,
) -> Result<String, PushError> {
    let mut tries = 0;
    loop {
        let reason = match vitally.send(call, false, observer) {
            Ok(answer) => {
                return answer
                    .get("id")
                    .and_then(|id| match id {
                        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
                        serde_json::Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        PushError::Call(CallError::Failed {
                            line: call.line(),
                            reason: "the answer has no note id".into(),
                        })
                    });
            }
            Err(CallError::Uncertain { reason, .. }) => reason,
            Err(e) => return Err(e.into()),
        };
        let wanted = [external_id.to_string()];
        let found = find_notes(vitally, account_id, &wanted, observer, &mut Vec::new())?;
        if let Some(id) = found.into_values().next() {
            return Ok(id);
        }
        if tries == RETRIES {
            return Err(PushError::Call(CallError::GaveUp {
                line: call.line(),
                reason: format!("{reason}; tried {} times, try again later", RETRIES + 1),
            }));
        }
        tries += 1;
        vitally.pause_before_retry(tries, &reason, observer);
    }
}
