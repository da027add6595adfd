//! Work done elsewhere and brought back: a fill looked over before it changes
//! anything, a push, a value set two ways on two machines, the file changing
//! under a view, and syncing on quitting.

use super::*;
use crate::fill::{Findings, Proposal, Source};
use crate::handoff::Conflict;
use crate::tui::app::outside::Task;

fn kubectl_found() -> Findings {
    let mut findings = Findings::new(Source::Kubectl);
    findings.proposals = vec![
        Proposal::new("deployment", "total_cpu", FieldValue::Integer(68))
            .with_detail("CPU capacity of 6 nodes"),
        Proposal::new("deployment", "total_memory_gb", FieldValue::Number(324.6)),
    ];
    findings.info = vec!["6 nodes by instance-type label".into()];
    findings
}

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// `f` on the deployment step, then the first source (kubectl).
fn ask_kubectl(app: &mut App) -> Vec<Effect> {
    step(app, "deployment");
    focus_row(app, Row::Field(0));
    app.update(Action::Fill);
    assert!(matches!(app.mode, Mode::Choose(_)), "f asks where from");
    app.update(Action::Activate)
}

#[test]
fn a_fill_is_looked_over_and_only_the_ticked_values_change() {
    let mut app = app(testdata::new_handoff());
    let effects = ask_kubectl(&mut app);
    assert_eq!(
        effects,
        [Effect::Fill {
            source: Source::Kubectl
        }]
    );
    assert!(app.task().is_some(), "the spinner shows while kubectl runs");

    app.update(Action::Filled(Box::new(kubectl_found())));
    let Mode::Fill(review) = &app.mode else {
        panic!("what was found is shown first, not applied");
    };
    assert_eq!(review.chosen, [true, true], "new values start ticked");
    assert_eq!(app.doc.value("deployment", "total_cpu"), None);

    // Space on the first row unticks it; Enter fills in the rest.
    app.update(Action::Toggle);
    let effects = app.update(Action::Activate);
    assert!(is_save(&effects), "the fill is saved at once");
    assert_eq!(app.doc.value("deployment", "total_cpu"), None);
    assert_eq!(
        app.doc.value("deployment", "total_memory_gb"),
        Some(&FieldValue::Number(324.6))
    );
    let change = app.doc.history.last().expect("recorded");
    assert_eq!(change.field, "deployment.total_memory_gb");
    assert_eq!(change.source.as_deref(), Some("fill from kubectl"));
    assert_eq!(change.by, "Jane Doe");
    assert!(message(&app).starts_with("Filled 1 field from kubectl"));
}

#[test]
fn esc_on_what_was_found_fills_in_nothing() {
    let mut app = app(testdata::new_handoff());
    ask_kubectl(&mut app);
    app.update(Action::Filled(Box::new(kubectl_found())));
    let before = app.doc.clone();
    let effects = app.update(Action::Cancel);
    assert!(!is_save(&effects));
    assert_eq!(app.doc, before);
    assert_eq!(message(&app), "Nothing filled");
}

#[test]
fn typing_goes_on_while_a_fill_runs_and_what_it_found_waits_for_the_typing() {
    let mut app = app(testdata::new_handoff());
    ask_kubectl(&mut app);
    focus(&mut app, "instance_url");
    type_text(&mut app, "https://sg.example");
    assert!(matches!(app.mode, Mode::Edit(_)), "typing is not held up");
    // kubectl answers mid-typing: nothing is taken from the editor.
    app.update(Action::Filled(Box::new(kubectl_found())));
    assert!(matches!(app.mode, Mode::Edit(_)));
    assert!(
        message(&app).contains("opens when you are done"),
        "{}",
        message(&app)
    );
    let effects = app.update(Action::Activate);
    assert!(is_save(&effects));
    assert_eq!(
        app.doc.value("deployment", "instance_url"),
        Some(&FieldValue::Text("https://sg.example".into()))
    );
    assert!(matches!(app.mode, Mode::Fill(_)), "then the findings open");
    // A second fill waits for the first.
    app.update(Action::Cancel);
    ask_kubectl(&mut app);
    app.update(Action::Fill);
    assert!(matches!(app.mode, Mode::Browse));
    assert!(message(&app).contains("One source at a time"));
}

#[test]
fn esc_stops_waiting_for_a_fill() {
    let mut app = app(testdata::new_handoff());
    ask_kubectl(&mut app);
    app.update(Action::Cancel);
    assert_eq!(app.task(), None);
    assert!(message(&app).starts_with("Stopped waiting for kubectl"));
    // The answer that comes later is not shown.
    app.update(Action::Filled(Box::new(kubectl_found())));
    assert!(matches!(app.mode, Mode::Browse));
}

#[test]
fn the_spinner_turns_with_each_tick_and_ticks_do_not_clear_messages() {
    let mut app = app(testdata::new_handoff());
    ask_kubectl(&mut app);
    let first = app.task().map(Task::spinner);
    app.update(Action::Tick);
    assert_ne!(app.task().map(Task::spinner), first);
    app.update(Action::Fill); // refused: one source at a time
    let said = message(&app);
    app.update(Action::Tick);
    assert_eq!(message(&app), said);
}

#[test]
fn a_fill_after_completion_offers_the_code_hosts_only() {
    let mut doc = testdata::complete_handoff();
    doc.complete("Jane Doe", clock()).expect("complete");
    let mut app = App::new(doc, "Sam Rivera".into(), None).with_clock(clock);
    step(&mut app, "deployment");
    app.update(Action::Fill);
    assert!(matches!(app.mode, Mode::Browse));
    assert!(
        message(&app).contains("handoff reopen"),
        "{}",
        message(&app)
    );

    step(&mut app, "code_hosts");
    app.update(Action::Fill);
    let Mode::Choose(chooser) = &app.mode else {
        panic!("the code hosts can be filled");
    };
    assert_eq!(
        Source::ALL.get(chooser.selected),
        Some(&Source::Sourcegraph),
        "the instance knows the code hosts"
    );
    app.update(Action::Activate);
    let mut found = Findings::new(Source::Sourcegraph);
    found.proposals = vec![
        Proposal::new("code_hosts", "repositories", FieldValue::Integer(1500)),
        Proposal::new("deployment", "total_cpu", FieldValue::Integer(99)),
    ];
    app.update(Action::Filled(Box::new(found)));
    let Mode::Fill(review) = &app.mode else {
        panic!("shown first");
    };
    assert_eq!(
        review.chosen,
        [true, false],
        "a closed step is never ticked"
    );
    app.update(Action::Down);
    app.update(Action::Toggle);
    assert!(message(&app).contains("cannot change"));
    app.update(Action::Activate);
    assert_eq!(
        app.doc.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(1500))
    );
    assert_ne!(
        app.doc.value("deployment", "total_cpu"),
        Some(&FieldValue::Integer(99))
    );
    let change = app.doc.history.last().expect("recorded");
    assert_eq!(
        (change.by.as_str(), change.source.as_deref()),
        ("Sam Rivera", Some("fill from sourcegraph"))
    );
}

#[test]
fn a_fill_that_found_nothing_says_why() {
    let mut app = app(testdata::new_handoff());
    ask_kubectl(&mut app);
    let mut found = Findings::new(Source::Kubectl);
    found
        .problems
        .push("kubectl is not installed (not found on PATH)".into());
    app.update(Action::Filled(Box::new(found)));
    assert!(matches!(app.mode, Mode::Browse));
    assert!(message(&app).contains("not found on PATH"));
}

fn acme() -> Handoff {
    let mut doc = testdata::complete_handoff();
    doc.set_value(
        "handoff",
        "vitally_account",
        Some(FieldValue::Text("acme-corp".into())),
    );
    doc
}

#[test]
fn a_push_asks_first_then_runs_while_nothing_can_change() {
    let mut app = app(testdata::new_handoff());
    app.update(Action::Push);
    assert!(message(&app).contains("No Vitally account"));

    let mut app = self::app(acme());
    let effects = app.update(Action::Push);
    assert!(effects.is_empty(), "nothing is sent before the answer");
    assert!(matches!(app.mode, Mode::Confirm(_)));
    app.update(Action::No);
    assert!(app.task().is_none());

    app.update(Action::Push);
    let effects = app.update(Action::Yes);
    assert_eq!(
        effects,
        [Effect::Push {
            by: "Jane Doe".into()
        }]
    );
    app.update(Action::PushProgress(
        "Pushing to Vitally, 1 of 3: traits…".into(),
    ));
    assert_eq!(
        app.task().map(|t| t.label.as_str()),
        Some("Pushing to Vitally, 1 of 3: traits…")
    );
    step(&mut app, "notes");
    app.update(Action::Add);
    assert!(matches!(app.mode, Mode::Browse), "no note while pushing");

    // What Vitally has is kept (the push saved it), without another save.
    let mut record = app.doc.vitally.clone();
    record.account = "acme-corp".into();
    let effects = app.update(Action::PushRecorded(Box::new(record.clone())));
    assert!(!is_save(&effects));
    assert_eq!(app.doc.vitally, record);

    app.update(Action::Pushed(Ok(
        "14 traits set, 4 notes created, 0 updated".into(),
    )));
    assert!(app.task().is_none());
    assert_eq!(
        message(&app),
        "Pushed to Vitally: 14 traits set, 4 notes created, 0 updated"
    );
}

#[test]
fn esc_stops_a_push_before_its_next_request() {
    let mut app = app(acme());
    app.update(Action::Push);
    app.update(Action::Yes);
    let effects = app.update(Action::Cancel);
    assert_eq!(effects, [Effect::StopPush]);
    assert!(app.task().is_some(), "it runs until it has stopped");
    app.update(Action::Pushed(Err(
        "stopped before PUT /resources/accounts/acc-1".into(),
    )));
    assert!(app.task().is_none());
    assert!(message(&app).starts_with("Push to Vitally: stopped"));
}

#[test]
fn a_read_only_view_neither_fills_nor_pushes() {
    let mut app = App::new(acme(), "Sam".into(), Some("viewing".into())).with_clock(clock);
    step(&mut app, "deployment");
    assert!(app.update(Action::Fill).is_empty());
    assert!(app.update(Action::Push).is_empty());
    assert!(matches!(app.mode, Mode::Browse));
}

fn with_conflict() -> Handoff {
    let mut doc = testdata::complete_handoff();
    doc.conflicts.push(Conflict {
        at: clock(),
        field: "deployment.total_cpu".into(),
        ours: doc.value("deployment", "total_cpu").cloned(),
        theirs: Some(FieldValue::Integer(96)),
        theirs_by: Some("Sam Rivera".into()),
        unknown: toml::Table::new(),
    });
    doc
}

#[test]
fn enter_on_a_conflict_offers_keep_or_take_and_records_the_choice() {
    let mut app = app(with_conflict());
    step(&mut app, "review");
    focus_row(&mut app, Row::Blockers);
    let index = app
        .doc
        .blockers()
        .iter()
        .position(|b| matches!(b.target, crate::handoff::Target::Conflict(_)))
        .expect("the conflict blocks completion");
    for _ in 0..index {
        app.update(Action::Down);
    }
    app.update(Action::Activate);
    let Mode::Choose(chooser) = &app.mode else {
        panic!("Enter asks which value to keep");
    };
    assert_eq!(chooser.title, "Total CPU (cores) was set two ways");
    assert_eq!(chooser.options[1].label, "Take 96 (by Sam Rivera)");

    app.update(Action::Down);
    let effects = app.update(Action::Activate);
    assert!(is_save(&effects));
    assert!(app.doc.conflicts.is_empty());
    assert_eq!(
        app.doc.value("deployment", "total_cpu"),
        Some(&FieldValue::Integer(96))
    );
    assert!(app.doc.blockers().is_empty());
}

#[test]
fn a_view_shows_a_conflict_where_it_is_instead_of_settling_it() {
    let mut app = App::new(with_conflict(), "Sam".into(), Some("viewing".into())).with_clock(clock);
    step(&mut app, "review");
    focus_row(&mut app, Row::Blockers);
    app.update(Action::Activate);
    assert!(matches!(app.mode, Mode::Browse));
    assert_eq!(app.current_step().key, "deployment");
}

#[test]
fn a_view_follows_the_file_and_keeps_the_last_good_copy() {
    let mut app = App::new(
        testdata::complete_handoff(),
        "Sam".into(),
        Some("viewing".into()),
    )
    .with_clock(clock);
    step(&mut app, "code_hosts");
    let row = app.row();
    let mut newer = testdata::complete_handoff();
    newer
        .change_field(
            "code_hosts",
            "repositories",
            Some(FieldValue::Integer(2000)),
            crate::handoff::Author {
                by: "Jane Doe",
                at: testdata::at(29, 9),
                source: None,
            },
        )
        .expect("open step");
    app.update(Action::Reloaded {
        result: Ok(Box::new(newer.clone())),
        editing: None,
    });
    assert_eq!(
        app.doc.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(2000))
    );
    assert_eq!(
        (app.current_step().key.as_str(), app.row()),
        ("code_hosts", row)
    );
    let note = app.header_note().expect("says so");
    assert!(note.starts_with("updated "), "{note}");
    assert!(!note.contains(" by "), "nothing says who: {note}");
    // Who holds the file open for editing saved it.
    app.update(Action::Reloaded {
        result: Ok(Box::new(newer)),
        editing: Some("Jane Doe".into()),
    });
    let note = app.header_note().expect("says so");
    assert!(note.ends_with(" by Jane Doe"), "{note}");

    app.update(Action::Reloaded {
        result: Err("line 3: expected `=`".into()),
        editing: None,
    });
    assert_eq!(
        app.doc.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(2000)),
        "the last good copy stays"
    );
    assert!(message(&app).contains("line 3: expected `=`"));
}

fn synced(on_quit: Option<bool>) -> App {
    let mut app = app(testdata::new_handoff());
    app.update(Action::SyncKnown {
        status: Some("2 commits to push".into()),
        on_quit,
    });
    app
}

#[test]
fn quitting_in_a_synced_directory_asks_once_and_remembers() {
    let mut app = synced(None);
    assert_eq!(app.header_note(), Some("2 commits to push"));
    let effects = app.update(Action::Quit);
    assert!(effects.is_empty(), "asks first");
    assert!(matches!(app.mode, Mode::Confirm(_)));
    let effects = app.update(Action::Yes);
    assert!(effects.contains(&Effect::RememberSync { yes: true }));
    assert!(effects.contains(&Effect::SyncAfter));
    assert_eq!(effects.last(), Some(&Effect::Exit));

    let mut app = synced(None);
    app.update(Action::Quit);
    let effects = app.update(Action::No);
    assert!(effects.contains(&Effect::RememberSync { yes: false }));
    assert!(!effects.contains(&Effect::SyncAfter));
    assert_eq!(effects.last(), Some(&Effect::Exit));
}

#[test]
fn a_remembered_answer_is_not_asked_again_and_a_signal_never_syncs() {
    let mut app = synced(Some(true));
    let effects = app.update(Action::Quit);
    assert!(effects.contains(&Effect::SyncAfter), "{effects:?}");
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::RememberSync { .. }))
    );

    let mut app = synced(Some(false));
    assert!(!app.update(Action::Quit).contains(&Effect::SyncAfter));

    let mut app = synced(Some(true));
    assert!(!app.update(Action::Stop).contains(&Effect::SyncAfter));

    // Ctrl-C at the question leaves without syncing, and without remembering.
    let mut app = synced(None);
    app.update(Action::Quit);
    let effects = app.update(Action::Quit);
    assert_eq!(effects.last(), Some(&Effect::Exit));
    assert!(!effects.contains(&Effect::SyncAfter));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::RememberSync { .. }))
    );
}

#[test]
fn a_view_is_never_synced_on_quitting() {
    let mut app = App::new(
        testdata::new_handoff(),
        "Sam".into(),
        Some("viewing".into()),
    );
    app.update(Action::SyncKnown {
        status: None,
        on_quit: None,
    });
    assert_eq!(app.update(Action::Quit), [Effect::Exit]);
}
