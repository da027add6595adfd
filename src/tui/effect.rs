//! What the wizard asks of the outside world, as data: `update` returns these and
//! the session carries them out, answering with an `Action` where there is a result.

use std::path::PathBuf;

use crate::handoff::Position;

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
    /// Picker: open this handoff, for editing or read-only. Answered by
    /// `Action::Refused` when it cannot be.
    Open { path: PathBuf, read_only: bool },
    /// Picker: create a handoff for this customer and open it.
    Create { customer: String },
    /// Keep the name the user gave in the config file, so they are asked once.
    RememberName { name: String },
    /// Leave the program.
    Exit,
}
