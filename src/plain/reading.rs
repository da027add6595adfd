//! The handoff as plain text to read: every step's values, the notes log, the
//! checklist, the history and what blocks completion. `handoff view --plain`
//! prints it; the questions use its pieces. Markdown (`handoff export`) is for
//! pasting elsewhere: its `**`, `#` and `~~` are noise to a screen reader, and it
//! leaves out the history, which a TA reading the handoff needs.

use std::fmt::Write;

use crate::form::{self, Field, FieldKind, Step, form};
use crate::handoff::time::minutes;
use crate::handoff::{ChecklistItem, FieldValue, Handoff, ItemState, NoteEntry, shown};

/// The whole handoff.
pub fn handoff(doc: &Handoff) -> String {
    let mut out = String::new();
    let (done, total) = doc.progress();
    let _ = writeln!(out, "Handoff: {}", doc.customer());
    let _ = write!(
        out,
        "Status: {}, {done} of {total} done, last changed {}",
        doc.status.label(),
        minutes(doc.updated_at)
    );
    if let (Some(at), Some(by)) = (doc.completed_at, &doc.completed_by) {
        let _ = write!(out, ", completed {} by {by}", minutes(at));
    }
    out.push_str(".\n");
    for reopening in &doc.reopen_history {
        let _ = writeln!(
            out,
            "Reopened {} by {}.",
            minutes(reopening.at),
            reopening.by
        );
    }
    for s in form().steps.iter().filter(|s| s.key != form::STEP_REVIEW) {
        out.push('\n');
        out.push_str(&step(doc, s));
    }
    if !doc.history.is_empty() {
        let _ = writeln!(out, "\nHistory, {}:", count(doc.history.len(), "change"));
        for change in &doc.history {
            let _ = write!(
                out,
                "  {}, {}: {} from {} to {}",
                minutes(change.at),
                change.by,
                change.field,
                shown(change.old.as_ref()),
                shown(change.new.as_ref())
            );
            if let Some(source) = &change.source {
                let _ = write!(out, " ({source})");
            }
            out.push('\n');
        }
    }
    out.push('\n');
    out.push_str(&blockers(doc));
    out
}

/// One step: its values, and its notes log or checklist.
pub fn step(doc: &Handoff, step: &Step) -> String {
    let mut out = String::new();
    let number = form().step_index(&step.key).map_or(0, |i| i + 1);
    let _ = writeln!(out, "Step {number}, {}:", step.title);
    for field in &step.fields {
        match doc.value(&step.key, &field.key) {
            None => {
                let _ = writeln!(out, "  {}: not set", field.label);
            }
            Some(value) if spans_lines(field, value) => {
                let _ = writeln!(out, "  {}:", field.label);
                indent(&mut out, "    ", &value.to_input());
            }
            Some(value) => {
                let _ = writeln!(out, "  {}: {}", field.label, value.display());
            }
        }
    }
    if step.key == form::STEP_NOTES {
        out.push_str(&notes(doc));
    }
    if step.key == form::STEP_CHECKLIST {
        let _ = writeln!(out, "  Items:");
        for item in &doc.checklist_items {
            let _ = writeln!(out, "    {}: {}", item.title, item_state(item));
        }
    }
    out
}

/// The notes log, every live entry in full.
pub fn notes(doc: &Handoff) -> String {
    let live: Vec<&NoteEntry> = doc.notes_log.iter().filter(|n| n.is_live()).collect();
    let mut out = format!("  Notes log, {}:\n", count(live.len(), "note"));
    for (i, note) in live.iter().enumerate() {
        let _ = writeln!(out, "    {}:", note_heading(i + 1, note));
        indent(&mut out, "      ", &note.text);
    }
    out
}

/// `Note 2, Risk, by Jane Doe, 2026-03-10 14:00` (and when it was edited).
pub fn note_heading(number: usize, note: &NoteEntry) -> String {
    let category = form()
        .note_category(&note.category)
        .map_or(note.category.as_str(), |c| c.label.as_str());
    let mut heading = format!(
        "Note {number}, {category}, by {}, {}",
        note.author,
        minutes(note.created_at)
    );
    if let Some(at) = note.edited_at {
        let _ = write!(heading, ", edited {}", minutes(at));
    }
    heading
}

/// `done by Jane Doe, 2026-03-20 16:00`, `to do`, or `out of scope: REASON`.
pub fn item_state(item: &ChecklistItem) -> String {
    match item.state {
        ItemState::Done => {
            let mut state = "done".to_string();
            if let Some(by) = &item.done_by {
                let _ = write!(state, " by {by}");
            }
            if let Some(at) = item.done_at {
                let _ = write!(state, ", {}", minutes(at));
            }
            state
        }
        ItemState::Todo => "to do".into(),
        ItemState::OutOfScope => format!(
            "out of scope: {}",
            item.reason.as_deref().unwrap_or("no reason given")
        ),
    }
}

/// What blocks completion, and the warnings.
pub fn blockers(doc: &Handoff) -> String {
    let blockers = doc.blockers();
    let steps = &form().steps;
    let mut out = String::new();
    if blockers.is_empty() {
        out.push_str("Nothing blocks completion.\n");
    } else {
        let _ = writeln!(
            out,
            "{} completion:",
            match blockers.len() {
                1 => "1 thing blocks".to_string(),
                n => format!("{n} things block"),
            }
        );
        for blocker in &blockers {
            let title = steps.get(blocker.step).map_or("", |s| s.title.as_str());
            let _ = writeln!(
                out,
                "  Step {}, {title}: {}",
                blocker.step + 1,
                blocker.message
            );
        }
    }
    for warning in doc.warnings() {
        let _ = writeln!(out, "Warning: {warning}");
    }
    out
}

/// A value in one line, for confirmations: long text shows its first line.
pub fn brief(field: &Field, value: &FieldValue) -> String {
    let text = value.to_input();
    match (field.kind, text.lines().count()) {
        (FieldKind::LongText, n) if n > 1 => {
            format!("{} … ({n} lines)", text.lines().next().unwrap_or_default())
        }
        _ => value.display(),
    }
}

/// Whether a value reads better one entry or line per line.
fn spans_lines(field: &Field, value: &FieldValue) -> bool {
    matches!(
        field.kind,
        FieldKind::LongText | FieldKind::List | FieldKind::MultiChoice
    ) && value.to_input().contains('\n')
}

/// Each line of `text` after `prefix` (an empty line stays empty).
pub fn indent(out: &mut String, prefix: &str, text: &str) {
    for line in text.lines() {
        if !line.trim().is_empty() {
            out.push_str(prefix);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// `1 note`, `3 notes`.
pub fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn the_whole_handoff_reads_as_plain_lines() {
        let doc = testdata::completed_handoff();
        let text = handoff(&doc);
        assert!(
            text.starts_with("Handoff: Acme Corp\nStatus: complete, "),
            "{text}"
        );
        assert!(
            text.contains("\nStep 2, Production deployment:\n"),
            "{text}"
        );
        assert!(text.contains("  Total CPU (cores): 56\n"), "{text}");
        assert!(text.contains("  Notes log, "), "{text}");
        assert!(text.contains("Nothing blocks completion.\n"), "{text}");
        for noise in ["**", "~~", "# ", "\u{1b}"] {
            assert!(!text.contains(noise), "{noise:?} in {text}");
        }
    }

    #[test]
    fn long_text_is_brief_in_a_confirmation() {
        let field = form()
            .step("lessons")
            .and_then(|s| s.field("text"))
            .expect("lessons text");
        let value = FieldValue::Text("first\nsecond\nthird".into());
        assert_eq!(brief(field, &value), "first … (3 lines)");
    }
}
