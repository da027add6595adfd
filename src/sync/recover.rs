//! One sync at a time per clone, and what an interrupted one left behind. A
//! sync holds `handoff-sync.lock` in the git directory (pid and host). If the
//! one before was killed, git's own lock files it left stop every later git
//! command, and a merge may be half done: the next sync removes those locks and
//! undoes the half-done merge, then does its work again from the start (nothing
//! it had committed is lost: commits are only ever added).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::SyncError;
use super::git::Git;
use crate::store::{hostname, process_alive};

const LOCK: &str = "handoff-sync.lock";
/// Present while a sync pulls, merges and pushes: everything of this machine's
/// was committed before, so git may rewrite the handoff files in the work tree.
const EXCHANGING: &str = "handoff-sync.exchanging";

/// This process's hold on the clone; released when dropped.
#[derive(Debug)]
pub(super) struct SyncLock {
    path: PathBuf,
    mine: String,
    /// A sync before this one was killed and left its lock.
    pub took_over: bool,
}

impl Drop for SyncLock {
    fn drop(&mut self) {
        if fs::read_to_string(&self.path).is_ok_and(|t| t == self.mine) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// The mark of a sync between its commit and its end; removed when dropped.
pub(super) struct Exchanging(PathBuf);

impl Drop for Exchanging {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Marks that the work tree's handoff files are now git's to rewrite (a pull
/// may change them), until the mark is dropped.
pub(super) fn exchanging(git_dir: &Path) -> Exchanging {
    let path = git_dir.join(EXCHANGING);
    let _ = fs::write(&path, b"");
    Exchanging(path)
}

/// After a sync killed while git rewrote the work tree (a fast-forward or a
/// merge half written: a file removed and not yet written again, or written in
/// part), the handoff files git tracks are put back as the last commit has
/// them. Nothing of this machine's is lost: it was all committed before the
/// mark was made, and a handoff open in the wizard is never touched. Returns
/// how many were put back.
pub(super) fn restore_after_exchange(
    git: &Git,
    git_dir: &Path,
    changed: &[String],
) -> Result<usize, SyncError> {
    let mark = git_dir.join(EXCHANGING);
    if !mark.exists() {
        return Ok(0);
    }
    let tracked = git
        .run(&["ls-tree", "--name-only", "HEAD"])
        .map_err(SyncError::Git)?;
    let tracked: std::collections::HashSet<&str> = tracked.lines().collect();
    let restore: Vec<&str> = changed
        .iter()
        .map(String::as_str)
        .filter(|name| tracked.contains(name))
        .filter(|name| crate::store::open_by(&git.dir().join(name)).is_none())
        .collect();
    if !restore.is_empty() {
        let mut args = vec!["checkout", "--quiet", "HEAD", "--"];
        args.extend(restore.iter().copied());
        git.run(&args).map_err(SyncError::Git)?;
    }
    let _ = fs::remove_file(&mark);
    Ok(restore.len())
}

/// The git directory of the clone `git` works in.
pub(super) fn git_dir(git: &Git) -> Result<PathBuf, SyncError> {
    let dir = git
        .run(&["rev-parse", "--absolute-git-dir"])
        .map_err(SyncError::Git)?;
    Ok(PathBuf::from(dir.trim_end_matches(['\n', '\r'])))
}

/// Takes the clone for this sync, or says who has it.
pub(super) fn take(git_dir: &Path) -> Result<SyncLock, SyncError> {
    let path = git_dir.join(LOCK);
    let mine = format!("{} {}\n", std::process::id(), hostname());
    let mut took_over = false;
    for _ in 0..3 {
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(mine.as_bytes())
                    .map_err(|e| lock_error(&path, &e))?;
                return Ok(SyncLock {
                    path,
                    mine,
                    took_over,
                });
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if let Some(pid) = running_holder(&path) {
                    return Err(SyncError::Setup(format!(
                        "another handoff sync is running in this clone (pid {pid}); wait for it, or if there is none, delete {}",
                        path.display()
                    )));
                }
                let _ = fs::remove_file(&path);
                took_over = true;
            }
            Err(e) => return Err(lock_error(&path, &e)),
        }
    }
    Err(SyncError::Setup(format!(
        "could not take {}: another sync keeps starting; try again",
        path.display()
    )))
}

fn lock_error(path: &Path, e: &io::Error) -> SyncError {
    SyncError::Setup(format!("cannot write {} ({e})", path.display()))
}

/// The pid of a sync that holds the lock and still runs (`Some(0)`: a sync on
/// another host, which only a person can judge).
fn running_holder(path: &Path) -> Option<u32> {
    // A lock being written this very moment reads empty: give it a moment.
    let mut text = fs::read_to_string(path).unwrap_or_default();
    if !text.ends_with('\n') {
        std::thread::sleep(Duration::from_millis(100));
        text = fs::read_to_string(path).unwrap_or_default();
    }
    let mut words = text.split_whitespace();
    let (Some(pid), Some(host)) = (words.next(), words.next()) else {
        return None;
    };
    let pid: u32 = pid.parse().ok()?;
    if host != hostname() {
        return Some(0);
    }
    process_alive(pid).then_some(pid)
}

/// After a killed sync: waits a moment for any git it started to finish, then
/// removes the lock files git left (`index.lock`, `refs/heads/main.lock`, …).
pub(super) fn remove_stale_git_locks(git_dir: &Path) -> usize {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        let locks = git_locks(git_dir);
        if locks.is_empty() {
            return 0;
        }
        if Instant::now() >= deadline {
            return locks
                .into_iter()
                .filter(|l| fs::remove_file(l).is_ok())
                .count();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn git_locks(git_dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let top = fs::read_dir(git_dir).into_iter().flatten().flatten();
    for entry in top {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".lock") && name != LOCK && entry.path().is_file() {
            found.push(entry.path());
        }
    }
    for sub in ["refs", "logs"] {
        walk(&git_dir.join(sub), &mut found);
    }
    found
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, found);
        } else if path.extension().is_some_and(|e| e == "lock") {
            found.push(path);
        }
    }
}

/// After a killed sync: removes the copies git makes for a merge driver
/// (`.merge_file_XXXXXX`, at the top of the work tree), and the driver's own
/// half-written result beside them, that nobody had time to remove.
pub(super) fn remove_merge_temporaries(git: &Git) -> usize {
    let Ok(top) = git.run(&["rev-parse", "--show-toplevel"]) else {
        return 0;
    };
    let top = Path::new(top.trim_end_matches(['\n', '\r']));
    fs::read_dir(top)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.trim_start_matches('.').starts_with("merge_file_")
        })
        .filter(|e| e.path().is_file() && fs::remove_file(e.path()).is_ok())
        .count()
}

/// A merge left unfinished. After a killed sync it is undone (the sync merges
/// again); otherwise the files still to settle are the user's to settle, and a
/// merge with everything settled is committed.
pub(super) fn unfinished_merge(
    git: &Git,
    after_a_killed_sync: bool,
    commit: impl FnOnce() -> Result<(), SyncError>,
) -> Result<Option<String>, SyncError> {
    if !git
        .succeeds(&["rev-parse", "-q", "--verify", "MERGE_HEAD"])
        .map_err(SyncError::Git)?
    {
        return Ok(None);
    }
    if after_a_killed_sync {
        git.run(&["merge", "--abort"]).map_err(SyncError::Git)?;
        return Ok(Some(
            "undid the merge an interrupted sync left half done".to_string(),
        ));
    }
    let unsettled = git
        .run(&["diff", "--name-only", "--diff-filter=U", "--relative"])
        .map_err(SyncError::Git)?;
    let unsettled: Vec<&str> = unsettled.lines().collect();
    if !unsettled.is_empty() {
        return Err(SyncError::Setup(format!(
            "a merge is unfinished: settle {} (see `git status`) and commit, or give it up with `git merge --abort`; then handoff sync again",
            unsettled.join(", ")
        )));
    }
    commit()?;
    Ok(Some(
        "finished the merge that was left uncommitted".to_string(),
    ))
}
