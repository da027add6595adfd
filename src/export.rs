//! Renderings of a handoff for other places: markdown for the account's notes,
//! JSON for scripts.

use std::fmt::Write;

mod escape;

use crate::form::{self, FieldKind};
use crate::handoff::{FieldValue, Handoff, ItemState, Timestamp, change_label, shown};

fn time(t: &Timestamp) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Markdown a person pastes into the account's notes: every section, the notes log,
/// the checklist with its states, what still blocks completion, and the history.
/// Everything a person typed is escaped (`escape`), so it reads as typed.
pub fn markdown(handoff: &Handoff) -> String {
    let form = form::form();
    let mut out = String::new();
    let _ = writeln!(out, "# Handoff: {}\n", escape::inline(handoff.customer()));
    let _ = write!(
        out,
        "Status: **{}** · {} · updated {}",
        handoff.status.label(),
        handoff.progress_text(),
        time(&handoff.updated_at)
    );
    if let (Some(at), Some(by)) = (&handoff.completed_at, &handoff.completed_by) {
        let _ = write!(out, " · completed {} by {}", time(at), escape::inline(by));
    }
    if let Some((by, at)) = handoff.maintained_by() {
        let _ = write!(
            out,
            " · maintained by {}, {}",
            escape::inline(by),
            time(&at)
        );
    }
    out.push('\n');
    for reopening in &handoff.reopen_history {
        let _ = writeln!(
            out,
            "\nReopened {} by {}.",
            time(&reopening.at),
            escape::inline(&reopening.by)
        );
    }

    for step in form.steps.iter().filter(|s| s.key != form::STEP_REVIEW) {
        let _ = writeln!(out, "\n## {}\n", step.title);
        for field in &step.fields {
            field_value(field, handoff.value(&step.key, &field.key), &mut out);
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
        let _ = writeln!(out, "- {step}: {}", escape::inline(&blocker.message));
    }
    let warnings = handoff.warnings();
    if !warnings.is_empty() {
        out.push_str("\n## Warnings\n\n");
        for warning in warnings {
            let _ = writeln!(out, "- {}", escape::inline(&warning));
        }
    }
    history(handoff, &mut out);
    // Sections each end with a blank line; where two meet, keep one.
    while out.contains("\n\n\n") {
        out = out.replace("\n\n\n", "\n\n");
    }
    out
}

fn field_value(field: &form::Field, value: Option<&FieldValue>, out: &mut String) {
    let label = &field.label;
    match (field.kind, value) {
        (_, None) => {
            let _ = writeln!(out, "- **{label}:** _not set_");
        }
        (FieldKind::LongText, Some(v)) => {
            let _ = writeln!(out, "- **{label}:**\n");
            out.push_str(&escape::lines(&v.to_input(), "  "));
            out.push('\n');
        }
        (FieldKind::List | FieldKind::MultiChoice, Some(FieldValue::List(entries))) => {
            let _ = writeln!(out, "- **{label}:**");
            for entry in entries {
                let _ = writeln!(out, "  - {}", escape::inline(entry));
            }
        }
        (_, Some(v)) => {
            // One line as a rule; a draft kept as typed may have more.
            let text = escape::lines(&v.to_input(), "  ");
            let _ = write!(out, "- **{label}:** {}", text.trim_start_matches(' '));
        }
    }
}

fn notes_log(handoff: &Handoff, out: &mut String) {
    let live: Vec<_> = handoff.notes_log.iter().filter(|n| n.is_live()).collect();
    let _ = writeln!(
        out,
        "\n### Notes log ({})\n",
        count(live.len(), "entry", "entries")
    );
    if live.is_empty() {
        out.push_str("_No entries yet._\n");
    }
    for note in live {
        let category = form::form()
            .note_category(&note.category)
            .map_or(note.category.as_str(), |c| c.label.as_str());
        let _ = write!(
            out,
            "#### {} · {} · {}",
            time(&note.created_at),
            escape::inline(category),
            escape::inline(&note.author)
        );
        if let Some(edited) = &note.edited_at {
            let _ = write!(out, " (edited {}", time(edited));
            if let Some(by) = &note.edited_by {
                let _ = write!(out, " by {}", escape::inline(by));
            }
            out.push(')');
        }
        out.push_str("\n\n");
        out.push_str(&escape::lines(&note.text, "> "));
        out.push('\n');
    }
}

fn checklist(handoff: &Handoff, out: &mut String) {
    out.push_str("\n### Items\n\n");
    for item in &handoff.checklist_items {
        let title = escape::inline(&item.title);
        let _ = match item.state {
            ItemState::Done => {
                let who = escape::inline(item.done_by.as_deref().unwrap_or("someone"));
                let when = item.done_at.as_ref().map(time).unwrap_or_default();
                writeln!(out, "- [x] {title} — done by {who}, {when}")
            }
            ItemState::OutOfScope => writeln!(
                out,
                "- [ ] ~~{title}~~ — out of scope: {}",
                escape::inline(item.reason.as_deref().unwrap_or("(no reason given)"))
            ),
            ItemState::Todo => writeln!(out, "- [ ] {title} — to do"),
        };
    }
}

/// Every recorded change, oldest first: when, who, what, old → new, and where the
/// value came from when it was not typed.
fn history(handoff: &Handoff, out: &mut String) {
    out.push_str("\n## History\n\n");
    if handoff.history.is_empty() {
        out.push_str("_No changes recorded._\n");
    }
    for change in &handoff.history {
        let _ = write!(
            out,
            "- {} · {} · {}: {} → {}",
            time(&change.at),
            escape::inline(&change.by),
            escape::inline(&change_label(&change.field)),
            escape::inline(&shown(change.old.as_ref())),
            escape::inline(&shown(change.new.as_ref()))
        );
        if let Some(source) = &change.source {
            let _ = write!(out, " ({})", escape::inline(source));
        }
        out.push('\n');
    }
}

/// "1 entry", "3 entries".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The document as JSON with the file's keys (so scripts see what the file says),
/// except that the file's `change` entries are under `history`, each with the
/// `label` of what changed; plus the derived `progress`, `blockers` and
/// `warnings`. Keys are sorted, so the output is stable.
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
        let mut history = match map.remove("change") {
            Some(serde_json::Value::Array(changes)) => changes,
            _ => Vec::new(),
        };
        for change in &mut history {
            if let serde_json::Value::Object(change) = change {
                let field = change
                    .get("field")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default();
                let label = change_label(field);
                change.insert("label".into(), serde_json::Value::String(label));
            }
        }
        map.insert("history".into(), serde_json::Value::Array(history));
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
