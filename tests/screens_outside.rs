//! What the wizard draws for work done elsewhere: what a fill found, a push
//! under way, a value set two ways (`TestBackend`), and the same at every size
//! with hostile text, without a panic.

#[path = "common/drawn.rs"]
mod drawn;

use drawn::{go_to, screen};
use handoff::fill::{Findings, Proposal, Source};
use handoff::handoff::{Conflict, FieldValue, Handoff, Timestamp};
use handoff::testdata;
use handoff::tui::action::Action;
use handoff::tui::app::App;

fn fixed_now() -> Timestamp {
    testdata::at(28, 12)
}

fn app(doc: Handoff) -> App {
    handoff::handoff::time::show_times_in_utc();
    App::new(doc, "Jane Doe".into(), None).with_clock(fixed_now)
}

/// What kubectl found on a cluster, with one value the handoff has already and
/// one it has differently.
fn kubectl_found(doc: &Handoff) -> Findings {
    let mut findings = Findings::new(Source::Kubectl);
    let same = doc
        .value("deployment", "total_disk_gb")
        .cloned()
        .unwrap_or(FieldValue::Integer(2048));
    findings.proposals = vec![
        Proposal::new(
            "deployment",
            "instance_types",
            FieldValue::List(vec!["m6a.4xlarge ×3".into(), "r6a.2xlarge ×2".into()]),
        )
        .with_detail("5 nodes by instance-type label"),
        Proposal::new("deployment", "total_cpu", FieldValue::Integer(68))
            .with_detail("CPU capacity of 5 nodes"),
        Proposal::new("deployment", "total_memory_gb", FieldValue::Number(324.6)),
        Proposal::new("deployment", "total_disk_gb", same),
    ];
    findings.info = vec!["1 claim without capacity (not bound yet) not counted: searcher-0".into()];
    findings
}

fn asking_kubectl(doc: Handoff) -> App {
    let mut app = app(doc);
    go_to(&mut app, "deployment");
    app.update(Action::Fill);
    app.update(Action::Activate);
    app
}

#[test]
fn what_a_fill_found_is_shown_field_now_found() {
    let doc = testdata::complete_handoff();
    let found = kubectl_found(&doc);
    let mut app = asking_kubectl(doc);
    insta::assert_snapshot!("fill_waiting", screen(&app, 100, 30));
    app.update(Action::Filled(Box::new(found)));
    app.update(Action::Down);
    app.update(Action::Toggle);
    insta::assert_snapshot!("fill_review", screen(&app, 100, 30));
}

#[test]
fn a_push_under_way_shows_its_progress() {
    let mut doc = testdata::complete_handoff();
    doc.set_value(
        "handoff",
        "vitally_account",
        Some(FieldValue::Text("acme-corp".into())),
    );
    let mut app = app(doc);
    go_to(&mut app, "review");
    app.update(Action::Push);
    insta::assert_snapshot!("push_asks", screen(&app, 100, 30));
    app.update(Action::Yes);
    app.update(Action::PushProgress(
        "Pushing to Vitally, 3 of 5: note \"Upper limits\"…".into(),
    ));
    insta::assert_snapshot!("push_progress", screen(&app, 100, 30));
}

#[test]
fn a_value_set_two_ways_offers_keep_or_take() {
    let mut doc = testdata::complete_handoff();
    doc.conflicts.push(Conflict {
        at: fixed_now(),
        field: "deployment.total_cpu".into(),
        ours: doc.value("deployment", "total_cpu").cloned(),
        theirs: Some(FieldValue::Integer(96)),
        theirs_by: Some("Sam Rivera".into()),
        unknown: toml::Table::new(),
    });
    let mut app = app(doc);
    go_to(&mut app, "review");
    app.update(Action::NextField);
    insta::assert_snapshot!("conflict_blocker", screen(&app, 100, 30));
    app.update(Action::Activate);
    insta::assert_snapshot!("conflict_choice", screen(&app, 100, 30));
}

#[test]
fn hostile_findings_draw_at_every_size_without_a_panic() {
    let hostile = "東京 👩‍👩‍👧‍👦 e\u{301}\u{301} \u{202e}evil\u{1b}[31m ".repeat(20);
    let mut findings = Findings::new(Source::Sourcegraph);
    findings.proposals = vec![
        Proposal::new(
            "code_hosts",
            "code_hosts",
            FieldValue::List(vec![hostile.clone(); 8]),
        )
        .with_detail(hostile.clone()),
        Proposal::new("code_hosts", "repositories", FieldValue::Integer(i64::MAX)),
    ];
    findings.info = vec![hostile.clone(); 30];
    findings.problems = vec![hostile.clone(); 5];
    let mut app = app(testdata::new_handoff());
    go_to(&mut app, "code_hosts");
    app.update(Action::Fill);
    app.update(Action::Activate);
    app.update(Action::Filled(Box::new(findings)));
    for width in [20, 40, 59, 60, 61, 80, 100, 133, 250] {
        for height in [5, 10, 15, 16, 24, 30, 60] {
            let shown = screen(&app, width, height);
            assert!(!shown.contains('\u{1b}'), "an escape reached the screen");
        }
    }
}
