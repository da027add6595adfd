//! Committing the handoffs changed on this machine: each one that is not open
//! in the wizard and can be read, in one commit by you whose message says, by
//! meaning, what changed in which customer's handoff.

use std::path::Path;

use super::git::Git;
use super::{Me, SyncError, summary};
use crate::handoff::Handoff;
use crate::store;

/// The handoff files of the directory, as a pathspec: `*.toml` beside each
/// other, not in folders below (git's glob `*` stops at `/`).
pub(super) const HANDOFF_FILES: &str = ":(glob)*.toml";

/// A handoff file's name: `acme-corp.toml`, not a hidden temporary file.
pub(super) fn is_handoff_name(name: &str) -> bool {
    name.ends_with(".toml") && !name.starts_with('.') && !name.contains('/')
}

/// A handoff that was not committed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LeftOut {
    pub file: String,
    /// "open in the wizard by Sam", "cannot be read: …".
    pub why: String,
}

impl LeftOut {
    /// `acme-corp (open in the wizard by Sam Rivera)`.
    pub fn line(&self) -> String {
        format!("{} ({})", self.file.trim_end_matches(".toml"), self.why)
    }
}

/// What `commit_local` did.
#[derive(Debug, Default)]
pub(super) struct Committed {
    pub lines: Vec<String>,
    pub left_out: Vec<LeftOut>,
}

/// The handoff files git sees changed here (new, modified or deleted), by name.
pub(super) fn changed_files(git: &Git) -> Result<Vec<String>, SyncError> {
    let out = git
        .run(&[
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--no-renames",
            "--",
            HANDOFF_FILES,
        ])
        .map_err(SyncError::Git)?;
    let mut names: Vec<String> = out
        .split('\0')
        .filter_map(|entry| entry.get(3..))
        .map(|path| path.rsplit('/').next().unwrap_or(path).to_string())
        .filter(|name| is_handoff_name(name))
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// The handoff as the last commit has it (`None`: not there, or unreadable).
pub(super) fn committed_version(git: &Git, commit: &str, name: &str) -> Option<Handoff> {
    let text = git.run(&["show", &format!("{commit}:./{name}")]).ok()?;
    store::parse(Path::new(name), &text).ok().map(|l| l.handoff)
}

/// Commits every changed handoff that may be committed.
pub(super) fn commit_local(git: &Git, me: &mut Me<'_>) -> Result<Committed, SyncError> {
    let mut done = Committed::default();
    let mut names = Vec::new();
    for name in changed_files(git)? {
        let path = git.dir().join(&name);
        if let Some(holder) = store::open_by(&path) {
            done.left_out.push(LeftOut {
                file: name,
                why: format!("open in the wizard by {}", holder.user),
            });
            continue;
        }
        let now = if path.exists() {
            match store::load(&path) {
                Ok(loaded) => Some(loaded.handoff),
                Err(e) => {
                    let why = match e {
                        store::StoreError::Unreadable {
                            line: Some(line),
                            message,
                            ..
                        } => format!("line {line}: {message}"),
                        store::StoreError::Unreadable { message, .. } => message,
                        other => other.to_string(),
                    };
                    done.left_out.push(LeftOut {
                        file: name,
                        why: format!("cannot be read: {why}"),
                    });
                    continue;
                }
            }
        } else {
            None
        };
        let before = committed_version(git, "HEAD", &name);
        let line = summary::line(&name, before.as_ref(), now.as_ref()).unwrap_or_else(|| {
            let customer = summary::customer(&name, before.as_ref(), now.as_ref());
            format!("{customer}: rewritten, same content")
        });
        done.lines.push(line);
        names.push(name);
    }
    if names.is_empty() {
        return Ok(done);
    }
    let git = me.git()?;
    let mut add = vec!["add", "-A", "--"];
    add.extend(names.iter().map(String::as_str));
    git.run(&add).map_err(SyncError::Git)?;
    let message = message(&done.lines);
    let mut commit = vec!["commit", "--quiet", "-m", &message, "--"];
    commit.extend(names.iter().map(String::as_str));
    git.run(&commit).map_err(SyncError::Git)?;
    Ok(done)
}

/// One line per customer; a subject that fits, with the details below when not.
fn message(lines: &[String]) -> String {
    let joined = lines.join("; ");
    if joined.chars().count() <= 100 {
        return joined;
    }
    let customers: Vec<&str> = lines
        .iter()
        .map(|l| l.split(": ").next().unwrap_or(l))
        .collect();
    let mut subject = format!("{} handoffs: {}", lines.len(), customers.join(", "));
    if subject.chars().count() > 100 {
        subject = format!("{} handoffs", lines.len());
    }
    format!("{subject}\n\n{}", lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_message_gets_a_subject_and_a_body() {
        assert_eq!(message(&["Acme: 1 note".into()]), "Acme: 1 note");
        let long: Vec<String> = (0..5)
            .map(|i| format!("Customer {i}: 3 notes, deployment.total_cpu"))
            .collect();
        let text = message(&long);
        let (subject, body) = text.split_once("\n\n").expect("subject and body");
        assert_eq!(
            subject,
            "5 handoffs: Customer 0, Customer 1, Customer 2, Customer 3, Customer 4"
        );
        assert_eq!(body.lines().count(), 5);
        assert!(is_handoff_name("acme-corp.toml"));
        assert!(!is_handoff_name(".acme-corp.toml.12.tmp"));
        assert!(!is_handoff_name("acme-corp.toml.lock"));
    }
}
