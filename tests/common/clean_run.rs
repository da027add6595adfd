//! `handoff` as the tests run it: nothing of the developer's environment but
//! `PATH`, the test's directory as home and data directory, `jane` as the user,
//! no git configuration of this machine's.
//!
//! Part of `common`; test crates that do not need the terminal harness include
//! it alone: `#[path = "common/clean_run.rs"] mod clean_run;`

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The environment every run gets besides `PATH`.
pub fn test_env(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    vec![
        ("HANDOFF_DIR", dir.to_path_buf()),
        ("USER", "jane".into()),
        ("HOME", dir.to_path_buf()),
        ("GIT_CONFIG_GLOBAL", "/dev/null".into()),
        ("GIT_CONFIG_NOSYSTEM", "1".into()),
    ]
}

/// `handoff` to be run in `dir` with [`test_env`], `PATH` and times in UTC.
pub fn clean_command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handoff"));
    cmd.env_clear().current_dir(dir);
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    for (key, value) in test_env(dir) {
        cmd.env(key, value);
    }
    cmd.env("TZ", "UTC");
    cmd
}
