//! `fill` from the outside, as the command line and the wizard will use it:
//! kubectl and docker are scripts written into a temporary directory placed first on
//! the PATH they run with, printing fixture JSON shaped like the real output; the
//! Sourcegraph instance is a fake GraphQL server on 127.0.0.1 that answers the
//! documented shapes and plays every failure. Nothing reaches any other address.

#[path = "common/fake_bin.rs"]
mod fake_bin;
#[path = "common/fake_http.rs"]
mod fake_http;
#[path = "common/fake_sourcegraph.rs"]
mod fake_sourcegraph;

use std::ffi::OsString;
use std::time::{Duration, Instant};

use fake_bin::{FakeBin, fake_kubectl, fixture};
use fake_sourcegraph::{Instance, TOKEN, start};
use handoff::fill::{self, Change, Findings, Input, Source, docker, kubectl, sourcegraph};
use handoff::handoff::FieldValue;
use handoff::http::{self, Secret};
use serde_json::{Value, json};

fn value(findings: &Findings, key: &str) -> Option<FieldValue> {
    let (step, field) = key.split_once('.').expect("step.field");
    findings.proposal(step, field).map(|p| p.value.clone())
}

/// Every proposal is a value the form accepts for its field.
fn assert_valid(findings: &Findings) {
    let form = handoff::form::form();
    for proposal in &findings.proposals {
        let field = form
            .step(&proposal.step)
            .and_then(|s| s.field(&proposal.field))
            .unwrap_or_else(|| panic!("{} is not a field of the form", proposal.key()));
        if let Err(problem) = handoff::validate::check(field, &proposal.value) {
            panic!(
                "{}: {:?} is refused: {problem}",
                proposal.key(),
                proposal.value
            );
        }
    }
}

fn number(n: f64) -> Option<FieldValue> {
    Some(FieldValue::Number(n))
}

fn list(items: &[&str]) -> Option<FieldValue> {
    Some(FieldValue::List(
        items.iter().map(std::string::ToString::to_string).collect(),
    ))
}

// ---------------------------------------------------------------- kubectl

#[test]
fn kubectl_fills_types_cpu_memory_and_disk_from_the_cluster() {
    let bin = FakeBin::new();
    fake_kubectl(&bin);
    let found = kubectl::fill(&kubectl::Options {
        context: Some("prod-eks".into()),
        path: Some(bin.path()),
        ..kubectl::Options::default()
    });
    assert_eq!(found.source, Source::Kubectl);
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    assert_valid(&found);
    // Three pools: the labelled one, one with only the beta label, one without any.
    assert_eq!(
        value(&found, "deployment.instance_types"),
        list(&["m6a.4xlarge ×3", "r6a.2xlarge ×2", "unknown ×1"])
    );
    assert_eq!(value(&found, "deployment.total_cpu"), number(68.0));
    // 3 × 65049420Ki + 2 × 64450096Ki + 16302404Ki = 324.58 GiB
    assert_eq!(value(&found, "deployment.total_memory_gb"), number(324.6));
    // Bound claims in both namespaces; the pending one is listed, not counted.
    assert_eq!(value(&found, "deployment.total_disk_gb"), number(4150.0));
    assert_eq!(
        found.info,
        ["1 claim without capacity (not bound yet) not counted: searcher-0"]
    );
    assert_eq!(
        bin.runs("kubectl"),
        [
            "get nodes -o json --context prod-eks",
            "get pvc -o json -A --context prod-eks"
        ]
    );
}

#[test]
fn kubectl_namespace_limits_the_disk_to_that_namespace() {
    let bin = FakeBin::new();
    fake_kubectl(&bin);
    let found = kubectl::fill(&kubectl::Options {
        namespace: Some("sourcegraph".into()),
        path: Some(bin.path()),
        ..kubectl::Options::default()
    });
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    assert_eq!(value(&found, "deployment.total_disk_gb"), number(3948.0));
    assert_eq!(
        bin.runs("kubectl"),
        ["get nodes -o json", "get pvc -o json -n sourcegraph"]
    );
}

#[test]
fn kubectl_files_are_read_instead_of_running_it() {
    let bin = FakeBin::new(); // empty: running kubectl would fail
    let found = kubectl::fill(&kubectl::Options {
        nodes: Some(Input::from_arg(
            &fixture("nodes.json").display().to_string(),
        )),
        pvcs: Some(Input::from_arg(&fixture("pvcs.json").display().to_string())),
        namespace: Some("monitoring".into()),
        path: Some(bin.path_alone()),
        ..kubectl::Options::default()
    });
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    assert_eq!(value(&found, "deployment.total_cpu"), number(68.0));
    assert_eq!(value(&found, "deployment.total_disk_gb"), number(202.0));
    assert!(bin.runs("kubectl").is_empty());
}

#[test]
fn kubectl_missing_is_one_line() {
    let bin = FakeBin::new();
    let found = kubectl::fill(&kubectl::Options {
        path: Some(bin.path_alone()),
        ..kubectl::Options::default()
    });
    assert!(found.proposals.is_empty());
    assert_eq!(found.problems, ["kubectl is not installed or not on PATH"]);
}

#[test]
fn kubectl_failing_gives_its_first_stderr_line() {
    let bin = FakeBin::new();
    bin.program(
        "kubectl",
        "echo 'error: You must be logged in to the server (Unauthorized)' >&2\necho 'more detail' >&2\nexit 1",
    );
    let found = kubectl::fill(&kubectl::Options {
        path: Some(bin.path()),
        ..kubectl::Options::default()
    });
    assert!(found.proposals.is_empty());
    assert_eq!(
        found.problems,
        [
            "kubectl get nodes failed (exit status 1): error: You must be logged in to the server (Unauthorized)",
            "kubectl get pvc failed (exit status 1): error: You must be logged in to the server (Unauthorized)",
        ]
    );
}

#[test]
fn kubectl_taking_too_long_is_stopped() {
    let bin = FakeBin::new();
    bin.program(
        "kubectl",
        "echo 'I0302 waiting for the API server' >&2\nexec sleep 30",
    );
    let start = Instant::now();
    let found = kubectl::fill(&kubectl::Options {
        nodes: Some(Input::File(fixture("nodes.json"))),
        timeout: Duration::from_millis(300),
        path: Some(bin.path()),
        ..kubectl::Options::default()
    });
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "the child was not stopped"
    );
    assert_eq!(
        found.problems,
        [
            "kubectl get pvc did not finish within 300 ms and was stopped: I0302 waiting for the API server"
        ]
    );
    // The nodes came from the file, so those fields are still proposed.
    assert_eq!(value(&found, "deployment.total_cpu"), number(68.0));
    assert!(value(&found, "deployment.total_disk_gb").is_none());
}

// ---------------------------------------------------------------- docker

#[test]
fn docker_fills_cpu_and_memory_of_the_host() {
    let bin = FakeBin::new();
    bin.program(
        "docker",
        &format!("cat '{}'", fixture("docker-info.json").display()),
    );
    let found = docker::fill(&docker::Options {
        path: Some(bin.path()),
        ..docker::Options::default()
    });
    assert_eq!(found.source, Source::Docker);
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    assert_valid(&found);
    assert_eq!(value(&found, "deployment.total_cpu"), number(32.0));
    // 133483147264 bytes = 124.3 GiB
    assert_eq!(value(&found, "deployment.total_memory_gb"), number(124.3));
    assert_eq!(
        found.info,
        ["Docker 27.4.1, on Ubuntu 24.04.1 LTS, host sg-compose-prod-1"]
    );
    assert_eq!(bin.runs("docker"), ["info --format {{json .}}"]);
}

#[test]
fn docker_info_from_a_file() {
    let found = docker::fill(&docker::Options {
        info: Some(Input::File(fixture("docker-info.json"))),
        path: Some(OsString::new()),
        ..docker::Options::default()
    });
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    assert_eq!(value(&found, "deployment.total_cpu"), number(32.0));
}

#[test]
fn docker_without_a_daemon_is_one_line() {
    let bin = FakeBin::new();
    bin.program(
        "docker",
        "echo '{\"ID\":\"\",\"NCPU\":0,\"MemTotal\":0,\"ServerErrors\":[\"Cannot connect to the Docker daemon at tcp://10.0.0.9:2376. Is the docker daemon running?\"]}'\n\
         echo 'Cannot connect to the Docker daemon at tcp://10.0.0.9:2376. Is the docker daemon running?' >&2\nexit 1",
    );
    let found = docker::fill(&docker::Options {
        path: Some(bin.path()),
        ..docker::Options::default()
    });
    assert!(found.proposals.is_empty());
    assert_eq!(
        found.problems,
        [
            "docker info failed (exit status 1): Cannot connect to the Docker daemon at tcp://10.0.0.9:2376. Is the docker daemon running?"
        ]
    );
    let missing = docker::fill(&docker::Options {
        path: Some(FakeBin::new().path_alone()),
        ..docker::Options::default()
    });
    assert_eq!(missing.problems, ["docker is not installed or not on PATH"]);
}

// ---------------------------------------------------------------- sourcegraph

fn options(endpoint: &str) -> sourcegraph::Options {
    sourcegraph::Options {
        endpoint: endpoint.to_string(),
        token: Some(Secret::new(TOKEN)),
        http: http::Options::default(),
    }
}

#[test]
fn sourcegraph_fills_repositories_hosts_largest_and_version() {
    let server = start(Instance::Healthy);
    let started = Instant::now();
    let found = sourcegraph::fill(&options(&server.url()));
    let elapsed = started.elapsed();
    eprintln!("fill --from sourcegraph against the local fake: {elapsed:?}");
    assert_eq!(found.source, Source::Sourcegraph);
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    assert_valid(&found);
    assert_eq!(
        value(&found, "code_hosts.repositories"),
        Some(FieldValue::Integer(4210))
    );
    // Both pages, mapped to the form's choices in the form's order, package kinds
    // folded into one "Other" text.
    assert_eq!(
        value(&found, "code_hosts.hosts"),
        list(&[
            "GitHub.com",
            "GitHub Enterprise",
            "GitLab self-managed",
            "Perforce",
            "package hosts"
        ])
    );
    assert_eq!(
        found
            .proposal("code_hosts", "hosts")
            .and_then(|p| p.detail.clone())
            .as_deref(),
        Some(
            "7 connections: GitHub.com ×1, GitHub Enterprise ×2, GitLab self-managed ×1, Perforce ×1, package hosts ×2"
        )
    );
    // 48318382080 bytes = 46080 MiB
    assert_eq!(value(&found, "code_hosts.largest_repo_mb"), number(46080.0));
    assert_eq!(
        value(&found, "upgrade.current_version"),
        Some(FieldValue::Text("6.4.1".into()))
    );
    assert_eq!(
        found.info,
        [
            "Largest repositories (to help count monorepos):",
            "  1. github.com/acme/monorepo — 46080 MB",
            "  2. ghe.acme.corp/platform/services — 12288 MB",
            "  3. gitlab.acme.corp/data/warehouse — 5120 MB",
            "  4. perforce.acme.corp/depot/game — 3072 MB",
            "  5. github.com/acme/website — size not known yet",
        ]
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 5, "version, count, two pages, largest");
    for request in &requests {
        assert_eq!(
            (request.method.as_str(), request.path.as_str()),
            ("POST", "/.api/graphql")
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert!(!request.body_text().contains(TOKEN));
    }
    let pages: Vec<Value> = requests
        .iter()
        .filter(|r| r.body_text().contains("externalServices"))
        .map(|r| r.json()["variables"]["after"].clone())
        .collect();
    assert_eq!(pages, [Value::Null, json!("RXh0ZXJuYWxTZXJ2aWNlOjQ=")]);
    let counting = requests
        .iter()
        .find(|r| r.body_text().contains("repositoryStats"))
        .expect("asked for repositoryStats");
    assert!(!counting.body_text().contains("totalCount"));
    let largest = requests
        .iter()
        .find(|r| r.body_text().contains("diskSizeBytes"))
        .expect("asked for sizes");
    assert!(
        largest.json()["query"]
            .as_str()
            .is_some_and(|q| q.contains("repositories(first: 5, orderBy: SIZE, descending: true)"))
    );
}

#[test]
fn sourcegraph_endpoint_may_carry_the_api_path() {
    let server = start(Instance::Healthy);
    let found = sourcegraph::fill(&options(&format!("{}/.api/graphql/", server.url())));
    assert!(found.problems.is_empty(), "{:?}", found.problems);
    assert!(server.requests().iter().all(|r| r.path == "/.api/graphql"));
}

#[test]
fn a_non_admin_token_still_gets_what_it_may_see() {
    let server = start(Instance::NotAdmin);
    let found = sourcegraph::fill(&options(&server.url()));
    assert_eq!(
        found.problems,
        ["a site-admin token is needed for code hosts"]
    );
    assert!(value(&found, "code_hosts.hosts").is_none());
    assert_eq!(
        value(&found, "code_hosts.repositories"),
        Some(FieldValue::Integer(4210))
    );
    assert!(value(&found, "code_hosts.largest_repo_mb").is_some());
    assert!(value(&found, "upgrade.current_version").is_some());
}

#[test]
fn an_instance_too_old_to_order_by_size_fails_only_that_field() {
    let server = start(Instance::TooOldForSize);
    let found = sourcegraph::fill(&options(&server.url()));
    assert_eq!(
        found.problems,
        [
            "this Sourcegraph version cannot order repositories by size; largest repository not filled (fill it by hand)"
        ]
    );
    assert!(value(&found, "code_hosts.largest_repo_mb").is_none());
    assert!(found.info.is_empty());
    assert_eq!(found.proposals.len(), 3);
}

#[test]
fn graphql_errors_with_http_200_are_reported_per_field() {
    let server = start(Instance::CountFails);
    let found = sourcegraph::fill(&options(&server.url()));
    assert_eq!(
        found.problems,
        ["the number of repositories not filled: repository stats are being computed"]
    );
    assert!(value(&found, "code_hosts.repositories").is_none());
    assert_eq!(found.proposals.len(), 3);
}

/// Every failure of the exchange itself: one line, nothing proposed, no further
/// requests.
#[test]
fn failed_exchanges_are_one_line_and_propose_nothing() {
    let cases = [
        (
            Instance::Unauthorized,
            "SRC_ACCESS_TOKEN was refused (401); check that it is a valid token for {addr}",
        ),
        (
            Instance::LoginRedirect,
            "{addr} redirected to a login page (/sign-in); check the URL and token",
        ),
        (
            Instance::Html,
            "{addr} answered with an HTML page instead of JSON (HTTP 200); check the URL",
        ),
        (
            Instance::Huge,
            "the answer from {addr} is larger than 10 MB; not reading it",
        ),
    ];
    for (instance, expected) in cases {
        let server = start(instance);
        let found = sourcegraph::fill(&options(&server.url()));
        let expected = expected.replace("{addr}", &server.addr().to_string());
        assert_eq!(found.problems, [expected]);
        assert!(found.proposals.is_empty());
        assert!(found.info.is_empty());
        assert_eq!(server.requests().len(), 1);
    }
}

#[test]
fn connection_refused_is_one_line() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let found = sourcegraph::fill(&options(&format!("http://127.0.0.1:{port}")));
    assert_eq!(
        found.problems,
        [format!(
            "cannot connect to 127.0.0.1:{port} (connection refused)"
        )]
    );
    assert!(found.proposals.is_empty());
}

#[test]
fn a_wrong_token_is_refused_and_never_shown() {
    let server = start(Instance::Healthy);
    let found = sourcegraph::fill(&sourcegraph::Options {
        token: Some(Secret::new("sgp_wrong")),
        ..options(&server.url())
    });
    assert_eq!(found.problems.len(), 1);
    assert!(found.problems[0].starts_with("SRC_ACCESS_TOKEN was refused (401)"));
    assert!(!format!("{found:?}").contains("sgp_wrong"));
}

#[test]
fn server_text_reaches_no_terminal_unfiltered() {
    let server = start(Instance::Hostile);
    let found = sourcegraph::fill(&options(&server.url()));
    let everything = format!("{found:?}");
    assert!(!everything.contains('\u{1b}'), "{everything}");
    assert!(!format!("{:?}", found.info).contains('\u{1b}'));
    assert_eq!(
        value(&found, "upgrade.current_version"),
        Some(FieldValue::Text("6.4.1\u{fffd}]0;owned\u{fffd}".into()))
    );
    assert_valid(&found);
    let hosts = value(&found, "code_hosts.hosts");
    assert!(
        matches!(&hosts, Some(FieldValue::List(h)) if h.contains(&"NEW\u{fffd}[2JKIND".to_string()))
    );
    let handoff = handoff::testdata::new_handoff();
    let table = fill::render_preview(&fill::preview(&handoff, &found));
    assert!(
        !table.chars().any(|c| c.is_control() && c != '\n'),
        "{table}"
    );
}

#[test]
fn the_token_appears_in_no_output() {
    let mut seen = Vec::new();
    for instance in [
        Instance::Healthy,
        Instance::NotAdmin,
        Instance::TooOldForSize,
        Instance::Unauthorized,
        Instance::LoginRedirect,
        Instance::Html,
        Instance::Huge,
    ] {
        let server = start(instance);
        let options = options(&server.url());
        let found = sourcegraph::fill(&options);
        let handoff = handoff::testdata::new_handoff();
        seen.push(format!("{found:?}"));
        seen.push(format!("{options:?}"));
        seen.extend(found.problems.iter().cloned());
        seen.extend(found.info.iter().cloned());
        seen.push(fill::render_preview(&fill::preview(&handoff, &found)));
    }
    let unreachable = options("http://127.0.0.1:1");
    seen.push(format!("{:?}", sourcegraph::fill(&unreachable)));
    for text in &seen {
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains("7f3a9c1d2e4b5a6f"), "{text}");
    }
}

#[test]
fn the_preview_of_sourcegraph_findings_marks_overwrites() {
    let server = start(Instance::Healthy);
    let found = sourcegraph::fill(&options(&server.url()));
    let mut handoff = handoff::testdata::new_handoff();
    handoff.set_value(
        "code_hosts",
        "repositories",
        Some(FieldValue::Integer(4210)),
    );
    handoff.set_value(
        "upgrade",
        "current_version",
        Some(FieldValue::Text("6.3.0".into())),
    );
    let rows = fill::preview(&handoff, &found);
    let change = |field: &str| {
        rows.iter()
            .find(|r| r.field == field)
            .map(|r| r.change)
            .expect("row")
    };
    assert_eq!(change("repositories"), Change::Same);
    assert_eq!(change("current_version"), Change::Overwrite);
    assert_eq!(change("hosts"), Change::New);
    let keys: Vec<String> = fill::changes(&handoff, &found)
        .iter()
        .map(|p| p.key())
        .collect();
    assert_eq!(
        keys,
        [
            "code_hosts.hosts",
            "code_hosts.largest_repo_mb",
            "upgrade.current_version"
        ]
    );
    let table = fill::render_preview(&rows);
    assert!(table.contains("6.3.0"), "{table}");
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("Current Sourcegraph version") && l.ends_with("overwrites"))
    );
}
