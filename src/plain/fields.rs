//! The question for one field, and its answer: a value typed on one line, a
//! choice by number or by name (Other asks for the text), several choices
//! separated by commas, a list one entry per line up to an empty line, or a
//! long text up to a line holding only `.` (or written with `:edit`).
//! Invalid answers say why (the validator's own message) and ask again.

use crate::form::{Field, FieldKind, ListItem, Step, form};
use crate::validate;
use crate::value::format_number;

use super::reply::{self, COMMANDS, Move, Reply};
use super::talk::Heard;
use super::{Plain, editor, reading};

/// The answer, gathered over one or more lines.
enum Gathered {
    /// Text to parse, and where to go after it (the input may have ended while
    /// a list or long text was typed: what was typed still counts).
    Answer(String, Option<Move>),
    /// A command ended the answer: nothing is saved.
    Left(Move),
    /// Nothing usable: say why, and ask again.
    Again(String),
}

/// Asks for field `field` of step `step`, until an answer is saved or a command
/// moves on.
pub fn ask(s: &mut Plain, step: usize, field: usize) -> Move {
    let step = &form().steps[step];
    let index = field;
    let field = &step.fields[index];
    let question = question(s, step, index);
    s.say(&question);
    if matches!(field.kind, FieldKind::Choice | FieldKind::MultiChoice) {
        s.say(&choices(field));
    }
    loop {
        let line = match s.line() {
            Ok(line) => line,
            Err(to) => return to,
        };
        let reply = match reply::understand(&line) {
            Ok(reply) => reply,
            Err(to) => return to,
        };
        let gathered = match reply {
            Reply::Help => Gathered::Again(help(field)),
            Reply::Unknown(why) | Reply::BadStep(why) => Gathered::Again(why),
            Reply::Clear => Gathered::Answer(String::new(), None),
            Reply::Edit if field.kind == FieldKind::LongText => {
                let current = s
                    .doc
                    .value(&step.key, &field.key)
                    .map(crate::value::FieldValue::to_input)
                    .unwrap_or_default();
                match editor::edit(&current) {
                    Ok(text) => Gathered::Answer(text, None),
                    Err(why) => Gathered::Again(format!("{why}; nothing changed.")),
                }
            }
            Reply::Edit => Gathered::Again(
                ":edit is for texts over several lines; type the answer here.".into(),
            ),
            Reply::Text(text) if text.trim().is_empty() => {
                s.say(&kept(s, step, field));
                return Move::Forward;
            }
            Reply::Text(text) => gather(s, field, text),
        };
        let (typed, then) = match gathered {
            Gathered::Answer(typed, then) => (typed, then),
            Gathered::Left(to) => return to,
            Gathered::Again(why) => {
                s.say(&why);
                continue;
            }
        };
        match validate::parse(field, &typed) {
            Ok(value) => {
                s.change(step, field, value);
                return then.unwrap_or(Move::Forward);
            }
            Err(why) => {
                s.say(&format!(
                    "Not saved: {why}. Type another answer, ? for help, or :skip to move on."
                ));
                if let Some(then) = then {
                    return then;
                }
            }
        }
    }
}

/// `Production deployment, 8 of 10: Total CPU (cores). Required, a number above
/// 0. Now: not set.`
fn question(s: &Plain, step: &Step, index: usize) -> String {
    let field = &step.fields[index];
    let need = if field.required {
        "Required"
    } else {
        "Optional"
    };
    let mut line = format!(
        "{}, {} of {}: {}. {need}, {}. Now: {}.",
        step.title,
        index + 1,
        step.fields.len(),
        field.label,
        expects(step, field),
        now(s, step, field)
    );
    if s.doc.value(&step.key, &field.key).is_some()
        && let Some(problem) = s.doc.field_problem(step, field)
    {
        line.push_str(&format!(" Not valid: {problem}."));
    }
    if let Some(value) = s.doc.value(&step.key, &field.key)
        && field.kind == FieldKind::LongText
        && value.to_input().contains('\n')
    {
        line.push('\n');
        reading::indent(&mut line, "  ", &value.to_input());
        line.pop();
    }
    line
}

fn now(s: &Plain, step: &Step, field: &Field) -> String {
    match s.doc.value(&step.key, &field.key) {
        Some(value) if !validate::is_empty(value) => reading::brief(field, value),
        _ => "not set".into(),
    }
}

fn kept(s: &Plain, step: &Step, field: &Field) -> String {
    match s.doc.value(&step.key, &field.key) {
        Some(value) if !validate::is_empty(value) => {
            format!("Kept: {} = {}", field.label, reading::brief(field, value))
        }
        _ => format!("Left empty: {}", field.label),
    }
}

/// What the field takes, in words: `a number above 0`.
fn expects(step: &Step, field: &Field) -> String {
    let label_of = |key: &str| step.field(key).map_or(key.to_string(), |f| f.label.clone());
    let mut bounds = String::new();
    if let Some(above) = field.above {
        bounds.push_str(&format!(" above {}", format_number(above)));
    }
    if let Some(min) = field.min {
        bounds.push_str(&format!(", {} or more", format_number(min)));
    }
    if let Some(other) = &field.at_most {
        bounds.push_str(&format!(", at most the {}", label_of(other)));
    }
    match field.kind {
        FieldKind::Text => "text".into(),
        FieldKind::Url => "an http(s) URL".into(),
        FieldKind::Date => match &field.not_before {
            Some(other) => format!("a date as YYYY-MM-DD, not before the {}", label_of(other)),
            None => "a date as YYYY-MM-DD".into(),
        },
        FieldKind::Integer => format!("a whole number{bounds}"),
        FieldKind::Number => format!("a number{bounds}"),
        FieldKind::Choice => "one of the choices below, by number or by name".into(),
        FieldKind::MultiChoice => {
            "one or more of the choices below, numbers or names separated by commas".into()
        }
        FieldKind::List => match field.item {
            ListItem::Url => "one or more URLs, one per line, then an empty line".into(),
            ListItem::Text => "one or more entries, one per line, then an empty line".into(),
        },
        FieldKind::LongText => {
            "text over several lines, then a line holding only a dot (:edit opens your editor)"
                .into()
        }
    }
}

/// The numbered choices, one per line, Other last when the field takes it.
fn choices(field: &Field) -> String {
    let mut lines: Vec<String> = field
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| format!("  {}. {c}", i + 1))
        .collect();
    if field.other {
        lines.push(format!(
            "  {}. Other (asks for the text)",
            field.choices.len() + 1
        ));
    }
    lines.join("\n")
}

fn help(field: &Field) -> String {
    let how = match field.kind {
        FieldKind::List => {
            " The entries you type replace the ones there now: type them all, one per line, then an empty line. An entry that is not valid is refused on its own; the others stay."
        }
        FieldKind::LongText => {
            " Type as many lines as you need, then a line holding only a dot. :edit writes it in your editor ($VISUAL or $EDITOR) instead."
        }
        FieldKind::MultiChoice => {
            " The choices you give replace the ones there now. A name that is not listed counts as Other."
        }
        FieldKind::Choice if field.other => " A name that is not listed counts as Other.",
        _ => "",
    };
    format!(
        "{}: {} It takes {}.{how} {COMMANDS}",
        field.label,
        field.help,
        field.kind_hint()
    )
}

/// The rest of an answer whose first line is `first`.
fn gather(s: &mut Plain, field: &Field, first: String) -> Gathered {
    match field.kind {
        FieldKind::Choice => one_choice(s, field, first.trim()),
        FieldKind::MultiChoice => several_choices(s, field, &first),
        FieldKind::List => gather_list(s, field, first),
        FieldKind::LongText => gather_text(s, first),
        _ => Gathered::Answer(first, None),
    }
}

/// A choice by number (Other asks for the text) or by name.
fn one_choice(s: &mut Plain, field: &Field, typed: &str) -> Gathered {
    match typed.parse::<usize>() {
        Ok(n) => match by_number(field, n) {
            Ok(Some(choice)) => Gathered::Answer(choice, None),
            Ok(None) => other(s, field),
            Err(why) => Gathered::Again(why),
        },
        Err(_) => Gathered::Answer(typed.to_string(), None),
    }
}

/// Choices by number or by name, separated by commas.
fn several_choices(s: &mut Plain, field: &Field, typed: &str) -> Gathered {
    let mut picked: Vec<String> = Vec::new();
    for part in typed.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let choice = match part.parse::<usize>() {
            Ok(n) => match by_number(field, n) {
                Ok(Some(choice)) => choice,
                Ok(None) => match other(s, field) {
                    Gathered::Answer(text, _) => text,
                    not_an_answer => return not_an_answer,
                },
                Err(why) => return Gathered::Again(why),
            },
            Err(_) => field
                .choices
                .iter()
                .find(|c| c.eq_ignore_ascii_case(part))
                .cloned()
                .unwrap_or_else(|| part.to_string()),
        };
        if !picked.contains(&choice) {
            picked.push(choice);
        }
    }
    Gathered::Answer(picked.join("\n"), None)
}

/// Choice `n` (1-based); `Ok(None)` is Other.
fn by_number(field: &Field, n: usize) -> Result<Option<String>, String> {
    let listed = field.choices.len();
    match n {
        n if (1..=listed).contains(&n) => Ok(Some(field.choices[n - 1].clone())),
        n if field.other && n == listed + 1 => Ok(None),
        _ => Err(format!(
            "There is no choice {n}: type a number from 1 to {}, or a name.",
            listed + usize::from(field.other)
        )),
    }
}

/// Other: the text, on a line of its own.
fn other(s: &mut Plain, field: &Field) -> Gathered {
    s.say(&format!("Other {}: type it.", field.label));
    loop {
        match s.hear() {
            Heard::Line(line) => match reply::understand(&line) {
                Err(to) => return Gathered::Left(to),
                Ok(Reply::Text(text)) if !text.trim().is_empty() => {
                    return Gathered::Answer(text.trim().to_string(), None);
                }
                _ => s.say("Type the other choice, or :skip to move on."),
            },
            Heard::End => return Gathered::Left(Move::Ended),
            Heard::Stopped => return Gathered::Left(Move::Stopped),
        }
    }
}

/// List entries, one per line, up to an empty line; an invalid entry is refused
/// on its own.
fn gather_list(s: &mut Plain, field: &Field, first: String) -> Gathered {
    let mut entries: Vec<String> = Vec::new();
    let mut line = first;
    loop {
        if line.trim().is_empty() {
            break;
        }
        match reply::understand(&line) {
            Err(to) => return Gathered::Left(to),
            Ok(Reply::Help) => s.say(&help(field)),
            Ok(Reply::Text(entry)) => match validate::check_list_entry(field, entry.trim()) {
                Ok(()) => entries.push(entry.trim().to_string()),
                Err(why) => s.say(&format!(
                    "Entry not taken: {why}. Type it again, or go on with the next one."
                )),
            },
            Ok(Reply::Unknown(why) | Reply::BadStep(why)) => s.say(&why),
            Ok(Reply::Clear | Reply::Edit) => {
                s.say("That works only as the first line of the answer.");
            }
        }
        line = match s.hear() {
            Heard::Line(line) => line,
            Heard::End => return list_answer(entries, Some(Move::Ended)),
            Heard::Stopped => return Gathered::Left(Move::Stopped),
        };
    }
    list_answer(entries, None)
}

fn list_answer(entries: Vec<String>, then: Option<Move>) -> Gathered {
    if entries.is_empty() {
        return match then {
            Some(to) => Gathered::Left(to),
            None => Gathered::Again(
                "No entry was taken, so nothing changed. Type the entries, or :skip to move on."
                    .into(),
            ),
        };
    }
    Gathered::Answer(entries.join("\n"), then)
}

/// Lines up to one holding only `.`; `:edit` hands what is typed so far to the
/// editor, and what it saves is the answer.
fn gather_text(s: &mut Plain, first: String) -> Gathered {
    let mut lines: Vec<String> = Vec::new();
    let mut line = first;
    loop {
        if line.trim_end() == "." {
            return text_answer(&lines, None);
        }
        match reply::understand(&line) {
            Err(to) => return Gathered::Left(to),
            Ok(Reply::Edit) => {
                return match editor::edit(&lines.join("\n")) {
                    Ok(text) => Gathered::Answer(text, None),
                    Err(why) => Gathered::Again(format!("{why}; nothing changed.")),
                };
            }
            // Anything else, even `?` or `:)`, is part of the text.
            _ => lines.push(line),
        }
        line = match s.hear() {
            Heard::Line(line) => line,
            Heard::End => return text_answer(&lines, Some(Move::Ended)),
            Heard::Stopped => return Gathered::Left(Move::Stopped),
        };
    }
}

fn text_answer(lines: &[String], then: Option<Move>) -> Gathered {
    let text = lines.join("\n");
    if text.trim().is_empty() {
        return match then {
            Some(to) => Gathered::Left(to),
            None => Gathered::Again(
                "Nothing was typed, so nothing changed. Type the text, or :skip to move on.".into(),
            ),
        };
    }
    Gathered::Answer(text, then)
}

/// A note's text: lines up to `.`, or from the editor. `Err` is where to go
/// instead (a command, the end of the input, a signal).
pub(super) fn note_text(s: &mut Plain) -> Result<(String, Option<Move>), Move> {
    loop {
        let first = s.line()?;
        match gather_text(s, first) {
            Gathered::Answer(text, then) => return Ok((text, then)),
            Gathered::Left(to) => return Err(to),
            Gathered::Again(why) => s.say(&why),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(step: &str, key: &str) -> (&'static Step, &'static Field) {
        let step = form().step(step).expect("step");
        (step, step.field(key).expect("field"))
    }

    #[test]
    fn expectations_read_as_words() {
        let (step, cpu) = field("deployment", "total_cpu");
        assert_eq!(expects(step, cpu), "a number above 0");
        let (step, monorepos) = field("code_hosts", "monorepos");
        assert_eq!(
            expects(step, monorepos),
            "a whole number, 0 or more, at most the Number of repositories"
        );
        let (step, done) = field("deployment", "completion_date");
        assert_eq!(
            expects(step, done),
            "a date as YYYY-MM-DD, not before the Implementation start date"
        );
    }

    #[test]
    fn choices_by_number_and_other() {
        let (_, kind) = field("deployment", "deployment_type");
        assert_eq!(by_number(kind, 1), Ok(Some("Kubernetes (Helm)".into())));
        assert_eq!(by_number(kind, 9), Ok(None), "Other");
        assert_eq!(
            by_number(kind, 10),
            Err("There is no choice 10: type a number from 1 to 9, or a name.".into())
        );
        assert!(choices(kind).ends_with("  9. Other (asks for the text)"));
    }
}
