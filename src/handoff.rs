//! The handoff document: what the TOML file holds, and `blockers()`, the one place
//! that decides what stands between a handoff and "complete".

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::form::{self, Form, Step};
use crate::validate;

/// The file format version this build reads and writes.
pub const SCHEMA: u32 = 1;

pub type Timestamp = DateTime<Utc>;

/// Now, to the second: the file keeps whole seconds, so a reloaded document equals
/// the one in memory.
pub fn now() -> Timestamp {
    Utc::now().trunc_subsecs(0)
}

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
    /// Where the engineer was in the wizard, so resuming returns there.
    #[serde(default, skip_serializing_if = "Position::is_unset")]
    pub position: Position,
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
    fn is_unset(&self) -> bool {
        self.step.is_empty() && self.field.is_empty()
    }
}

/// A step's field values by field key, kept in form order when saved.
pub type Values = IndexMap<String, FieldValue>;

/// One field's value, in the TOML type that reads naturally for its kind. A value that
/// does not fit its field's kind (a draft the user left half-typed) stays as `Text`.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(String),
    Date(NaiveDate),
    Integer(i64),
    Number(f64),
    List(Vec<String>),
}

impl FieldValue {
    /// The value as the user would type it (lists one entry per line).
    pub fn to_input(&self) -> String {
        match self {
            FieldValue::Text(t) => t.clone(),
            FieldValue::Date(d) => d.format("%Y-%m-%d").to_string(),
            FieldValue::Integer(n) => n.to_string(),
            FieldValue::Number(n) => validate::format_number(*n),
            FieldValue::List(items) => items.join("\n"),
        }
    }

    /// The value on one line, for summaries.
    pub fn display(&self) -> String {
        match self {
            FieldValue::List(items) => items.join(", "),
            other => other.to_input(),
        }
    }
}

impl Serialize for FieldValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValue::Text(t) => s.serialize_str(t),
            FieldValue::Date(d) => toml_date(*d).serialize(s),
            FieldValue::Integer(n) => s.serialize_i64(*n),
            FieldValue::Number(n) => s.serialize_f64(*n),
            FieldValue::List(items) => items.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for FieldValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let found = |what: &str| {
            D::Error::custom(format!(
                "expected text, a number, a date or a list of text, found {what}"
            ))
        };
        Ok(match toml::Value::deserialize(d)? {
            toml::Value::String(t) => FieldValue::Text(t),
            toml::Value::Integer(n) => FieldValue::Integer(n),
            toml::Value::Float(n) => FieldValue::Number(n),
            toml::Value::Datetime(dt) => match (dt.date, dt.time) {
                (Some(date), None) => NaiveDate::from_ymd_opt(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                )
                .map(FieldValue::Date)
                .ok_or_else(|| found("an impossible date"))?,
                _ => return Err(found("a time (only a date fits here)")),
            },
            toml::Value::Array(items) => FieldValue::List(
                items
                    .into_iter()
                    .map(|item| match item {
                        toml::Value::String(t) => Ok(t),
                        _ => Err(found("a list with something other than text in it")),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            toml::Value::Boolean(_) => return Err(found("true/false")),
            toml::Value::Table(_) => return Err(found("a table")),
        })
    }
}

fn toml_date(d: NaiveDate) -> toml::value::Datetime {
    use chrono::Datelike;
    toml::value::Datetime {
        date: Some(toml::value::Date {
            // Dates come from the calendar parser, so they fit TOML's ranges.
            year: u16::try_from(d.year()).unwrap_or_default(),
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    }
}

/// Timestamps as native TOML offset date-times (`2026-11-29T10:00:00Z`).
pub(crate) mod toml_time {
    use super::Timestamp;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error, ser};

    pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        let text = t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        text.parse::<toml::value::Datetime>()
            .map_err(ser::Error::custom)?
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let dt = toml::value::Datetime::deserialize(d)?;
        if dt.offset.is_none() || dt.date.is_none() {
            return Err(D::Error::custom(
                "expected a date and time with offset, e.g. 2026-11-29T10:00:00Z",
            ));
        }
        chrono::DateTime::parse_from_rfc3339(&dt.to_string())
            .map(|t| t.to_utc())
            .map_err(D::Error::custom)
    }

    pub mod option {
        use super::Timestamp;
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
            match t {
                Some(t) => super::serialize(t, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
            #[derive(Deserialize)]
            struct Wrap(#[serde(with = "super")] Timestamp);
            Ok(Some(Wrap::deserialize(d)?.0))
        }
    }
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Stable identity: a default's key, `environment:NAME`, or `custom-N`.
    pub key: String,
    pub title: String,
    pub origin: Origin,
    pub state: ItemState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by: Option<String>,
    #[serde(
        default,
        with = "toml_time::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub done_at: Option<Timestamp>,
    /// Why an item is out of scope; required for that state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ChecklistItem {
    /// A new item, not done yet.
    pub fn to_do(key: String, title: String, origin: Origin) -> Self {
        ChecklistItem {
            key,
            title,
            origin,
            state: ItemState::Todo,
            done_by: None,
            done_at: None,
            reason: None,
        }
    }
}

/// Where a checklist item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Environment,
    Default,
    Optional,
    Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Todo,
    Done,
    OutOfScope,
}

impl ItemState {
    pub fn label(self) -> &'static str {
        match self {
            ItemState::Todo => "to do",
            ItemState::Done => "done",
            ItemState::OutOfScope => "out of scope",
        }
    }
}

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
}

/// Something that stands between the handoff and "complete", and where to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    /// Index of the step in the form.
    pub step: usize,
    pub target: Target,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "key", rename_all = "snake_case")]
pub enum Target {
    Field(String),
    ChecklistItem(String),
    NotesLog,
}

/// One thing the completion gate looks at, and whether it passes.
struct GateItem {
    step: usize,
    target: Target,
    problem: Option<String>,
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
            position: Position::default(),
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

    /// The customer's environments, as listed in the checklist step.
    pub fn environments(&self) -> Vec<String> {
        match self.value(form::STEP_CHECKLIST, form::FIELD_ENVIRONMENTS) {
            Some(FieldValue::List(items)) => items.clone(),
            Some(FieldValue::Text(t)) if !t.trim().is_empty() => vec![t.clone()],
            _ => Vec::new(),
        }
    }

    /// One infrastructure item per environment, first in the checklist, in the
    /// environments' order; items of environments no longer listed go.
    pub fn sync_environment_items(&mut self) {
        let template = &form::form().checklist.environment_item;
        let envs = self.environments();
        let mut old: Vec<ChecklistItem> = Vec::new();
        self.checklist_items.retain(|item| {
            let env = item.origin == Origin::Environment;
            if env {
                old.push(item.clone());
            }
            !env
        });
        let fresh = envs.iter().map(|env| {
            let key = format!("environment:{env}");
            old.iter()
                .find(|i| i.key == key)
                .cloned()
                .unwrap_or_else(|| {
                    let title = template.replace("{environment}", env);
                    ChecklistItem::to_do(key, title, Origin::Environment)
                })
        });
        let fresh: Vec<ChecklistItem> = fresh.collect();
        self.checklist_items.splice(0..0, fresh);
    }

    /// What is wrong with one field, if anything: missing when required, not valid
    /// for its kind, or breaking a rule that involves another field of its step.
    pub fn field_problem(&self, step: &Step, field: &form::Field) -> Option<String> {
        let value = self
            .value(&step.key, &field.key)
            .filter(|v| !validate::is_empty(v));
        let Some(value) = value else {
            return field.required.then(|| format!("{}: required", field.label));
        };
        if let Err(e) = validate::check(field, value) {
            return Some(e);
        }
        if let Some(other_key) = &field.not_before
            && let (FieldValue::Date(this), Some(FieldValue::Date(other))) =
                (value, self.value(&step.key, other_key))
            && this < other
        {
            let other_label = step
                .field(other_key)
                .map_or(other_key.as_str(), |f| &f.label);
            return Some(format!("Must not be before {other_label} ({other})"));
        }
        if let Some(other_key) = &field.at_most
            && let (Some(this), Some(other)) = (
                as_number(value),
                self.value(&step.key, other_key).and_then(as_number),
            )
            && this > other
        {
            let other_label = step
                .field(other_key)
                .map_or(other_key.as_str(), |f| &f.label);
            return Some(format!(
                "Must not be more than {other_label} ({})",
                validate::format_number(other)
            ));
        }
        None
    }

    /// Everything the completion gate checks, in step order.
    fn gate(&self) -> Vec<GateItem> {
        let form = form::form();
        let mut items = Vec::new();
        for (index, step) in form.steps.iter().enumerate() {
            for field in &step.fields {
                let problem = self.field_problem(step, field).map(|p| {
                    if p.starts_with(&field.label) {
                        p
                    } else {
                        format!("{}: {p}", field.label)
                    }
                });
                if field.required || problem.is_some() {
                    items.push(GateItem {
                        step: index,
                        target: Target::Field(field.key.clone()),
                        problem,
                    });
                }
            }
            if step.key == form::STEP_NOTES {
                let any = self.notes_log.iter().any(NoteEntry::is_live);
                items.push(GateItem {
                    step: index,
                    target: Target::NotesLog,
                    problem: (!any).then(|| "Add at least one implementation note".to_string()),
                });
            }
            if step.key == form::STEP_CHECKLIST {
                for item in &self.checklist_items {
                    let problem = match item.state {
                        ItemState::Todo => Some(format!("\"{}\" is not done", item.title)),
                        ItemState::OutOfScope
                            if item.reason.as_deref().is_none_or(|r| r.trim().is_empty()) =>
                        {
                            Some(format!(
                                "\"{}\" is out of scope without a reason",
                                item.title
                            ))
                        }
                        _ => None,
                    };
                    items.push(GateItem {
                        step: index,
                        target: Target::ChecklistItem(item.key.clone()),
                        problem,
                    });
                }
            }
        }
        items
    }

    /// Everything that blocks completion, in step order, each pointing at what to fix.
    pub fn blockers(&self) -> Vec<Blocker> {
        self.gate()
            .into_iter()
            .filter_map(|g| {
                g.problem.map(|message| Blocker {
                    step: g.step,
                    target: g.target,
                    message,
                })
            })
            .collect()
    }

    /// (items that pass, items checked) — the `12/31` shown in lists.
    pub fn progress(&self) -> (usize, usize) {
        let gate = self.gate();
        let done = gate.iter().filter(|g| g.problem.is_none()).count();
        (done, gate.len())
    }

    /// Things worth a look that do not block completion.
    pub fn warnings(&self) -> Vec<String> {
        let form = form::form();
        let mut warnings = Vec::new();
        for step in &form.steps {
            for field in &step.fields {
                if let Some(FieldValue::Text(choice)) = self.value(&step.key, &field.key)
                    && let Some(warning) = field.warn.get(choice)
                {
                    warnings.push(format!("{}: {warning}", field.label));
                }
            }
        }
        if let Some(step) = form.step("upgrade")
            && self
                .values(&step.key)
                .is_none_or(|v| v.values().all(validate::is_empty))
        {
            warnings.push(format!("{} is empty", step.title));
        }
        warnings
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
        });
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

fn as_number(value: &FieldValue) -> Option<f64> {
    match value {
        FieldValue::Integer(n) => Some(*n as f64),
        FieldValue::Number(n) => Some(*n),
        _ => None,
    }
}

/// Form order first; keys the form does not know keep their place at the end.
fn sort_in_form_order(values: &mut Values, step: &Step) {
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
    fn a_new_handoff_is_blocked_by_everything_in_step_order() {
        let h = testdata::new_handoff();
        let blockers = h.blockers();
        let messages: Vec<&str> = blockers.iter().map(|b| b.message.as_str()).collect();
        assert_eq!(
            messages.first(),
            Some(&"Receiving Technical Advisor: required")
        );
        assert!(messages.contains(&"Sourcegraph instance URL: required"));
        assert!(messages.contains(&"Add at least one implementation note"));
        assert!(messages.contains(&"\"Infrastructure complete: Production\" is not done"));
        assert!(messages.contains(&"\"Search indexing complete\" is not done"));
        let steps: Vec<usize> = blockers.iter().map(|b| b.step).collect();
        let mut sorted = steps.clone();
        sorted.sort();
        assert_eq!(steps, sorted, "blockers come in step order");
        // 3 + 10 + 4 + 3 required fields, the notes log, the environments list and 6 items.
        assert_eq!(h.progress(), (3, 28));
    }

    #[test]
    fn a_partial_handoff_names_exactly_what_is_left() {
        let mut h = testdata::complete_handoff();
        h.set_value(
            "deployment",
            "total_cpu",
            Some(FieldValue::Text("lots".into())),
        );
        h.set_value("code_hosts", "monorepos", Some(FieldValue::Integer(5000)));
        h.set_value(
            "deployment",
            "completion_date",
            Some(FieldValue::Date(
                NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
            )),
        );
        h.checklist_items[1].state = ItemState::OutOfScope;
        h.checklist_items[1].reason = None;
        for note in &mut h.notes_log {
            note.deleted_at = Some(now());
        }
        let messages: Vec<String> = h.blockers().into_iter().map(|b| b.message).collect();
        assert_eq!(
            messages,
            [
                "Implementation completion date: Must not be before Implementation start date (2026-01-12)",
                "Total CPU (cores): Enter a number, e.g. 48 or 1.5",
                "Number of monorepos: Must not be more than Number of repositories (1200)",
                "Add at least one implementation note",
                "\"Infrastructure complete: Staging\" is out of scope without a reason",
            ]
        );
    }

    #[test]
    fn a_complete_handoff_has_no_blockers_and_can_be_completed() {
        let mut h = testdata::complete_handoff();
        assert_eq!(h.blockers(), []);
        let (done, total) = h.progress();
        assert_eq!(done, total);
        assert!(h.complete("Jane Doe", now()).is_ok());
        assert_eq!(h.status, Status::Complete);
        assert_eq!(h.completed_by.as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn completion_is_refused_with_the_blockers() {
        let mut h = testdata::new_handoff();
        let err = h.complete("Jane", now()).expect_err("blocked");
        assert_eq!(err, h.blockers());
        assert_eq!(h.status, Status::InProgress);
        assert_eq!(h.completed_at, None);
    }

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
        assert_eq!(
            h.reopen_history[0].was_completed_by.as_deref(),
            Some("Jane")
        );
    }

    #[test]
    fn environments_make_one_infrastructure_item_each_and_keep_state() {
        let mut h = testdata::new_handoff();
        h.checklist_items[0].state = ItemState::Done;
        h.set_value(
            "checklist",
            "environments",
            Some(FieldValue::List(vec!["Dev".into(), "Production".into()])),
        );
        let titles: Vec<&str> = h
            .checklist_items
            .iter()
            .take(3)
            .map(|i| i.title.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "Infrastructure complete: Dev",
                "Infrastructure complete: Production",
                "Sourcegraph deployed and resourced"
            ]
        );
        assert_eq!(
            h.checklist_items[1].state,
            ItemState::Done,
            "Production keeps its state"
        );
        h.set_value(
            "checklist",
            "environments",
            Some(FieldValue::List(vec!["Dev".into()])),
        );
        assert_eq!(
            h.checklist_items
                .iter()
                .filter(|i| i.origin == Origin::Environment)
                .count(),
            1
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

    #[test]
    fn warnings_do_not_block() {
        let mut h = testdata::complete_handoff();
        h.set_value(
            "deployment",
            "deployment_type",
            Some(FieldValue::Text("Docker single container".into())),
        );
        h.upgrade.clear();
        assert_eq!(
            h.warnings(),
            [
                "Deployment type: A single container is not meant for production use.",
                "Long-term upgrade strategy is empty"
            ]
        );
        assert_eq!(h.blockers(), []);
    }
}
