//! What a handoff remembers of its pushes to Vitally: the `[vitally]` table of the
//! file. It is what makes a push repeatable: which value went to which trait (so a
//! field emptied since is cleared there, and the review page can count what changed
//! since), and which Vitally note each notes-log entry became (so a later push
//! updates that note instead of making a second one).
//!
//! ```toml
//! [vitally]
//! account = "acme-corp"
//! account_id = "6f1c…"
//! pushed_at = 2026-03-27T14:02:00Z
//! pushed_by = "Jane Doe"
//!
//! [[vitally.trait]]
//! field = "deployment.total_cpu"
//! trait = "vitally.custom.totalCpu"
//! value = 56.0
//!
//! [[vitally.note]]
//! entry = "n-3f2a9c01d4e5"
//! external_id = "handoff:6f1c…:20260302T090000Z:n-3f2a9c01d4e5"
//! id = "0c9e…"
//! sent = "n-5b1e0f2a7c33"
//! ```
//!
//! A note entry without `id` is one whose creation was under way when a push
//! stopped: the next push looks for it in Vitally by its external id before
//! creating it, so it is never made twice.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::handoff::FieldValue;
use crate::handoff::time::{Timestamp, toml_time};

/// The `[vitally]` table: the last push and what it sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VitallyRecord {
    /// The account as the handoff named it when it was pushed (ID or external ID).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Vitally's own ID of that account: notes are filed under it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account_id: String,
    /// When the last push finished, and who ran it.
    #[serde(
        default,
        with = "toml_time::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub pushed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed_by: Option<String>,
    /// The trait values Vitally has from this handoff.
    #[serde(default, rename = "trait", skip_serializing_if = "Vec::is_empty")]
    pub traits: Vec<PushedTrait>,
    /// The notes Vitally has from this handoff.
    #[serde(default, rename = "note", skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<PushedNote>,
    #[serde(flatten, skip_deserializing, default)]
    pub unknown: toml::Table,
}

/// One field's value as it was last sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushedTrait {
    /// `step.field`, e.g. `deployment.total_cpu`.
    pub field: String,
    #[serde(rename = "trait")]
    pub trait_path: String,
    pub value: FieldValue,
    #[serde(flatten, skip_deserializing, default)]
    pub unknown: toml::Table,
}

/// One Vitally note made from this handoff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushedNote {
    /// What the note was made from: a notes-log entry's id (`n-…`), or
    /// `lessons` / `upgrade` for those sections.
    pub entry: String,
    /// The note's `externalId` in Vitally: stable, and unique to this handoff.
    pub external_id: String,
    /// Vitally's ID of the note; absent while its creation is not yet confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A digest of the subject, body and date last sent, so an unchanged note
    /// is not sent again.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sent: String,
    /// The date the note carries in Vitally, for the sections (which have no
    /// time of their own): the time of the push that made it.
    #[serde(
        default,
        with = "toml_time::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub note_date: Option<Timestamp>,
    #[serde(flatten, skip_deserializing, default)]
    pub unknown: toml::Table,
}

impl VitallyRecord {
    /// Nothing pushed yet: the table is left out of the file.
    pub fn is_empty(&self) -> bool {
        *self == VitallyRecord::default()
    }

    pub fn pushed_trait(&self, field: &str) -> Option<&PushedTrait> {
        self.traits.iter().find(|t| t.field == field)
    }

    /// The Vitally note made from `entry`: its first row with a Vitally ID, else
    /// its first row. (An entry has more than one row only after two machines
    /// pushed it before they synced; see `merge`.)
    pub fn note(&self, entry: &str) -> Option<&PushedNote> {
        self.note_index(entry).map(|i| &self.notes[i])
    }

    pub fn note_mut(&mut self, entry: &str) -> Option<&mut PushedNote> {
        self.note_index(entry).map(|i| &mut self.notes[i])
    }

    fn note_index(&self, entry: &str) -> Option<usize> {
        let rows = || {
            self.notes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.entry == entry)
        };
        rows()
            .find(|(_, n)| n.id.is_some())
            .or_else(|| rows().next())
            .map(|(i, _)| i)
    }

    /// The other Vitally notes made from `entry`, besides [`VitallyRecord::note`]:
    /// copies made when two machines pushed it before they synced.
    pub fn copies(&self, entry: &str) -> Vec<&PushedNote> {
        let first = self.note_index(entry);
        self.notes
            .iter()
            .enumerate()
            .filter(|(i, n)| n.entry == entry && n.id.is_some() && Some(*i) != first)
            .map(|(_, n)| n)
            .collect()
    }

    /// The entries with copies, in the order of the record.
    pub fn doubled_entries(&self) -> Vec<String> {
        let mut entries: Vec<String> = Vec::new();
        for n in &self.notes {
            if !entries.contains(&n.entry) && !self.copies(&n.entry).is_empty() {
                entries.push(n.entry.clone());
            }
        }
        entries
    }

    /// Forgets the notes of doubled entries that Vitally no longer has (`present`
    /// holds the IDs it has): a copy deleted there, or the entry's note itself,
    /// a copy then taking its place. When Vitally has none of them, the entry's
    /// note stays, as any note deleted in Vitally does.
    pub fn forget_deleted_copies(&mut self, present: &BTreeSet<String>) {
        for entry in self.doubled_entries() {
            let there = |n: &PushedNote| n.id.as_ref().is_some_and(|id| present.contains(id));
            let keep = if self.notes.iter().any(|n| n.entry == entry && there(n)) {
                None
            } else {
                self.note(&entry).and_then(|n| n.id.clone())
            };
            self.notes
                .retain(|n| n.entry != entry || n.id.is_none() || there(n) || n.id == keep);
        }
    }

    /// Records that `field` now holds `value` in Vitally (`None`: cleared there).
    pub fn set_trait(&mut self, field: &str, trait_path: &str, value: Option<FieldValue>) {
        let at = self.traits.iter().position(|t| t.field == field);
        match (at, value) {
            (Some(i), Some(value)) => {
                self.traits[i].trait_path = trait_path.to_string();
                self.traits[i].value = value;
            }
            (None, Some(value)) => self.traits.push(PushedTrait {
                field: field.to_string(),
                trait_path: trait_path.to_string(),
                value,
                unknown: toml::Table::new(),
            }),
            (Some(i), None) => {
                self.traits.remove(i);
            }
            (None, None) => {}
        }
    }
}

/// Keeps a key under `[vitally]` that this version does not know, as serde
/// reported it (`vitally.colour`, `vitally.note.0.colour`). Returns whether the
/// path was one of ours.
pub fn keep_unknown(record: &mut VitallyRecord, whole: &toml::Table, path: &str) -> bool {
    let Some(rest) = path.strip_prefix("vitally.") else {
        return false;
    };
    let Some(table) = whole.get("vitally").and_then(toml::Value::as_table) else {
        return true;
    };
    let mut parts = rest.splitn(3, '.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(key), None, None) => {
            if let Some(value) = table.get(key) {
                record.unknown.insert(key.to_string(), value.clone());
            }
        }
        (Some(array @ ("trait" | "note")), Some(index), Some(rest)) => {
            let key = rest.split('.').next().unwrap_or(rest);
            let Ok(index) = index.parse::<usize>() else {
                return true;
            };
            let value = table
                .get(array)
                .and_then(toml::Value::as_array)
                .and_then(|a| a.get(index))
                .and_then(toml::Value::as_table)
                .and_then(|t| t.get(key));
            let target = if array == "trait" {
                record.traits.get_mut(index).map(|t| &mut t.unknown)
            } else {
                record.notes.get_mut(index).map(|n| &mut n.unknown)
            };
            if let (Some(target), Some(value)) = (target, value) {
                target.insert(key.to_string(), value.clone());
            }
        }
        _ => {}
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handoff::Handoff;
    use crate::testdata;
    use std::path::Path;

    fn pushed(h: &mut Handoff) {
        h.vitally = VitallyRecord {
            account: "acme-corp".into(),
            account_id: "acc-1".into(),
            pushed_at: Some(testdata::at(27, 14)),
            pushed_by: Some("Jane Doe".into()),
            traits: vec![PushedTrait {
                field: "deployment.total_cpu".into(),
                trait_path: "vitally.custom.totalCpu".into(),
                value: FieldValue::Number(56.0),
                unknown: toml::Table::new(),
            }],
            notes: vec![PushedNote {
                entry: "lessons".into(),
                external_id: "handoff-x-lessons".into(),
                id: None,
                sent: String::new(),
                note_date: Some(testdata::at(27, 14)),
                unknown: toml::Table::new(),
            }],
            unknown: toml::Table::new(),
        };
    }

    #[test]
    fn the_record_is_a_vitally_table_before_the_history_and_reads_back() {
        let mut h = testdata::complete_handoff();
        let empty = crate::store::to_toml(&h).expect("toml");
        assert!(!empty.contains("[vitally]"), "no table until a push");
        pushed(&mut h);
        h.reopen_history.clear();
        h.history.push(crate::handoff::Change {
            at: testdata::at(28, 9),
            by: "Sam".into(),
            field: "code_hosts.repositories".into(),
            old: None,
            new: Some(FieldValue::Integer(1300)),
            source: None,
            unknown: toml::Table::new(),
        });
        let text = crate::store::to_toml(&h).expect("toml");
        let table = text.find("\n[vitally]\n").expect("[vitally]");
        let change = text.find("[[change]]").expect("[[change]]");
        assert!(table < change, "{text}");
        assert!(
            text.contains(
                "[[vitally.trait]]\nfield = \"deployment.total_cpu\"\ntrait = \"vitally.custom.totalCpu\"\nvalue = 56.0\n"
            ),
            "{text}"
        );
        assert!(text.contains("pushed_by = \"Jane Doe\"\n"), "{text}");
        let back = crate::store::parse(Path::new("x.toml"), &text).expect("parses");
        assert_eq!(back.handoff, h);
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    }

    #[test]
    fn unknown_keys_under_vitally_are_kept() {
        let mut h = testdata::complete_handoff();
        pushed(&mut h);
        let text = crate::store::to_toml(&h).expect("toml");
        let text = text
            .replace(
                "pushed_by = \"Jane Doe\"\n",
                "pushed_by = \"Jane Doe\"\nregion = \"eu\"\n",
            )
            .replace("value = 56.0\n", "value = 56.0\nsource = \"kubectl\"\n")
            .replace(
                "entry = \"lessons\"\n",
                "entry = \"lessons\"\ncolour = \"teal\"\n",
            );
        let back = crate::store::parse(Path::new("x.toml"), &text).expect("parses");
        assert_eq!(back.warnings.len(), 3, "{:?}", back.warnings);
        let again = crate::store::to_toml(&back.handoff).expect("toml");
        for kept in [
            "region = \"eu\"",
            "source = \"kubectl\"",
            "colour = \"teal\"",
        ] {
            assert!(again.contains(kept), "{kept} in {again}");
        }
    }

    /// A record of a push of everything the handoff has now, at `at`.
    fn everything_pushed(h: &mut Handoff, mapping: &super::super::Mapping, at: Timestamp) {
        let draft = super::super::Draft::new(h, mapping);
        let mut record = VitallyRecord {
            account: "acme-corp".into(),
            account_id: "acc-1".into(),
            pushed_at: Some(at),
            pushed_by: Some("Jane Doe".into()),
            ..VitallyRecord::default()
        };
        for field in &draft.fields {
            let value = field.value.clone().expect("valid");
            record.set_trait(&field.mapped.key(), &field.mapped.trait_path, value);
        }
        for (i, note) in draft.notes.iter().enumerate() {
            record.notes.push(PushedNote {
                entry: note.entry.clone(),
                external_id: format!("x-{i}"),
                id: Some(format!("note-{i}")),
                sent: note.digest(note.date.unwrap_or(at)),
                note_date: note.date.is_none().then_some(at),
                unknown: toml::Table::new(),
            });
        }
        h.vitally = record;
    }

    #[test]
    fn the_review_line_says_when_and_how_much_changed_since() {
        crate::handoff::time::show_times_in_utc();
        let mapping = super::super::Mapping::new(
            crate::form::form(),
            &std::collections::BTreeMap::new(),
            "config.toml",
        )
        .expect("mapping");
        let mut h = testdata::complete_handoff();
        let at = testdata::at(27, 14);
        assert_eq!(h.vitally_status(&mapping, at), None, "never pushed");
        assert_eq!(h.vitally_changes_since(&mapping), 14 + 4);

        everything_pushed(&mut h, &mapping, at);
        assert_eq!(
            h.vitally_status(&mapping, testdata::at(27, 18)).as_deref(),
            Some("pushed to Vitally 14:00 (nothing changed since)")
        );
        assert_eq!(
            h.vitally_status(&mapping, testdata::at(28, 9)).as_deref(),
            Some("pushed to Vitally 2026-03-27 14:00 (nothing changed since)")
        );

        // A changed field, an emptied one, an edited note, a new note; a field
        // no trait takes and a deleted note are not changes to send.
        h.set_value("deployment", "total_cpu", Some(FieldValue::Number(64.0)));
        h.set_value("code_hosts", "monorepos", None);
        h.set_value("notes", "upper_limit_users", Some(FieldValue::Integer(900)));
        h.edit_note(0, "900 users", "Sam", testdata::at(28, 9))
            .expect("edit");
        h.delete_note(1, "Sam", testdata::at(28, 9));
        h.add_note("risk", "Disk", "Sam", testdata::at(28, 9))
            .expect("add");
        assert_eq!(
            h.vitally_status(&mapping, at).as_deref(),
            Some("pushed to Vitally 14:00 (4 changes since)")
        );
        h.set_value(
            "deployment",
            "total_disk_gb",
            Some(FieldValue::Text("lots".into())),
        );
        assert_eq!(
            h.vitally_changes_since(&mapping),
            5,
            "an invalid value is unsent too"
        );

        h.vitally.pushed_at = None;
        assert_eq!(
            h.vitally_status(&mapping, at).as_deref(),
            Some("partly pushed to Vitally (5 not sent yet)")
        );
    }

    #[test]
    fn the_entry_s_note_is_its_first_row_with_an_id_and_the_others_are_copies() {
        let row = |id: Option<&str>, external: &str| PushedNote {
            entry: "lessons".into(),
            external_id: external.into(),
            id: id.map(str::to_string),
            sent: String::new(),
            note_date: None,
            unknown: toml::Table::new(),
        };
        // Two files started apart, then merged: an unconfirmed row comes first.
        let mut r = VitallyRecord {
            notes: vec![row(None, "a"), row(Some("note-2"), "b")],
            ..VitallyRecord::default()
        };
        assert_eq!(r.note("lessons").map(|n| n.external_id.as_str()), Some("b"));
        assert!(r.copies("lessons").is_empty());
        assert!(r.doubled_entries().is_empty());
        r.notes.push(row(Some("note-3"), "b"));
        let copies: Vec<_> = r.copies("lessons").iter().map(|n| n.id.clone()).collect();
        assert_eq!(copies, [Some("note-3".to_string())]);
        assert_eq!(r.doubled_entries(), ["lessons"]);
        r.note_mut("lessons").expect("row").sent = "d".into();
        assert_eq!(r.notes[1].sent, "d");
        assert_eq!(r.note("n-1"), None);
    }

    #[test]
    fn set_trait_adds_changes_and_forgets() {
        let mut r = VitallyRecord::default();
        r.set_trait("deployment.total_cpu", "a", Some(FieldValue::Number(1.0)));
        r.set_trait("deployment.total_cpu", "b", Some(FieldValue::Number(2.0)));
        assert_eq!(r.traits.len(), 1);
        assert_eq!(r.traits[0].trait_path, "b");
        r.set_trait("deployment.total_cpu", "b", None);
        assert!(r.is_empty());
    }
}
