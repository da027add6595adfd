//! The implementation notes log: entries, and the rules for adding, editing and
//! deleting them.

use serde::{Deserialize, Serialize};

use super::time::{Timestamp, toml_time};
use super::{Handoff, NOTE_CONFLICT};

/// One entry of the implementation notes log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteEntry {
    /// Stable identity: the same entry on every machine and in every push.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// A key of a `note_category` in the form.
    pub category: String,
    pub author: String,
    #[serde(with = "toml_time")]
    pub created_at: Timestamp,
    #[serde(
        default,
        with = "toml_time::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub edited_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_by: Option<String>,
    /// A deleted entry keeps its place, kind, author and times, but not its text
    /// (a pasted secret must not travel on to the TA).
    #[serde(
        default,
        with = "toml_time::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub deleted_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<String>,
    pub text: String,
    #[serde(flatten, skip_deserializing, default)]
    pub unknown: toml::Table,
}

impl NoteEntry {
    pub fn is_live(&self) -> bool {
        self.deleted_at.is_none()
    }
}

impl Handoff {
    /// Appends a note by `author` at `at`; returns its index in the log. A note
    /// needs some text.
    pub fn add_note(
        &mut self,
        category: &str,
        text: &str,
        author: &str,
        at: Timestamp,
    ) -> Result<usize, String> {
        let text = note_text(text)?;
        if self.status == super::Status::Complete {
            // After completion every change is history, notes added included.
            let first = text.lines().next().unwrap_or_default();
            self.history.push(super::Change {
                at,
                by: author.to_string(),
                field: "note".into(),
                old: None,
                new: Some(super::FieldValue::Text(format!("{category}: {first}"))),
                source: None,
                unknown: toml::Table::new(),
            });
            self.updated_at = at;
        }
        self.notes_log.push(NoteEntry {
            id: fresh_note_id(at, author, &text),
            category: category.to_string(),
            author: author.to_string(),
            created_at: at,
            edited_at: None,
            edited_by: None,
            deleted_at: None,
            deleted_by: None,
            text,
            unknown: toml::Table::new(),
        });
        Ok(self.notes_log.len() - 1)
    }

    /// Replaces a live note's text; returns whether anything changed.
    pub fn edit_note(
        &mut self,
        index: usize,
        text: &str,
        by: &str,
        at: Timestamp,
    ) -> Result<bool, String> {
        let text = note_text(text)?;
        match self.notes_log.get_mut(index).filter(|n| n.is_live()) {
            Some(note) if note.text != text => {
                note.text = text;
                note.edited_at = Some(at);
                note.edited_by = Some(by.to_string());
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err("There is no such note".into()),
        }
    }

    /// Files a live note under another category; returns whether anything changed.
    pub fn recategorize_note(
        &mut self,
        index: usize,
        category: &str,
        by: &str,
        at: Timestamp,
    ) -> bool {
        match self.notes_log.get_mut(index).filter(|n| n.is_live()) {
            Some(note) if note.category != category => {
                note.category = category.to_string();
                note.edited_at = Some(at);
                note.edited_by = Some(by.to_string());
                true
            }
            _ => false,
        }
    }

    /// Deletes a live note: its text goes, with any other version of it a merge
    /// kept in a conflict; who deleted what kind of entry, and when, stays.
    /// Returns whether there was one.
    pub fn delete_note(&mut self, index: usize, by: &str, at: Timestamp) -> bool {
        match self.notes_log.get_mut(index).filter(|n| n.is_live()) {
            Some(note) => {
                note.deleted_at = Some(at);
                note.deleted_by = Some(by.to_string());
                note.text.clear();
                note.unknown.clear();
                let about = format!("{NOTE_CONFLICT}{}", note.id);
                self.conflicts.retain(|c| c.field != about);
                true
            }
            None => false,
        }
    }
}

/// The id of a note that came without one (schema 1): the same on every machine
/// that reads the same note.
pub fn note_id(created_at: Timestamp, author: &str, text: &str) -> String {
    let mut hash = Fnv::new();
    hash.write(created_at.to_rfc3339().as_bytes());
    hash.write(author.as_bytes());
    hash.write(text.as_bytes());
    format!("n-{:012x}", hash.0 & 0xffff_ffff_ffff)
}

/// The id of a new note: also unique between two machines writing a note by the
/// same person in the same second.
fn fresh_note_id(at: Timestamp, author: &str, text: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hash = Fnv::new();
    hash.write(at.to_rfc3339().as_bytes());
    hash.write(author.as_bytes());
    hash.write(text.as_bytes());
    hash.write(crate::store::hostname().as_bytes());
    hash.write(&std::process::id().to_le_bytes());
    hash.write(&COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    hash.write(&nanos.to_le_bytes());
    format!("n-{:012x}", hash.0 & 0xffff_ffff_ffff)
}

/// FNV-1a: small, and the same everywhere (std's hasher may change between
/// releases, and ids are kept in files).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}

/// A note's text as kept: trailing blank space goes; some text must remain.
fn note_text(text: &str) -> Result<String, String> {
    let text = text.trim_end();
    if text.trim().is_empty() {
        return Err("A note needs some text (Esc to leave without one)".into());
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn notes_are_added_edited_recategorized_and_deleted_with_times() {
        let mut h = testdata::new_handoff();
        let (t1, t2, t3) = (
            testdata::at(10, 9),
            testdata::at(11, 9),
            testdata::at(12, 9),
        );
        assert!(h.add_note("risk", " \n ", "Jane", t1).is_err(), "empty");
        let i = h
            .add_note("risk", "Disk fills\nweekly\n\n", "Jane", t1)
            .expect("added");
        assert_eq!(h.notes_log[i].text, "Disk fills\nweekly");
        assert_eq!(h.notes_log[i].author, "Jane");
        assert_eq!(h.notes_log[i].created_at, t1);

        assert!(h.notes_log[i].id.starts_with("n-"));

        assert_eq!(h.edit_note(i, "Disk fills\nweekly", "Sam", t2), Ok(false));
        assert_eq!(h.notes_log[i].edited_at, None, "no change, no edit time");
        assert_eq!(h.edit_note(i, "Disk fills daily", "Sam", t2), Ok(true));
        assert_eq!(h.notes_log[i].edited_at, Some(t2));
        assert_eq!(h.notes_log[i].edited_by.as_deref(), Some("Sam"));

        assert!(!h.recategorize_note(i, "risk", "Jane", t3));
        assert!(h.recategorize_note(i, "issue", "Jane", t3));
        assert_eq!(h.notes_log[i].category, "issue");
        assert_eq!(h.notes_log[i].edited_by.as_deref(), Some("Jane"));

        assert!(h.delete_note(i, "Jane", t3));
        let note = &h.notes_log[i];
        assert!(!note.is_live());
        assert_eq!(note.text, "", "the text goes");
        assert_eq!(
            (note.category.as_str(), note.author.as_str()),
            ("issue", "Jane"),
            "what kind of entry and whose stay"
        );
        assert_eq!(note.deleted_by.as_deref(), Some("Jane"));
        assert!(!h.delete_note(i, "Jane", t3), "once");
        assert!(
            h.edit_note(i, "again", "Jane", t3).is_err(),
            "a deleted note is not edited"
        );
    }

    #[test]
    fn ids_are_stable_for_old_notes_and_unique_for_new_ones() {
        let at = testdata::at(10, 9);
        assert_eq!(note_id(at, "Jane", "x"), note_id(at, "Jane", "x"));
        assert_ne!(note_id(at, "Jane", "x"), note_id(at, "Jane", "y"));
        let mut h = testdata::new_handoff();
        let a = h.add_note("risk", "same", "Jane", at).expect("added");
        let b = h.add_note("risk", "same", "Jane", at).expect("added");
        assert_ne!(h.notes_log[a].id, h.notes_log[b].id);
    }
}
