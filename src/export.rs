//! Renderings of a handoff for other places: markdown for the account's notes,
//! JSON for scripts.

use std::fmt::Write;

use crate::form::{self, FieldKind};
use crate::handoff::{Handoff, ItemState, Timestamp};

fn time(t: &Timestamp) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Markdown a person pastes into the account's notes: every section, the notes log,
/// the checklist with its states, and what still blocks completion.
pub fn markdown(handoff: &Handoff) -> String {
    let form = form::form();
    let mut out = String::new();
    let (done, total) = handoff.progress();
    let _ = writeln!(out, "# Handoff: {}\n", handoff.customer());
    let _ = write!(
        out,
        "Status: **{}** · {done}/{total} checked · updated {}",
        handoff.status.label(),
        time(&handoff.updated_at)
    );
    if let (Some(at), Some(by)) = (&handoff.completed_at, &handoff.completed_by) {
        let _ = write!(out, " · completed {} by {by}", time(at));
    }
    out.push('\n');
    for reopening in &handoff.reopen_history {
        let _ = writeln!(
            out,
            "\nReopened {} by {}.",
            time(&reopening.at),
            reopening.by
        );
    }

    for step in form.steps.iter().filter(|s| s.key != form::STEP_REVIEW) {
        let _ = writeln!(out, "\n## {}\n", step.title);
        for field in &step.fields {
            let value = handoff.value(&step.key, &field.key);
            match (field.kind, value) {
                (_, None) => {
                    let _ = writeln!(out, "- **{}:** _not set_", field.label);
                }
                (FieldKind::LongText, Some(v)) => {
                    let _ = writeln!(out, "- **{}:**\n", field.label);
                    for line in v.to_input().lines() {
                        let _ = writeln!(out, "  {line}");
                    }
                    out.push('\n');
                }
                (FieldKind::List | FieldKind::MultiChoice, Some(v)) => {
                    let _ = writeln!(out, "- **{}:**", field.label);
                    for entry in v.to_input().lines() {
                        let _ = writeln!(out, "  - {entry}");
                    }
                }
                (_, Some(v)) => {
                    let _ = writeln!(out, "- **{}:** {}", field.label, v.display());
                }
            }
        }
        if step.key == form::STEP_NOTES {
            notes_log(handoff, &mut out);
        }
        if step.key == form::STEP_CHECKLIST {
            checklist(handoff, &mut out);
        }
    }

    let blockers = handoff.blockers();
    out.push_str("\n## What blocks completion\n\n");
    if blockers.is_empty() {
        out.push_str("Nothing: every scoped item is done.\n");
    }
    for blocker in &blockers {
        let step = form
            .steps
            .get(blocker.step)
            .map_or("", |s| s.title.as_str());
        let _ = writeln!(out, "- {step}: {}", blocker.message);
    }
    let warnings = handoff.warnings();
    if !warnings.is_empty() {
        out.push_str("\n## Warnings\n\n");
        for warning in warnings {
            let _ = writeln!(out, "- {warning}");
        }
    }
    // Sections each end with a blank line; where two meet, keep one.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

fn notes_log(handoff: &Handoff, out: &mut String) {
    let live: Vec<_> = handoff.notes_log.iter().filter(|n| n.is_live()).collect();
    let _ = writeln!(out, "\n### Notes log ({} entries)\n", live.len());
    if live.is_empty() {
        out.push_str("_No entries yet._\n");
    }
    for note in live {
        let category = form::form()
            .note_category(&note.category)
            .map_or(note.category.as_str(), |c| c.label.as_str());
        let _ = write!(
            out,
            "#### {} · {category} · {}",
            time(&note.created_at),
            note.author
        );
        if let Some(edited) = &note.edited_at {
            let _ = write!(out, " (edited {})", time(edited));
        }
        out.push_str("\n\n");
        for line in note.text.lines() {
            let _ = writeln!(out, "> {line}");
        }
        out.push('\n');
    }
}

fn checklist(handoff: &Handoff, out: &mut String) {
    out.push_str("\n### Items\n\n");
    for item in &handoff.checklist_items {
        let _ = match item.state {
            ItemState::Done => {
                let who = item.done_by.as_deref().unwrap_or("someone");
                let when = item.done_at.as_ref().map(time).unwrap_or_default();
                writeln!(out, "- [x] {} — done by {who}, {when}", item.title)
            }
            ItemState::OutOfScope => writeln!(
                out,
                "- [ ] ~~{}~~ — out of scope: {}",
                item.title,
                item.reason.as_deref().unwrap_or("(no reason given)")
            ),
            ItemState::Todo => writeln!(out, "- [ ] {} — to do", item.title),
        };
    }
}

/// The document as JSON with the file's keys (so scripts see what the file says),
/// plus the derived `progress`, `blockers` and `warnings`. Keys are sorted, so the
/// output is stable.
pub fn json(handoff: &Handoff) -> Result<String, String> {
    // Through the file's own text, so dates come out exactly as the file has them.
    let text = crate::store::to_toml(handoff)?;
    let document: toml::Value = toml::from_str(&text).map_err(|e| e.to_string())?;
    let mut value = toml_to_json(document);
    let (done, total) = handoff.progress();
    if let serde_json::Value::Object(map) = &mut value {
        map.insert(
            "progress".into(),
            serde_json::json!({ "done": done, "total": total }),
        );
        let steps = &form::form().steps;
        let blockers: Vec<serde_json::Value> = handoff
            .blockers()
            .into_iter()
            .map(|b| {
                let step = steps.get(b.step).map_or("", |s| s.key.as_str());
                serde_json::json!({ "step": step, "target": b.target, "message": b.message })
            })
            .collect();
        map.insert("blockers".into(), serde_json::Value::Array(blockers));
        map.insert("warnings".into(), serde_json::json!(handoff.warnings()));
    }
    serde_json::to_string_pretty(&value).map_err(|e| e.to_string())
}

fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(n) => J::from(n),
        toml::Value::Float(n) => serde_json::Number::from_f64(n).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(dt) => J::String(dt.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => J::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}
