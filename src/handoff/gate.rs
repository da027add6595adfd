//! The completion gate: what is wrong with a field, what blocks completion, how
//! far along a handoff is, and what is worth a warning.

use serde::Serialize;

use super::{FieldValue, Handoff, ItemState, NOTE_CONFLICT, NoteEntry};
use crate::form::{self, Step};
use crate::validate;

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
    /// A `[[conflict]]`, by what it is about (`step.field` or `checklist.KEY`).
    Conflict(String),
}

/// One thing the completion gate looks at, and whether it passes.
struct GateItem {
    step: usize,
    target: Target,
    problem: Option<String>,
}

impl Handoff {
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
                crate::value::format_number(other)
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
            // A value two machines set differently waits for someone to pick one.
            for conflict in self
                .conflicts
                .iter()
                .filter(|c| conflict_step(c) == step.key)
            {
                items.push(GateItem {
                    step: index,
                    target: Target::Conflict(conflict.field.clone()),
                    problem: Some(self.conflict_problem(conflict)),
                });
            }
        }
        items
    }

    /// What a conflict asks of a person, in one line. It reads the same on
    /// every machine (the value kept may be another machine's), so it says
    /// "kept" and "other", not "yours" and "theirs". A note's two texts may be
    /// long: the line names the note, not its text.
    fn conflict_problem(&self, conflict: &super::Conflict) -> String {
        let other = conflict
            .theirs_by
            .as_deref()
            .map_or_else(|| "elsewhere".to_string(), |by| format!("by {by}"));
        if let Some(id) = conflict.field.strip_prefix(NOTE_CONFLICT) {
            let note = self.notes_log.iter().find(|n| n.id == id).map_or_else(
                || format!("Note {id}"),
                |n| {
                    format!(
                        "The note by {} of {}",
                        n.author,
                        super::time::minutes(n.created_at)
                    )
                },
            );
            return format!("{note} was edited two ways (the other edit {other}); pick one");
        }
        format!(
            "{} was set two ways: {} (kept) and {} ({other}); pick one",
            conflict_label(conflict),
            super::shown(conflict.ours.as_ref()),
            super::shown(conflict.theirs.as_ref()),
        )
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

    /// How far along, in words: "12 of 29 done" (fields filled, the notes log
    /// started, checklist items settled: everything the completion gate checks).
    pub fn progress_text(&self) -> String {
        let (done, total) = self.progress();
        format!("{done} of {total} done")
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
                if let Some(FieldValue::Date(date)) = self.value(&step.key, &field.key)
                    && let Some(why) = far_off(*date, chrono::Utc::now().date_naive())
                {
                    warnings.push(format!("{}: {date} {why}; is that right?", field.label));
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
}

/// Dates this far from today are more likely a typo than a fact: before 2000
/// (Sourcegraph did not exist), or more than five years ahead.
const EARLIEST_LIKELY: (i32, u32, u32) = (2000, 1, 1);
const YEARS_AHEAD_LIKELY: u32 = 5;

/// Why a date looks wrong, if it does.
fn far_off(date: chrono::NaiveDate, today: chrono::NaiveDate) -> Option<String> {
    let (y, m, d) = EARLIEST_LIKELY;
    let earliest = chrono::NaiveDate::from_ymd_opt(y, m, d)?;
    let latest = today.checked_add_months(chrono::Months::new(12 * YEARS_AHEAD_LIKELY))?;
    if date < earliest {
        Some(format!("is before {earliest}"))
    } else if date > latest {
        Some(format!("is more than {YEARS_AHEAD_LIKELY} years from now"))
    } else {
        None
    }
}

/// The step a conflict belongs to: a note's is the notes step.
fn conflict_step(conflict: &super::Conflict) -> &str {
    if conflict.field.starts_with(NOTE_CONFLICT) {
        return form::STEP_NOTES;
    }
    conflict.field.split('.').next().unwrap_or("")
}

/// What a conflict is about, as a person reads it.
pub fn conflict_label(conflict: &super::Conflict) -> String {
    super::change_label(&conflict.field)
}

fn as_number(value: &FieldValue) -> Option<f64> {
    match value {
        FieldValue::Integer(n) => Some(*n as f64),
        FieldValue::Number(n) => Some(*n),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handoff::{Status, now};
    use crate::testdata;
    use chrono::NaiveDate;

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
        sorted.sort_unstable();
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

    #[test]
    fn dates_far_from_today_warn_naming_the_field() {
        let mut h = testdata::complete_handoff();
        let date = |y, m, d| {
            Some(FieldValue::Date(
                NaiveDate::from_ymd_opt(y, m, d).expect("date"),
            ))
        };
        h.set_value("deployment", "start_date", date(1900, 1, 1));
        h.set_value("deployment", "completion_date", date(2099, 12, 31));
        assert_eq!(
            h.warnings(),
            [
                "Implementation start date: 1900-01-01 is before 2000-01-01; is that right?",
                "Implementation completion date: 2099-12-31 is more than 5 years from now; is that right?",
            ]
        );
        assert_eq!(h.blockers(), [], "warnings never block");
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        let within = |y, m, d| far_off(NaiveDate::from_ymd_opt(y, m, d).expect("date"), today);
        assert_eq!(within(2000, 1, 1), None);
        assert_eq!(within(2031, 3, 2), None, "five years ahead is still likely");
        assert!(within(2031, 3, 3).is_some());
        assert!(within(1999, 12, 31).is_some());
    }
}
