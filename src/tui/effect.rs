//! What the wizard asks of the outside world, as data: `update` returns these and
//! the session carries them out, answering with an `Action` where there is a result.

use std::path::PathBuf;

use crate::fill::Source;
use crate::handoff::Position;

/// How the picker opens a handoff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    Edit,
    View,
    /// Editing where no lock can be taken (a read-only directory): nothing is
    /// saved there; Ctrl-O writes a copy elsewhere.
    Unsaved,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write the handoff to its file, and remember `position` to resume there.
    /// Answered by `Action::Saved`.
    Save { position: Position },
    /// Remember where to resume, without writing the handoff.
    Remember { position: Position },
    /// Write a copy of the handoff to another file. Answered by `Action::Copied`.
    WriteCopy { to: PathBuf },
    /// Hand this text to `$VISUAL` / `$EDITOR`. Answered by `Action::ExternalEditDone`.
    EditExternally { text: String },
    /// Picker: open this handoff, for editing, read-only, or for editing where
    /// it cannot be saved. Answered by `Action::Refused` when it cannot be.
    Open { path: PathBuf, how: Opening },
    /// Picker: create a handoff for this customer and open it.
    Create { customer: String },
    /// Keep the name the user gave in the config file, so they are asked once.
    RememberName { name: String },
    /// Ask a fill source in the background. Answered by `Action::Filled`.
    Fill { source: Source },
    /// Push to Vitally in the background as `by`, saving the file after each
    /// confirmed write. Answered by `Action::PushProgress`, `PushRecorded`, then
    /// `Pushed`.
    Push { by: String },
    /// Stop the push under way before its next request.
    StopPush,
    /// Remember for the handoff's directory whether to sync on quitting.
    RememberSync { yes: bool },
    /// Sync the directory with the team once the wizard has closed the file.
    SyncAfter,
    /// Leave the program.
    Exit,
}
