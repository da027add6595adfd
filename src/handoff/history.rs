//! The handoff's history and the rule for changing a field: every change after
//! completion (the TA's maintenance), every reopening and every value applied
//! from another system is a `[[change]]` entry; a value two machines set
//! differently is a `[[conflict]]` until someone picks one.

use serde::{Deserialize, Serialize};

use super::time::{Timestamp, toml_time};
use super::{FieldValue, Handoff, Status};
use crate::form::{self, form};
use crate::validate;

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    #[serde(with = "toml_time")]
    pub at: Timestamp,
    pub by: String,
    /// What changed: `step.field`, `note` (a note added), or `status`.
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<FieldValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<FieldValue>,
    /// Where the new value came from when it was not typed, e.g. "fill from kubectl".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(flatten, skip_deserializing, default)]
    pub unknown: toml::Table,
}

/// The same thing set two ways on two machines: ours is kept in the document,
/// theirs waits here until someone picks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// When the two versions were merged.
    #[serde(with = "toml_time")]
    pub at: Timestamp,
    /// `step.field`, or `checklist.<item key>` for a checklist item's state.
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ours: Option<FieldValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs: Option<FieldValue>,
    /// Who set theirs, when the other version says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs_by: Option<String>,
    #[serde(flatten, skip_deserializing, default)]
    pub unknown: toml::Table,
}

/// Who is changing the handoff, and from where.
#[derive(Debug, Clone, Copy)]
pub struct Author<'a> {
    pub by: &'a str,
    pub at: Timestamp,
    /// Where the value came from, when it was not typed ("fill from kubectl").
    pub source: Option<&'a str>,
}

impl<'a> Author<'a> {
    /// A person typing.
    pub fn typing(by: &'a str, at: Timestamp) -> Self {
        Author {
            by,
            at,
            source: None,
        }
    }
}

/// A conflict about a note's text is `note.<note id>`. Its history entry keeps
/// neither text: deleting the note must take its words out of the file.
pub const NOTE_CONFLICT: &str = "note.";

/// The one line a refused edit of a completed handoff shows.
pub const MAINTENANCE_ONLY: &str = "this handoff is complete: only the code hosts can be changed and notes added; `handoff reopen FILE` opens the rest again";

impl Handoff {
    /// Whether a step's fields may change now: everything while in progress; after
    /// completion only the code hosts, which the TA maintains.
    pub fn step_is_open(&self, step: &str) -> bool {
        self.status == Status::InProgress || step == form::STEP_CODE_HOSTS
    }

    /// Sets a field by the rules: refused (with the one line to show) when the
    /// step is closed; recorded in the history after completion or when the value
    /// came from elsewhere. Returns whether anything changed.
    pub fn change_field(
        &mut self,
        step: &str,
        field: &str,
        value: Option<FieldValue>,
        author: Author<'_>,
    ) -> Result<bool, String> {
        let Some(def) = form().step(step).and_then(|s| s.field(field)) else {
            return Err(format!("there is no field {step}.{field}"));
        };
        if !self.step_is_open(step) {
            return Err(MAINTENANCE_ONLY.to_string());
        }
        // The same environment twice would make two checklist items for it.
        if let Some(FieldValue::List(items)) = &value {
            validate::check_unique(def, items)?;
        }
        let old = self.value(step, field).cloned();
        if old == value {
            return Ok(false);
        }
        self.set_value(step, field, value.clone());
        if self.status == Status::Complete || author.source.is_some() {
            self.history.push(Change {
                at: author.at,
                by: author.by.to_string(),
                field: format!("{step}.{field}"),
                old,
                new: value,
                source: author.source.map(str::to_string),
                unknown: toml::Table::new(),
            });
        }
        self.updated_at = author.at;
        Ok(true)
    }

    /// Records something that happened to the handoff as a whole.
    pub(super) fn record(&mut self, field: &str, old: &str, new: &str, by: &str, at: Timestamp) {
        self.history.push(Change {
            at,
            by: by.to_string(),
            field: field.to_string(),
            old: Some(FieldValue::Text(old.to_string())),
            new: Some(FieldValue::Text(new.to_string())),
            source: None,
            unknown: toml::Table::new(),
        });
    }

    /// Who changed the handoff last after it was completed, if anyone did.
    pub fn maintained_by(&self) -> Option<(&str, Timestamp)> {
        let completed = self.completed_at?;
        self.history
            .iter()
            .rev()
            .find(|c| c.at >= completed && c.field != "status")
            .map(|c| (c.by.as_str(), c.at))
    }

    /// Settles a conflict: `theirs` takes the other machine's value, otherwise ours
    /// stays. Either way the choice is recorded.
    pub fn resolve_conflict(
        &mut self,
        index: usize,
        theirs: bool,
        by: &str,
        at: Timestamp,
    ) -> Result<(), String> {
        let Some(conflict) = self.conflicts.get(index).cloned() else {
            return Err("There is no such conflict".into());
        };
        if let Some(id) = conflict.field.strip_prefix(NOTE_CONFLICT) {
            return self.resolve_note_conflict(index, id, theirs, by, at);
        }
        // Keeping mine keeps the document as it is; taking theirs sets their value.
        let current = match conflict.field.split_once('.') {
            Some(("checklist", key)) => self
                .item_index(key)
                .map(|i| FieldValue::Text(self.checklist_items[i].state_text())),
            Some((step, field)) => self.value(step, field).cloned(),
            None => None,
        };
        let chosen = if theirs {
            conflict.theirs.clone()
        } else {
            current.clone()
        };
        if theirs {
            if let Some(key) = conflict.field.strip_prefix("checklist.") {
                self.apply_item_state(key, chosen.as_ref(), by, at)?;
            } else if let Some((step, field)) = conflict.field.split_once('.')
                && current != chosen
            {
                self.set_value(step, field, chosen.clone());
            }
        }
        let old = if theirs { current } else { conflict.theirs };
        self.settled(index, old, chosen, theirs, Author::typing(by, at));
        Ok(())
    }

    /// Takes a settled conflict off the list and records the choice.
    fn settled(
        &mut self,
        index: usize,
        old: Option<FieldValue>,
        new: Option<FieldValue>,
        theirs: bool,
        author: Author<'_>,
    ) {
        let conflict = self.conflicts.remove(index);
        self.history.push(Change {
            at: author.at,
            by: author.by.to_string(),
            field: conflict.field,
            old,
            new,
            source: Some(if theirs {
                "conflict: took theirs".into()
            } else {
                "conflict: kept mine".into()
            }),
            unknown: toml::Table::new(),
        });
        self.updated_at = author.at;
    }

    /// Settles a conflict about a note's text: taking theirs is an edit of the note.
    fn resolve_note_conflict(
        &mut self,
        index: usize,
        id: &str,
        theirs: bool,
        by: &str,
        at: Timestamp,
    ) -> Result<(), String> {
        let conflict = self.conflicts[index].clone();
        if theirs
            && let Some(note) = self
                .notes_log
                .iter()
                .position(|n| n.id == id && n.is_live())
        {
            let text = conflict
                .theirs
                .as_ref()
                .map(FieldValue::to_input)
                .unwrap_or_default();
            self.edit_note(note, &text, by, at)?;
        }
        self.settled(index, None, None, theirs, Author::typing(by, at));
        Ok(())
    }

    /// A checklist item's state as a conflict holds it: `done`, `todo`, or
    /// `out_of_scope: REASON`.
    fn apply_item_state(
        &mut self,
        key: &str,
        state: Option<&FieldValue>,
        by: &str,
        at: Timestamp,
    ) -> Result<(), String> {
        let index = self
            .item_index(key)
            .ok_or_else(|| format!("There is no checklist item {key}"))?;
        let text = state.map(FieldValue::to_input).unwrap_or_default();
        match text.split_once(':') {
            Some(("out_of_scope", reason)) => self.mark_out_of_scope(index, reason),
            _ if text == "done" => {
                self.mark_done(index, by, at);
                Ok(())
            }
            _ => {
                self.mark_todo(index);
                Ok(())
            }
        }
    }
}

/// What a change or conflict is about, as a person reads it: the field's label
/// for `step.field`, "Checklist item KEY", "Status", "Implementation note".
pub fn change_label(field: &str) -> String {
    match field.split_once('.') {
        Some((form::STEP_CHECKLIST, key))
            if form()
                .step(form::STEP_CHECKLIST)
                .and_then(|s| s.field(key))
                .is_none() =>
        {
            format!("Checklist item {key}")
        }
        Some((step, key)) => form()
            .step(step)
            .and_then(|s| s.field(key))
            .map_or_else(|| field.to_string(), |f| f.label.clone()),
        None if field == "status" => "Status".to_string(),
        None if field == "note" => "Implementation note".to_string(),
        None => field.to_string(),
    }
}

/// How a value reads in one line (history, conflicts, previews).
pub fn shown(value: Option<&FieldValue>) -> String {
    match value {
        Some(v) if !validate::is_empty(v) => v.display(),
        _ => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    fn number(n: f64) -> Option<FieldValue> {
        Some(FieldValue::Number(n))
    }

    #[test]
    fn in_progress_typed_changes_are_not_history_but_filled_ones_are() {
        let mut h = testdata::new_handoff();
        let at = testdata::at(5, 9);
        let typed = Author::typing("Jane", at);
        assert_eq!(
            h.change_field("deployment", "total_cpu", number(8.0), typed),
            Ok(true)
        );
        assert!(h.history.is_empty());
        assert_eq!(
            h.change_field("deployment", "total_cpu", number(8.0), typed),
            Ok(false),
            "the same value is no change"
        );
        let filled = Author {
            source: Some("fill from kubectl"),
            ..typed
        };
        h.change_field("deployment", "total_cpu", number(56.0), filled)
            .expect("open");
        assert_eq!(h.history.len(), 1);
        assert_eq!(h.history[0].field, "deployment.total_cpu");
        assert_eq!(h.history[0].old, number(8.0));
        assert_eq!(h.history[0].new, number(56.0));
        assert_eq!(h.history[0].source.as_deref(), Some("fill from kubectl"));
        assert!(h.change_field("deployment", "nope", None, typed).is_err());
    }

    #[test]
    fn a_unique_list_with_a_repeat_is_refused_and_nothing_changes() {
        let mut h = testdata::new_handoff();
        let before = h.clone();
        let envs = |items: &[&str]| {
            Some(FieldValue::List(
                items.iter().map(ToString::to_string).collect(),
            ))
        };
        assert_eq!(
            h.change_field(
                "checklist",
                "environments",
                envs(&["Production", "Staging", "production"]),
                Author::typing("Jane", testdata::at(5, 9)),
            ),
            Err("\"production\" is listed already (as \"Production\")".into())
        );
        assert_eq!(h, before);
        assert_eq!(
            h.change_field(
                "checklist",
                "environments",
                envs(&["Production", "Staging"]),
                Author::typing("Jane", testdata::at(5, 9)),
            ),
            Ok(true)
        );
    }

    #[test]
    fn after_completion_only_code_hosts_change_and_each_change_is_recorded() {
        let mut h = testdata::completed_handoff();
        let sam = Author::typing("Sam Rivera", testdata::at(29, 9));
        assert_eq!(
            h.change_field("deployment", "total_cpu", number(64.0), sam),
            Err(MAINTENANCE_ONLY.to_string())
        );
        assert_eq!(h.value("deployment", "total_cpu"), number(56.0).as_ref());
        h.change_field(
            "code_hosts",
            "repositories",
            Some(FieldValue::Integer(1500)),
            sam,
        )
        .expect("the TA maintains code hosts");
        assert_eq!(h.history.len(), 1);
        assert_eq!(h.history[0].old, Some(FieldValue::Integer(1200)));
        assert_eq!(h.maintained_by(), Some(("Sam Rivera", testdata::at(29, 9))));
        assert_eq!(
            h.completed_by.as_deref(),
            Some("Jane Doe"),
            "maintenance never changes who completed it"
        );
    }

    #[test]
    fn a_conflict_is_settled_either_way_and_recorded() {
        let mut h = testdata::complete_handoff();
        let conflict = |ours: i64, theirs: i64| Conflict {
            at: testdata::at(28, 9),
            field: "code_hosts.repositories".into(),
            ours: Some(FieldValue::Integer(ours)),
            theirs: Some(FieldValue::Integer(theirs)),
            theirs_by: Some("Sam".into()),
            unknown: toml::Table::new(),
        };
        h.conflicts.push(conflict(1200, 1300));
        h.conflicts.push(conflict(1200, 1400));
        h.resolve_conflict(0, true, "Jane", testdata::at(28, 10))
            .expect("resolved");
        assert_eq!(
            h.value("code_hosts", "repositories"),
            Some(&FieldValue::Integer(1300))
        );
        h.resolve_conflict(0, false, "Jane", testdata::at(28, 11))
            .expect("resolved");
        assert_eq!(
            h.value("code_hosts", "repositories"),
            Some(&FieldValue::Integer(1300)),
            "kept mine"
        );
        assert!(h.conflicts.is_empty());
        assert_eq!(h.history.len(), 2);
        assert_eq!(
            h.history[0].source.as_deref(),
            Some("conflict: took theirs")
        );
    }
}
