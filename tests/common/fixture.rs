//! The set-up most runs of the built binary start from: one handoff file in a
//! temporary directory, and the wizard opened on it at the README's 100×30.

use std::fs;
use std::path::{Path, PathBuf};

use handoff::handoff::{Handoff, now};
use handoff::store;

use super::keys::CTRL_C;
use super::{Term, run_plain, tempdir, text, wait_clean_exit};

/// The terminal size the README's screenshots use.
pub const SIZE: (u16, u16) = (100, 30);

/// What the wizard shows first on a new handoff.
pub const FIRST_STEP: &str = "1 · Handoff";

/// `handoff new` for the customer every fixture uses.
pub const NEW_ACME: &[&str] = &["new", "--customer", "Acme Corp", "--ta", "Sam"];

/// A handoff file made directly through the library: Acme Corp, Jane Doe, Sam.
pub fn new_file(dir: &Path) -> PathBuf {
    let path = dir.join("acme-corp.toml");
    store::create(&path, &Handoff::new("Acme Corp", "Jane Doe", "Sam", now()))
        .expect("create the handoff file");
    path
}

/// The same file made by `handoff new`, which must print its path.
pub fn new_file_plain(dir: &Path) -> PathBuf {
    let out = run_plain(dir, NEW_ACME);
    assert!(out.status.success(), "new failed: {}", text(&out.stderr));
    let path = dir.join("acme-corp.toml");
    assert_eq!(text(&out.stdout), format!("{}\n", path.display()));
    path
}

/// The handoff in `path`; fails the test if it does not load.
pub fn load(path: &Path) -> Handoff {
    store::load(path)
        .unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()))
        .handoff
}

/// The text of each note not deleted.
pub fn live_notes(h: &Handoff) -> Vec<String> {
    h.notes_log
        .iter()
        .filter(|n| n.is_live())
        .map(|n| n.text.clone())
        .collect()
}

/// The wizard on `path` exits successfully, gives the terminal back and releases the lock.
pub fn assert_clean_exit(t: &mut Term, path: &Path) {
    wait_clean_exit(t);
    assert!(!store::lock_path(path).exists(), "the lock was left behind");
}

/// A handoff file in a temporary directory, and the ways the tests start the wizard on it.
pub struct Fixture {
    /// The wizard's working and data directory; removed when the fixture is dropped.
    dir: tempfile::TempDir,
    /// The handoff file.
    pub path: PathBuf,
    /// The file's bytes as made, before any wizard ran.
    pub created: Vec<u8>,
}

impl Fixture {
    /// A new handoff file (see `new_file`) in a new temporary directory.
    pub fn new() -> Fixture {
        let dir = tempdir();
        let path = new_file(dir.path());
        Fixture::of(dir, path)
    }

    /// The handoff file made in `folder` (a small disk, say), while the wizard runs in a
    /// temporary directory of its own.
    pub fn with_file_in(folder: &Path) -> Fixture {
        Fixture::of(tempdir(), new_file(folder))
    }

    /// The handoff file made by `handoff new` (see `new_file_plain`).
    pub fn made_by_cli() -> Fixture {
        let dir = tempdir();
        let path = new_file_plain(dir.path());
        Fixture::of(dir, path)
    }

    fn of(dir: tempfile::TempDir, path: PathBuf) -> Fixture {
        let created = fs::read(&path).expect("read the new handoff file");
        Fixture { dir, path, created }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The file's path as the command line takes it.
    pub fn file(&self) -> String {
        self.path.display().to_string()
    }

    pub fn lock_path(&self) -> PathBuf {
        store::lock_path(&self.path)
    }

    /// The file's bytes now.
    pub fn read(&self) -> Vec<u8> {
        fs::read(&self.path).expect("read the handoff file")
    }

    pub fn load(&self) -> Handoff {
        load(&self.path)
    }

    /// `handoff open FILE` at 100×30; the caller waits for what it expects.
    pub fn spawn(&self) -> Term {
        Term::spawn(self.dir(), &["open", &self.file()], SIZE.0, SIZE.1)
    }

    /// `spawn`, then waits for the first step.
    pub fn open(&self) -> Term {
        let t = self.spawn();
        t.wait_for(FIRST_STEP);
        t
    }

    /// `spawn` with `env` added to the wizard's environment.
    pub fn spawn_with_env(&self, env: &[(&str, &str)]) -> Term {
        let bin = env!("CARGO_BIN_EXE_handoff");
        Term::spawn_program(
            self.dir(),
            bin,
            &["open", &self.file()],
            env,
            SIZE.0,
            SIZE.1,
        )
    }

    /// `handoff open FILE` started by `sh -c SCRIPT` (`$0` is the binary, `$1` the file),
    /// for limits and redirections that must be in place before the wizard starts.
    pub fn spawn_shell(&self, script: &str) -> Term {
        let bin = env!("CARGO_BIN_EXE_handoff");
        let args = ["-c", script, bin, &self.file()];
        Term::spawn_program(self.dir(), "/bin/sh", &args, &[], SIZE.0, SIZE.1)
    }

    /// q, then `assert_clean_exit`.
    pub fn quit(&self, t: &mut Term) {
        t.send(CTRL_C);
        assert_clean_exit(t, &self.path);
    }
}
