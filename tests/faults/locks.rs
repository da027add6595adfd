//! Lock files of every kind: stale ones of this host, foreign ones answered N, r and t,
//! binary junk, and one that could not be written at all.

use std::fs;
use std::path::Path;
use std::process::Command;

use handoff::handoff::now;
use handoff::store;

use crate::common::*;
use crate::{CURRENT_VERSION, one_line, quit_with_current_version, wait_refused};

fn write_lock(path: &Path, host: &str, pid: u32) -> Vec<u8> {
    let holder = store::LockHolder {
        user: "sam".into(),
        host: host.into(),
        pid,
        since: now(),
    };
    let text = toml::to_string(&holder).expect("serialize the lock");
    fs::write(store::lock_path(path), &text).expect("write the lock");
    text.into_bytes()
}

/// The pid of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("run true");
    let pid = child.id();
    child.wait().expect("wait for true");
    pid
}

/// With the lock now the wizard's: an edit is saved, and q leaves cleanly with it.
fn an_edit_is_saved(fx: &Fixture, t: &mut Term) {
    CURRENT_VERSION.set(t, "5.9.1");
    t.wait_saved();
    quit_with_current_version(fx, t, "5.9.1");
}

/// (5) A lock left by a dead process of this host is taken over, with a notice.
#[test]
fn a_stale_lock_of_this_host_is_taken_over() {
    let fx = Fixture::new();
    write_lock(&fx.path, &store::hostname(), dead_pid());
    let mut t = fx.open();
    t.wait_until("the stale-lock notice", |s| {
        status_text(s).contains("Took over a stale lock")
    });
    assert!(!t.screen().contains("READ-ONLY"), "{}", t.dump());
    let lock = fs::read_to_string(fx.lock_path()).expect("the lock");
    assert!(
        lock.contains(&format!("pid = {}", t.pid())),
        "the lock names the wizard: {lock}"
    );
    an_edit_is_saved(&fx, &mut t);
}

const ASK: &str = "[r]ead-only, [t]ake over the lock, or [N]ot at all?";

/// A lock of another host's, which the wizard asks about; `answer` is sent. Returns the
/// lock's bytes and the wizard.
fn open_against_foreign_lock(fx: &Fixture, answer: &str) -> (Vec<u8>, Term) {
    let lock = write_lock(&fx.path, "elsewhere.invalid", 4242);
    let t = fx.spawn();
    t.wait_for(ASK);
    t.wait_for("sam@elsewhere.invalid (pid 4242");
    t.send(answer);
    (lock, t)
}

/// The foreign lock and the handoff file are as they were.
fn assert_untouched(fx: &Fixture, lock: &[u8]) {
    assert_eq!(fs::read(fx.lock_path()).expect("lock"), lock);
    assert_eq!(fx.read(), fx.created);
}

/// (5) A lock from another host, answered N: nothing opens, nothing changes.
#[test]
fn a_foreign_lock_answered_n_opens_nothing() {
    let fx = Fixture::new();
    let (lock, mut t) = open_against_foreign_lock(&fx, "N\r");
    let status = t.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 1, "{}", t.dump());
    let raw = t.raw();
    assert!(!raw.contains(ALT_ON), "the refused open drew a screen");
    assert!(raw.contains("not opened"), "{raw:?}");
    assert_untouched(&fx, &lock);
}

/// (5) A lock from another host, answered r: read-only, the lock untouched.
#[test]
fn a_foreign_lock_answered_r_opens_read_only() {
    let fx = Fixture::new();
    let (lock, mut t) = open_against_foreign_lock(&fx, "r\r");
    t.wait_for("READ-ONLY");
    t.wait_for(FIRST_STEP);
    assert_eq!(fs::read(fx.lock_path()).expect("lock"), lock);
    // A letter is no command of a view's: `a` (add) is refused.
    t.send("a");
    t.wait_refusal(true);
    t.send(CTRL_C);
    wait_clean_exit(&mut t);
    assert_untouched(&fx, &lock);
}

/// (5) A lock from another host, answered t: editing, and the lock is this process's.
#[test]
fn a_foreign_lock_answered_t_takes_it_over() {
    let fx = Fixture::new();
    let (_lock, mut t) = open_against_foreign_lock(&fx, "t\r");
    t.wait_for(FIRST_STEP);
    assert!(!t.screen().contains("READ-ONLY"), "{}", t.dump());
    let text = fs::read_to_string(fx.lock_path()).expect("the lock");
    let holder: store::LockHolder = toml::from_str(&text).expect("the lock parses");
    assert_eq!(holder.pid, t.pid(), "{text}");
    assert_eq!(holder.host, store::hostname(), "{text}");
    an_edit_is_saved(&fx, &mut t);
}

/// (5) A lock file of binary junk: a one-line refusal, nothing touched.
#[test]
fn an_unreadable_lock_refuses_in_one_line() {
    let fx = Fixture::new();
    let junk: Vec<u8> = (0..=255u8).rev().cycle().take(700).collect();
    fs::write(fx.lock_path(), &junk).expect("write the junk lock");
    let mut t = fx.spawn();
    let raw = wait_refused(&mut t);
    assert!(!raw.contains(ALT_ON), "it drew a screen: {raw:?}");
    let line = one_line(&raw);
    assert!(line.contains("unreadable"), "{line:?}");
    assert_eq!(
        fs::read(fx.lock_path()).expect("lock"),
        junk,
        "the lock changed"
    );
    assert_eq!(fx.read(), fx.created, "the file changed");
}

/// (5) An `open` that cannot write its lock file (the disk is full) must not leave an
/// empty lock behind: that would turn away every later `open` as "unreadable".
#[test]
fn a_failed_lock_write_leaves_no_lock_behind() {
    let fx = Fixture::new();
    // No file may grow at all: the lock file can be created but not written.
    let mut t = fx.spawn_shell("ulimit -S -f 0; trap '' XFSZ; exec \"$0\" open \"$1\"");
    let line = one_line(&wait_refused(&mut t));
    assert!(line.contains("lock file"), "{line:?}");
    assert_eq!(fx.read(), fx.created, "the file changed");
    assert!(
        !fx.lock_path().exists(),
        "the failed open left a lock file behind"
    );

    // Room again: the next open must work.
    let mut t = fx.open();
    fx.quit(&mut t);
}
