//! The command line as a script uses it: exit codes, output, files written.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use handoff::{store, testdata};

fn handoff(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_handoff"))
        .args(args)
        .env("HANDOFF_DIR", dir)
        .env("USER", "jane")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TZ", "UTC")
        .output()
        .expect("run handoff")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write_complete(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("acme-corp.toml");
    store::save(&path, &testdata::complete_handoff()).expect("save");
    path
}

#[test]
fn new_creates_a_file_named_after_the_customer_and_prints_its_path() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = handoff(
        dir.path(),
        &["new", "--customer", "Acme Corp", "--ta", "Sam Rivera"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let path = dir.path().join("acme-corp.toml");
    assert_eq!(stdout(&out), format!("{}\n", path.display()));
    let h = store::load(&path).expect("loads").handoff;
    assert_eq!(h.customer(), "Acme Corp");
    assert_eq!(h.engineer(), "jane", "defaults to $USER without a git name");
    assert_eq!(
        h.value("handoff", "technical_advisor")
            .map(handoff::handoff::FieldValue::display),
        Some("Sam Rivera".into())
    );

    let before = fs::read(&path).expect("read");
    let again = handoff(dir.path(), &["new", "--customer", "Acme Corp"]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        stderr(&again),
        format!(
            "handoff: {}: a handoff already exists there; open it, or choose another name\n",
            path.display()
        )
    );
    assert_eq!(fs::read(&path).expect("read"), before, "not overwritten");
}

#[test]
fn new_takes_an_explicit_file_and_engineer() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("sub/dir/x.toml");
    let file_arg = file.to_string_lossy().into_owned();
    let out = handoff(
        dir.path(),
        &["new", "--customer", "X", "--engineer", "Lee", &file_arg],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(store::load(&file).expect("loads").handoff.engineer(), "Lee");
}

#[test]
fn check_exit_codes() {
    let dir = tempfile::tempdir().expect("tmp");
    let complete = write_complete(dir.path());
    let out = handoff(dir.path(), &["check", &complete.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!(
            "{}: nothing blocks completion (not yet marked complete), 29 of 29 done\n",
            complete.display()
        )
    );

    handoff(dir.path(), &["new", "--customer", "Beta"]);
    let out = handoff(dir.path(), &["check", "beta"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("25 things block completion (3 of 28 done):"),
        "{text}"
    );
    assert!(
        text.contains("  Handoff: Receiving Technical Advisor: required\n"),
        "{text}"
    );
    assert!(
        text.contains("  Implementation notes: Add at least one implementation note\n"),
        "{text}"
    );

    let out = handoff(dir.path(), &["check", "nobody"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "handoff: no handoff named nobody in {}; it has acme-corp, beta\n",
            dir.path().display()
        )
    );
}

#[test]
fn a_handoff_is_found_by_its_customer_or_the_start_of_its_name() {
    let dir = tempfile::tempdir().expect("tmp");
    write_complete(dir.path());
    for (customer, file) in [
        ("Globex Corporation", "globex-corp.toml"),
        ("Globex Europe", "globex-eu.toml"),
    ] {
        let path = dir.path().join(file);
        let out = handoff(
            dir.path(),
            &["new", "--customer", customer, &path.to_string_lossy()],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let checked = |name: &str| {
        let out = handoff(dir.path(), &["check", name]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        stdout(&out).lines().next().unwrap_or_default().to_string()
    };
    let globex_corp = dir.path().join("globex-corp.toml").display().to_string();
    assert!(checked("Globex Corporation").starts_with(&globex_corp));
    assert!(checked("globex corporation").starts_with(&globex_corp));
    assert!(checked("globex-c").starts_with(&globex_corp));
    assert!(checked("Globex Eu").contains("globex-eu.toml"));
    let out = handoff(dir.path(), &["check", "acme"]);
    assert_eq!(out.status.code(), Some(0), "a prefix of the file name");

    let refused = |name: &str| {
        let out = handoff(dir.path(), &["check", name]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(out.stdout.is_empty());
        stderr(&out)
    };
    assert_eq!(
        refused("globex"),
        "handoff: globex: which one? globex-corp.toml, globex-eu.toml\n"
    );
    let shown = dir.path().display();
    assert_eq!(
        refused("acme-crop"),
        format!("handoff: no handoff named acme-crop in {shown}; did you mean acme-corp?\n")
    );
    assert_eq!(
        refused("globx"),
        format!(
            "handoff: no handoff named globx in {shown}; did you mean globex-corp or globex-eu?\n"
        )
    );
    assert_eq!(
        refused("initech"),
        format!(
            "handoff: no handoff named initech in {shown}; it has acme-corp, globex-corp, globex-eu\n"
        )
    );
    assert_eq!(
        refused("./globex"),
        "handoff: ./globex: no such file\n",
        "a path is taken as it is"
    );
}

#[test]
fn list_shows_customer_status_progress_and_update() {
    let dir = tempfile::tempdir().expect("tmp");
    write_complete(dir.path());
    handoff(dir.path(), &["new", "--customer", "株式会社テスト"]);
    fs::write(dir.path().join("broken.toml"), "schema = [").expect("write");
    let out = handoff(dir.path(), &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("CUSTOMER"), "{text}");
    assert!(
        lines[1].starts_with(
            "Acme Corp       in progress  29 of 29 done  2026-03-27 17:00  acme-corp.toml"
        ),
        "{text}"
    );
    assert!(
        lines[2].contains("unreadable") && lines[2].contains("broken.toml"),
        "{text}"
    );
    assert!(
        lines[3].starts_with("株式会社テスト  in progress  3 of 28 done "),
        "{text}"
    );

    let empty = tempfile::tempdir().expect("tmp");
    let out = handoff(empty.path(), &["list"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("No handoffs in"), "{}", stderr(&out));
}

#[test]
fn list_says_maintained_and_lines_up_by_display_width() {
    let dir = tempfile::tempdir().expect("tmp");
    let h = testdata::maintained_handoff();
    store::save(&dir.path().join("acme-corp.toml"), &h).expect("save");
    let done = testdata::completed_handoff();
    store::save(&dir.path().join("beta.toml"), &done).expect("save");
    let emoji = handoff::handoff::Handoff::new("Café 😀", "Jane", "", testdata::at(2, 9));
    store::save(&dir.path().join("emoji.toml"), &emoji).expect("save");

    let out = handoff(dir.path(), &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "CUSTOMER   STATUS                            PROGRESS       UPDATED           FILE\n\
         Acme Corp  complete · maintained 2026-03-29  29 of 29 done  2026-03-29 09:00  acme-corp.toml\n\
         Acme Corp  complete                          29 of 29 done  2026-03-28 10:00  beta.toml\n\
         Café 😀    in progress                       3 of 28 done   2026-03-02 09:00  emoji.toml\n"
    );
}

#[test]
fn export_markdown_and_json_of_a_filled_handoff() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = write_complete(dir.path());
    let path = path.to_string_lossy();
    let md = handoff(dir.path(), &["export", &path, "--format", "markdown"]);
    assert!(md.status.success(), "{}", stderr(&md));
    insta::assert_snapshot!("export_markdown", stdout(&md));
    let json = handoff(dir.path(), &["export", &path, "--format", "json"]);
    assert!(json.status.success(), "{}", stderr(&json));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    insta::assert_json_snapshot!("export_json", value);
}

#[test]
fn reopen_a_completed_handoff_is_recorded() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("acme-corp.toml");
    let h = testdata::completed_handoff();
    store::save(&path, &h).expect("save");
    let arg = path.to_string_lossy().into_owned();

    let out = handoff(dir.path(), &["reopen", &arg, "--by", "Sam Rivera"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let h = store::load(&path).expect("load").handoff;
    assert_eq!(h.status, handoff::handoff::Status::InProgress);
    assert_eq!(h.reopen_history.len(), 1);
    assert_eq!(h.reopen_history[0].by, "Sam Rivera");
    assert_eq!(
        h.reopen_history[0].was_completed_by.as_deref(),
        Some("Jane Doe")
    );
    assert!(!store::lock_path(&path).exists(), "lock released");

    let before = fs::read(&path).expect("read");
    let again = handoff(dir.path(), &["reopen", &arg]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).ends_with("is in progress, not complete; nothing to reopen\n"));
    assert_eq!(fs::read(&path).expect("read"), before);
}

/// Everything but the lines a reopening changes (status and completion) and the
/// sections it adds (its `[[reopened]]` and `[[change]]` records).
fn untouched_by_reopening(text: &str) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with('[') {
            skipping = line == "[[reopened]]" || line == "[[change]]";
        }
        let status = [
            "status =",
            "updated_at =",
            "completed_at =",
            "completed_by =",
        ]
        .iter()
        .any(|p| line.starts_with(p));
        if !skipping && !status {
            out.push(line);
        }
    }
    out.join("\n").trim_end().to_string()
}

#[test]
fn reopen_keeps_the_order_and_every_unknown_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("acme-corp.toml");
    let h = testdata::completed_handoff();
    let written = store::to_toml(&h).expect("serializes");
    // A newer version's (or a person's) keys, at every level, out of alphabetical order.
    let text = written
        .replacen(
            "created_at = 2026-03-02T09:00:00Z\n",
            "created_at = 2026-03-02T09:00:00Z\nmood = \"calm\"\n",
            1,
        )
        .replacen(
            "[deployment]\n",
            "[deployment]\nzeta_note = \"kept\"\nalpha_count = 3\n",
            1,
        )
        .replacen(
            "[notes]\n",
            "[crm]\naccount = \"acc-1\"\nbeta = 2\nalpha = 1\n\n[crm.fields]\nz = 1\na = 2\n\n[notes]\n",
            1,
        )
        .replacen("[[note]]\n", "[[note]]\nzcolour = \"blue\"\nacolour = \"red\"\n", 1)
        .replacen("[[checklist_item]]\n", "[[checklist_item]]\npriority = 1\n", 1)
        + "\n[[push]]\nat = 2026-03-29T08:00:00Z\nnote_id = \"n-1\"\n";
    fs::write(&path, &text).expect("write");

    let out = handoff(
        dir.path(),
        &["reopen", &path.to_string_lossy(), "--by", "Sam"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let after = fs::read_to_string(&path).expect("read");
    let headers = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with('[') && *l != "[[reopened]]" && *l != "[[change]]")
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        headers(&after),
        headers(&text),
        "sections in their order:\n{after}"
    );
    for key in [
        "mood = \"calm\"",
        "zeta_note = \"kept\"\nalpha_count = 3\n",
        "[crm]\naccount = \"acc-1\"\nbeta = 2\nalpha = 1\n",
        "[crm.fields]\nz = 1\na = 2\n",
        "zcolour = \"blue\"\nacolour = \"red\"\n",
        "priority = 1\n",
        "[[push]]\nat = 2026-03-29T08:00:00Z\nnote_id = \"n-1\"\n",
    ] {
        assert!(after.contains(key), "{key} kept:\n{after}");
    }
    // The entries' unknown keys go to the end of their entry; nothing else moves.
    let settled = |t: &str| {
        untouched_by_reopening(t)
            .lines()
            .filter(|l| {
                !["zcolour", "acolour", "priority"]
                    .iter()
                    .any(|k| l.starts_with(k))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(settled(&after), settled(&text));
    assert!(after.contains("[[reopened]]\n"), "{after}");
}

#[test]
fn reopen_respects_the_lock() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = write_complete(dir.path());
    let _lock = store::Lock::acquire(&path, "jane").expect("lock");
    let out = handoff(dir.path(), &["reopen", &path.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("being edited by"), "{}", stderr(&out));
}

#[test]
fn every_command_has_help_and_there_is_a_version() {
    let dir = tempfile::tempdir().expect("tmp");
    for command in ["new", "list", "check", "export", "reopen"] {
        let out = handoff(dir.path(), &[command, "--help"]);
        assert!(out.status.success(), "{command}");
        assert!(
            stdout(&out).starts_with(char::is_uppercase),
            "{command}: {}",
            stdout(&out)
        );
    }
    let out = handoff(dir.path(), &["--version"]);
    assert_eq!(
        stdout(&out),
        format!("handoff {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn text_from_the_file_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("evil.toml");
    let mut h = testdata::new_handoff();
    h.checklist_items[0].title = "\u{1b}]0;pwned\u{7}\u{1b}[2J".into();
    h.set_value(
        "handoff",
        "customer",
        Some(handoff::handoff::FieldValue::Text("Acme\u{1b}[31m".into())),
    );
    store::save(&path, &h).expect("save");
    for args in [vec!["check", path.to_str().expect("utf8")], vec!["list"]] {
        let out = handoff(dir.path(), &args);
        let all = [out.stdout, out.stderr].concat();
        assert!(
            !all.contains(&0x1b),
            "{args:?}: {}",
            String::from_utf8_lossy(&all)
        );
        assert!(!all.contains(&0x07), "{args:?}");
    }
}
