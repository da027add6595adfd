//! What the review page shows, as plain lines of kinds: every step's values in
//! full, the checklist, the notes log (newest first), the history of changes and
//! anything set differently elsewhere. The wizard styles and wraps these lines;
//! its reader shows them as text.

use crate::form::{self, FieldKind, form};
use crate::handoff::{Handoff, ItemState, shown, time};

/// How much of the notes log the page shows: the newest entries; the notes step
/// has them all.
pub const NOTES_SHOWN: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A step's title.
    Step,
    /// A field's label, before its value.
    Label,
    Value,
    /// What is wrong with a value.
    Problem,
    /// Something quieter: a note's heading, an unset value, a remark.
    Quiet,
    Blank,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub kind: Kind,
    /// Columns to indent by; wrapped continuation lines keep it.
    pub indent: usize,
    /// A field's label, shown before a value that fits beside it.
    pub label: Option<String>,
    pub text: String,
}

fn line(kind: Kind, indent: usize, text: impl Into<String>) -> Line {
    Line {
        kind,
        indent,
        label: None,
        text: text.into(),
    }
}

/// A one-line value after its field's label.
fn labelled(label: &str, kind: Kind, text: impl Into<String>) -> Line {
    Line {
        kind,
        indent: 2,
        label: Some(format!("{label}: ")),
        text: text.into(),
    }
}

/// The page, line by line (each may wrap when shown).
pub fn lines(doc: &Handoff) -> Vec<Line> {
    let mut out = Vec::new();
    for step in form().steps.iter().filter(|s| s.key != form::STEP_REVIEW) {
        out.push(line(Kind::Step, 0, step.title.clone()));
        for field in &step.fields {
            match doc.value(&step.key, &field.key) {
                None => out.push(labelled(&field.label, Kind::Quiet, "—")),
                Some(v) if matches!(field.kind, FieldKind::List | FieldKind::MultiChoice) => {
                    out.push(line(Kind::Label, 2, format!("{}:", field.label)));
                    for entry in v.to_input().lines() {
                        out.push(line(Kind::Value, 4, format!("• {entry}")));
                    }
                }
                Some(v) if field.kind == FieldKind::LongText => {
                    out.push(line(Kind::Label, 2, format!("{}:", field.label)));
                    for text in v.to_input().lines() {
                        out.push(line(Kind::Value, 4, text.to_string()));
                    }
                }
                Some(v) => out.push(labelled(&field.label, Kind::Value, v.display())),
            }
            if let Some(problem) = doc
                .field_problem(step, field)
                .filter(|_| doc.value(&step.key, &field.key).is_some())
            {
                out.push(line(Kind::Problem, 4, format!("✗ {problem}")));
            }
        }
        if step.key == form::STEP_NOTES {
            notes(doc, &mut out);
        }
        if step.key == form::STEP_CHECKLIST {
            checklist(doc, &mut out);
        }
        out.push(line(Kind::Blank, 0, ""));
    }
    history(doc, &mut out);
    out
}

fn notes(doc: &Handoff, out: &mut Vec<Line>) {
    let live = doc.notes_log.iter().filter(|n| n.is_live()).count();
    out.push(line(
        Kind::Label,
        2,
        match live {
            0 => "Notes log: no entries yet".to_string(),
            1 => "Notes log, 1 entry:".to_string(),
            n if n > NOTES_SHOWN => format!("Notes log, {n} entries, the newest {NOTES_SHOWN}:"),
            n => format!("Notes log, {n} entries, newest first:"),
        },
    ));
    for note in doc
        .notes_log
        .iter()
        .rev()
        .filter(|n| n.is_live())
        .take(NOTES_SHOWN)
    {
        let category = form()
            .note_category(&note.category)
            .map_or(note.category.as_str(), |c| c.label.as_str());
        let mut heading = format!(
            "{} · {category} · {}",
            time::minutes(note.created_at),
            note.author
        );
        if let Some(at) = note.edited_at {
            let by = note
                .edited_by
                .as_deref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default();
            heading.push_str(&format!(" (edited {}{by})", time::minutes(at)));
        }
        out.push(line(Kind::Quiet, 4, heading));
        for text in note.text.lines() {
            out.push(line(Kind::Value, 6, text.to_string()));
        }
    }
    if live > NOTES_SHOWN {
        out.push(line(
            Kind::Quiet,
            4,
            format!(
                "… {} earlier entries are on the notes step, where v reads any of them",
                live - NOTES_SHOWN
            ),
        ));
    }
}

fn checklist(doc: &Handoff, out: &mut Vec<Line>) {
    out.push(line(Kind::Label, 2, "Closeout items:"));
    for item in &doc.checklist_items {
        let (mark, detail) = match item.state {
            ItemState::Done => (
                "[x]",
                format!(
                    " — done by {}{}",
                    item.done_by.as_deref().unwrap_or("someone"),
                    item.done_at
                        .map(|at| format!(", {}", time::minutes(at)))
                        .unwrap_or_default()
                ),
            ),
            ItemState::OutOfScope => (
                "[-]",
                format!(
                    " — out of scope: {}",
                    item.reason.as_deref().unwrap_or("(no reason given)")
                ),
            ),
            ItemState::Todo => ("[ ]", " — to do".to_string()),
        };
        out.push(line(
            Kind::Value,
            4,
            format!("{mark} {}{detail}", item.title),
        ));
    }
}

fn history(doc: &Handoff, out: &mut Vec<Line>) {
    if !doc.conflicts.is_empty() {
        out.push(line(Kind::Step, 0, "Set differently elsewhere"));
        for conflict in &doc.conflicts {
            out.push(line(
                Kind::Problem,
                2,
                format!(
                    "✗ {}: yours {}, theirs {}",
                    conflict.field,
                    shown(conflict.ours.as_ref()),
                    shown(conflict.theirs.as_ref())
                ),
            ));
        }
        out.push(line(Kind::Blank, 0, ""));
    }
    out.push(line(Kind::Step, 0, "History"));
    if let (Some(at), Some(by)) = (doc.completed_at, &doc.completed_by) {
        out.push(line(
            Kind::Value,
            2,
            format!("Completed {} by {by}", time::minutes(at)),
        ));
    }
    if doc.history.is_empty() {
        out.push(line(Kind::Quiet, 2, "No changes recorded yet"));
    }
    for change in doc.history.iter().rev() {
        out.push(line(Kind::Quiet, 2, change_heading(change)));
        out.push(line(
            Kind::Value,
            4,
            format!(
                "{}: {} → {}",
                field_label(&change.field),
                shown(change.old.as_ref()),
                shown(change.new.as_ref())
            ),
        ));
    }
}

fn change_heading(change: &crate::handoff::Change) -> String {
    let source = change
        .source
        .as_deref()
        .map(|s| format!(" ({s})"))
        .unwrap_or_default();
    format!("{} · {}{source}", time::minutes(change.at), change.by)
}

/// A change's field as a person reads it: the form's label, or the key.
pub fn field_label(key: &str) -> String {
    match key {
        "status" => "Status".into(),
        "note" => "Note added".into(),
        _ => key
            .split_once('.')
            .and_then(|(step, field)| form().step(step)?.field(field))
            .map_or_else(|| key.to_string(), |f| f.label.clone()),
    }
}

/// The page as text, for the reader.
pub fn text(doc: &Handoff) -> String {
    lines(doc)
        .iter()
        .map(|l| {
            format!(
                "{}{}{}",
                " ".repeat(l.indent),
                l.label.as_deref().unwrap_or(""),
                l.text
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn every_value_in_full_the_notes_newest_first_and_the_history() {
        let h = testdata::maintained_handoff();
        let text = text(&h);
        assert!(text.contains("3. Promote to production"), "{text}");
        let newest = text.find("Rockskip enabled").expect("newest note");
        let older = text.find("800 users, 150 concurrent").expect("older note");
        assert!(newest < older, "newest first");
        assert!(
            text.contains("Number of repositories: 1200 → 1500"),
            "{text}"
        );
        assert!(text.contains("Completed 2026-03-28"), "{text}");
        assert!(
            text.trim_end()
                .ends_with("Number of repositories: 1200 → 1500"),
            "the history closes the page"
        );
    }
}
