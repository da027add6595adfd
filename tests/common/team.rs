//! A team sharing handoffs through git, all on this machine and without any
//! network: a bare repository in a temporary directory as the remote, and each
//! "machine" a clone of it with its own person (`HANDOFF_USER`), home and
//! settings. Git reads no configuration of this machine's.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use handoff::handoff::Handoff;
use handoff::store;

pub const ACME: &str = "acme-corp.toml";

pub struct Team {
    pub root: tempfile::TempDir,
    pub remote: PathBuf,
}

/// One clone, one person.
pub struct Machine {
    pub dir: PathBuf,
    pub user: String,
    home: PathBuf,
}

/// The environment every git and handoff run of the tests gets: nothing from
/// this machine's git configuration, times in UTC.
pub fn quiet_env(command: &mut Command, home: &Path) {
    command
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("HANDOFF_CONFIG", home.join("config.toml"))
        .env("TZ", "UTC")
        .env_remove("HANDOFF_DIR")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
}

/// git by hand, as someone at the keyboard would run it.
pub fn git_in(dir: &Path, home: &Path, args: &[&str]) -> Output {
    let mut command = Command::new("git");
    command.arg("-C").arg(dir).args(args);
    quiet_env(&mut command, home);
    for (key, value) in [
        ("GIT_AUTHOR_NAME", "By Hand"),
        ("GIT_AUTHOR_EMAIL", "hand@example.com"),
        ("GIT_COMMITTER_NAME", "By Hand"),
        ("GIT_COMMITTER_EMAIL", "hand@example.com"),
    ] {
        command.env(key, value);
    }
    command.output().expect("run git")
}

/// The pid of a process that has ended: what a lock left by a killed program holds.
pub fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("spawn");
    let pid = child.id();
    child.wait().expect("wait");
    pid
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl Team {
    /// An empty remote.
    pub fn new() -> Team {
        let root = tempfile::tempdir().expect("tmp");
        let remote = root.path().join("handoffs.git");
        let out = git_in(
            root.path(),
            root.path(),
            &["init", "--quiet", "--bare", "handoffs.git"],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        Team { root, remote }
    }

    /// A clone of the remote for `user`.
    pub fn machine(&self, name: &str, user: &str) -> Machine {
        let home = self.root.path().join(format!("home-{name}"));
        std::fs::create_dir_all(&home).expect("home");
        let dir = self.root.path().join(name);
        let remote = self.remote.to_string_lossy().into_owned();
        let dir_text = dir.to_string_lossy().into_owned();
        let out = git_in(
            self.root.path(),
            &home,
            &["clone", "--quiet", &remote, &dir_text],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        Machine {
            dir,
            user: user.to_string(),
            home,
        }
    }

    /// Jane's machine with Acme's handoff shared, and Sam's clone of it.
    pub fn started() -> (Team, Machine, Machine) {
        let team = Team::new();
        let jane = team.machine("jane", "Jane Doe");
        jane.git(&["config", "user.email", "jane@example.com"]);
        jane.ok(&["new", "--customer", "Acme Corp", "--ta", "Sam Rivera"]);
        jane.ok(&["sync", "--init"]);
        jane.ok(&["sync"]);
        let sam = team.machine("sam", "Sam Rivera");
        sam.ok(&["sync"]);
        (team, jane, sam)
    }
}

impl Machine {
    /// A person working in any directory (not necessarily a clone).
    pub fn at(team: &Team, dir: &Path, user: &str) -> Machine {
        let home = team
            .root
            .path()
            .join(format!("home-of-{}", user.replace(' ', "-")));
        std::fs::create_dir_all(&home).expect("home");
        Machine {
            dir: dir.to_path_buf(),
            user: user.to_string(),
            home,
        }
    }

    /// A file of this person's home (their settings).
    pub fn env_path(&self, name: &str) -> PathBuf {
        self.home.join(name)
    }

    /// The environment `command` gives handoff, for running it another way (in
    /// a pseudo-terminal).
    pub fn env(&self) -> Vec<(String, String)> {
        let home = |sub: &str| self.home.join(sub).display().to_string();
        vec![
            ("GIT_CONFIG_GLOBAL".into(), "/dev/null".into()),
            ("GIT_CONFIG_NOSYSTEM".into(), "1".into()),
            ("GIT_TERMINAL_PROMPT".into(), "0".into()),
            ("HOME".into(), self.home.display().to_string()),
            ("XDG_CONFIG_HOME".into(), home("config")),
            ("XDG_STATE_HOME".into(), home("state")),
            ("XDG_DATA_HOME".into(), home("data")),
            ("HANDOFF_CONFIG".into(), home("config.toml")),
            ("TZ".into(), "UTC".into()),
            ("HANDOFF_DIR".into(), self.dir.display().to_string()),
            ("HANDOFF_USER".into(), self.user.clone()),
            ("USER".into(), "nobody".into()),
        ]
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_handoff"));
        command.args(args);
        quiet_env(&mut command, &self.home);
        command
            .env("HANDOFF_DIR", &self.dir)
            .env("HANDOFF_USER", &self.user)
            .env("USER", "nobody");
        command
    }

    pub fn handoff(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run handoff")
    }

    /// Runs handoff; it must succeed. Its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.handoff(args);
        assert!(
            out.status.success(),
            "{} {args:?} failed: {}{}",
            self.user,
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// Runs git in the clone; it must succeed. Its standard output.
    pub fn git(&self, args: &[&str]) -> String {
        let out = git_in(&self.dir, &self.home, args);
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.join(file)
    }

    pub fn load(&self, file: &str) -> Handoff {
        store::load(&self.path(file))
            .unwrap_or_else(|e| panic!("{e}"))
            .handoff
    }

    /// Changes a handoff the way the wizard would: load, change, save.
    pub fn edit(&self, file: &str, change: impl FnOnce(&mut Handoff)) {
        let mut handoff = self.load(file);
        change(&mut handoff);
        store::save(&self.path(file), &handoff).expect("save");
    }

    /// Nothing left uncommitted, no merge half done.
    pub fn assert_clean(&self) {
        let status = self.git(&["status", "--porcelain"]);
        assert_eq!(status, "", "{}'s clone is not clean", self.user);
        assert!(
            !self.dir.join(".git/MERGE_HEAD").exists(),
            "a merge is unfinished"
        );
    }
}
