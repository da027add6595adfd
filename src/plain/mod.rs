//! Plain mode: the wizard as questions and answers, one line at a time, for
//! screen readers, dumb terminals and piped input. Nothing here draws: output
//! only appends lines, with no escape sequence of any kind. The rules are the
//! wizard's own: values through `Handoff::change_field`, the same lock, a save
//! after every answer, the same completion gate, the same resume position.
//!
//! One module per concern: `talk` (lines in and out, signals), `reply` (what a
//! typed line means), `walk` (the order of the questions and moving between
//! them), `fields`, `notes`, `checklist`, `completion` (the questions of each
//! kind of place), `reading` (the handoff as text, also for `view`), `editor`
//! (`:edit`), `picker` (`handoff --plain`).

mod checklist;
mod completion;
mod editor;
mod fields;
mod notes;
mod picker;
mod reading;
mod reply;
mod talk;
mod walk;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::form::{Field, Step};
use crate::handoff::{Author, FieldValue, Handoff, now};
use crate::identity::Who;
use crate::outcome::{Failure, Outcome, print_out};
use crate::store::Access;
use crate::store::{self, Lock, StoreError};
use crate::tui::text::printable;

pub use picker::pick;
use reply::Move;
use talk::{Heard, Talk};

/// How a person works on a handoff: the full-screen wizard, or plain questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interface {
    Screen,
    Plain,
}

/// Plain when asked for (`--plain`), when `ACCESSIBLE` is set (as charmbracelet's
/// huh reads it), or when the terminal cannot draw screens (`TERM=dumb`, or
/// stdin or stdout is not a terminal); the full-screen wizard otherwise.
pub fn interface(asked: bool) -> Interface {
    let accessible = std::env::var_os("ACCESSIBLE").is_some_and(|v| !v.is_empty());
    if asked || accessible || crate::tui::require_terminal("").is_err() {
        Interface::Plain
    } else {
        Interface::Screen
    }
}

/// Whether a person is at a terminal on both ends (a script is not).
pub fn someone_at_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// `handoff open --plain` (questions) or `handoff view --plain` (the whole
/// handoff as text, read-only: the file is never written or locked).
pub fn run(path: &Path, access: Access, who: &Who) -> Outcome {
    if access == Access::View {
        return view(path);
    }
    // Every other access edits, under the lock (a lock that cannot be taken is
    // one line, like any other failure to open).
    let talk = Talk::start().map_err(|e| Failure::new(2, e))?;
    edit(talk, path, who)
}

fn view(path: &Path) -> Outcome {
    let loaded = store::load(path)?;
    for warning in &loaded.warnings {
        eprintln!("handoff: warning: {}", printable(warning));
    }
    print_out(&reading::handoff(&loaded.handoff))
}

/// The questions on one handoff, from where the last session stopped.
fn edit(mut talk: Talk, path: &Path, who: &Who) -> Outcome {
    // A file that is not there is reported as the loader reports it (exit 2),
    // not as a lock that cannot be made beside it.
    if !path.is_file() {
        store::load(path)?;
    }
    let lock = match Lock::acquire(path, &who.quick_name()) {
        Ok(lock) => lock,
        Err(StoreError::Locked { holder, .. }) if std::io::stdin().is_terminal() => {
            talk.say(&format!(
                "{} is being edited by {holder}. Read it instead? Type y for yes, anything else for no.",
                path.display()
            ));
            return match talk.hear() {
                Heard::Line(yes) if yes.trim().eq_ignore_ascii_case("y") => view(path),
                _ => Err(Failure::new(
                    1,
                    format!("{}: not opened; {holder} is editing it", path.display()),
                )),
            };
        }
        Err(e) => return Err(e.into()),
    };
    let loaded = store::load(path)?;
    for warning in &loaded.warnings {
        talk.say(&format!("Warning: {warning}"));
    }
    if let Some(old) = &lock.took_over {
        talk.say(&format!("Took over a stale lock left by {old}."));
    }
    if store::remove_stray_temp_files(path) > 0 {
        talk.say("Removed temporary files left by an interrupted save.");
    }
    let by = match who.name() {
        Some(name) => name,
        None => match ask_name(&mut talk) {
            Some(name) => name,
            None => return Ok(ExitCode::SUCCESS),
        },
    };
    let mut session = Plain {
        talk,
        path: path.to_path_buf(),
        doc: loaded.handoff,
        by,
        unsaved: None,
        _lock: lock,
    };
    let ending = walk::walk(&mut session, crate::state::position(path));
    session.finish(ending)
}

/// Nothing says who is typing: ask once, and keep the answer in the settings
/// file. `None` when the input ends (or a signal comes) first.
fn ask_name(talk: &mut Talk) -> Option<String> {
    talk.say("Who are you? Your name goes with your notes and changes; it is asked once and kept in the settings file.");
    loop {
        let Heard::Line(line) = talk.hear() else {
            return None;
        };
        let name = line.trim();
        if name.is_empty() || name.chars().any(char::is_control) {
            talk.say("Type your name, e.g. Jane Doe.");
            continue;
        }
        if let Err(e) = crate::identity::remember(name) {
            talk.say(&format!(
                "Could not keep your name ({e}); it is used for this session only."
            ));
        }
        return Some(name.to_string());
    }
}

/// A plain session on one handoff.
struct Plain {
    talk: Talk,
    path: PathBuf,
    doc: Handoff,
    /// Who is answering: note author, done-by, completed-by.
    by: String,
    /// Why the last save failed, while the file lags behind the answers.
    unsaved: Option<String>,
    /// Held for as long as the session runs.
    _lock: Lock,
}

impl Plain {
    fn say(&mut self, text: &str) {
        self.talk.say(text);
    }

    fn hear(&mut self) -> Heard {
        self.talk.hear()
    }

    /// The next line, or where to go when there is none.
    fn line(&mut self) -> Result<String, Move> {
        match self.talk.hear() {
            Heard::Line(line) => Ok(line),
            Heard::End => Err(Move::Ended),
            Heard::Stopped => Err(Move::Stopped),
        }
    }

    /// Writes the handoff to its file; says so when that fails. Returns whether
    /// the file now holds every answer.
    fn save(&mut self) -> bool {
        match store::save(&self.path, &self.doc) {
            Ok(()) => {
                self.unsaved = None;
                true
            }
            Err(e) => {
                let reason = match e {
                    StoreError::Save { reason, .. } => reason,
                    other => other.to_string(),
                };
                self.say(&format!(
                    "Not saved to the file ({reason}): the answer is kept, and saved with the next one."
                ));
                self.unsaved = Some(reason);
                false
            }
        }
    }

    /// Sets a field by the document's rules, saves, and says what happened.
    fn change(&mut self, step: &Step, field: &Field, value: Option<FieldValue>) {
        let shown = value
            .as_ref()
            .map(|v| reading::brief(field, v))
            .unwrap_or_default();
        let author = Author::typing(&self.by, now());
        match self
            .doc
            .change_field(&step.key, &field.key, value.clone(), author)
        {
            Ok(true) => {
                if self.save() {
                    match &value {
                        Some(_) => self.say(&format!("Saved: {} = {shown}", field.label)),
                        None => self.say(&format!("Saved: {} is now empty", field.label)),
                    }
                }
                if let Some(FieldValue::Text(choice)) = &value
                    && let Some(warning) = field.warn.get(choice)
                {
                    self.say(&format!("Warning: {warning}"));
                }
                if value.is_some()
                    && let Some(problem) = self.doc.field_problem(step, field)
                {
                    self.say(&format!("It blocks completion until fixed: {problem}."));
                }
            }
            Ok(false) if value.is_none() => {
                self.say(&format!("Unchanged: {} is empty", field.label));
            }
            Ok(false) => self.say(&format!("Unchanged: {} = {shown}", field.label)),
            Err(refusal) => self.say(&format!("Not saved: {refusal}")),
        }
    }

    /// The next line, understood; a command that leaves (and the end of the
    /// input, or a signal) is where to go instead.
    fn reply(&mut self) -> Result<reply::Reply, Move> {
        reply::understand(&self.line()?)
    }

    /// Something other than a field changed (a note, a checklist item): save.
    fn changed(&mut self) -> bool {
        self.doc.updated_at = now();
        self.save()
    }

    /// Remembers on this machine where the session is, as the wizard does.
    fn remember(&self, position: &crate::handoff::Position) {
        // Losing it costs only the place to resume; not worth a message.
        let _ = crate::state::remember(&self.path, position);
    }

    /// The session is over: the last word, and the exit.
    fn finish(mut self, ending: Move) -> Outcome {
        if self.unsaved.is_some() {
            self.save();
        }
        let path = self.path.display().to_string();
        match ending {
            Move::Stopped => self.say("Stopped by a signal: everything answered is saved."),
            Move::Quit | Move::Ended => self.say(&format!(
                "Saved. `handoff open --plain {path}` goes on from here."
            )),
            _ => {}
        }
        let (done, total) = self.doc.progress();
        let status = self.doc.status.label();
        self.say(&format!("{path}: {status}, {done} of {total} done"));
        match self.unsaved.take() {
            Some(reason) => Err(Failure::new(
                1,
                format!("{path}: changes were not saved ({reason})"),
            )),
            None => Ok(ExitCode::SUCCESS),
        }
    }
}
