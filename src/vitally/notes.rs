//! What each Vitally note made from a handoff says: one note per live entry of the
//! notes log, one for the lessons learned, one for the upgrade strategy. Text is
//! HTML-escaped (Vitally shows note bodies as HTML) and keeps its line breaks:
//! blank lines separate paragraphs, single line breaks become `<br>`.

use crate::form;
use crate::handoff::{Handoff, NoteEntry, Timestamp, note_id};

/// The entry key of the lessons-learned note.
pub const LESSONS: &str = "lessons";
/// The entry key of the upgrade-strategy note.
pub const UPGRADE: &str = "upgrade";

/// One note as the handoff would have it in Vitally now.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteDraft {
    /// A notes-log entry's id, or [`LESSONS`] / [`UPGRADE`].
    pub entry: String,
    /// How messages and progress lines name it, e.g. "Risk note of 2026-03-10 14:00".
    pub what: String,
    pub subject: String,
    /// The body, as HTML.
    pub html: String,
    /// The entry's own time; `None` for the sections, which carry the time the
    /// handoff was completed (or, before that, of the push that first sent them).
    pub date: Option<Timestamp>,
}

impl NoteDraft {
    /// A short fingerprint of what would be sent with this date, kept in the
    /// file to tell whether the note changed since it was sent. (The notes log's
    /// id hash serves: stable across machines and releases.)
    pub fn digest(&self, date: Timestamp) -> String {
        note_id(date, &self.subject, &self.html)
    }
}

/// Every note the handoff would have in Vitally, in the order they are sent: the
/// notes log oldest first, then lessons learned, then the upgrade strategy.
pub fn drafts(handoff: &Handoff) -> Vec<NoteDraft> {
    let mut notes: Vec<NoteDraft> = handoff
        .notes_log
        .iter()
        .filter(|n| n.is_live())
        .map(log_note)
        .collect();
    notes.sort_by_key(|n| n.date);
    let lessons = text(handoff, "lessons", "text");
    if !lessons.trim().is_empty() {
        notes.push(NoteDraft {
            entry: LESSONS.into(),
            what: step_title(LESSONS),
            subject: format!("Handoff: {}", step_title(LESSONS)),
            html: html(lessons),
            date: None,
        });
    }
    if let Some(html) = upgrade_html(handoff) {
        notes.push(NoteDraft {
            entry: UPGRADE.into(),
            what: step_title(UPGRADE),
            subject: format!("Handoff: {}", step_title(UPGRADE)),
            html,
            date: None,
        });
    }
    notes
}

fn log_note(note: &NoteEntry) -> NoteDraft {
    let category = category_label(&note.category);
    let mut body = html(&note.text);
    let mut byline = format!("— {}", note.author);
    if let (Some(by), Some(at)) = (&note.edited_by, note.edited_at) {
        byline.push_str(&format!(", edited by {by} {}", day_and_time(at)));
    }
    body.push_str(&format!("<p><em>{}</em></p>", escape(&byline)));
    NoteDraft {
        entry: note.id.clone(),
        what: format!("{category} note of {}", day_and_time(note.created_at)),
        subject: format!("Handoff: {category}"),
        html: body,
        date: Some(note.created_at),
    }
}

/// How a report names a note that a push no longer sends (a deleted entry, an
/// emptied section), e.g. "the Risk note of 2026-03-10 14:00 (deleted here)".
pub fn gone_what(handoff: &Handoff, entry: &str) -> String {
    match entry {
        LESSONS | UPGRADE => format!("the {} note (empty here now)", step_title(entry)),
        _ => match handoff.notes_log.iter().find(|n| n.id == entry) {
            Some(note) => format!(
                "the {} note of {} (deleted here)",
                category_label(&note.category),
                day_and_time(note.created_at)
            ),
            None => format!("the note of entry {entry} (no longer in this handoff)"),
        },
    }
}

/// The lessons and upgrade notes are named after their steps (same keys).
fn step_title(key: &str) -> String {
    form::form()
        .step(key)
        .map_or_else(|| key.to_string(), |s| s.title.clone())
}

fn category_label(key: &str) -> String {
    form::form()
        .note_category(key)
        .map_or_else(|| key.to_string(), |c| c.label.clone())
}

fn day_and_time(at: Timestamp) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn text<'a>(handoff: &'a Handoff, step: &str, field: &str) -> &'a str {
    match handoff.value(step, field) {
        Some(crate::handoff::FieldValue::Text(t)) => t,
        _ => "",
    }
}

/// The upgrade strategy as one body: version and cadence, then the procedure.
fn upgrade_html(handoff: &Handoff) -> Option<String> {
    let step = form::form().step("upgrade")?;
    let mut body = String::new();
    for field in &step.fields {
        let Some(value) = handoff
            .value(&step.key, &field.key)
            .filter(|v| !crate::validate::is_empty(v))
        else {
            continue;
        };
        if field.kind == form::FieldKind::LongText {
            body.push_str(&format!("<p><strong>{}</strong></p>", escape(&field.label)));
            body.push_str(&html(&value.to_input()));
        } else {
            body.push_str(&format!(
                "<p><strong>{}:</strong> {}</p>",
                escape(&field.label),
                escape(&value.display())
            ));
        }
    }
    (!body.is_empty()).then_some(body)
}

/// Text as HTML paragraphs: blank lines separate them, line breaks stay.
pub fn html(text: &str) -> String {
    let mut out = String::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut String| {
        if !paragraph.is_empty() {
            let lines: Vec<String> = paragraph.iter().map(|l| escape(l)).collect();
            out.push_str(&format!("<p>{}</p>", lines.join("<br>")));
            paragraph.clear();
        }
    };
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut paragraph, &mut out);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// `&`, `<`, `>` and quotes as entities: text stays text in an HTML body.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn text_becomes_escaped_paragraphs_with_line_breaks() {
        assert_eq!(
            html("800 users <peak>\n150 concurrent & growing\n\n\nNext: \"Q3\"'s review\n"),
            "<p>800 users &lt;peak&gt;<br>150 concurrent &amp; growing</p><p>Next: &quot;Q3&quot;&#39;s review</p>"
        );
        assert_eq!(html(""), "");
        assert_eq!(
            html("<script>alert(1)</script>"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
        );
    }

    #[test]
    fn a_complete_handoff_makes_log_notes_then_the_sections() {
        let mut h = testdata::complete_handoff();
        h.notes_log
            .push(testdata::note("risk", "gone", testdata::at(12, 9)));
        h.delete_note(2, "Jane Doe", testdata::at(13, 9));
        let notes = drafts(&h);
        let subjects: Vec<&str> = notes.iter().map(|n| n.subject.as_str()).collect();
        assert_eq!(
            subjects,
            [
                "Handoff: Upper limits",
                "Handoff: Special deployment details",
                "Handoff: Lessons learned",
                "Handoff: Long-term upgrade strategy"
            ],
            "the deleted entry makes no note"
        );
        assert_eq!(notes[0].entry, h.notes_log[0].id);
        assert_eq!(notes[0].date, Some(testdata::at(10, 14)));
        assert_eq!(notes[0].what, "Upper limits note of 2026-03-10 14:00 UTC");
        assert_eq!(
            notes[0].html,
            "<p>800 users, 150 concurrent at peak.<br>Repositories may grow to 2,000 next year.</p><p><em>— Jane Doe</em></p>"
        );
        assert_eq!(notes[2].date, None);
        assert_eq!(
            notes[3].html,
            "<p><strong>Current Sourcegraph version:</strong> 6.4.1</p><p><strong>Upgrade cadence:</strong> Monthly</p><p><strong>Upgrade procedure</strong></p><p>1. Upgrade staging<br>2. Soak a week<br>3. Promote to production</p>"
        );
        assert_eq!(
            gone_what(&h, &h.notes_log[2].id),
            "the Risk note of 2026-03-12 09:00 UTC (deleted here)"
        );
        assert_eq!(
            gone_what(&h, LESSONS),
            "the Lessons learned note (empty here now)"
        );
    }

    #[test]
    fn empty_sections_make_no_note_and_digests_follow_the_content() {
        let mut h = testdata::new_handoff();
        assert!(drafts(&h).is_empty());
        h.add_note("risk", "Disk fills", "Sam", testdata::at(10, 9))
            .expect("note");
        let before = drafts(&h)[0].clone();
        let at = testdata::at(10, 9);
        assert_eq!(before.digest(at), drafts(&h)[0].digest(at));
        h.edit_note(0, "Disk fills weekly", "Sam", testdata::at(11, 9))
            .expect("edit");
        let after = drafts(&h)[0].clone();
        assert_ne!(before.digest(at), after.digest(at));
        assert!(
            after
                .html
                .ends_with("<p><em>— Sam, edited by Sam 2026-03-11 09:00 UTC</em></p>")
        );
    }
}
