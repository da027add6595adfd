//! Applying: with `--yes`, from the PATH or from files, overwrites marked, values
//! already held left alone, a dry run and a run without a terminal changing nothing,
//! and a completed handoff taking only what it keeps open.

use super::*;
use handoff::handoff::Status;

#[test]
fn kubectl_on_the_path_applies_with_yes_and_records_each_change() {
    let fx = Fixture::new();
    let bin = FakeBin::new();
    fake_kubectl(&bin);
    let out = fill(
        fx.dir(),
        &[
            &fx.file(),
            "--from",
            "kubectl",
            "--context",
            "prod-eks",
            "--yes",
            "--as",
            "Sam Rivera",
        ],
        &Env::on_path(bin.path()),
    );
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    assert_eq!(
        text(&out.stdout),
        format!(
            "{KUBECTL_PREVIEW}Applied 4 changes to {}, recorded as \"fill from kubectl\" by Sam Rivera\n",
            fx.file()
        )
    );
    assert_eq!(
        bin.runs("kubectl"),
        [
            "get nodes -o json --context prod-eks",
            "get pvc -o json -A --context prod-eks"
        ]
    );
    let handoff = fx.load();
    assert_eq!(
        handoff.value("deployment", "total_cpu"),
        Some(&FieldValue::Number(68.0))
    );
    assert_eq!(
        handoff.value("deployment", "instance_types"),
        Some(&FieldValue::List(vec![
            "m6a.4xlarge ×3".into(),
            "r6a.2xlarge ×2".into(),
            "unknown ×1".into()
        ]))
    );
    assert_eq!(
        changes(&handoff),
        recorded(&KUBECTL_FIELDS, "Sam Rivera", "fill from kubectl")
    );
    let raw = String::from_utf8(fx.read()).expect("UTF-8");
    assert!(raw.contains("source = \"fill from kubectl\""), "{raw}");
    assert!(!fx.lock_path().exists(), "the lock was left behind");
}

#[test]
fn fixture_files_are_read_instead_of_running_kubectl() {
    let fx = Fixture::new();
    let bin = FakeBin::new(); // empty: running kubectl would fail
    let args = kubectl_from_files(&fx, &["--namespace", "monitoring", "--yes"]);
    let out = fill(fx.dir(), &args, &Env::on_path(bin.path_alone()));
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let handoff = fx.load();
    assert_eq!(
        handoff.value("deployment", "total_disk_gb"),
        Some(&FieldValue::Number(202.0))
    );
    // Nobody was named: `$USER` of the test environment is who.
    assert_eq!(
        changes(&handoff),
        recorded(&KUBECTL_FIELDS, "jane", "fill from kubectl")
    );
    assert!(bin.runs("kubectl").is_empty());
}

#[test]
fn docker_info_from_standard_input() {
    let fx = Fixture::new();
    let info = std::fs::read(fixture("docker-info.json")).expect("fixture");
    let out = fill(
        fx.dir(),
        &[&fx.file(), "--from", "docker", "--info", "-", "--yes"],
        &Env {
            path: Some(FakeBin::new().path_alone()),
            stdin: Some(&info),
            ..Env::default()
        },
    );
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).ends_with(&format!(
            "Applied 2 changes to {}, recorded as \"fill from docker\" by jane\n",
            fx.file()
        )),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        fx.load().value("deployment", "total_memory_gb"),
        Some(&FieldValue::Number(124.3))
    );
}

#[test]
fn dry_run_shows_the_preview_and_leaves_the_file_byte_identical() {
    let fx = Fixture::new();
    let bin = FakeBin::new();
    fake_kubectl(&bin);
    let out = fill(
        fx.dir(),
        &[&fx.file(), "--from", "kubectl", "--dry-run"],
        &Env::on_path(bin.path()),
    );
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "{KUBECTL_PREVIEW}Dry run: 4 changes not applied to {}; --yes applies them\n",
            fx.file()
        )
    );
    assert_eq!(text(&out.stderr), "");
    assert_eq!(fx.read(), fx.created);
    assert!(!fx.lock_path().exists());
}

#[test]
fn without_a_terminal_or_yes_nothing_changes() {
    let fx = Fixture::new();
    let args = kubectl_from_files(&fx, &[]);
    let out = fill(fx.dir(), &args, &Env::default());
    assert_eq!(code(&out), Some(1));
    assert_eq!(text(&out.stdout), KUBECTL_PREVIEW);
    assert_eq!(
        text(&out.stderr),
        format!(
            "handoff: {}: nothing applied: no terminal to ask on; --yes applies these 4 changes\n",
            fx.file()
        )
    );
    assert_eq!(fx.read(), fx.created);
    assert!(!fx.lock_path().exists());
}

#[test]
fn overwrites_are_marked_and_values_already_held_are_not_applied() {
    let fx = Fixture::new();
    let mut handoff = fx.load();
    handoff.set_value("deployment", "total_cpu", Some(FieldValue::Integer(68)));
    handoff.set_value(
        "deployment",
        "total_memory_gb",
        Some(FieldValue::Number(300.0)),
    );
    save(&fx, &handoff);
    let args = kubectl_from_files(&fx, &["--yes"]);
    let out = fill(fx.dir(), &args, &Env::default());
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let table: Vec<&str> = stdout.lines().take(5).collect();
    assert_eq!(
        table,
        [
            "Field                   Current  Proposed",
            "Machine instance types  —        m6a.4xlarge ×3, r6a.2xlarge ×2, unknown ×1",
            "Total CPU (cores)       68       68                                          same",
            "Total memory (GB)       300      324.6                                       overwrites",
            "Total disk space (GB)   —        4150",
        ]
    );
    assert!(
        stdout.ends_with(&format!(
            "Applied 3 changes to {}, recorded as \"fill from kubectl\" by jane\n",
            fx.file()
        )),
        "{stdout}"
    );
    let handoff = fx.load();
    let memory = handoff
        .history
        .iter()
        .find(|c| c.field == "deployment.total_memory_gb")
        .expect("memory recorded");
    assert_eq!(memory.old, Some(FieldValue::Number(300.0)));
    assert_eq!(memory.new, Some(FieldValue::Number(324.6)));
    assert!(
        !handoff
            .history
            .iter()
            .any(|c| c.field == "deployment.total_cpu")
    );

    // Again: nothing to change, and the file is not written.
    let before = fx.read();
    let again = fill(fx.dir(), &args, &Env::default());
    assert_eq!(code(&again), Some(0), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).ends_with(&format!(
            "Nothing to change: {} holds these values already\n",
            fx.file()
        )),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(fx.read(), before);
}

// ---------------------------------------------------------------- completed handoffs

#[test]
fn a_completed_handoff_refuses_deployment_fields_in_one_line() {
    let fx = Fixture::new();
    let before = save(&fx, &completed());
    let args = kubectl_from_files(&fx, &["--yes"]);
    let out = fill(fx.dir(), &args, &Env::default());
    assert_eq!(code(&out), Some(1));
    let file = fx.file();
    assert_eq!(
        text(&out.stderr),
        format!(
            "handoff: {file}: nothing applied: this handoff is complete and only the code hosts \
             can change (`handoff reopen {file}` opens the rest): Machine instance types, \
             Total CPU (cores), Total memory (GB), Total disk space (GB)\n"
        )
    );
    assert_eq!(fx.read(), before);
}

#[test]
fn a_completed_handoff_takes_the_code_hosts_from_sourcegraph() {
    let fx = Fixture::new();
    let mut handoff = completed();
    // Upgraded since: the version differs, but the upgrade step is closed.
    handoff.set_value(
        "upgrade",
        "current_version",
        Some(FieldValue::Text("6.3.0".into())),
    );
    save(&fx, &handoff);
    let server = start(Instance::Healthy);
    let out = fill(
        fx.dir(),
        &sourcegraph(&fx, &server, &["--yes", "--as", "Sam Rivera"]),
        &with_token(Env::default()),
    );
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let file = fx.file();
    assert!(
        stdout.contains(
            "Largest repositories (to help count monorepos):\n  1. github.com/acme/monorepo — 46080 MB\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "Not applied, since this handoff is complete and only the code hosts can change \
             (`handoff reopen {file}` opens the rest): Current Sourcegraph version\n\
             Applied 3 changes to {file}, recorded as \"fill from sourcegraph\" by Sam Rivera\n"
        )),
        "{stdout}"
    );
    let handoff = fx.load();
    assert_eq!(handoff.status, Status::Complete);
    assert_eq!(
        handoff.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(4210))
    );
    assert_eq!(
        handoff.value("upgrade", "current_version"),
        Some(&FieldValue::Text("6.3.0".into()))
    );
    assert_eq!(
        changes(&handoff),
        recorded(
            &[
                "code_hosts.hosts",
                "code_hosts.repositories",
                "code_hosts.largest_repo_mb"
            ],
            "Sam Rivera",
            "fill from sourcegraph"
        )
    );
}
