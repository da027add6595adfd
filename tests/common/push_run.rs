//! Running `handoff push` in the tests: a clean environment pointing at a fake
//! Vitally, the handoff the tests push, and the checks every push test makes
//! (one-line failures, a key that appears nowhere).
//!
//! Include it after `fake_http`, `fake_vitally` and `clean_run`:
//! `#[path = "common/push_run.rs"] mod push_run;`

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use handoff::handoff::{FieldValue, Handoff};
use handoff::{store, testdata};
use serde_json::{Value, json};

use crate::fake_vitally::{FakeVitally, KEY};

/// A local answer takes milliseconds; this is room for a loaded CI machine, so
/// no request times out by accident (tests of hangs set a shorter one).
pub const TIMEOUT_MS: &str = "3000";
/// Retries pause 20, 40, 80 ms instead of 0.5, 1, 2 s.
pub const BACKOFF_MS: &str = "20";

pub fn command(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut cmd = crate::clean_run::clean_command(dir);
    cmd.arg("push")
        .args(args)
        .stdin(Stdio::null())
        .env("HANDOFF_CONFIG", dir.join("config.toml"))
        .env("VITALLY_BASE_URL", url)
        .env("VITALLY_API_KEY", KEY)
        .env("HANDOFF_VITALLY_TIMEOUT_MS", TIMEOUT_MS)
        .env("HANDOFF_VITALLY_BACKOFF_MS", BACKOFF_MS);
    cmd
}

pub fn push(dir: &Path, url: &str, args: &[&str]) -> Output {
    command(dir, url, args).output().expect("run handoff push")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The complete handoff of the tests, to be pushed to account `acme-corp`.
pub fn handoff_for_acme() -> Handoff {
    let mut h = testdata::complete_handoff();
    h.set_value(
        "handoff",
        "vitally_account",
        Some(FieldValue::Text("acme-corp".into())),
    );
    h
}

pub fn write(dir: &Path, h: &Handoff) -> PathBuf {
    let path = dir.join("acme-corp.toml");
    store::save(&path, h).expect("save");
    path
}

/// A directory holding the complete handoff for `acme-corp`, and a fake Vitally.
pub fn acme() -> (tempfile::TempDir, FakeVitally, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = write(dir.path(), &handoff_for_acme());
    (dir, FakeVitally::start(), path)
}

pub fn load(path: &Path) -> Handoff {
    store::load(path).expect("loads").handoff
}

/// The key is in no output and no file of the directory (the handoff, its lock,
/// the config, temporary files).
pub fn assert_no_key(dir: &Path, outputs: &[&Output]) {
    for o in outputs {
        assert!(!stdout(o).contains(KEY), "key in stdout: {}", stdout(o));
        assert!(!stderr(o).contains(KEY), "key in stderr: {}", stderr(o));
    }
    for entry in fs::read_dir(dir).expect("list") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let bytes = fs::read(&path).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(KEY), "key in {}", path.display());
        }
    }
}

pub fn external_id(entry: &str) -> String {
    format!("handoff:acc-0001:20260302T090000Z:{entry}")
}

pub fn expected_traits() -> Value {
    json!({
        "vitally.custom.codeHosts": ["GitHub Enterprise", "Artifactory (npm)"],
        "vitally.custom.deploymentType": "Kubernetes (Helm)",
        "vitally.custom.hostingProvider": "AWS",
        "vitally.custom.implementationCompletionDate": "2026-02-27",
        "vitally.custom.implementationStartDate": "2026-01-12",
        "vitally.custom.instanceTypes": ["m6a.4xlarge ×3", "r6a.2xlarge ×1"],
        "vitally.custom.instanceUrl": "https://sourcegraph.acme.example",
        "vitally.custom.largestRepositoryMb": 5400.5,
        "vitally.custom.monorepos": 2,
        "vitally.custom.repositories": 1200,
        "vitally.custom.technicalDesignDocuments": ["https://docs.example.com/acme-tdd"],
        "vitally.custom.totalCpu": 56,
        "vitally.custom.totalDiskGb": 2048,
        "vitally.custom.totalMemoryGb": 256,
    })
}

/// Exit 1 with this one line as the message, last on stderr (after any progress
/// lines, which name requests and never start with `handoff:`).
pub fn assert_one_line(o: &Output, expected: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    let err = stderr(o);
    let messages: Vec<&str> = err.lines().filter(|l| l.starts_with("handoff:")).collect();
    assert_eq!(messages, [format!("handoff: {expected}")], "{err}");
    assert!(err.ends_with(&format!("handoff: {expected}\n")), "{err}");
}
