//! `handoff fill` as a user runs it: the built binary, with `kubectl` and `docker`
//! replaced by scripts first on its PATH and the Sourcegraph instance played by a
//! fake GraphQL server on 127.0.0.1. What is proved is what a user sees: the
//! preview, the one-line refusals, the exit codes, and the file on disk (changed
//! only when asked, with every value recorded as a change from its source).

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/fake_bin.rs"]
mod fake_bin;
#[path = "../common/fake_http.rs"]
mod fake_http;
#[path = "../common/fake_sourcegraph.rs"]
mod fake_sourcegraph;

mod applying;
mod failures;
mod sourcegraph;
mod terminal;

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{Fixture, test_env, text};
use fake_bin::{FakeBin, fake_kubectl, fixture};
use fake_http::FakeServer;
use fake_sourcegraph::{Instance, TOKEN, start};
use handoff::handoff::{FieldValue, Handoff, now};
use handoff::store;

/// How the child is run besides its arguments.
#[derive(Default)]
struct Env<'a> {
    /// The PATH it runs with (the test's own when `None`).
    path: Option<OsString>,
    vars: Vec<(&'a str, String)>,
    stdin: Option<&'a [u8]>,
}

impl Env<'_> {
    fn on_path(path: OsString) -> Self {
        Env {
            path: Some(path),
            ..Env::default()
        }
    }
}

/// `handoff fill ARGS` in `dir` without a terminal.
fn fill(dir: &Path, args: &[impl AsRef<OsStr>], env: &Env<'_>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handoff"));
    cmd.arg("fill")
        .args(args)
        .env_clear()
        .current_dir(dir)
        .stdin(if env.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(path) = env.path.clone().or_else(|| std::env::var_os("PATH")) {
        cmd.env("PATH", path);
    }
    for (key, value) in test_env(dir) {
        cmd.env(key, value);
    }
    for (key, value) in &env.vars {
        cmd.env(key, value);
    }
    let mut child = cmd.spawn().expect("run handoff fill");
    if let Some(input) = env.stdin {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        stdin.write_all(input).expect("write stdin");
    }
    child.wait_with_output().expect("wait for handoff fill")
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn file_arg(path: &Path) -> String {
    path.display().to_string()
}

/// `FILE --from kubectl` with the fixtures as `--nodes` and `--pvcs` files, then `extra`.
fn kubectl_from_files(fx: &Fixture, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        fx.file(),
        "--from".into(),
        "kubectl".into(),
        "--nodes".into(),
        file_arg(&fixture("nodes.json")),
        "--pvcs".into(),
        file_arg(&fixture("pvcs.json")),
    ];
    args.extend(extra.iter().map(ToString::to_string));
    args
}

/// `FILE --from sourcegraph --endpoint URL`, then `extra`.
fn sourcegraph(fx: &Fixture, server: &FakeServer, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        fx.file(),
        "--from".into(),
        "sourcegraph".into(),
        "--endpoint".into(),
        server.url(),
    ];
    args.extend(extra.iter().map(ToString::to_string));
    args
}

fn with_token(env: Env<'_>) -> Env<'_> {
    let mut env = env;
    env.vars.push(("SRC_ACCESS_TOKEN", TOKEN.to_string()));
    env
}

/// The fixture's file replaced by `handoff` as saved by the library.
fn save(fx: &Fixture, handoff: &Handoff) -> Vec<u8> {
    store::save(&fx.path, handoff).expect("save the handoff");
    fx.read()
}

fn completed() -> Handoff {
    let mut handoff = handoff::testdata::complete_handoff();
    handoff.complete("Jane Doe", now()).expect("nothing blocks");
    handoff
}

/// (field, by, source) of every recorded change.
fn changes(handoff: &Handoff) -> Vec<(String, String, Option<String>)> {
    handoff
        .history
        .iter()
        .map(|c| (c.field.clone(), c.by.clone(), c.source.clone()))
        .collect()
}

fn recorded(fields: &[&str], by: &str, source: &str) -> Vec<(String, String, Option<String>)> {
    fields
        .iter()
        .map(|f| ((*f).to_string(), by.to_string(), Some(source.to_string())))
        .collect()
}

const KUBECTL_FIELDS: [&str; 4] = [
    "deployment.instance_types",
    "deployment.total_cpu",
    "deployment.total_memory_gb",
    "deployment.total_disk_gb",
];

const KUBECTL_PREVIEW: &str = "\
Field                   Current  Proposed
Machine instance types  —        m6a.4xlarge ×3, r6a.2xlarge ×2, unknown ×1
Total CPU (cores)       —        68
Total memory (GB)       —        324.6
Total disk space (GB)   —        4150

How each was found:
  Machine instance types: 6 nodes by instance-type label
  Total CPU (cores): CPU capacity of 6 nodes
  Total memory (GB): memory capacity of 6 nodes, GB = 2^30 bytes
  Total disk space (GB): sum of 12 claims in 2 namespaces, GB = 2^30 bytes

1 claim without capacity (not bound yet) not counted: searcher-0

";
