//! The sidecar lock: while a handoff is open for editing, `FILE.lock` beside it
//! names the holder (user, host, pid, time) and stops a second editor.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{StoreError, io_message, one_line};
use crate::handoff::{Timestamp, now};

/// How a handoff is opened: for editing (under its lock), to read, or for
/// editing where no lock can be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Edit,
    View,
    /// Editing where no lock can be taken (a read-only directory): saves are tried
    /// and fail until the directory is writable again.
    Unlocked,
}

/// Who holds a handoff open for editing; the content of `FILE.lock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    pub user: String,
    pub host: String,
    pub pid: u32,
    #[serde(with = "crate::handoff::time::toml_time")]
    pub since: Timestamp,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}@{} (pid {}, since {})",
            self.user,
            self.host,
            self.pid,
            crate::handoff::time::minutes(self.since)
        )
    }
}

pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(std::ffi::OsStr::to_os_string)
        .unwrap_or_default();
    name.push(".lock");
    path.with_file_name(name)
}

/// An editing session's hold on a file; released when dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    holder: LockHolder,
    /// The holder of a stale lock this one replaced, to tell the user.
    pub took_over: Option<LockHolder>,
}

impl Lock {
    /// Takes the lock for `path` in the name of `user`, or says who holds it. A
    /// lock left by a process of this host that no longer runs is taken over (and
    /// reported in `took_over`).
    pub fn acquire(path: &Path, user: &str) -> Result<Lock, StoreError> {
        let lock = lock_path(path);
        let me = LockHolder {
            user: user.to_string(),
            host: hostname(),
            pid: std::process::id(),
            since: now(),
        };
        let lock_error = |message: String| StoreError::Lock {
            path: path.to_path_buf(),
            message,
        };
        let text = toml::to_string(&me).map_err(|e| lock_error(e.to_string()))?;
        let mut took_over = None;
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(&lock) {
                Ok(mut file) => {
                    // No fsync: the lock only has to be seen by other processes, not survive a crash.
                    if let Err(e) = file.write_all(text.as_bytes()) {
                        // An empty lock would refuse every later open as unreadable.
                        drop(file);
                        let _ = fs::remove_file(&lock);
                        return Err(lock_error(format!(
                            "could not write the lock file ({})",
                            io_message(&e)
                        )));
                    }
                    return Ok(Lock {
                        path: lock,
                        holder: me,
                        took_over,
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let holder = read_lock(&lock).map_err(|why| {
                        lock_error(format!(
                            "the lock file {} is unreadable ({why}); if nobody is editing, delete it",
                            lock.display()
                        ))
                    })?;
                    if holder.host != me.host || process_alive(holder.pid) {
                        return Err(StoreError::Locked {
                            path: path.to_path_buf(),
                            holder,
                        });
                    }
                    fs::remove_file(&lock).map_err(|e| {
                        lock_error(format!(
                            "could not remove a stale lock ({})",
                            io_message(&e)
                        ))
                    })?;
                    took_over = Some(holder);
                }
                Err(e) => {
                    return Err(StoreError::Unlockable {
                        path: path.to_path_buf(),
                        reason: format!("the lock file cannot be created: {}", io_message(&e)),
                    });
                }
            }
        }
        Err(lock_error(
            "another editor took the lock at the same moment; try again".to_string(),
        ))
    }

    pub fn holder(&self) -> &LockHolder {
        &self.holder
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Only remove the lock if it is still ours.
        if read_lock(&self.path).is_ok_and(|h| h == self.holder) {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Removes the lock of `expected`, whom the user agreed to override (a lock from
/// another host is never broken silently). A lock that changed since is left alone.
pub fn break_lock(path: &Path, expected: &LockHolder) -> Result<(), StoreError> {
    let lock = lock_path(path);
    if read_lock(&lock).ok().as_ref() == Some(expected) {
        fs::remove_file(&lock).map_err(|e| StoreError::Lock {
            path: path.to_path_buf(),
            message: format!("could not remove the lock ({})", io_message(&e)),
        })?;
    }
    Ok(())
}

/// Who has this handoff open for editing right now, if anyone: its lock, unless
/// that was left by a process of this host that no longer runs. A lock that
/// cannot be read counts as held (by "someone"): better left alone than shared.
pub fn open_by(path: &Path) -> Option<LockHolder> {
    let lock = lock_path(path);
    if !lock.exists() {
        return None;
    }
    match read_lock(&lock) {
        Ok(holder) if holder.host == hostname() && !process_alive(holder.pid) => None,
        Ok(holder) => Some(holder),
        Err(_) => Some(LockHolder {
            user: "someone".to_string(),
            host: hostname(),
            pid: 0,
            since: now(),
        }),
    }
}

fn read_lock(lock: &Path) -> Result<LockHolder, String> {
    let text = fs::read_to_string(lock).map_err(|e| io_message(&e))?;
    toml::from_str(&text).map_err(|e| one_line(e.message()))
}

/// Whether a process of this host with this pid still runs. A process that exists
/// but belongs to someone else counts as running.
#[cfg(unix)]
pub(crate) fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

#[cfg(not(unix))]
pub(crate) fn process_alive(_pid: u32) -> bool {
    true
}

pub fn hostname() -> String {
    #[cfg(unix)]
    {
        let name = rustix::system::uname()
            .nodename()
            .to_string_lossy()
            .into_owned();
        if !name.is_empty() {
            return name;
        }
    }
    std::env::var("HOSTNAME").unwrap_or_else(|_| "unknown-host".to_string())
}
