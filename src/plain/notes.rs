//! The implementation notes log: how many notes there are, the whole log on
//! request, and adding notes (a category by number or name, then the text up
//! to a line holding only `.`).

use crate::form::{NoteCategory, form};
use crate::handoff::{NoteEntry, now};

use super::Plain;
use super::fields::note_text;
use super::reading::{self, count};
use super::reply::{COMMANDS, Move, Reply};

pub fn visit(s: &mut Plain) -> Move {
    let live: Vec<&NoteEntry> = s.doc.notes_log.iter().filter(|n| n.is_live()).collect();
    let mut line = format!("Implementation notes log: {}.", count(live.len(), "note"));
    if let Some(last) = live.last() {
        line.push_str(&format!(
            " The latest: {}.",
            reading::note_heading(live.len(), last)
        ));
    }
    s.say(&line);
    s.say(&categories());
    loop {
        s.say("Add a note: type its category, by number or name; l lists the notes; an empty line goes on.");
        match s.reply() {
            Err(to) => return to,
            Ok(Reply::Help) => s.say(&help()),
            Ok(Reply::Text(text)) if text.trim().is_empty() => return Move::Forward,
            Ok(Reply::Text(text)) if text.trim().eq_ignore_ascii_case("l") => {
                let log = reading::notes(&s.doc);
                s.say(log.trim_end());
            }
            Ok(Reply::Text(text)) => match form().note_category_named(&text) {
                Some(category) => {
                    if let Some(to) = write(s, category) {
                        return to;
                    }
                }
                None => s.say(&format!(
                    "There is no category {}: type a number from 1 to {}, or a name.",
                    text.trim(),
                    form().note_categories.len()
                )),
            },
            Ok(Reply::Unknown(why) | Reply::BadStep(why)) => s.say(&why),
            Ok(Reply::Clear | Reply::Edit) => s.say("Pick a category first."),
        }
    }
}

/// The categories, numbered, one per line.
fn categories() -> String {
    form()
        .note_categories
        .iter()
        .enumerate()
        .map(|(i, c)| format!("  {}. {}", i + 1, c.label))
        .collect::<Vec<_>>()
        .join("\n")
}

fn help() -> String {
    let mut text = String::from(
        "The log the TA reads first. Each note has a category; after it, type the note over as many lines as you need, then a line holding only a dot (:edit writes it in your editor). The categories:",
    );
    for (i, c) in form().note_categories.iter().enumerate() {
        text.push_str(&format!("\n  {}. {}: {}", i + 1, c.label, c.help));
    }
    text.push('\n');
    text.push_str(COMMANDS);
    text
}

/// Asks for a note's text and adds it; `Some` is where to go instead of
/// asking for another note.
fn write(s: &mut Plain, category: &NoteCategory) -> Option<Move> {
    s.say(&format!(
        "{} note: type it, then a line holding only a dot (:edit opens your editor).",
        category.label
    ));
    let (text, then) = match note_text(s) {
        Ok(answer) => answer,
        Err(Move::Forward) => {
            s.say("No note added.");
            return None;
        }
        Err(to) => return Some(to),
    };
    let by = s.by.clone();
    match s.doc.add_note(&category.key, &text, &by, now()) {
        Ok(_) => {
            let number = s.doc.notes_log.iter().filter(|n| n.is_live()).count();
            if s.changed() {
                s.say(&format!("Saved: note {number}, {}.", category.label));
            }
        }
        Err(why) => s.say(&format!("Not added: {why}")),
    }
    then
}
