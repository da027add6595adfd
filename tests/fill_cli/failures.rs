//! Failures: each is one line, with exit 1 (2 for an unreadable file or an option
//! of another source), and the file is left as it was.

use super::*;

#[test]
fn kubectl_failing_is_one_line_per_run_and_changes_nothing() {
    let fx = Fixture::new();
    let bin = FakeBin::new();
    bin.program(
        "kubectl",
        "echo 'error: You must be logged in to the server (Unauthorized)' >&2\nexit 1",
    );
    let out = fill(
        fx.dir(),
        &[&fx.file(), "--from", "kubectl", "--yes"],
        &Env::on_path(bin.path()),
    );
    assert_eq!(code(&out), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        "handoff: kubectl get nodes failed (exit status 1): error: You must be logged in to the server (Unauthorized)\n\
         handoff: kubectl get pvc failed (exit status 1): error: You must be logged in to the server (Unauthorized)\n"
    );
    assert_eq!(fx.read(), fx.created);
}

#[test]
fn docker_missing_from_the_path_is_one_line() {
    let fx = Fixture::new();
    let out = fill(
        fx.dir(),
        &[&fx.file(), "--from", "docker", "--yes"],
        &Env::on_path(FakeBin::new().path_alone()),
    );
    assert_eq!(code(&out), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        "handoff: docker is not installed or not on PATH\n"
    );
    assert_eq!(fx.read(), fx.created);
}

#[test]
fn sourcegraph_refusing_the_token_is_one_line() {
    let fx = Fixture::new();
    let server = start(Instance::Unauthorized);
    let out = fill(
        fx.dir(),
        &sourcegraph(&fx, &server, &["--yes"]),
        &with_token(Env::default()),
    );
    assert_eq!(code(&out), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        format!(
            "handoff: SRC_ACCESS_TOKEN was refused (401); check that it is a valid token for {}\n",
            server.addr()
        )
    );
    assert_eq!(fx.read(), fx.created);
}

#[test]
fn no_token_is_one_line_naming_the_variable() {
    let fx = Fixture::new();
    let server = start(Instance::Healthy);
    let out = fill(fx.dir(), &sourcegraph(&fx, &server, &[]), &Env::default());
    assert_eq!(code(&out), Some(1));
    assert_eq!(
        text(&out.stderr),
        "handoff: SRC_ACCESS_TOKEN is not set: create an access token on the instance (a site \
         admin's, for code hosts) and export it\n"
    );
    assert!(server.requests().is_empty());
    assert_eq!(fx.read(), fx.created);
}

/// A part that failed applies nothing, though the rest is shown.
#[test]
fn a_partly_failed_fill_shows_what_it_found_and_applies_nothing() {
    let fx = Fixture::new();
    let server = start(Instance::NotAdmin);
    let out = fill(
        fx.dir(),
        &sourcegraph(&fx, &server, &["--yes"]),
        &with_token(Env::default()),
    );
    assert_eq!(code(&out), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Field                        Current  Proposed\n"),
        "{stdout}"
    );
    assert!(stdout.contains("Number of repositories"), "{stdout}");
    assert_eq!(
        text(&out.stderr),
        format!(
            "handoff: a site-admin token is needed for code hosts\n\
             handoff: {}: nothing applied, since part of the fill failed (above)\n",
            fx.file()
        )
    );
    assert_eq!(fx.read(), fx.created);
}

#[test]
fn an_unreadable_handoff_is_exit_2_before_anything_runs() {
    let fx = Fixture::new();
    let bin = FakeBin::new();
    fake_kubectl(&bin);
    let broken = fx.dir().join("broken.toml");
    std::fs::write(&broken, "schema = 2\n[handoff\n").expect("write");
    let missing = fx.dir().join("missing.toml");
    for file in [&broken, &missing] {
        let out = fill(
            fx.dir(),
            &[&file_arg(file), "--from", "kubectl", "--yes"],
            &Env::on_path(bin.path()),
        );
        assert_eq!(code(&out), Some(2), "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("handoff: {}", file.display())),
            "{stderr}"
        );
        assert_eq!(text(&out.stdout), "");
    }
    assert_eq!(
        std::fs::read_to_string(&broken).expect("read"),
        "schema = 2\n[handoff\n"
    );
    assert!(bin.runs("kubectl").is_empty());
}

#[test]
fn an_option_of_another_source_is_refused_in_one_line() {
    let fx = Fixture::new();
    for (args, line) in [
        (
            &["--from", "docker", "--context", "prod"][..],
            "handoff: --context is for --from kubectl, not --from docker\n",
        ),
        (
            &["--from", "kubectl", "--endpoint", "https://sg.example.com"][..],
            "handoff: --endpoint is for --from sourcegraph, not --from kubectl\n",
        ),
        (
            &["--from", "sourcegraph", "--info", "-"][..],
            "handoff: --info is for --from docker, not --from sourcegraph\n",
        ),
    ] {
        let mut all = vec![fx.file()];
        all.extend(args.iter().map(ToString::to_string));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let out = fill(fx.dir(), &all, &Env::default());
        assert_eq!(code(&out), Some(2));
        assert_eq!(text(&out.stderr), line);
    }
    assert_eq!(fx.read(), fx.created);
}

#[test]
fn a_file_open_elsewhere_is_not_changed() {
    let fx = Fixture::new();
    let _held = store::Lock::acquire(&fx.path, "Sam").expect("take the lock");
    let args = kubectl_from_files(&fx, &["--yes"]);
    let out = fill(fx.dir(), &args, &Env::default());
    assert_eq!(code(&out), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with(&format!("handoff: {}: being edited by Sam@", fx.file())),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(fx.read(), fx.created);
}
