//! The implementation notes log: entries, and the rules for adding, editing and
//! deleting them.

use serde::{Deserialize, Serialize};

use super::Handoff;
use super::time::{Timestamp, toml_time};

/// One entry of the implementation notes log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteEntry {
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
    /// Deleted entries stay in the file, marked, so the log keeps its history.
    #[serde(
        default,
        with = "toml_time::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub deleted_at: Option<Timestamp>,
    pub text: String,
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
        self.notes_log.push(NoteEntry {
            category: category.to_string(),
            author: author.to_string(),
            created_at: at,
            edited_at: None,
            deleted_at: None,
            text,
        });
        Ok(self.notes_log.len() - 1)
    }

    /// Replaces a live note's text; returns whether anything changed.
    pub fn edit_note(&mut self, index: usize, text: &str, at: Timestamp) -> Result<bool, String> {
        let text = note_text(text)?;
        match self.notes_log.get_mut(index).filter(|n| n.is_live()) {
            Some(note) if note.text != text => {
                note.text = text;
                note.edited_at = Some(at);
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err("There is no such note".into()),
        }
    }

    /// Files a live note under another category; returns whether anything changed.
    pub fn recategorize_note(&mut self, index: usize, category: &str, at: Timestamp) -> bool {
        match self.notes_log.get_mut(index).filter(|n| n.is_live()) {
            Some(note) if note.category != category => {
                note.category = category.to_string();
                note.edited_at = Some(at);
                true
            }
            _ => false,
        }
    }

    /// Marks a live note deleted; returns whether there was one.
    pub fn delete_note(&mut self, index: usize, at: Timestamp) -> bool {
        match self.notes_log.get_mut(index).filter(|n| n.is_live()) {
            Some(note) => {
                note.deleted_at = Some(at);
                true
            }
            None => false,
        }
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

        assert_eq!(h.edit_note(i, "Disk fills\nweekly", t2), Ok(false));
        assert_eq!(h.notes_log[i].edited_at, None, "no change, no edit time");
        assert_eq!(h.edit_note(i, "Disk fills daily", t2), Ok(true));
        assert_eq!(h.notes_log[i].edited_at, Some(t2));

        assert!(!h.recategorize_note(i, "risk", t3));
        assert!(h.recategorize_note(i, "issue", t3));
        assert_eq!(h.notes_log[i].category, "issue");

        assert!(h.delete_note(i, t3));
        assert!(!h.notes_log[i].is_live());
        assert!(!h.delete_note(i, t3), "once");
        assert!(
            h.edit_note(i, "again", t3).is_err(),
            "a deleted note is not edited"
        );
    }
}
