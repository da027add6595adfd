//! `handoff merge-driver BASE OURS THEIRS [PATH]` on hand-written versions of
//! one handoff (`tests/fixtures/merge/`), as git runs it: the merge is written
//! over OURS with exit 0; a version it cannot read leaves OURS untouched, says
//! why on stderr and exits 1 so git falls back to its ordinary conflict.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use handoff::handoff::{FieldValue, ItemState};
use handoff::store;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/merge")
        .join(name)
}

/// Runs the driver with OURS a copy of `ours` in a temporary directory; returns
/// the run and what OURS holds afterwards.
fn driver(base: &str, ours: &str, theirs: &str) -> (Output, Vec<u8>) {
    let dir = tempfile::tempdir().expect("tmp");
    let ours_copy = dir.path().join(".merge_file_ours");
    fs::copy(fixture(ours), &ours_copy).expect("copy");
    let out = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .current_dir(dir.path())
        .arg("merge-driver")
        .arg(fixture(base))
        .arg(&ours_copy)
        .arg(fixture(theirs))
        .arg("acme-corp.toml")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TZ", "UTC")
        .output()
        .expect("run the driver");
    let written = fs::read(&ours_copy).expect("read ours");
    (out, written)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn read(fixture_name: &str) -> Vec<u8> {
    fs::read(fixture(fixture_name)).expect("fixture")
}

#[test]
fn edits_on_both_sides_merge_into_ours_exactly_as_expected() {
    let (out, merged) = driver("base.toml", "ours.toml", "theirs.toml");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    assert_eq!(text(&merged), text(&read("merged.toml")));
    // Merging the other way round holds the same handoff.
    let (out, mirrored) = driver("base.toml", "theirs.toml", "ours.toml");
    assert!(out.status.success());
    let parse = |bytes: &[u8]| {
        store::parse(Path::new("x.toml"), &text(bytes))
            .expect("parses")
            .handoff
    };
    assert_eq!(parse(&mirrored), parse(&merged));
}

#[test]
fn a_field_and_an_item_set_two_ways_keep_ours_and_record_theirs() {
    let (out, merged) = driver("base.toml", "ours.toml", "theirs-same-field.toml");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr),
        "handoff: acme-corp.toml: set two ways; ours kept, theirs recorded for someone to pick: deployment.total_cpu, checklist.deployed\n"
    );
    let h = store::parse(Path::new("x.toml"), &text(&merged))
        .expect("parses")
        .handoff;
    assert_eq!(
        h.value("deployment", "total_cpu"),
        Some(&FieldValue::Number(64.0))
    );
    let deployed = h.item_index("deployed").expect("item");
    assert_eq!(h.checklist_items[deployed].state, ItemState::Done);
    let recorded: Vec<(&str, String)> = h
        .conflicts
        .iter()
        .map(|c| {
            (
                c.field.as_str(),
                c.theirs
                    .as_ref()
                    .map(FieldValue::display)
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        recorded,
        [
            ("deployment.total_cpu", "48".to_string()),
            (
                "checklist.deployed",
                "out_of_scope: The customer deploys it themselves".to_string()
            )
        ]
    );
    let conflicts = h
        .blockers()
        .into_iter()
        .filter(|b| matches!(b.target, handoff::handoff::Target::Conflict(_)))
        .count();
    assert_eq!(conflicts, 2, "each conflict blocks completion");
    assert!(
        h.blockers()
            .iter()
            .any(|b| b.message == "Checklist item deployed was set two ways: done (kept) and out_of_scope: The customer deploys it themselves (elsewhere); pick one"),
        "{:?}",
        h.blockers()
    );
}

#[test]
fn versions_that_cannot_be_read_are_left_to_git_and_ours_is_untouched() {
    let cases = [
        (
            "base.toml",
            "ours.toml",
            "theirs-broken.toml",
            "handoff: acme-corp.toml: their version is not a readable handoff (line 7: `customer`: invalid basic string, expected `\"`); it cannot be merged by meaning, so git leaves it as an ordinary conflict\n",
        ),
        (
            "base.toml",
            "ours.toml",
            "theirs-newer-schema.toml",
            "handoff: acme-corp.toml: their version is not a readable handoff (written by a newer handoff (schema 99; this one reads up to 2); upgrade handoff to open it); it cannot be merged by meaning, so git leaves it as an ordinary conflict\n",
        ),
        (
            "base.toml",
            "ours-not-a-handoff.toml",
            "theirs.toml",
            "handoff: acme-corp.toml: our version is not a readable handoff (no `schema` key: this is not a handoff file); it cannot be merged by meaning, so git leaves it as an ordinary conflict\n",
        ),
        (
            "theirs-broken.toml",
            "ours.toml",
            "theirs.toml",
            "handoff: acme-corp.toml: the common version is not a readable handoff (line 7: `customer`: invalid basic string, expected `\"`); it cannot be merged by meaning, so git leaves it as an ordinary conflict\n",
        ),
        (
            "no-such-file.toml",
            "ours.toml",
            "theirs.toml",
            "handoff: acme-corp.toml: the common version cannot be read (No such file or directory); it cannot be merged by meaning, so git leaves it as an ordinary conflict\n",
        ),
    ];
    for (base, ours, theirs, message) in cases {
        let (out, after) = driver(base, ours, theirs);
        assert_eq!(out.status.code(), Some(1), "{theirs}");
        assert_eq!(text(&out.stderr), message);
        assert_eq!(after, read(ours), "{ours} untouched");
    }
    // Not UTF-8 at all.
    let dir = tempfile::tempdir().expect("tmp");
    let latin1 = dir.path().join("latin1.toml");
    fs::write(&latin1, b"schema = 2\ncustomer = \"Soci\xe9t\xe9\"\n").expect("write");
    let ours = dir.path().join("ours");
    fs::copy(fixture("ours.toml"), &ours).expect("copy");
    let out = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .arg("merge-driver")
        .arg(fixture("base.toml"))
        .arg(&ours)
        .arg(&latin1)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("their version is not UTF-8 text"));
    assert_eq!(fs::read(&ours).expect("read"), read("ours.toml"));
}

#[test]
fn an_unchanged_side_keeps_the_other_byte_for_byte_even_schema_1() {
    // Theirs changed, ours did not: OURS becomes theirs exactly (schema 1 stays 1).
    let (out, merged) = driver(
        "base-schema-1.toml",
        "base-schema-1.toml",
        "theirs-schema-1.toml",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(merged, read("theirs-schema-1.toml"));
    // Ours changed, theirs did not: OURS is not rewritten.
    let (out, merged) = driver(
        "base-schema-1.toml",
        "theirs-schema-1.toml",
        "base-schema-1.toml",
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(merged, read("theirs-schema-1.toml"));
}

#[test]
fn an_empty_base_means_both_sides_started_the_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let empty = dir.path().join("empty");
    fs::write(&empty, "").expect("write");
    let ours = dir.path().join("ours");
    fs::copy(fixture("ours.toml"), &ours).expect("copy");
    let out = Command::new(env!("CARGO_BIN_EXE_handoff"))
        .arg("merge-driver")
        .arg(&empty)
        .arg(&ours)
        .arg(fixture("theirs.toml"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let h = store::load(&ours).expect("loads").handoff;
    let ids: Vec<&str> = h.notes_log.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["n-000000000001", "n-00000000000b", "n-00000000000a"]);
    assert!(
        h.conflicts
            .iter()
            .any(|c| c.field == "deployment.total_cpu"),
        "without a base, two values are two values"
    );
}
