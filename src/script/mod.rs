//! The handoff from scripts: `handoff set FILE KEY=VALUE…`, `handoff get FILE
//! KEY`, `handoff note FILE --category C [TEXT|-]`. The same document, rules,
//! lock and history as the wizard, but stricter: a value that does not fit is
//! refused (one line naming the key and why, exit 1), never kept as a draft,
//! and several assignments are all or nothing.

mod assign;
mod keys;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::commands::resolve;
use crate::form::form;
use crate::handoff::{Author, Change, FieldValue, Handoff, now};
use crate::identity::Who;
use crate::outcome::{Failure, Outcome, print_out};
use crate::store::{self, Lock};
use crate::tui::text::printable;
use crate::validate;

use assign::Assignment;
pub use assign::SOURCE;
use keys::Key;

/// Where a scripted note came from, as the history records it.
pub const NOTE_SOURCE: &str = "note from the command line";

#[derive(clap::Args)]
pub struct SetArgs {
    /// A handoff file, or the name of one in the data directory
    pub file: PathBuf,
    /// `step.field=VALUE` (e.g. deployment.total_cpu=56; an empty VALUE clears it),
    /// `step.field+=VALUE` to add to a list, `checklist.ITEM=done|todo|out_of_scope:REASON`
    #[arg(required = true, value_name = "KEY=VALUE")]
    pub assignments: Vec<String>,
}

#[derive(clap::Args)]
pub struct GetArgs {
    /// A handoff file, or the name of one in the data directory
    pub file: PathBuf,
    /// `step.field` (e.g. deployment.total_cpu) or `checklist.ITEM`
    pub key: String,
}

#[derive(clap::Args)]
pub struct NoteArgs {
    /// A handoff file, or the name of one in the data directory
    pub file: PathBuf,
    /// The note's category, by key or label (e.g. risk, "Upper limits")
    #[arg(long, short)]
    pub category: String,
    /// The note's text; `-` or nothing reads it from standard input
    pub text: Option<String>,
}

/// A refusal naming the file.
fn refused(path: &Path, why: impl std::fmt::Display) -> Failure {
    Failure::new(1, format!("{}: {why}", path.display()))
}

/// Loads a handoff (warnings to stderr); a missing file is reported as missing.
fn load(path: &Path) -> Result<Handoff, Failure> {
    let loaded = store::load(path)?;
    for warning in &loaded.warnings {
        eprintln!("handoff: warning: {}", printable(warning));
    }
    Ok(loaded.handoff)
}

/// Locks and loads a handoff to change it. A file that is not there is
/// reported as the loader reports it, not as a lock that cannot be made.
fn open_to_change(path: &Path, who: &Who) -> Result<(String, Lock, Handoff), Failure> {
    let by = who.require().map_err(|e| Failure::new(1, e))?;
    if !path.is_file() {
        store::load(path)?;
    }
    let lock = Lock::acquire(path, &by)?;
    let doc = load(path)?;
    Ok((by, lock, doc))
}

/// `handoff set`: every assignment checked and applied to a copy, then saved
/// once; the first refusal leaves the file as it was.
pub fn set(args: &SetArgs, dir: Option<&Path>, who: &Who) -> Outcome {
    let path = resolve(&args.file, dir)?;
    let assignments = args
        .assignments
        .iter()
        .map(|a| Assignment::parse(a))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|why| refused(&path, why))?;
    let (by, _lock, original) = open_to_change(&path, who)?;
    let author = Author {
        by: &by,
        at: now(),
        source: Some(SOURCE),
    };
    let mut doc = original.clone();
    let mut said = String::new();
    for assignment in &assignments {
        let changed = assign::apply(&mut doc, assignment, author)
            .map_err(|why| refused(&path, format!("{}: {why}", assignment.key)))?;
        let shown = get_text(&doc, &assignment.key).unwrap_or_default();
        let line = shown.lines().collect::<Vec<_>>().join(", ");
        let unchanged = if changed { "" } else { " (unchanged)" };
        said.push_str(&format!("{} = {line}{unchanged}\n", assignment.key));
    }
    // Rules between two fields: refuse what this run broke, not what was broken.
    let before = assign::problems(&original);
    if let Some((key, why)) = assign::problems(&doc)
        .into_iter()
        .find(|p| !before.contains(p))
    {
        return Err(refused(&path, format!("{key}: {why}")));
    }
    if doc != original {
        store::save(&path, &doc)?;
    }
    print_out(&printable_lines(&said))
}

/// `handoff get`: the value as typed (a list one entry per line); exit 1 when
/// it is not set.
pub fn get(args: &GetArgs, dir: Option<&Path>) -> Outcome {
    let path = resolve(&args.file, dir)?;
    let doc = load(&path)?;
    keys::find(&doc, &args.key).map_err(|why| refused(&path, format!("{}: {why}", args.key)))?;
    match get_text(&doc, &args.key) {
        Some(text) => print_out(&printable_lines(&format!("{text}\n"))),
        None => Err(refused(&path, format!("{} is not set", args.key))),
    }
}

/// What `get` prints for `key`, `None` when it is not set.
fn get_text(doc: &Handoff, key: &str) -> Option<String> {
    match keys::find(doc, key).ok()? {
        Key::Field { step, field } => doc
            .value(&step.key, &field.key)
            .filter(|v| !validate::is_empty(v))
            .map(FieldValue::to_input),
        Key::Item(index) => Some(doc.checklist_items[index].state_text()),
    }
}

/// `handoff note`: one note, by you, now; recorded in the history as scripted.
pub fn note(args: &NoteArgs, dir: Option<&Path>, who: &Who) -> Outcome {
    let path = resolve(&args.file, dir)?;
    let categories = &form().note_categories;
    let category = form().note_category_named(&args.category).ok_or_else(|| {
        let known: Vec<String> = categories
            .iter()
            .map(|c| format!("{} ({})", c.key, c.label))
            .collect();
        refused(
            &path,
            format!(
                "there is no note category {:?}; the categories are {}",
                args.category,
                known.join(", ")
            ),
        )
    })?;
    let text = match args.text.as_deref() {
        Some(text) if text != "-" => text.to_string(),
        _ => {
            let mut bytes = Vec::new();
            std::io::stdin().read_to_end(&mut bytes).map_err(|e| {
                refused(
                    &path,
                    format!("cannot read the note from standard input ({e})"),
                )
            })?;
            String::from_utf8(bytes)
                .map_err(|_| refused(&path, "the note on standard input is not UTF-8 text"))?
        }
    };
    if text.trim().is_empty() {
        return Err(refused(
            &path,
            "the note is empty: give its text, or - to read it from standard input",
        ));
    }
    let (by, _lock, mut doc) = open_to_change(&path, who)?;
    let at = now();
    let index = doc
        .add_note(&category.key, &text, &by, at)
        .map_err(|why| refused(&path, why))?;
    let id = doc.notes_log[index].id.clone();
    doc.history.push(Change {
        at,
        by: by.clone(),
        field: "note".into(),
        old: None,
        new: Some(FieldValue::Text(id.clone())),
        source: Some(NOTE_SOURCE.into()),
        unknown: toml::Table::new(),
    });
    doc.updated_at = at;
    store::save(&path, &doc)?;
    print_out(&format!(
        "{}: added note {id} ({}) by {}\n",
        path.display(),
        category.label,
        printable(&by)
    ))
    .map(|_| ExitCode::SUCCESS)
}

/// Each line of `text` made safe for a terminal.
fn printable_lines(text: &str) -> String {
    text.lines()
        .map(|l| format!("{}\n", printable(l)))
        .collect()
}
