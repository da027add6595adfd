//! `handoff list`: every saved handoff on one line, in columns that line up
//! whatever the script of the customer's name (widths are display columns).

use std::path::Path;

use crate::handoff::{Handoff, NoteEntry, Status, time};
use crate::outcome::{Failure, Outcome, print_out};
use crate::store;
use crate::tui::text::printable;

const HEADINGS: [&str; 5] = ["CUSTOMER", "STATUS", "PROGRESS", "UPDATED", "FILE"];

pub fn list(dir: &Path) -> Outcome {
    let files = store::list(dir)
        .map_err(|e| Failure::new(2, format!("{}: cannot list handoffs ({e})", dir.display())))?;
    if files.is_empty() {
        eprintln!(
            "No handoffs in {} yet; start one with: handoff new --customer NAME",
            dir.display()
        );
        return Ok(std::process::ExitCode::SUCCESS);
    }
    let mut rows = vec![HEADINGS.map(str::to_string)];
    for file in &files {
        let name = file
            .file_name()
            .map(|n| printable(&n.to_string_lossy()).into_owned())
            .unwrap_or_default();
        rows.push(match read(file) {
            Ok(handoff) => row(&handoff, name),
            Err(e) => [
                "?".into(),
                "unreadable".into(),
                "-".into(),
                "-".into(),
                format!("{name}: {}", printable(&e.to_string())),
            ],
        });
    }
    print_out(&super::columns(&rows))
}

/// The handoff, with a long notes log left unparsed when its first entry already
/// tells the gate that the log is not empty (nothing else here needs the notes).
fn read(file: &Path) -> Result<Handoff, store::StoreError> {
    let (mut loaded, pending) = store::load_split(file)?;
    if !loaded.handoff.notes_log.iter().any(NoteEntry::is_live) {
        pending.parse_into(&mut loaded)?;
    }
    Ok(loaded.handoff)
}

/// One handoff: customer, status (and maintenance), progress, last update, file.
fn row(h: &Handoff, file: String) -> [String; 5] {
    let status = match (h.status, h.maintained_by()) {
        (Status::Complete, Some((_, at))) => format!(
            "complete · maintained {}",
            time::local(at).format("%Y-%m-%d")
        ),
        (status, _) => status.label().to_string(),
    };
    [
        printable(h.customer()).into_owned(),
        status,
        h.progress_text(),
        time::minutes(h.updated_at),
        file,
    ]
}
