//! What a push would send. [`Draft`] is the handoff as Vitally should see it,
//! worked out with no network (the review page counts changes with it);
//! [`prepare`] reads what it must from Vitally (its account traits, the account,
//! any note whose creation a stopped push left unconfirmed, and any note made
//! twice by two machines that pushed before they synced), checks the
//! mapping, and returns a [`Plan`]: every request a push would send, to show and
//! confirm, or to print for a dry run.

use std::collections::{BTreeMap, BTreeSet};

use chrono::SecondsFormat;
use serde_json::{Value, json};

use super::client::{Call, CallError, Vitally, segment};
use super::mapping::{AccountTrait, MappedField, Mapping, Shape, parse_traits};
use super::notes::{self, NoteDraft};
use super::record::{PushedNote, VitallyRecord};
use super::{Observer, PushError};
use crate::form;
use crate::handoff::{FieldValue, Handoff, Timestamp};
use crate::http::Method;
use crate::tui::text::printable;

/// The handoff field that names the account.
pub const ACCOUNT_FIELD: (&str, &str) = ("handoff", "vitally_account");
/// What a look through an account's notes is for, in progress lines.
const LOOKING: &str = "looking for notes whose creation was not confirmed";
/// What a look for notes made twice is for, in progress lines.
const LOOKING_FOR_COPIES: &str = "looking for notes made twice";
/// Pages of an account's notes read at most when looking for unconfirmed notes.
const MAX_NOTE_PAGES: usize = 50;

/// One mapped field and its value as a push would send it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDraft {
    pub mapped: MappedField,
    /// The value typed for its kind; `None` when unset; an error when the value
    /// does not fit the field (a draft left half-typed).
    pub value: Result<Option<FieldValue>, String>,
}

/// The handoff as Vitally should have it, worked out without the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub fields: Vec<FieldDraft>,
    pub notes: Vec<NoteDraft>,
}

impl Draft {
    pub fn new(handoff: &Handoff, mapping: &Mapping) -> Draft {
        let form = form::form();
        let fields = mapping
            .fields
            .iter()
            .map(|mapped| {
                let field = form.step(&mapped.step).and_then(|s| s.field(&mapped.field));
                let value = match (field, handoff.value(&mapped.step, &mapped.field)) {
                    (Some(field), Some(value)) => crate::validate::parse(field, &value.to_input()),
                    _ => Ok(None),
                };
                FieldDraft {
                    mapped: mapped.clone(),
                    value,
                }
            })
            .collect();
        Draft {
            fields,
            notes: notes::drafts(handoff),
        }
    }

    /// The fields whose value differs from what Vitally has from this handoff:
    /// set or changed since (valid or not), or emptied after being sent.
    pub fn traits_to_send<'a>(&'a self, record: &VitallyRecord) -> Vec<&'a FieldDraft> {
        self.fields
            .iter()
            .filter(|f| {
                let sent = record.pushed_trait(&f.mapped.key());
                match (&f.value, sent) {
                    (Err(_), _) => true,
                    (Ok(Some(value)), Some(sent)) => {
                        sent.value != *value || sent.trait_path != f.mapped.trait_path
                    }
                    (Ok(Some(_)), None) => true,
                    (Ok(None), sent) => sent.is_some(),
                }
            })
            .collect()
    }

    /// How many notes are not in Vitally yet, or changed since they were sent.
    pub fn notes_to_send(&self, record: &VitallyRecord) -> usize {
        self.notes
            .iter()
            .filter(|n| match record.note(&n.entry) {
                Some(sent) if sent.id.is_some() => {
                    let date = n.date.or(sent.note_date);
                    date.is_none_or(|d| n.digest(d) != sent.sent)
                }
                _ => true,
            })
            .count()
    }
}

/// The account a push goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// As the handoff names it (ID or external ID).
    pub given: String,
    /// Vitally's ID.
    pub id: String,
    pub name: String,
}

impl Account {
    /// `Acme Corp (acme-corp)`, for confirmations.
    pub fn shown(&self) -> String {
        if self.name.is_empty() || self.name == self.given {
            printable(&self.given).into_owned()
        } else {
            format!("{} ({})", printable(&self.name), printable(&self.given))
        }
    }
}

/// One write a push sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub call: Call,
    /// For progress lines: "14 traits", "Risk note of 2026-03-10 14:00 UTC".
    pub what: String,
    pub kind: WriteKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WriteKind {
    /// The account's traits: each field with the value sent (`None`: cleared).
    Traits(Vec<TraitChange>),
    CreateNote(PushedNote),
    /// Updates the note made from `entry`; `sent` is the new digest.
    UpdateNote {
        entry: String,
        sent: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct TraitChange {
    pub field: String,
    pub trait_path: String,
    pub value: Option<FieldValue>,
}

/// Every request a push would send, after the reads that decided them.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub account: Account,
    /// The reads made while preparing (they change nothing).
    pub reads: Vec<Call>,
    pub writes: Vec<Write>,
    /// "not removed from Vitally: …" lines.
    pub left_alone: Vec<String>,
    /// Other things worth saying before the push (an account that changed).
    pub notices: Vec<String>,
    /// The record the push starts from.
    pub record: VitallyRecord,
}

impl Plan {
    pub fn traits(&self) -> usize {
        self.writes
            .iter()
            .map(|w| match &w.kind {
                WriteKind::Traits(changes) => changes.len(),
                _ => 0,
            })
            .sum()
    }

    pub fn creates(&self) -> usize {
        self.count(|k| matches!(k, WriteKind::CreateNote(_)))
    }

    pub fn updates(&self) -> usize {
        self.count(|k| matches!(k, WriteKind::UpdateNote { .. }))
    }

    fn count(&self, which: impl Fn(&WriteKind) -> bool) -> usize {
        self.writes.iter().filter(|w| which(&w.kind)).count()
    }

    /// "3 traits to set, 2 notes to create, 1 to update", or "nothing to send".
    pub fn summary(&self) -> String {
        if self.writes.is_empty() {
            return "nothing to send: Vitally has everything from this handoff".to_string();
        }
        format!(
            "{} to set, {} to create, {} to update",
            plural(self.traits(), "trait"),
            plural(self.creates(), "note"),
            self.updates()
        )
    }
}

/// "1 trait", "3 notes".
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Reads what the push needs from Vitally and plans it. Nothing is written: a
/// dry run stops here.
pub fn prepare(
    handoff: &Handoff,
    mapping: &Mapping,
    vitally: &Vitally,
    observer: &mut dyn Observer,
    at: Timestamp,
) -> Result<Plan, PushError> {
    let given = account_given(handoff)?;
    let draft = Draft::new(handoff, mapping);
    let invalid = draft
        .fields
        .iter()
        .find_map(|f| f.value.as_ref().err().map(|e| (&f.mapped, e)));
    if let Some((field, e)) = invalid {
        return Err(PushError::Handoff(format!(
            "{}: {}; fix it before pushing",
            field.named(),
            printable(e)
        )));
    }
    let mut reads = Vec::new();
    let call = Call::get("/resources/customFields?model=accounts");
    let line = call.line();
    let listed = read(vitally, call, "the account traits", observer, &mut reads)?;
    let traits = parse_traits(listed).map_err(|reason| CallError::Failed { line, reason })?;
    let problems = mapping.problems(&traits);
    if let Some(first) = problems.first() {
        let more = match problems.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more; `handoff push FILE --traits` lists them all)"),
        };
        return Err(PushError::Mapping(format!(
            "{first}{more}; nothing was sent"
        )));
    }

    let account_call = Call::get(format!("/resources/accounts/{}", segment(&given)));
    let account = match read(vitally, account_call, "the account", observer, &mut reads) {
        Ok(answer) => Account {
            id: text_of(&answer, "id").ok_or_else(|| CallError::Failed {
                line: format!("GET /resources/accounts/{}", printable(&given)),
                reason: "the answer has no account id".into(),
            })?,
            name: text_of(&answer, "name").unwrap_or_default(),
            given,
        },
        Err(CallError::NotFound { .. }) => {
            return Err(PushError::Handoff(format!(
                "Vitally has no account `{}`; check the Vitally account field (handoff.vitally_account)",
                printable(&given)
            )));
        }
        Err(e) => return Err(e.into()),
    };

    let mut notices = Vec::new();
    let mut record = handoff.vitally.clone();
    if !record.account_id.is_empty() && record.account_id != account.id {
        notices.push(format!(
            "this handoff was pushed to Vitally account `{}` before; what it sent there stays there",
            printable(&record.account)
        ));
        record = VitallyRecord::default();
    }
    let unconfirmed: Vec<String> = record
        .notes
        .iter()
        .filter(|n| n.id.is_none())
        .map(|n| n.external_id.clone())
        .collect();
    if !unconfirmed.is_empty() {
        let found = find_notes(vitally, &account.id, &unconfirmed, observer, &mut reads)?;
        for note in &mut record.notes {
            if note.id.is_none() {
                note.id = found.get(&note.external_id).cloned();
            }
        }
    }

    let doubled = record.doubled_entries();
    if !doubled.is_empty() {
        let wanted: BTreeSet<String> = record
            .notes
            .iter()
            .filter(|n| n.id.is_some() && doubled.contains(&n.entry))
            .map(|n| n.external_id.clone())
            .collect();
        let wanted: Vec<String> = wanted.into_iter().collect();
        if let Some(present) = note_ids(vitally, &account.id, &wanted, observer, &mut reads)? {
            record.forget_deleted_copies(&present);
        }
        notices.extend(copies_left(handoff, &draft, &record));
    }

    let writes = writes(handoff, &draft, &traits, &record, &account, at)?;
    let live: Vec<&str> = draft.notes.iter().map(|n| n.entry.as_str()).collect();
    // Unconfirmed notes not found in Vitally are forgotten when nothing would
    // create them: the entry is gone, or it has its note in Vitally already.
    let made: BTreeSet<String> = record
        .notes
        .iter()
        .filter(|n| n.id.is_some())
        .map(|n| n.entry.clone())
        .collect();
    record.notes.retain(|n| {
        n.id.is_some() || (live.contains(&n.entry.as_str()) && !made.contains(&n.entry))
    });
    let mut left_alone: Vec<String> = Vec::new();
    for n in &record.notes {
        let line = format!(
            "not removed from Vitally: {}",
            notes::gone_what(handoff, &n.entry)
        );
        if !live.contains(&n.entry.as_str()) && !left_alone.contains(&line) {
            left_alone.push(line);
        }
    }
    Ok(Plan {
        account,
        reads,
        writes,
        left_alone,
        notices,
        record,
    })
}

/// The account the handoff names, or the one line saying it names none.
pub fn account_given(handoff: &Handoff) -> Result<String, PushError> {
    let (step, field) = ACCOUNT_FIELD;
    match handoff.value(step, field).map(FieldValue::display) {
        Some(id) if !id.trim().is_empty() => Ok(id.trim().to_string()),
        _ => Err(PushError::Handoff(
            "no Vitally account to push to: fill in \"Vitally account\" in the Handoff step (handoff.vitally_account)"
                .into(),
        )),
    }
}

fn text_of(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The writes, in order: the traits (one request), then new notes, then changed ones.
fn writes(
    handoff: &Handoff,
    draft: &Draft,
    traits: &[AccountTrait],
    record: &VitallyRecord,
    account: &Account,
    at: Timestamp,
) -> Result<Vec<Write>, PushError> {
    let mut writes = Vec::new();
    let mut body = serde_json::Map::new();
    let mut changes = Vec::new();
    for field in draft.traits_to_send(record) {
        let key = field.mapped.key();
        let value = field.value.clone().unwrap_or_default();
        // An emptied field is cleared in the trait that got its value.
        let trait_path = match (&value, record.pushed_trait(&key)) {
            (None, Some(sent)) => sent.trait_path.clone(),
            _ => field.mapped.trait_path.clone(),
        };
        let json = match &value {
            None => Value::Null,
            Some(v) => trait_json(
                &field.mapped,
                v,
                traits.iter().find(|t| t.path == trait_path),
            )
            .map_err(PushError::Mapping)?,
        };
        body.insert(trait_path.clone(), json);
        changes.push(TraitChange {
            field: key,
            trait_path,
            value,
        });
    }
    if !changes.is_empty() {
        writes.push(Write {
            call: Call {
                method: Method::Put,
                path: format!("/resources/accounts/{}", segment(&account.id)),
                body: Some(json!({ "traits": body })),
            },
            what: plural(changes.len(), "trait"),
            kind: WriteKind::Traits(changes),
        });
    }

    let mut updates = Vec::new();
    for note in &draft.notes {
        let sent = record.note(&note.entry);
        // The sections have no time of their own: the handoff's completion, else now.
        let date = note
            .date
            .or(sent.and_then(|s| s.note_date))
            .unwrap_or(handoff.completed_at.unwrap_or(at));
        let digest = note.digest(date);
        let fields = json!({
            "subject": note.subject,
            "note": note.html,
            "noteDate": date.to_rfc3339_opts(SecondsFormat::Secs, true),
        });
        match sent {
            Some(sent) if sent.id.is_some() => {
                if sent.sent != digest {
                    let id = sent.id.clone().unwrap_or_default();
                    updates.push(Write {
                        call: Call {
                            method: Method::Put,
                            path: format!("/resources/notes/{}", segment(&id)),
                            body: Some(fields),
                        },
                        what: note.what.clone(),
                        kind: WriteKind::UpdateNote {
                            entry: note.entry.clone(),
                            sent: digest,
                        },
                    });
                }
            }
            _ => {
                let external_id = sent.map_or_else(
                    || external_id(handoff, &account.id, &note.entry),
                    |s| s.external_id.clone(),
                );
                let mut body = fields;
                body["accountId"] = json!(account.id);
                body["externalId"] = json!(external_id);
                writes.push(Write {
                    call: Call {
                        method: Method::Post,
                        path: "/resources/notes".into(),
                        body: Some(body),
                    },
                    what: note.what.clone(),
                    kind: WriteKind::CreateNote(PushedNote {
                        entry: note.entry.clone(),
                        external_id,
                        id: None,
                        sent: digest,
                        note_date: note.date.is_none().then_some(date),
                        unknown: toml::Table::new(),
                    }),
                });
            }
        }
    }
    writes.extend(updates);
    Ok(writes)
}

/// A value as the trait takes it: text, number, `YYYY-MM-DD`, array of text; a
/// choice from the trait's options when it has some.
fn trait_json(
    mapped: &MappedField,
    value: &FieldValue,
    found: Option<&AccountTrait>,
) -> Result<Value, String> {
    let option = |text: &str| match found.and_then(|t| t.option_for(text)) {
        None => Ok(json!(text)),
        Some(Ok(v)) => Ok(v),
        Some(Err(e)) => Err(format!("{}: {e}; nothing was sent", mapped.named())),
    };
    Ok(match (mapped.shape(), value) {
        (_, FieldValue::Integer(n)) => json!(n),
        (_, FieldValue::Number(n)) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                json!(*n as i64)
            } else {
                json!(n)
            }
        }
        (_, FieldValue::Date(d)) => json!(d.format("%Y-%m-%d").to_string()),
        (Shape::List, FieldValue::List(items)) => {
            Value::Array(items.iter().map(|i| option(i)).collect::<Result<_, _>>()?)
        }
        (_, FieldValue::List(items)) => json!(items),
        (_, FieldValue::Text(t)) => option(t)?,
    })
}

/// A note's `externalId`: the account, the handoff (by when it was created) and
/// the entry, so the same entry pushed twice is recognisably the same note.
fn external_id(handoff: &Handoff, account_id: &str, entry: &str) -> String {
    format!(
        "handoff:{account_id}:{}:{entry}",
        handoff.created_at.format("%Y%m%dT%H%M%SZ")
    )
}

/// One read while preparing: shown to the observer, kept for the dry run.
fn read(
    vitally: &Vitally,
    call: Call,
    what: &str,
    observer: &mut dyn Observer,
    reads: &mut Vec<Call>,
) -> Result<Value, CallError> {
    observer.request(&call, what, None);
    let answer = vitally.send(&call, true, observer);
    reads.push(call);
    answer
}

/// "Vitally has 2 notes for …" for each entry pushed from two machines before
/// they synced, naming the note kept and the copies to delete.
fn copies_left(handoff: &Handoff, draft: &Draft, record: &VitallyRecord) -> Vec<String> {
    record
        .doubled_entries()
        .iter()
        .filter_map(|entry| {
            let kept = record.note(entry)?.id.clone()?;
            let copies: Vec<String> = record
                .copies(entry)
                .iter()
                .filter_map(|n| n.id.clone())
                .collect();
            let what = draft.notes.iter().find(|n| n.entry == *entry).map_or_else(
                || notes::gone_what(handoff, entry),
                |n| n.what.clone(),
            );
            Some(format!(
                "Vitally has {} notes for {what}, made when two machines pushed it before they synced: {kept} is the one this handoff keeps; delete {} in Vitally",
                copies.len() + 1,
                copies.join(", ")
            ))
        })
        .collect()
}

/// Looks through the account's notes for these external IDs; returns the
/// Vitally ID of each one found. The pages read are added to `reads`.
pub fn find_notes(
    vitally: &Vitally,
    account_id: &str,
    wanted: &[String],
    observer: &mut dyn Observer,
    reads: &mut Vec<Call>,
) -> Result<BTreeMap<String, String>, CallError> {
    let mut found = BTreeMap::new();
    each_note(
        vitally,
        account_id,
        LOOKING,
        observer,
        reads,
        |external, id| {
            if wanted.contains(&external) {
                found.insert(external, id);
            }
            found.len() == wanted.len()
        },
    )?;
    Ok(found)
}

/// The Vitally IDs of every note of the account carrying one of these external
/// IDs (a note made twice carries its external ID twice); `None` when the
/// account has more pages of notes than are read, so absence proves nothing.
fn note_ids(
    vitally: &Vitally,
    account_id: &str,
    wanted: &[String],
    observer: &mut dyn Observer,
    reads: &mut Vec<Call>,
) -> Result<Option<BTreeSet<String>>, CallError> {
    let mut present = BTreeSet::new();
    let complete = each_note(
        vitally,
        account_id,
        LOOKING_FOR_COPIES,
        observer,
        reads,
        |external, id| {
            if wanted.contains(&external) {
                present.insert(id);
            }
            false
        },
    )?;
    Ok(complete.then_some(present))
}

/// Hands `(externalId, id)` of the account's notes, page by page, to `visit`
/// until it says it has what it wanted; `what` names the look in progress
/// lines. Returns whether it got there or read every page (rather than
/// stopping at [`MAX_NOTE_PAGES`]).
fn each_note(
    vitally: &Vitally,
    account_id: &str,
    what: &str,
    observer: &mut dyn Observer,
    reads: &mut Vec<Call>,
    mut visit: impl FnMut(String, String) -> bool,
) -> Result<bool, CallError> {
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_NOTE_PAGES {
        let mut path = format!(
            "/resources/accounts/{}/notes?limit=100",
            segment(account_id)
        );
        if let Some(cursor) = &cursor {
            path.push_str(&format!("&from={}", segment(cursor)));
        }
        let call = Call::get(path);
        let line = call.line();
        let page = read(vitally, call, what, observer, reads)?;
        let results = page
            .get("results")
            .and_then(Value::as_array)
            .ok_or_else(|| CallError::Failed {
                line,
                reason: "a list of notes (`results`) was expected".into(),
            })?;
        let mut done = false;
        for note in results {
            if let (Some(external), Some(id)) = (text_of(note, "externalId"), text_of(note, "id")) {
                done = visit(external, id) || done;
            }
        }
        cursor = page.get("next").and_then(Value::as_str).map(str::to_string);
        if cursor.is_none() || done {
            return Ok(true);
        }
    }
    Ok(false)
}
