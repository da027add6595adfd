//! `handoff merge-driver BASE OURS THEIRS [PATH]`: git's merge driver for
//! handoff files (`merge.handoff.driver`, set up by `handoff sync`). It merges
//! by meaning (see `merge`) and writes the result over OURS, exit 0, even when it
//! recorded conflicts. A version it cannot read is left to git as an ordinary
//! conflict: exit 1, OURS untouched, the reason on stderr.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::handoff::{Handoff, now};
use crate::outcome::{Failure, Outcome};
use crate::store;
use crate::sync::git::Git;
use crate::tui::text::printable;

#[derive(clap::Args, Debug)]
pub struct MergeDriverArgs {
    /// The version both sides started from (git's %O; empty when there is none)
    pub base: PathBuf,
    /// Ours (git's %A): the merged handoff is written here
    pub ours: PathBuf,
    /// Theirs (git's %B)
    pub theirs: PathBuf,
    /// Where the file is in the repository (git's %P), for messages and to ask
    /// git who wrote theirs
    pub path: Option<PathBuf>,
}

/// One version as read: the document and its exact text.
struct Version {
    handoff: Handoff,
    text: String,
}

pub fn run(args: &MergeDriverArgs) -> Outcome {
    let name = args.path.clone().unwrap_or_else(|| args.ours.clone());
    let read = |file: &Path, which: &str| -> Result<Version, Failure> {
        let unmergeable = |why: String| {
            Failure::new(
                1,
                format!(
                    "{}: {which} version {why}; it cannot be merged by meaning, so git leaves it as an ordinary conflict",
                    name.display()
                ),
            )
        };
        let bytes = std::fs::read(file).map_err(|e| {
            // "(os error 2)" helps nobody.
            let e = e.to_string();
            let e = e.split(" (os error").next().unwrap_or(&e);
            unmergeable(format!("cannot be read ({e})"))
        })?;
        let text = String::from_utf8(bytes).map_err(|_| unmergeable("is not UTF-8 text".into()))?;
        let handoff = match store::parse(&name, &text) {
            Ok(loaded) => loaded.handoff,
            Err(store::StoreError::Unreadable { line, message, .. }) => {
                let at = line.map(|l| format!("line {l}: ")).unwrap_or_default();
                return Err(unmergeable(format!(
                    "is not a readable handoff ({at}{message})"
                )));
            }
            Err(e) => return Err(unmergeable(format!("is not a readable handoff ({e})"))),
        };
        Ok(Version { handoff, text })
    };
    // git gives an empty base when the two sides have no common version.
    let base_is_empty = std::fs::metadata(&args.base).is_ok_and(|m| m.len() == 0);
    let base = if base_is_empty {
        None
    } else {
        Some(read(&args.base, "the common")?)
    };
    let ours = read(&args.ours, "our")?;
    let theirs = read(&args.theirs, "their")?;

    let context = crate::merge::Context {
        at: now(),
        theirs_by: args.path.as_deref().and_then(theirs_author),
    };
    let merged = crate::merge::merge(
        base.as_ref().map(|b| &b.handoff),
        &ours.handoff,
        &theirs.handoff,
        &context,
    );
    // A side that already is the result keeps its exact bytes (an unchanged
    // schema 1 file stays schema 1 until someone saves it).
    let text = if merged == ours.handoff {
        return Ok(ExitCode::SUCCESS);
    } else if merged == theirs.handoff {
        theirs.text
    } else {
        store::to_toml(&merged).map_err(|e| {
            Failure::new(
                1,
                format!("{}: cannot write the merge ({e})", name.display()),
            )
        })?
    };
    crate::atomic::write_atomic(&args.ours, |file| {
        std::io::Write::write_all(file, text.as_bytes())
    })
    .map_err(|e| {
        Failure::new(
            1,
            format!("{}: cannot write the merge ({e})", name.display()),
        )
    })?;
    let new: Vec<&str> = merged
        .conflicts
        .iter()
        .filter(|c| !ours.handoff.conflicts.contains(c))
        .map(|c| c.field.as_str())
        .collect();
    if !new.is_empty() {
        eprintln!(
            "handoff: {}: set two ways; ours kept, theirs recorded for someone to pick: {}",
            name.display(),
            printable(&new.join(", "))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Who wrote theirs: git names the commit being merged in `GITHEAD_<commit>`;
/// its last author of this file is the person.
fn theirs_author(path: &Path) -> Option<String> {
    let commit = std::env::vars().find_map(|(key, _)| {
        key.strip_prefix("GITHEAD_")
            .filter(|c| c.len() >= 40 && c.chars().all(|ch| ch.is_ascii_hexdigit()))
            .map(str::to_string)
    })?;
    let path = path.to_str()?;
    let git = Git::new(Path::new("."));
    let name = git
        .run(&["log", "-1", "--format=%an", &commit, "--", path])
        .ok()?;
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}
