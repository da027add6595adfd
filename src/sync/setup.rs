//! Making a handoff directory shareable: it must be in a git work tree; its
//! `.gitattributes` sends handoff files to the merge driver and its `.gitignore`
//! keeps locks and interrupted saves on each machine (both committed, so every
//! clone has them); and each clone names this program as the driver (git does
//! not share configuration, so `sync` sets it up wherever it is missing).

use std::path::Path;

use super::git::{Git, shell_quoted};
use super::{Identity, SyncError};

/// The lines `--init` makes sure of, file by file.
const ATTRIBUTES: (&str, &[&str]) = (
    ".gitattributes",
    &[
        "# handoff: merge handoff files by meaning (handoff merge-driver), not by lines",
        "*.toml merge=handoff",
    ],
);
const IGNORED: (&str, &[&str]) = (
    ".gitignore",
    &[
        "# handoff: editing locks and the temporary files of interrupted saves and merges stay on each machine",
        "*.lock",
        ".*.tmp",
        ".merge_file_*",
    ],
);

/// Refuses a directory outside a git work tree, naming the one command that
/// makes it one.
pub(super) fn require_work_tree(git: &Git) -> Result<(), SyncError> {
    let dir = git.dir();
    let inside = git
        .output(&["rev-parse", "--is-inside-work-tree"], super::git::LOCAL)
        .map_err(SyncError::Git)?;
    if inside.success && inside.stdout.trim() == "true" {
        return Ok(());
    }
    let has_handoffs = crate::store::list(dir).is_ok_and(|files| !files.is_empty());
    let shown = dir.display();
    Err(SyncError::Setup(if has_handoffs {
        format!(
            "{shown} is not in a git repository: make it one with `git init {shown}`, then `handoff sync --init`"
        )
    } else {
        format!(
            "{shown} is not in a git repository: get your team's with `git clone URL {shown}` (or start one with `git init {shown}` and `handoff sync --init`)"
        )
    }))
}

/// Whether git sends this directory's handoff files to the merge driver.
pub(super) fn is_shared(git: &Git) -> Result<bool, SyncError> {
    let answer = git
        .run(&["check-attr", "merge", "--", "handoff.toml"])
        .map_err(SyncError::Git)?;
    Ok(answer.trim_end().ends_with(": merge: handoff"))
}

/// The driver line for this program: `'/path/to/handoff' merge-driver %O %A %B %P`.
fn driver_line() -> Result<String, SyncError> {
    let exe = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|e| SyncError::Setup(format!("cannot tell where this program is ({e})")))?;
    Ok(format!(
        "{} merge-driver %O %A %B %P",
        shell_quoted(&exe.to_string_lossy())
    ))
}

/// Sets this clone's merge driver to this program unless it already is; says
/// whether it had to.
pub(super) fn ensure_driver(git: &Git) -> Result<bool, SyncError> {
    let wanted = driver_line()?;
    let current = git
        .output(
            &["config", "--local", "--get", "merge.handoff.driver"],
            super::git::LOCAL,
        )
        .map_err(SyncError::Git)?;
    if current.success && current.stdout.trim_end() == wanted {
        return Ok(false);
    }
    let set = |key: &str, value: &str| {
        git.run(&["config", "--local", key, value])
            .map_err(SyncError::Git)
    };
    set(
        "merge.handoff.name",
        "handoff: merge handoff files by meaning",
    )?;
    set("merge.handoff.driver", &wanted)?;
    Ok(true)
}

/// `handoff sync --init`: the attributes and ignore files written (lines added
/// to any already there) and committed, and the driver set up. Returns what it did.
pub(super) fn init(
    git: &Git,
    identity: impl FnOnce() -> Result<Identity, SyncError>,
) -> Result<Vec<String>, SyncError> {
    require_work_tree(git)?;
    let mut done = Vec::new();
    let mut written = Vec::new();
    for (name, lines) in [ATTRIBUTES, IGNORED] {
        if add_lines(&git.dir().join(name), lines).map_err(|e| {
            SyncError::Setup(format!(
                "{}: cannot write ({e})",
                git.dir().join(name).display()
            ))
        })? {
            written.push(name);
        }
    }
    let uncommitted = git
        .run(&["status", "--porcelain", "--", ATTRIBUTES.0, IGNORED.0])
        .map_err(SyncError::Git)?;
    if !uncommitted.trim().is_empty() {
        let identity = identity()?;
        let mut args = vec!["add", "--"];
        args.extend([ATTRIBUTES.0, IGNORED.0]);
        git.run(&args).map_err(SyncError::Git)?;
        let message = "Share handoffs: merge them by meaning, keep locks on each machine";
        let mut args = vec!["commit", "--quiet", "-m", message, "--"];
        args.extend([ATTRIBUTES.0, IGNORED.0]);
        identity
            .apply(git.clone())
            .run(&args)
            .map_err(SyncError::Git)?;
        done.push(format!("committed {} and {}", ATTRIBUTES.0, IGNORED.0));
    } else if !written.is_empty() {
        done.push(format!("wrote {}", written.join(" and ")));
    }
    if ensure_driver(git)? {
        done.push("set this clone's merge driver to handoff merge-driver".to_string());
    }
    Ok(done)
}

/// Appends the lines a file lacks; says whether it had to.
fn add_lines(path: &Path, lines: &[&str]) -> std::io::Result<bool> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    let have: Vec<&str> = text.lines().map(str::trim).collect();
    let missing: Vec<&str> = lines
        .iter()
        .filter(|l| !have.contains(&l.trim()))
        .copied()
        .collect();
    // The comment alone is not worth writing.
    if missing.iter().all(|l| l.starts_with('#')) {
        return Ok(false);
    }
    let mut new = text.clone();
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    for line in missing {
        new.push_str(line);
        new.push('\n');
    }
    crate::atomic::write_atomic(path, |f| std::io::Write::write_all(f, new.as_bytes()))?;
    Ok(true)
}
