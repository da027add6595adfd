//! The Sourcegraph source from the command line: where the endpoint comes from,
//! that the token goes nowhere but the request header, and how long a fill takes.

use super::*;
use std::time::{Duration, Instant};

#[test]
fn the_endpoint_comes_from_src_endpoint_else_the_instance_url() {
    let fx = Fixture::new();
    let server = start(Instance::Healthy);
    let dry = [&fx.file(), "--from", "sourcegraph", "--dry-run"];
    let mut env = with_token(Env::default());
    env.vars.push(("SRC_ENDPOINT", server.url()));
    let out = fill(fx.dir(), &dry, &env);
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert_eq!(server.requests().len(), 5);

    let other = start(Instance::Healthy);
    let mut handoff = fx.load();
    handoff.set_value(
        "deployment",
        "instance_url",
        Some(FieldValue::Text(other.url())),
    );
    save(&fx, &handoff);
    let out = fill(fx.dir(), &dry, &with_token(Env::default()));
    assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
    assert_eq!(other.requests().len(), 5);
    assert_eq!(server.requests().len(), 5);
}

/// Every file under `dir`, as text.
fn everything_in(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("list").flatten() {
        let path = entry.path();
        if path.is_dir() {
            everything_in(&path, found);
        } else {
            let bytes = std::fs::read(&path).unwrap_or_default();
            found.push((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            ));
        }
    }
}

#[test]
fn the_token_reaches_no_output_file_or_request_body() {
    let fx = Fixture::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (instance, extra) in [
        (Instance::Healthy, "--dry-run"),
        (Instance::Healthy, "--yes"),
        (Instance::NotAdmin, "--yes"),
        (Instance::Unauthorized, "--yes"),
        (Instance::Html, "--yes"),
    ] {
        let server = start(instance);
        let out = fill(
            fx.dir(),
            &sourcegraph(&fx, &server, &[extra]),
            &with_token(Env::default()),
        );
        seen.push(("stdout".into(), text(&out.stdout)));
        seen.push(("stderr".into(), text(&out.stderr)));
        for request in server.requests() {
            // Sent, as it must be, in the Authorization header and nowhere else.
            assert_eq!(
                request.header("authorization"),
                Some(format!("token {TOKEN}").as_str())
            );
            seen.push((
                format!("{} {}", request.method, request.path),
                request.body_text(),
            ));
        }
    }
    // The handoff, the config and state directories, anything the runs left.
    everything_in(fx.dir(), &mut seen);
    assert!(
        seen.iter()
            .any(|(_, t)| t.contains("fill from sourcegraph")),
        "the fill applied"
    );
    for (what, content) in &seen {
        assert!(!content.contains(TOKEN), "the token is in {what}");
        assert!(
            !content.contains("7f3a9c1d2e4b5a6f"),
            "the token is in {what}"
        );
    }
}

/// `handoff fill --from sourcegraph` end to end against the local fake, from
/// process start to exit: the issue wants under 100 ms. Timing depends on the build
/// and the machine, so it runs on request:
/// `cargo test --release --test fill_cli -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement: run with --release -- --ignored"]
fn fill_from_sourcegraph_is_quick_end_to_end() {
    let fx = Fixture::new();
    let server = start(Instance::Healthy);
    let args = sourcegraph(&fx, &server, &["--dry-run"]);
    let env = with_token(Env::default());
    let mut times: Vec<Duration> = (0..21)
        .map(|_| {
            let started = Instant::now();
            let out = fill(fx.dir(), &args, &env);
            let took = started.elapsed();
            assert_eq!(code(&out), Some(0), "{}", text(&out.stderr));
            took
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    eprintln!(
        "handoff fill --from sourcegraph, {} runs: median {median:?}, min {:?}, max {:?}",
        times.len(),
        times[0],
        times[times.len() - 1]
    );
    assert!(median < Duration::from_millis(100), "median {median:?}");
}
