//! Scripts (issue 14): `set`, `get` and `note` round trips and refusals, every
//! refusal one line with exit 1 and the file byte for byte as it was; and the
//! shell completions and man page.

#[path = "common/clean_run.rs"]
mod clean_run;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use handoff::handoff::{FieldValue, ItemState, Status};
use handoff::{store, testdata};

fn handoff_with(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = clean_run::clean_command(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run handoff");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("handoff ends")
}

fn handoff(dir: &Path, args: &[&str]) -> Output {
    handoff_with(dir, args, b"")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn new_handoff(dir: &Path) -> PathBuf {
    let path = dir.join("acme-corp.toml");
    store::create(&path, &testdata::new_handoff()).expect("create");
    path
}

fn load(path: &Path) -> handoff::handoff::Handoff {
    store::load(path).expect("loads").handoff
}

/// Exit 1, one line on stderr that starts as given, nothing on stdout, and the
/// file byte for byte as it was.
fn assert_refused(o: &Output, path: &Path, before: &[u8], starts: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", err(o));
    let e = err(o);
    assert_eq!(e.lines().count(), 1, "one line: {e}");
    assert!(
        e.starts_with(&format!("handoff: {}: {starts}", path.display())),
        "{e}"
    );
    assert_eq!(out(o), "");
    assert_eq!(fs::read(path).expect("read"), before, "the file changed");
    assert!(!store::lock_path(path).exists(), "the lock is left");
}

#[test]
fn set_then_get_round_trips_every_kind_and_records_where_values_came_from() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = new_handoff(dir.path());
    let set = handoff(
        dir.path(),
        &[
            "set",
            "acme-corp",
            "deployment.total_cpu=56",
            "deployment.start_date=2026-01-12",
            "deployment.tdd_links=https://docs.example.com/tdd",
            "deployment.tdd_links+=https://docs.example.com/tdd-2",
            "deployment.deployment_type=kubernetes (helm)",
            "code_hosts.hosts=GitHub.com\nnpm registry",
            "lessons.text=First line.\nSecond line.",
            "checklist.deployed=done",
            "checklist.search_indexing=out_of_scope: no search in scope",
        ],
    );
    assert!(set.status.success(), "{}", err(&set));
    assert_eq!(
        out(&set),
        "deployment.total_cpu = 56\n\
         deployment.start_date = 2026-01-12\n\
         deployment.tdd_links = https://docs.example.com/tdd\n\
         deployment.tdd_links = https://docs.example.com/tdd, https://docs.example.com/tdd-2\n\
         deployment.deployment_type = Kubernetes (Helm)\n\
         code_hosts.hosts = GitHub.com, npm registry\n\
         lessons.text = First line., Second line.\n\
         checklist.deployed = done\n\
         checklist.search_indexing = out_of_scope: no search in scope\n"
    );
    let get = |key: &str| out(&handoff(dir.path(), &["get", "acme-corp", key]));
    assert_eq!(get("deployment.total_cpu"), "56\n");
    assert_eq!(get("deployment.start_date"), "2026-01-12\n");
    assert_eq!(
        get("deployment.tdd_links"),
        "https://docs.example.com/tdd\nhttps://docs.example.com/tdd-2\n"
    );
    assert_eq!(get("code_hosts.hosts"), "GitHub.com\nnpm registry\n");
    assert_eq!(get("lessons.text"), "First line.\nSecond line.\n");
    assert_eq!(get("checklist.deployed"), "done\n");
    assert_eq!(
        get("checklist.search_indexing"),
        "out_of_scope: no search in scope\n"
    );
    assert_eq!(get("checklist.environments"), "Production\n");

    let h = load(&path);
    assert_eq!(
        h.value("deployment", "total_cpu"),
        Some(&FieldValue::Number(56.0))
    );
    let deployed = &h.checklist_items[h.item_index("deployed").expect("item")];
    assert_eq!(
        (deployed.state, deployed.done_by.as_deref()),
        (ItemState::Done, Some("jane"))
    );
    assert_eq!(h.history.len(), 9, "{:#?}", h.history);
    assert!(
        h.history
            .iter()
            .all(|c| c.by == "jane" && c.source.as_deref() == Some("set from the command line"))
    );
    assert_eq!(h.history[0].field, "deployment.total_cpu");
    assert_eq!(h.history[7].field, "checklist.deployed");

    // The same value again changes nothing, and the file is not even rewritten.
    let before = fs::read(&path).expect("read");
    let again = handoff(dir.path(), &["set", "acme-corp", "deployment.total_cpu=56"]);
    assert_eq!(out(&again), "deployment.total_cpu = 56 (unchanged)\n");
    assert_eq!(fs::read(&path).expect("read"), before);

    // An empty value clears a field; get then says it is not set.
    handoff(dir.path(), &["set", "acme-corp", "deployment.start_date="]);
    let unset = handoff(dir.path(), &["get", "acme-corp", "deployment.start_date"]);
    assert_eq!(unset.status.code(), Some(1));
    assert_eq!(
        err(&unset),
        format!(
            "handoff: {}: deployment.start_date is not set\n",
            path.display()
        )
    );
    assert_eq!(out(&unset), "");
}

#[test]
fn one_bad_assignment_among_good_ones_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = new_handoff(dir.path());
    let before = fs::read(&path).expect("read");
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "deployment.total_cpu=56",
                "deployment.total_memory_gb=lots",
                "deployment.total_disk_gb=500",
            ],
            "deployment.total_memory_gb: Enter a number, e.g. 48 or 1.5",
        ),
        (
            &[
                "deployment.total_cpu=56",
                "deployment.start_date=2026-02-30",
            ],
            "deployment.start_date: 2026-02-30 is not a day in the calendar",
        ),
        (
            &[
                "deployment.start_date=2026-03-01",
                "deployment.completion_date=2026-02-01",
            ],
            "deployment.completion_date: Must not be before Implementation start date (2026-03-01)",
        ),
        (
            &["code_hosts.repositories=10", "code_hosts.monorepos=11"],
            "code_hosts.monorepos: Must not be more than Number of repositories (10)",
        ),
        (
            &["deployment.total_cpu=56", "deployment.cpu=8"],
            "deployment.cpu: there is no such key; deployment has tdd_links, start_date,",
        ),
        (
            &["deployment.total_cpu=0"],
            "deployment.total_cpu: Must be more than 0",
        ),
        (
            &["deployment.total_cpu+=1"],
            "deployment.total_cpu: += adds to lists; Total CPU (cores) holds one value (number): use =",
        ),
        (
            &["deployment.tdd_links=docs.example.com"],
            "deployment.tdd_links: Entry 1: enter a full URL starting with https:// (or http://)",
        ),
        (
            &[
                "checklist.deployed=done",
                "checklist.search_indexing=out_of_scope:",
            ],
            "checklist.search_indexing: out of scope needs a reason: out_of_scope:REASON",
        ),
        (
            &["checklist.deployed=finished"],
            "checklist.deployed: \"finished\" is not a state: use done, todo or out_of_scope:REASON",
        ),
        (
            &["checklist.nope=done"],
            "checklist.nope: there is no such key; checklist has environments, and the items environment:Production, deployed,",
        ),
        (
            &["handoff.customer=Acme", "total_cpu"],
            "total_cpu is not an assignment: write KEY=VALUE (or KEY+=VALUE to add to a list)",
        ),
    ];
    for (assignments, says) in cases {
        let mut args = vec!["set", "acme-corp"];
        args.extend(*assignments);
        let o = handoff(dir.path(), &args);
        assert_refused(&o, &path, &before, says);
    }
}

#[test]
fn a_completed_handoff_takes_code_hosts_and_notes_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("acme-corp.toml");
    let h = testdata::completed_handoff();
    store::save(&path, &h).expect("save");
    let before = fs::read(&path).expect("read");
    let closed = "this handoff is complete: only the code hosts can be changed and notes added; `handoff reopen FILE` opens the rest again";
    let mixed = handoff(
        dir.path(),
        &[
            "set",
            "acme-corp",
            "code_hosts.repositories=1500",
            "checklist.deployed=todo",
        ],
    );
    assert_refused(
        &mixed,
        &path,
        &before,
        &format!("checklist.deployed: {closed}"),
    );
    let hosts = handoff(
        dir.path(),
        &["set", "acme-corp", "code_hosts.repositories=1500"],
    );
    assert!(hosts.status.success(), "{}", err(&hosts));
    let o = handoff(dir.path(), &["set", "acme-corp", "deployment.total_cpu=64"]);
    assert_eq!(
        err(&o),
        format!(
            "handoff: {}: deployment.total_cpu: {closed}\n",
            path.display()
        )
    );
    let after = load(&path);
    assert_eq!(after.status, Status::Complete);
    assert_eq!(
        after.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(1500))
    );
    assert_eq!(after.history.len(), 1);
    let note = handoff(
        dir.path(),
        &[
            "note",
            "acme-corp",
            "-c",
            "expansion",
            "Wants 300 more seats.",
        ],
    );
    assert!(note.status.success(), "{}", err(&note));
}

#[test]
fn note_takes_its_text_from_the_argument_or_stdin_and_its_category_by_key_or_label() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = new_handoff(dir.path());
    let by_arg = handoff(
        dir.path(),
        &[
            "note",
            "acme-corp",
            "--category",
            "risk",
            "Rockskip is off.",
        ],
    );
    assert!(by_arg.status.success(), "{}", err(&by_arg));
    let id = load(&path).notes_log[0].id.clone();
    assert_eq!(
        out(&by_arg),
        format!("{}: added note {id} (Risk) by jane\n", path.display())
    );
    let dash = handoff_with(
        dir.path(),
        &["note", "acme-corp", "-c", "UPPER LIMITS", "-"],
        b"800 users.\n150 concurrent.\n",
    );
    assert!(dash.status.success(), "{}", err(&dash));
    let no_text = handoff_with(
        dir.path(),
        &["note", "acme-corp", "-c", "special deployment details"],
        b"External PostgreSQL.\n",
    );
    assert!(no_text.status.success(), "{}", err(&no_text));
    let h = load(&path);
    let notes: Vec<(&str, &str, &str)> = h
        .notes_log
        .iter()
        .map(|n| (n.category.as_str(), n.text.as_str(), n.author.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            ("risk", "Rockskip is off.", "jane"),
            ("upper_limits", "800 users.\n150 concurrent.", "jane"),
            ("special_deployment", "External PostgreSQL.", "jane"),
        ]
    );
    assert_eq!(h.history.len(), 3);
    assert!(h.history.iter().all(|c| c.field == "note"
        && c.source.as_deref() == Some("note from the command line")));

    let before = fs::read(&path).expect("read");
    let unknown = handoff(
        dir.path(),
        &["note", "acme-corp", "-c", "weather", "Sunny."],
    );
    assert_refused(
        &unknown,
        &path,
        &before,
        "there is no note category \"weather\"; the categories are upper_limits (Upper limits), special_deployment (Special deployment details), errors_engineering (Errors and engineering involvement), issue (Issue), risk (Risk), expansion (Expansion opportunity), other (Other)",
    );
    let empty = handoff_with(dir.path(), &["note", "acme-corp", "-c", "risk"], b"  \n");
    assert_refused(&empty, &path, &before, "the note is empty");
    let binary = handoff_with(
        dir.path(),
        &["note", "acme-corp", "-c", "risk", "-"],
        b"\xff\xfe",
    );
    assert_refused(
        &binary,
        &path,
        &before,
        "the note on standard input is not UTF-8 text",
    );
}

#[test]
fn get_names_the_keys_when_the_key_is_wrong() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = new_handoff(dir.path());
    let before = fs::read(&path).expect("read");
    let cases = [
        (
            "cpu",
            "cpu: not a key: keys are step.field, e.g. deployment.total_cpu; the steps are handoff, deployment, code_hosts, notes, checklist, lessons, upgrade\n",
        ),
        (
            "deploy.total_cpu",
            "deploy.total_cpu: there is no step deploy; the steps are handoff, deployment, code_hosts, notes, checklist, lessons, upgrade\n",
        ),
        (
            "upgrade.version",
            "upgrade.version: there is no such key; upgrade has current_version, cadence, procedure\n",
        ),
    ];
    for (key, says) in cases {
        let o = handoff(dir.path(), &["get", "acme-corp", key]);
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(err(&o), format!("handoff: {}: {says}", path.display()));
    }
    for args in [
        &["get", "nope.toml", "deployment.total_cpu"][..],
        &["set", "nope.toml", "deployment.total_cpu=56"],
        &["set", "no-such-dir/nope.toml", "deployment.total_cpu=56"],
        &["note", "nope.toml", "-c", "risk", "x"],
    ] {
        let missing = handoff(dir.path(), args);
        assert_eq!(
            missing.status.code(),
            Some(2),
            "{args:?}: {}",
            err(&missing)
        );
        assert!(err(&missing).contains("nope.toml"), "{}", err(&missing));
    }
    assert!(!dir.path().join("nope.toml.lock").exists());
    assert!(!dir.path().join("no-such-dir").exists());
    assert_eq!(fs::read(&path).expect("read"), before);
}

#[test]
fn a_locked_handoff_refuses_set_and_note() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = new_handoff(dir.path());
    let before = fs::read(&path).expect("read");
    let lock = store::Lock::acquire(&path, "Sam").expect("lock");
    let set = handoff(dir.path(), &["set", "acme-corp", "deployment.total_cpu=56"]);
    assert_eq!(set.status.code(), Some(1));
    assert!(err(&set).contains("being edited by Sam@"), "{}", err(&set));
    assert_eq!(err(&set).lines().count(), 1);
    let note = handoff(dir.path(), &["note", "acme-corp", "-c", "risk", "x"]);
    assert_eq!(note.status.code(), Some(1));
    assert_eq!(fs::read(&path).expect("read"), before);
    drop(lock);
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    let dir = tempfile::tempdir().expect("tmp");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = handoff(dir.path(), &["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", err(&o));
        assert_eq!(err(&o), "", "{shell}");
        let script = out(&o);
        for command in ["open", "set", "completions"] {
            assert!(script.contains(command), "{shell}: no {command}");
        }
    }
    let wrong = handoff(dir.path(), &["completions", "tcsh"]);
    assert_eq!(wrong.status.code(), Some(2));
    let man = handoff(dir.path(), &["man"]);
    assert!(man.status.success(), "{}", err(&man));
    let page = out(&man);
    let header = page
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"))
        .unwrap_or_default();
    assert!(page.starts_with('.'), "roff: {page}");
    assert!(header.starts_with(".TH handoff 1"), "{header}");
    assert!(page.contains(".SH NAME"), "{page}");
    assert!(page.contains("\\-\\-plain"), "the plain flag is documented");
}
