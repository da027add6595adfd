//! `f`: what kubectl knows, looked over, then filled in.

use crate::common::{CTRL_C, DOWN, ENTER, ESC, Fixture, SPACE, TAB, Term, assert_clean_exit};
use crate::fake_bin::{FakeBin, fake_kubectl};
use handoff::handoff::FieldValue;

const ALT_2: &str = "\x1b2";

/// The wizard on a new handoff with `path` as its PATH: on the deployment step,
/// `f`, then kubectl (nothing changes on asking).
fn kubectl_asked(path: &std::ffi::OsStr) -> (Fixture, Term) {
    let fx = Fixture::new();
    let path = path.to_str().expect("PATH is text");
    let t = crate::wizard(fx.dir(), &fx.path, &[("PATH", path)]);
    t.wait_for(crate::common::FIRST_STEP);
    t.send(ALT_2);
    t.wait_for("2 · Production deployment");
    t.send("f");
    t.wait_for("Fill from");
    assert_eq!(fx.read(), fx.created, "nothing changes on asking");
    t.send(ENTER);
    (fx, t)
}

#[test]
fn f_shows_what_kubectl_found_and_fills_in_only_the_ticked_values() {
    let bin = FakeBin::new();
    fake_kubectl(&bin);
    let (fx, mut t) = kubectl_asked(&bin.path());
    t.wait_for("Found by kubectl");
    t.wait_for("4 of 4 ticked");
    assert!(t.screen().contains("m6a.4xlarge ×3"), "{}", t.dump());
    assert_eq!(fx.read(), fx.created, "nothing changes before Enter");

    // The second value (Total CPU) is left out.
    t.send(DOWN);
    t.send(SPACE);
    t.wait_for("3 of 4 ticked");
    t.send(ENTER);
    t.wait_status("Filled 3 fields from kubectl");
    t.wait_saved();
    t.send(CTRL_C);
    assert_clean_exit(&mut t, &fx.path);

    let doc = fx.load();
    assert_eq!(doc.value("deployment", "total_cpu"), None);
    assert_eq!(
        doc.value("deployment", "total_memory_gb"),
        Some(&FieldValue::Number(324.6))
    );
    let filled: Vec<(&str, Option<&str>, &str)> = doc
        .history
        .iter()
        .map(|c| (c.field.as_str(), c.source.as_deref(), c.by.as_str()))
        .collect();
    assert_eq!(
        filled,
        [
            (
                "deployment.instance_types",
                Some("fill from kubectl"),
                "jane"
            ),
            (
                "deployment.total_memory_gb",
                Some("fill from kubectl"),
                "jane"
            ),
            (
                "deployment.total_disk_gb",
                Some("fill from kubectl"),
                "jane"
            ),
        ]
    );
    assert_eq!(bin.runs("kubectl").len(), 2, "nodes and claims, once each");
}

#[test]
fn typing_goes_on_while_kubectl_is_asked_and_esc_stops_waiting() {
    let bin = FakeBin::new();
    bin.program("kubectl", "sleep 20");
    let (fx, mut t) = kubectl_asked(&bin.path());
    t.wait_for("Asking kubectl");
    // Typing goes on while it waits.
    t.send(&format!("{TAB}{TAB}{TAB}https://sg.acme.example{ENTER}"));
    t.wait_saved();
    t.send(ESC);
    t.wait_status("Stopped waiting for kubectl");
    // Quitting does not wait for kubectl either (it would for 20 s).
    t.send(CTRL_C);
    assert_clean_exit(&mut t, &fx.path);
    assert_eq!(
        fx.load().value("deployment", "instance_url"),
        Some(&FieldValue::Text("https://sg.acme.example".into()))
    );
}

#[test]
fn kubectl_missing_is_one_line_and_nothing_changes() {
    let bin = FakeBin::new();
    let (fx, mut t) = kubectl_asked(&bin.path_alone());
    t.wait_status("kubectl (Kubernetes cluster): kubectl is not installed or not on PATH");
    t.send(CTRL_C);
    assert_clean_exit(&mut t, &fx.path);
    assert_eq!(fx.read(), fx.created);
}
