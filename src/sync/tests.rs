//! The wizard's way in, `sync_now`, and the lines a report reads as. (The
//! whole sync, driven through the built binary by two people, is in
//! `tests/sync.rs`.)

use std::path::Path;
use std::process::Command;

use super::*;

/// git as the tests run it: no configuration of this machine's.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Jane")
        .env("GIT_AUTHOR_EMAIL", "jane@example.com")
        .env("GIT_COMMITTER_NAME", "Jane")
        .env("GIT_COMMITTER_EMAIL", "jane@example.com")
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn save(path: &Path, cpu: f64) {
    let mut h = crate::testdata::complete_handoff();
    h.set_value(
        "deployment",
        "total_cpu",
        Some(crate::handoff::FieldValue::Number(cpu)),
    );
    crate::store::save(path, &h).expect("save");
}

#[test]
fn the_wizard_gets_the_whole_sync_as_one_line() {
    let root = tempfile::tempdir().expect("tmp");
    let root = root.path();
    git(root, &["init", "--quiet", "--bare", "shared.git"]);
    git(root, &["clone", "--quiet", "shared.git", "jane"]);
    let jane = root.join("jane");
    std::fs::write(jane.join(".gitattributes"), "*.toml merge=handoff\n").expect("write");
    save(&jane.join("acme-corp.toml"), 56.0);
    git(&jane, &["add", "-A"]);
    git(&jane, &["commit", "--quiet", "-m", "start"]);
    git(&jane, &["push", "--quiet", "origin", "HEAD"]);
    git(root, &["clone", "--quiet", "shared.git", "sam"]);
    let sam = root.join("sam");

    // Jane changes Acme and shares it; Sam starts Globex.
    save(&jane.join("acme-corp.toml"), 64.0);
    git(&jane, &["commit", "--quiet", "-am", "cpu"]);
    git(&jane, &["push", "--quiet"]);
    let mut globex = crate::testdata::new_handoff();
    globex.set_value(
        "handoff",
        "customer",
        Some(crate::handoff::FieldValue::Text("Globex".into())),
    );
    crate::store::save(&sam.join("globex.toml"), &globex).expect("save");

    let quiet = |dir: &Path| {
        Git::new(dir)
            .with_env("GIT_CONFIG_GLOBAL", "/dev/null")
            .with_env("GIT_CONFIG_NOSYSTEM", "1")
    };
    let line = sync_line(quiet(&sam), &Who::only(Some("Sam Rivera".into())));
    assert_eq!(line, "pushed 2 commits; Acme Corp: deployment.total_cpu");
    let line = sync_line(quiet(&sam), &Who::only(Some("Sam Rivera".into())));
    assert_eq!(line, "up to date");
    let line = sync_line(quiet(root), &Who::only(None));
    assert!(
        line.contains(" is not in a git repository: get your team's with `git clone URL "),
        "{line}"
    );
}

#[test]
fn a_report_reads_as_lines_and_as_one_line() {
    let report = Report {
        notices: vec!["set this clone's merge driver to handoff merge-driver".into()],
        committed: vec!["Globex: 2 notes, deployment.total_cpu".into()],
        left_out: vec!["acme-corp (open in the wizard by Sam)".into()],
        came_in: vec!["Initech: completed by Jane Doe".into()],
        pushed: 2,
        upstream: Some("origin/main".into()),
        problem: None,
    };
    assert_eq!(
        report.lines(),
        [
            "set this clone's merge driver to handoff merge-driver",
            "committed: Globex: 2 notes, deployment.total_cpu",
            "came in: Initech: completed by Jane Doe",
            "left out: acme-corp (open in the wizard by Sam)",
            "pushed 2 commits to origin/main",
        ]
    );
    assert_eq!(
        report.short(),
        "pushed 2 commits; Initech: completed by Jane Doe; left out: acme-corp (open in the wizard by Sam)"
    );
    let stopped = Report {
        committed: vec!["Globex: 1 note".into()],
        problem: Some("committed on this machine only; origin did not take the push".into()),
        ..Report::default()
    };
    assert_eq!(
        stopped.short(),
        "committed 1 handoff; committed on this machine only; origin did not take the push"
    );
    assert_eq!(made_up_email("Jane O'Doe"), "jane.o.doe@handoff.invalid");
    assert_eq!(made_up_email("株式"), "someone@handoff.invalid");
}
