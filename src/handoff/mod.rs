//! The handoff document: what the TOML file holds. Its parts and their rules live
//! beside it: the completion gate (`gate`: `blockers()`, the one place that decides
//! what stands between a handoff and "complete"), the notes log, the checklist.

mod checklist;
mod gate;
mod history;
mod notes;
pub mod time;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::form::{self, Form, Step};
use crate::vitally::VitallyRecord;

pub use crate::value::FieldValue;
pub use checklist::{ChecklistItem, ItemState, Origin};
pub use gate::{Blocker, Target};
pub use history::{Author, Change, Conflict, MAINTENANCE_ONLY, NOTE_CONFLICT, change_label, shown};
pub use notes::{NoteEntry, note_id};
use time::toml_time;
pub use time::{Timestamp, now};

/// The file format version this build reads and writes.
/// Schema 2 left the wizard's resume position out of the file (it is local to
/// each machine) and gave notes a stable id, for sharing through git.
pub const SCHEMA: u32 = 2;

/// The whole handoff. Field order here is the order of the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handoff {
    pub schema: u32,
    pub status: Status,
    #[serde(with = "toml_time")]
    pub created_at: Timestamp,
    #[serde(with = "toml_time")]
    pub updated_at: Timestamp,
    #[serde(
        default,
        with = "toml_time::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub completed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_by: Option<String>,
    /// Where the wizard was, as schema 1 kept it in the file: read from old files
    /// only; the position now lives on each machine (`crate::state`).
    #[serde(default, rename = "position", skip_serializing)]
    pub legacy_position: Position,
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub handoff: Values,
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub deployment: Values,
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub code_hosts: Values,
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub notes: Values,
    #[serde(default, rename = "note", skip_serializing_if = "Vec::is_empty")]
    pub notes_log: Vec<NoteEntry>,
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub checklist: Values,
    #[serde(
        default,
        rename = "checklist_item",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub checklist_items: Vec<ChecklistItem>,
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub lessons: Values,
    #[serde(default, skip_serializing_if = "Values::is_empty")]
    pub upgrade: Values,
    #[serde(default, rename = "reopened", skip_serializing_if = "Vec::is_empty")]
    pub reopen_history: Vec<Reopening>,
    /// What `handoff push` sent to Vitally, so the next push updates instead of
    /// duplicating (`crate::vitally::record`).
    #[serde(default, skip_serializing_if = "VitallyRecord::is_empty")]
    pub vitally: VitallyRecord,
    /// Changes after completion, reopenings, and values applied from elsewhere.
    #[serde(default, rename = "change", skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Change>,
    /// Values two machines set differently, waiting for someone to pick one.
    #[serde(default, rename = "conflict", skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
    /// Keys this version does not know, kept as they were (`store::parse` fills it).
    #[serde(flatten, skip_deserializing, default)]
    pub unknown: toml::Table,
    /// Where those keys stood in the file, so a save writes them back there.
    #[serde(skip)]
    pub unknown_places: UnknownPlaces,
}

/// Where an unknown top-level key stood in the file: before these known keys
/// (in file order). Only the layout of the next save depends on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPlace {
    pub key: String,
    pub before: Vec<String>,
}

/// The places of the unknown top-level keys. Two documents that differ only here
/// say the same thing, so they are equal.
#[derive(Debug, Clone, Default)]
pub struct UnknownPlaces(Vec<UnknownPlace>);

impl PartialEq for UnknownPlaces {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::ops::Deref for UnknownPlaces {
    type Target = Vec<UnknownPlace>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for UnknownPlaces {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InProgress,
    Complete,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::InProgress => "in progress",
            Status::Complete => "complete",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub step: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub field: String,
}

impl Position {
    pub fn is_unset(&self) -> bool {
        self.step.is_empty() && self.field.is_empty()
    }
}

/// A step's field values by field key, kept in form order when saved.
pub type Values = IndexMap<String, FieldValue>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reopening {
    #[serde(with = "toml_time")]
    pub at: Timestamp,
    pub by: String,
    /// When the handoff had been completed before this reopening, and by whom.
    #[serde(
        default,
        with = "toml_time::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub was_completed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was_completed_by: Option<String>,
    #[serde(flatten, skip_deserializing, default)]
    pub unknown: toml::Table,
}

impl Handoff {
    /// A fresh handoff with the form's defaults and the default checklist.
    pub fn new(customer: &str, engineer: &str, technical_advisor: &str, at: Timestamp) -> Self {
        let mut handoff = Handoff {
            schema: SCHEMA,
            status: Status::InProgress,
            created_at: at,
            updated_at: at,
            completed_at: None,
            completed_by: None,
            legacy_position: Position::default(),
            handoff: Values::new(),
            deployment: Values::new(),
            code_hosts: Values::new(),
            notes: Values::new(),
            notes_log: Vec::new(),
            checklist: Values::new(),
            checklist_items: Vec::new(),
            lessons: Values::new(),
            upgrade: Values::new(),
            reopen_history: Vec::new(),
            vitally: VitallyRecord::default(),
            history: Vec::new(),
            conflicts: Vec::new(),
            unknown: toml::Table::new(),
            unknown_places: UnknownPlaces::default(),
        };
        let form = form::form();
        for (key, name) in [
            ("customer", customer),
            ("engineer", engineer),
            ("technical_advisor", technical_advisor),
        ] {
            if !name.trim().is_empty() {
                handoff.set_value("handoff", key, Some(FieldValue::Text(name.trim().into())));
            }
        }
        for step in &form.steps {
            for field in step.fields.iter().filter(|f| !f.default.is_empty()) {
                handoff.set_value(
                    &step.key,
                    &field.key,
                    Some(FieldValue::List(field.default.clone())),
                );
            }
        }
        handoff.sync_environment_items();
        handoff.checklist_items.extend(
            form.checklist
                .default
                .iter()
                .map(|t| ChecklistItem::to_do(t.key.clone(), t.title.clone(), Origin::Default)),
        );
        handoff
    }

    pub fn customer(&self) -> &str {
        self.text("handoff", "customer")
    }

    pub fn engineer(&self) -> &str {
        self.text("handoff", "engineer")
    }

    fn text(&self, step: &str, key: &str) -> &str {
        match self.values(step).and_then(|v| v.get(key)) {
            Some(FieldValue::Text(t)) => t,
            _ => "",
        }
    }

    /// The values of a step, or `None` for steps without fields of their own.
    pub fn values(&self, step: &str) -> Option<&Values> {
        Some(match step {
            "handoff" => &self.handoff,
            "deployment" => &self.deployment,
            "code_hosts" => &self.code_hosts,
            "notes" => &self.notes,
            "checklist" => &self.checklist,
            "lessons" => &self.lessons,
            "upgrade" => &self.upgrade,
            _ => return None,
        })
    }

    pub fn values_mut(&mut self, step: &str) -> Option<&mut Values> {
        Some(match step {
            "handoff" => &mut self.handoff,
            "deployment" => &mut self.deployment,
            "code_hosts" => &mut self.code_hosts,
            "notes" => &mut self.notes,
            "checklist" => &mut self.checklist,
            "lessons" => &mut self.lessons,
            "upgrade" => &mut self.upgrade,
            _ => return None,
        })
    }

    pub fn value(&self, step: &str, field: &str) -> Option<&FieldValue> {
        self.values(step)?.get(field)
    }

    /// Sets (or with `None`, clears) a field, keeping the step's values in form order.
    /// Changing the environments list updates the per-environment checklist items.
    pub fn set_value(&mut self, step: &str, field: &str, value: Option<FieldValue>) {
        let Some(form_step) = form::form().step(step) else {
            return;
        };
        let Some(values) = self.values_mut(step) else {
            return;
        };
        match value {
            Some(v) => {
                values.insert(field.to_string(), v);
            }
            None => {
                values.shift_remove(field);
            }
        }
        sort_in_form_order(values, form_step);
        if step == form::STEP_CHECKLIST && field == form::FIELD_ENVIRONMENTS {
            self.sync_environment_items();
        }
    }

    /// Marks the handoff complete, or says exactly what blocks it.
    pub fn complete(&mut self, by: &str, at: Timestamp) -> Result<(), Vec<Blocker>> {
        let blockers = self.blockers();
        if !blockers.is_empty() {
            return Err(blockers);
        }
        self.status = Status::Complete;
        self.completed_at = Some(at);
        self.completed_by = Some(by.to_string());
        self.updated_at = at;
        Ok(())
    }

    /// Takes a completed handoff back to in progress, recording who and when.
    /// Returns false (and changes nothing) when it was not complete.
    pub fn reopen(&mut self, by: &str, at: Timestamp) -> bool {
        if self.status != Status::Complete {
            return false;
        }
        self.reopen_history.push(Reopening {
            at,
            by: by.to_string(),
            was_completed_at: self.completed_at.take(),
            was_completed_by: self.completed_by.take(),
            unknown: toml::Table::new(),
        });
        self.record("status", "complete", "in progress", by, at);
        self.status = Status::InProgress;
        self.updated_at = at;
        true
    }

    /// Keys in the file that the form does not know, as `step.key`.
    pub fn unknown_value_keys(&self, form: &Form) -> Vec<String> {
        let mut unknown = Vec::new();
        for step in &form.steps {
            if let Some(values) = self.values(&step.key) {
                for key in values.keys().filter(|k| step.field(k).is_none()) {
                    unknown.push(format!("{}.{key}", step.key));
                }
            }
        }
        unknown
    }
}

/// Form order first; keys the form does not know keep their place at the end.
pub(crate) fn sort_in_form_order(values: &mut Values, step: &Step) {
    let rank = |key: &str| {
        step.fields
            .iter()
            .position(|f| f.key == key)
            .unwrap_or(usize::MAX)
    };
    values.sort_by(|a, _, b, _| rank(a).cmp(&rank(b)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn reopen_records_who_and_when() {
        let mut h = testdata::complete_handoff();
        assert!(
            !h.reopen("Sam", now()),
            "an in-progress handoff is not reopened"
        );
        h.complete("Jane", now()).expect("complete");
        assert!(h.reopen("Sam", now()));
        assert_eq!(h.status, Status::InProgress);
        assert_eq!(h.completed_at, None);
        assert_eq!(h.reopen_history.len(), 1);
        assert_eq!(h.reopen_history[0].by, "Sam");
        assert_eq!(h.history.len(), 1, "a reopening is in the history");
        assert_eq!(h.history[0].field, "status");
        assert_eq!(
            h.reopen_history[0].was_completed_by.as_deref(),
            Some("Jane")
        );
    }

    #[test]
    fn values_keep_form_order_whatever_order_they_are_set_in() {
        let mut h = testdata::new_handoff();
        h.set_value("deployment", "total_cpu", Some(FieldValue::Number(8.0)));
        h.set_value(
            "deployment",
            "instance_url",
            Some(FieldValue::Text("https://x.io".into())),
        );
        let keys: Vec<&str> = h.deployment.keys().map(String::as_str).collect();
        assert_eq!(keys, ["instance_url", "total_cpu"]);
    }
}
