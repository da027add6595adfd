//! How a command ends: an exit code, or a failure with its one-line message.

use std::io::Write;
use std::process::ExitCode;

use crate::store::StoreError;

/// A failed command: its one-line message and exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code,
        }
    }
}

impl From<StoreError> for Failure {
    /// A file that cannot be read is exit 2 (as `check` documents); anything
    /// else that stops a command is exit 1.
    fn from(e: StoreError) -> Self {
        let code = if matches!(e, StoreError::Unreadable { .. }) {
            2
        } else {
            1
        };
        Failure::new(code, e.to_string())
    }
}

pub type Outcome = Result<ExitCode, Failure>;

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a message.
pub fn print_out(text: &str) -> Outcome {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure::new(1, format!("cannot write output ({e})"))),
    }
}
