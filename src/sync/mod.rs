//! The handoff directory shared by the team as a git repository, the way `pass`
//! shares a password store: `handoff sync` commits the handoffs changed here
//! (never one open in the wizard, never a lock), pulls what the team pushed
//! (merged by meaning by `handoff merge-driver`), and pushes. Everything goes
//! through the `git` program, with the user's own credentials and set-up.
//!
//! For the wizard: `local_status` (a cheap look without the network, for the
//! header) and `sync_now` (a whole sync, as one line to show).

pub mod cli;
mod commit;
mod exchange;
pub mod git;
mod recover;
mod setup;
pub mod summary;

use std::fmt;
use std::path::Path;
use std::time::Duration;

use crate::identity::Who;
use git::{Git, GitError};

/// Why a sync stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// A git command failed.
    Git(GitError),
    /// The directory is not ready, or something needs a person; one line.
    Setup(String),
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Git(e) => e.fmt(f),
            SyncError::Setup(line) => f.write_str(line),
        }
    }
}

/// What a sync did, for the lines it prints (or the one line the wizard shows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Set-up and recovery it did on the way ("set this clone's merge driver …").
    pub notices: Vec<String>,
    /// One line per handoff committed: "Globex: 2 notes, deployment.total_cpu".
    pub committed: Vec<String>,
    /// Handoffs not committed, and why: "acme-corp (open in the wizard by Sam)".
    pub left_out: Vec<String>,
    /// One line per handoff changed by the team: "Initech: completed by Jane".
    pub came_in: Vec<String>,
    /// Commits pushed.
    pub pushed: usize,
    /// Where to: `origin/main`.
    pub upstream: Option<String>,
    /// Why it stopped short (exit 1); what it did before stays done.
    pub problem: Option<String>,
}

impl Report {
    /// The lines `handoff sync` prints, the problem aside.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = self.notices.clone();
        lines.extend(self.committed.iter().map(|l| format!("committed: {l}")));
        lines.extend(self.came_in.iter().map(|l| format!("came in: {l}")));
        lines.extend(self.left_out.iter().map(|l| format!("left out: {l}")));
        let to = self
            .upstream
            .as_deref()
            .map(|u| format!(" to {u}"))
            .unwrap_or_default();
        if self.pushed > 0 {
            lines.push(format!(
                "pushed {}{to}",
                summary::count(self.pushed, "commit")
            ));
        } else if self.problem.is_none() && self.committed.is_empty() && self.came_in.is_empty() {
            let with = self
                .upstream
                .as_deref()
                .map(|u| format!(" with {u}"))
                .unwrap_or_default();
            lines.push(format!("up to date{with}"));
        }
        lines
    }

    /// All of it in one short line: "pushed 2 commits; Initech: completed by Jane".
    pub fn short(&self) -> String {
        let mut parts = Vec::new();
        if self.pushed > 0 {
            parts.push(format!("pushed {}", summary::count(self.pushed, "commit")));
        } else if !self.committed.is_empty() {
            parts.push(format!(
                "committed {}",
                summary::count(self.committed.len(), "handoff")
            ));
        }
        parts.extend(self.came_in.iter().cloned());
        parts.extend(self.left_out.iter().map(|l| format!("left out: {l}")));
        parts.extend(self.problem.iter().cloned());
        if parts.is_empty() {
            parts.push("up to date".to_string());
        }
        parts.join("; ")
    }
}

/// Who commits: you, with git's email for you or a made-up one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    name: String,
    email: String,
}

impl Identity {
    fn find(who: &Who, git: &Git) -> Result<Identity, SyncError> {
        let name = who.require().map_err(SyncError::Setup)?;
        let email = git
            .run(&["config", "user.email"])
            .ok()
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| made_up_email(&name));
        Ok(Identity { name, email })
    }

    /// `git`, committing as this person.
    fn apply(&self, git: Git) -> Git {
        git.with_env("GIT_AUTHOR_NAME", &self.name)
            .with_env("GIT_AUTHOR_EMAIL", &self.email)
            .with_env("GIT_COMMITTER_NAME", &self.name)
            .with_env("GIT_COMMITTER_EMAIL", &self.email)
    }
}

/// `Jane Doe` → `jane.doe@handoff.invalid` (`.invalid` never reaches anyone).
fn made_up_email(name: &str) -> String {
    let mut local = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            local.push(c);
        } else if !local.is_empty() && !local.ends_with('.') {
            local.push('.');
        }
    }
    let local = local.trim_end_matches('.');
    let local = if local.is_empty() { "someone" } else { local };
    format!("{local}@handoff.invalid")
}

/// The identity, looked up the first time something is committed.
struct Me<'a> {
    who: &'a Who,
    git: &'a Git,
    known: Option<Identity>,
}

impl Me<'_> {
    fn git(&mut self) -> Result<Git, SyncError> {
        if self.known.is_none() {
            self.known = Some(Identity::find(self.who, self.git)?);
        }
        Ok(self
            .known
            .as_ref()
            .map_or_else(|| self.git.clone(), |me| me.apply(self.git.clone())))
    }
}

/// `handoff sync --init`: the lines saying what it did.
pub fn init(dir: &Path, who: &Who) -> Result<Vec<String>, SyncError> {
    let git = Git::new(dir);
    setup::init(&git, || Identity::find(who, &git))
}

/// `handoff sync`: commit, pull, merge, push. An `Err` stopped it before it
/// changed anything; a report with a `problem` stopped after doing some of it.
pub fn sync(dir: &Path, who: &Who) -> Result<Report, SyncError> {
    sync_with(&Git::new(dir), who)
}

fn sync_with(git: &Git, who: &Who) -> Result<Report, SyncError> {
    setup::require_work_tree(git)?;
    if !setup::is_shared(git)? {
        return Err(SyncError::Setup(format!(
            "{} is not set up for sharing handoffs yet: run `handoff sync --init` there first",
            git.dir().display()
        )));
    }
    let mut report = Report::default();
    if setup::ensure_driver(git)? {
        report
            .notices
            .push("set this clone's merge driver to handoff merge-driver".to_string());
    }
    let git_dir = recover::git_dir(git)?;
    let lock = recover::take(&git_dir)?;
    if lock.took_over {
        let removed =
            recover::remove_stale_git_locks(&git_dir) + recover::remove_merge_temporaries(git);
        if removed > 0 {
            report.notices.push(
                "removed the git locks and temporary files an interrupted sync left".to_string(),
            );
        }
    }
    let mut me = Me {
        who,
        git,
        known: None,
    };
    let finished = recover::unfinished_merge(git, lock.took_over, || {
        me.git()?
            .run(&["commit", "--quiet", "--no-edit"])
            .map(drop)
            .map_err(SyncError::Git)
    })?;
    report.notices.extend(finished);
    if lock.took_over {
        let restored =
            recover::restore_after_exchange(git, &git_dir, &commit::changed_files(git)?)?;
        if restored > 0 {
            report.notices.push(format!(
                "put back {} an interrupted pull left half written",
                summary::count(restored, "handoff")
            ));
        }
    }

    let committed = commit::commit_local(git, &mut me)?;
    report.committed = committed.lines;
    report.left_out = committed
        .left_out
        .iter()
        .map(commit::LeftOut::line)
        .collect();
    let exchanging = recover::exchanging(&git_dir);
    let exchanged = exchange::exchange(git, &mut me, &mut report, &committed.left_out);
    drop(exchanging);
    if let Err(problem) = exchanged {
        let local = if report.committed.is_empty() {
            ""
        } else {
            "committed on this machine only; "
        };
        report.problem = Some(format!("{local}{problem}"));
    }
    drop(lock);
    Ok(report)
}

/// Where a clone stands, from what it already knows (no network): commits to
/// push, commits fetched but not merged, handoffs changed but not committed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Status {
    pub ahead: usize,
    pub behind: usize,
    pub changed: usize,
    /// Whether the branch has a remote branch to compare with.
    pub upstream: bool,
}

impl Status {
    /// For the wizard's header: "2 commits to push, behind by 1", or `None`
    /// when all is shared.
    pub fn line(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.changed > 0 {
            parts.push(format!(
                "{} not synced",
                summary::count(self.changed, "handoff")
            ));
        }
        if self.ahead > 0 {
            parts.push(format!("{} to push", summary::count(self.ahead, "commit")));
        }
        if self.behind > 0 {
            parts.push(format!("behind by {}", self.behind));
        }
        if !self.upstream {
            parts.push("not shared yet".to_string());
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// The status of a synced directory (`None`: not a git clone set up with
/// `handoff sync --init`, or git could not tell within a moment). One git
/// process, no network, no lock taken.
pub fn local_status(dir: &Path) -> Option<Status> {
    let attributes = std::fs::read_to_string(dir.join(".gitattributes")).ok()?;
    if !attributes
        .lines()
        .any(|l| l.trim() == "*.toml merge=handoff")
    {
        return None;
    }
    let git = Git::new(dir).with_env("GIT_OPTIONAL_LOCKS", "0");
    let out = git
        .run_within(
            &[
                "status",
                "--porcelain=v2",
                "--branch",
                "-z",
                "--untracked-files=all",
                "--",
                commit::HANDOFF_FILES,
            ],
            Duration::from_secs(3),
        )
        .ok()?;
    let mut status = Status::default();
    let mut entries = out.split('\0');
    while let Some(entry) = entries.next() {
        if let Some(ab) = entry.strip_prefix("# branch.ab ") {
            let mut counts = ab
                .split(' ')
                .map(|n| n.trim_start_matches(['+', '-']).parse().unwrap_or(0));
            status.ahead = counts.next().unwrap_or(0);
            status.behind = counts.next().unwrap_or(0);
        } else if entry.starts_with("# branch.upstream ") {
            status.upstream = true;
        } else if !entry.is_empty() && !entry.starts_with('#') {
            // `1 XY … PATH`, `2 XY … PATH` then the old path, `u XY … PATH`, `? PATH`.
            let fields = match entry.as_bytes()[0] {
                b'1' => 9,
                b'2' => 10,
                b'u' => 11,
                _ => 2,
            };
            if entry.starts_with('2') {
                entries.next();
            }
            let path = entry.splitn(fields, ' ').last().unwrap_or("");
            if commit::is_handoff_name(path.rsplit('/').next().unwrap_or(path)) {
                status.changed += 1;
            }
        }
    }
    Some(status)
}

/// A whole sync for the wizard, as the one line to show. Nothing is asked:
/// no password prompt, no SSH passphrase (it fails instead, and says so).
pub fn sync_now(dir: &Path, who: &Who) -> String {
    sync_line(Git::new(dir), who)
}

fn sync_line(git: Git, who: &Who) -> String {
    let mut git = git.with_env("GIT_TERMINAL_PROMPT", "0");
    let own_ssh = ["GIT_SSH_COMMAND", "GIT_SSH"]
        .iter()
        .any(|k| std::env::var_os(k).is_some())
        || git.succeeds(&["config", "core.sshCommand"]).unwrap_or(true);
    if !own_ssh {
        git = git.with_env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    match sync_with(&git, who) {
        Ok(report) => report.short(),
        Err(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests;
