//! Everything the user can ask of the wizard. Keys and mouse map to these; `App::update`
//! is the one place that carries them out.

use ratatui::crossterm::event::KeyEvent;

#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// What `$EDITOR` left, or `None` when it failed or was abandoned.
    ExternalEditDone(Option<String>),
    /// `?`.
    Help,
    /// Esc.
    Cancel,
    Yes,
    No,
    /// A key typed into the open editor.
    Type(KeyEvent),
    /// Bracketed paste.
    Paste(String),
    /// Mouse wheel.
    ScrollUp,
    ScrollDown,
    /// `q`, Ctrl-C, or a signal: save and leave.
    Quit,
}
