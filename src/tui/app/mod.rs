//! The wizard's state and `update(Action) -> Vec<Effect>`: no drawing, no terminal,
//! no files. What the outside world must do (save, write a copy, open `$EDITOR`,
//! leave) comes back as effects, and their results come in as actions.
//!
//! The state is split by concern: `navigation` (steps, rows, lists, the resume
//! position), `editing` (text being typed and committing it), `choosing` (pop-up
//! lists), `confirming` (yes/no questions and what they carry out).

mod choosing;
mod confirming;
mod editing;
mod navigation;
pub(crate) mod outside;
mod reading;

use crate::form::{Step, form};
use crate::handoff::{Handoff, NoteEntry, Position, Status, Timestamp};

use super::action::Action;
use super::effect::Effect;
use super::keys::KeyMode;

pub use choosing::{ChoiceOption, Chooser, ChooserPurpose};
pub use confirming::{Confirm, Pending};
pub use editing::{EditTarget, Editor, category_label, editor_text};
pub use navigation::{Row, rows};
use outside::StatusOf;
pub use outside::{FillReview, Task};
pub use reading::{Reader, Scroll};

#[derive(Debug)]
pub enum Mode {
    Browse,
    Edit(Box<Editor>),
    Choose(Chooser),
    Confirm(Confirm),
    /// Something opened in full in the reader (the key list too).
    Read(Box<Reader>),
    /// What a fill found, to choose from before anything changes.
    Fill(Box<FillReview>),
}

/// What kind of change an action would make, for `App::may`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// A field of the current step.
    Field,
    AddNote,
    /// Editing, recategorizing or deleting a note.
    Note,
    Checklist,
    Complete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing changed since the file was opened.
    Unchanged,
    Saved(Timestamp),
    /// The last save failed; the work is kept in memory.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// Where leaving stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaving {
    /// Not leaving.
    No,
    /// The user asked to quit: leave once the file is saved, or warn once if it
    /// cannot be.
    Asked,
    /// Leave after this save whatever its result (a signal, a closed terminal, or
    /// quitting again after the warning).
    Regardless,
}

pub struct App {
    doc: Handoff,
    /// Why nothing may be changed (`None` when editing is allowed).
    read_only: Option<String>,
    /// This session writes the file (it was opened for editing; completing the
    /// handoff stops edits but not the saving of the completion itself).
    saves: bool,
    /// Who is at the keyboard: recorded as note author, done-by and changed-by.
    /// Looked up when first needed (asking git costs a process start the first
    /// frame should not wait for), or asked for then when nothing gives it.
    user: Option<String>,
    who: crate::identity::Who,
    /// Text whose commit needed a name, reopened once the name is given.
    waiting_for_name: Option<Box<Editor>>,
    step: usize,
    row: usize,
    /// The selection inside the focused list (entries, notes, items, blockers).
    sel: usize,
    /// The review page's scroll position.
    review: Scroll,
    /// The row each step was last left on, to come back to it.
    left_on: Vec<usize>,
    mode: Mode,
    message: Option<Message>,
    /// A committed change the file does not have yet.
    dirty: bool,
    save_state: SaveState,
    /// Indexes of the notes not deleted, in log order (see `refresh_live_notes`).
    live_notes: Vec<usize>,
    leaving: Leaving,
    /// Quitting was refused once because the file could not be saved; quitting
    /// again means it.
    warned_unsaved: bool,
    /// Effects asked for while handling the current action.
    outbox: Vec<Effect>,
    /// A word about the file in the header: updated on disk, commits to share.
    header_note: Option<String>,
    /// Work running elsewhere (a fill, a push): shown with a spinner; changes
    /// wait until it is done.
    task: Option<Task>,
    /// What a fill found while something was being typed: shown once that is done.
    fill_waiting: Option<Box<crate::fill::Findings>>,
    /// In a directory synced with git: whether to sync on quitting (`None`: ask).
    /// Not synced: `None`.
    sync_on_quit: Option<Option<bool>>,
    /// Which field goes to which Vitally trait, for the review page's push status.
    mapping: Option<crate::vitally::Mapping>,
    /// The review page's line about Vitally, and the state of the document it
    /// was worked out for: counting what a push would send walks every note
    /// (some 12 ms at 10,000 notes), so it is done when the document changes,
    /// not on every frame.
    push_status: Option<String>,
    push_status_of: Option<StatusOf>,
    clock: fn() -> Timestamp,
}

impl App {
    pub fn new(doc: Handoff, user: String, read_only: Option<String>) -> Self {
        let mut app = App {
            doc,
            saves: read_only.is_none(),
            read_only,
            user: (!user.trim().is_empty()).then(|| user.trim().to_string()),
            who: crate::identity::Who::default(),
            waiting_for_name: None,
            step: 0,
            row: 0,
            sel: 0,
            review: Scroll::default(),
            left_on: vec![0; form().steps.len()],
            mode: Mode::Browse,
            message: None,
            dirty: false,
            save_state: SaveState::Unchanged,
            live_notes: Vec::new(),
            leaving: Leaving::No,
            warned_unsaved: false,
            outbox: Vec::new(),
            header_note: None,
            task: None,
            fill_waiting: None,
            sync_on_quit: None,
            mapping: None,
            push_status: None,
            push_status_of: None,
            clock: crate::handoff::now,
        };
        app.refresh_live_notes();
        let legacy = app.doc.legacy_position.clone();
        app.restore_position(&legacy);
        app
    }

    /// The file cannot be written where it is (a read-only directory): the work is
    /// kept, saves are tried on every change, and Ctrl-O writes a copy.
    pub fn cannot_save(mut self, why: &str) -> Self {
        self.save_state = SaveState::Failed(why.to_string());
        self.complain(format!(
            "Not saved: {why}. Work is kept; Ctrl-O saves a copy elsewhere."
        ));
        self
    }

    /// Where the name of the person at the keyboard comes from (`--as`, …).
    pub fn with_who(mut self, who: crate::identity::Who) -> Self {
        self.who = who;
        self
    }

    /// Resumes where this machine last left the handoff (see `crate::state`).
    pub fn resume_at(mut self, position: Option<Position>) -> Self {
        if let Some(position) = position {
            self.restore_position(&position);
        }
        self
    }

    /// The Vitally trait mapping, to say on the review page what a push would send.
    pub fn with_mapping(mut self, mapping: Option<crate::vitally::Mapping>) -> Self {
        self.mapping = mapping;
        self.refresh_push_status();
        self
    }

    /// For tests: a fixed clock makes recorded times predictable.
    pub fn with_clock(mut self, clock: fn() -> Timestamp) -> Self {
        self.clock = clock;
        self
    }

    /// A line to show first (e.g. what the loader noticed).
    pub fn with_notice(mut self, notice: Option<String>) -> Self {
        if let Some(text) = notice {
            self.say(text);
        }
        self
    }

    // ------------------------------------------------------------ what views read

    pub fn document(&self) -> &Handoff {
        &self.doc
    }

    /// Why nothing may be changed, when that is so.
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    /// A word about the file for the header ("updated 14:02 by Sam").
    pub fn header_note(&self) -> Option<&str> {
        self.header_note.as_deref()
    }

    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    pub fn save_state(&self) -> &SaveState {
        &self.save_state
    }

    /// A committed change is waiting to be written.
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The index of the current step in the form.
    pub fn step(&self) -> usize {
        self.step
    }

    /// The focused row of the current step.
    pub fn row(&self) -> usize {
        self.row
    }

    /// The selection inside the focused list.
    pub fn sel(&self) -> usize {
        self.sel
    }

    pub fn key_mode(&self) -> KeyMode {
        match &self.mode {
            Mode::Browse if self.on_text_field() => KeyMode::OnText,
            Mode::Browse => KeyMode::Browse,
            Mode::Edit(e) if e.multiline => KeyMode::EditLong,
            Mode::Edit(_) => KeyMode::EditLine,
            Mode::Choose(_) => KeyMode::Choose,
            Mode::Confirm(_) => KeyMode::Confirm,
            Mode::Read(_) => KeyMode::Read,
            Mode::Fill(_) => KeyMode::FillReview,
        }
    }

    pub fn current_step(&self) -> &'static Step {
        &form().steps[self.step.min(form().steps.len() - 1)]
    }

    /// Notes shown in the log: the live ones, by index into the document's log.
    pub fn live_notes(&self) -> &[usize] {
        &self.live_notes
    }

    /// The `n`th note shown in the log, with its index in the document's log.
    pub fn live_note(&self, n: usize) -> Option<(usize, &NoteEntry)> {
        let index = *self.live_notes.get(n)?;
        Some((index, self.doc.notes_log.get(index)?))
    }

    /// Rebuilds the list of live notes: only when notes are added or deleted, so
    /// keys and frames never walk the whole log.
    fn refresh_live_notes(&mut self) {
        self.live_notes = (0..self.doc.notes_log.len())
            .filter(|&i| self.doc.notes_log[i].is_live())
            .collect();
    }

    /// The person at the keyboard, if anything gives a name (see `identity`).
    /// When nothing does, callers ask with `ask_name` instead of recording anyone.
    fn user(&mut self) -> Option<String> {
        if self.user.is_none() {
            self.user = self.who.name();
        }
        self.user.clone()
    }

    // ------------------------------------------------------------ update

    /// Carries out one action; returns what the outside world must do about it.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let is_result = matches!(
            action,
            Action::Saved(_)
                | Action::Copied { .. }
                | Action::ExternalEditDone(_)
                | Action::NotesLoaded(_)
                | Action::Viewport { .. }
                | Action::Tick
                | Action::PushProgress(_)
                | Action::PushRecorded(_)
                | Action::Reloaded { .. }
                | Action::SyncKnown { .. }
                | Action::Refused(_)
        );
        if !matches!(
            action,
            Action::Type(_) | Action::ScrollUp | Action::ScrollDown
        ) && !is_result
        {
            self.message = None;
        }
        match action {
            Action::Saved(result) => self.saved(result),
            Action::Copied { to, result } => self.copied(&to, result),
            Action::NotesLoaded(log) => self.notes_loaded(log),
            Action::Tick => self.tick(),
            // Something the outside world could not do (remember a name…).
            Action::Refused(why) => self.complain(why),
            Action::Filled(findings) => self.filled(*findings),
            Action::PushProgress(line) => self.push_progress(line),
            Action::PushRecorded(record) => self.doc.vitally = *record,
            Action::Pushed(result) => self.pushed(result),
            Action::Reloaded { result, editing } => self.reloaded(result, editing),
            Action::SyncKnown { status, on_quit } => self.sync_known(status, on_quit),
            Action::Stop => {
                // Quitting, from whatever mode, without the second chance.
                self.leaving = Leaving::Regardless;
                return self.update(Action::Quit);
            }
            action => match std::mem::replace(&mut self.mode, Mode::Browse) {
                Mode::Browse => self.browse(action),
                Mode::Edit(editor) => self.edit(*editor, action),
                Mode::Choose(chooser) => self.choose(chooser, action),
                Mode::Confirm(confirm) => self.confirm(confirm, action),
                Mode::Read(reader) => self.reading(*reader, action),
                Mode::Fill(review) => self.reviewing_fill(*review, action),
            },
        }
        self.fill_waiting_opens();
        self.refresh_push_status();
        let mut effects = std::mem::take(&mut self.outbox);
        // Every committed change is saved before the next key (a failed save is
        // tried again on the next one), ahead of what else the key asked for.
        let saving = effects.iter().any(|e| matches!(e, Effect::Save { .. }));
        if self.dirty && !is_result && !saving {
            effects.insert(0, self.save_effect());
        }
        effects
    }

    fn say(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    fn complain(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }

    /// Whether a change of this kind may be made now: refused (with the one line
    /// that says why) in a read-only session, and after completion everywhere but
    /// the code hosts and adding notes.
    fn may(&mut self, change: Change) -> bool {
        if !self.writable() {
            return false;
        }
        let in_progress = self.doc.status == Status::InProgress;
        let refusal = match change {
            Change::Field if !self.doc.step_is_open(&self.current_step().key) => {
                crate::handoff::MAINTENANCE_ONLY
            }
            Change::Note if !in_progress => {
                "this handoff is complete: notes can be added, not changed; `handoff reopen FILE` opens them again"
            }
            Change::Checklist if !in_progress => {
                "this handoff is complete: the checklist is settled; `handoff reopen FILE` opens it again"
            }
            Change::Complete if !in_progress => "this handoff is complete already",
            _ => return true,
        };
        self.complain(format!("Read-only: {refusal}"));
        false
    }

    /// Editing actions pass through here: in a read-only session they are
    /// refused, and while a fill or a push runs they wait for it.
    fn writable(&mut self) -> bool {
        if let Some(why) = &self.read_only {
            let why = why.clone();
            self.complain(format!("Read-only: {why}"));
            return false;
        }
        self.idle()
    }

    /// A committed change: it is saved before the next key.
    fn changed(&mut self) {
        self.doc.updated_at = (self.clock)();
        self.dirty = true;
    }

    // ------------------------------------------------------------ saving and leaving

    fn save_effect(&self) -> Effect {
        Effect::Save {
            position: self.position(),
        }
    }

    /// Ctrl-S: save now, even when nothing changed.
    fn save_now(&mut self) {
        if self.saves {
            let effect = self.save_effect();
            self.outbox.push(effect);
        }
    }

    /// `q` or Ctrl-C: leave, saving first. After a failed save has been reported
    /// once, quitting again means it.
    fn quit(&mut self) {
        let how = if self.warned_unsaved || self.leaving == Leaving::Regardless {
            Leaving::Regardless
        } else {
            Leaving::Asked
        };
        if how == Leaving::Asked && self.saves && self.sync_on_quit == Some(None) {
            self.ask_sync_on_quit();
            return;
        }
        self.leave(how);
    }

    fn leave(&mut self, how: Leaving) {
        // Sharing is for a deliberate quit, not a signal or a lost terminal.
        if how == Leaving::Asked && self.saves && self.sync_on_quit == Some(Some(true)) {
            self.outbox.push(Effect::SyncAfter);
        }
        if !self.saves {
            self.outbox.push(Effect::Exit);
        } else if self.dirty {
            self.leaving = how;
            let effect = self.save_effect();
            self.outbox.push(effect);
        } else {
            // Nothing to write: an unchanged file stays byte for byte as it was.
            self.outbox.push(Effect::Remember {
                position: self.position(),
            });
            self.outbox.push(Effect::Exit);
        }
    }

    /// The outside world reports how a save went.
    fn saved(&mut self, result: Result<Timestamp, String>) {
        let ok = result.is_ok();
        match result {
            Ok(at) => {
                self.dirty = false;
                self.save_state = SaveState::Saved(at);
            }
            Err(e) => {
                self.save_state = SaveState::Failed(e.clone());
                self.complain(format!(
                    "Not saved: {e}. Work kept, saved on the next change; Ctrl-O saves a copy."
                ));
            }
        }
        match self.leaving {
            Leaving::No => {}
            Leaving::Asked if !ok => {
                // Leaving now would lose work: say so once, and let q again mean it.
                self.leaving = Leaving::No;
                self.warned_unsaved = true;
                self.warn_unsaved_quit();
            }
            Leaving::Asked | Leaving::Regardless => self.outbox.push(Effect::Exit),
        }
    }

    fn warn_unsaved_quit(&mut self) {
        let why = match &self.save_state {
            SaveState::Failed(e) => e.clone(),
            _ => "the file could not be saved".into(),
        };
        // The key that quits here: q, or Ctrl-C on a text field where q is typing.
        let quit = crate::tui::keys::table(self.key_mode())
            .name_of(&Action::Quit)
            .unwrap_or("Ctrl-C");
        self.complain(format!(
            "Not saved: {why}. Press {quit} again to quit and lose it, Ctrl-S to retry, Ctrl-O to save a copy."
        ));
    }

    /// The outside world reports how writing a copy went.
    fn copied(&mut self, path: &std::path::Path, result: Result<(), String>) {
        match result {
            Ok(()) => self.say(format!("Saved a copy to {}", path.display())),
            Err(e) => self.complain(format!("No copy written: {e}")),
        }
    }

    /// The notes log, read after the first frame (see `store::load_split`).
    fn notes_loaded(&mut self, log: crate::store::NotesLog) {
        match log {
            crate::store::NotesLog::Unchanged => return,
            crate::store::NotesLog::Entries(notes, warnings) => {
                self.doc.notes_log = notes;
                if let (None, Some(first)) = (&self.message, warnings.into_iter().next()) {
                    self.say(first);
                }
            }
            crate::store::NotesLog::Whole(loaded) => self.doc = loaded.handoff,
        }
        self.refresh_live_notes();
        if self.current_row() == Some(Row::NotesLog) {
            self.reset_selection();
        }
    }
}

#[cfg(test)]
mod tests;
