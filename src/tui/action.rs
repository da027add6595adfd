//! Everything that can happen to the wizard: what the user asks (keys and mouse map
//! to these) and what comes back from the outside world (a save's result, the
//! notes log read in the background). `update` is the one place that carries
//! them out.

use std::path::PathBuf;

use ratatui::crossterm::event::KeyEvent;

use crate::fill::Findings;
use crate::handoff::{Handoff, Timestamp};
use crate::store::NotesLog;
use crate::vitally::VitallyRecord;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Tab: the next field (an open editor commits first).
    NextField,
    /// Shift-Tab: the previous field.
    PrevField,
    /// Up/Down: within a list, past its ends to the neighbouring field.
    Up,
    Down,
    /// PgDn/Ctrl-N and PgUp/Ctrl-P.
    NextStep,
    PrevStep,
    GoToStep(usize),
    /// Mouse click on a row of the current step.
    Focus {
        row: usize,
        sel: Option<usize>,
    },
    /// Enter: edit, pick, confirm, jump.
    Activate,
    /// Space: toggle a checklist item or a choice.
    Toggle,
    /// `a`: add a note, list entry or checklist item.
    Add,
    /// `d`: delete (asks first).
    Delete,
    /// `o`: mark a checklist item out of scope.
    OutOfScope,
    /// `c`: change a note's category.
    Recategorize,
    /// Ctrl-S.
    Save,
    /// Ctrl-O: write a copy of the handoff to another file (e.g. when saving fails).
    SaveCopy,
    /// Ctrl-E: edit the open text in `$EDITOR`.
    ExternalEditor,
    /// `?`.
    Help,
    /// Esc.
    Cancel,
    Yes,
    No,
    /// A key typed into the open editor, or on a text field (which starts editing it).
    Type(KeyEvent),
    /// Ctrl-U: clear the editor's line.
    ClearLine,
    /// Bracketed paste.
    Paste(String),
    /// Mouse wheel.
    ScrollUp,
    ScrollDown,
    /// Reader: a page up or down, the top, the end (lists: first, last).
    PageUp,
    PageDown,
    Home,
    End,
    /// `v`: read the focused note, text, list or page in full.
    Read,
    /// The scrollable page on screen, as drawn: how many lines it has and how
    /// many show (so scrolling stops at its last line).
    Viewport {
        lines: usize,
        height: usize,
    },
    /// `q` or Ctrl-C: save and leave (warning once if the save fails).
    Quit,
    /// A signal, or the terminal went away: save what can be saved and leave.
    Stop,
    /// Picker: open the selected handoff read-only.
    ViewReadOnly,
    /// Picker: start a new handoff.
    NewHandoff,
    /// Picker: edit a handoff that cannot be locked (a read-only directory),
    /// knowing nothing is saved there.
    EditUnsaved,
    /// Picker `/`: type a filter that narrows the list.
    Filter,
    /// `f` / Ctrl-F: fill the step from kubectl, docker or the Sourcegraph instance.
    Fill,
    /// `P`: push the dashboard fields and notes to Vitally.
    Push,
    /// Time passes while work runs elsewhere (the spinner turns).
    Tick,

    // What the outside world answers to an `Effect`.
    /// How writing the file went: when, or why not.
    Saved(Result<Timestamp, String>),
    /// How writing a copy went.
    Copied {
        to: PathBuf,
        result: Result<(), String>,
    },
    /// What `$EDITOR` left, or one line saying why it did not work.
    ExternalEditDone(Result<String, String>),
    /// The rest of the notes log, read after the first frame.
    NotesLoaded(NotesLog),
    /// Picker: the handoff picked could not be opened, and why.
    Refused(String),
    /// What a fill source found.
    Filled(Box<Findings>),
    /// A line of a push's progress.
    PushProgress(String),
    /// What Vitally has now, as the push saved it in the file.
    PushRecorded(Box<VitallyRecord>),
    /// The push ended: its summary, or why it stopped.
    Pushed(Result<String, String>),
    /// The file changed on disk under a view: the new version, or why it cannot
    /// be read, and who holds it open for editing (the one who saved it, when
    /// the file does not record who made its latest change).
    Reloaded {
        result: Result<Box<Handoff>, String>,
        editing: Option<String>,
    },
    /// The handoff's directory is a synced git clone: what it holds that is not
    /// shared or taken in yet ("2 commits to push"), and whether to sync on
    /// quitting (`None`: ask).
    SyncKnown {
        status: Option<String>,
        on_quit: Option<bool>,
    },
}
