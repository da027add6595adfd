//! Random action sequences fed straight into the app (no terminal), checking what
//! must hold whatever the user does: no panic, read-only never changes anything,
//! a completed handoff has no blockers, and every saved document reloads equal.

use std::path::Path;

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use handoff::fill::{Findings, Proposal, Source};
use handoff::handoff::{FieldValue, Handoff, Status};
use handoff::store;
use handoff::testdata;
use handoff::tui::action::Action;
use handoff::tui::app::App;
use handoff::tui::effect::Effect;
use handoff::tui::view::{self, Theme};

fn any_key() -> impl Strategy<Value = KeyEvent> {
    let code = prop_oneof![
        4 => prop_oneof![Just('a'), Just('1'), Just('-'), Just(' '), Just('é'), Just('株'), Just('😀'), Just('\u{301}')]
            .prop_map(KeyCode::Char),
        1 => any::<char>().prop_map(KeyCode::Char),
        1 => prop_oneof![
            Just(KeyCode::Backspace),
            Just(KeyCode::Enter),
            Just(KeyCode::Left),
            Just(KeyCode::Right),
            Just(KeyCode::Home),
            Just(KeyCode::End),
            Just(KeyCode::Delete),
            Just(KeyCode::Up),
            Just(KeyCode::Down),
        ],
    ];
    let modifiers = prop_oneof![8 => Just(KeyModifiers::NONE), 1 => Just(KeyModifiers::CONTROL), 1 => Just(KeyModifiers::ALT)];
    (code, modifiers).prop_map(|(c, m)| KeyEvent::new(c, m))
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => Just(Action::NextField),
        1 => Just(Action::PrevField),
        3 => Just(Action::Up),
        3 => Just(Action::Down),
        1 => Just(Action::NextStep),
        1 => Just(Action::PrevStep),
        1 => (0usize..10).prop_map(Action::GoToStep),
        1 => (0usize..15, prop::option::of(0usize..12)).prop_map(|(row, sel)| Action::Focus { row, sel }),
        4 => Just(Action::Activate),
        2 => Just(Action::Toggle),
        2 => Just(Action::Add),
        1 => Just(Action::Delete),
        1 => Just(Action::OutOfScope),
        1 => Just(Action::Recategorize),
        1 => Just(Action::Save),
        1 => Just(Action::ExternalEditor),
        1 => prop::option::of("[a-z\n ]{0,20}")
            .prop_map(|t| Action::ExternalEditDone(t.ok_or_else(|| "the editor failed".to_string()))),
        1 => Just(Action::Help),
        2 => Just(Action::Cancel),
        2 => Just(Action::Yes),
        1 => Just(Action::No),
        8 => any_key().prop_map(Action::Type),
        1 => "\\PC{0,30}".prop_map(Action::Paste),
        1 => Just(Action::ScrollUp),
        1 => Just(Action::ScrollDown),
        1 => Just(Action::Fill),
        1 => Just(Action::Push),
        1 => Just(Action::Tick),
        1 => any_findings().prop_map(|f| Action::Filled(Box::new(f))),
        1 => prop::option::of("\\PC{0,20}")
            .prop_map(|t| Action::Pushed(t.ok_or_else(|| "Vitally said 401".to_string()))),
    ]
}

/// What a fill source might find: values for open and closed steps, good and bad.
fn any_findings() -> impl Strategy<Value = Findings> {
    let source = prop_oneof![
        Just(Source::Kubectl),
        Just(Source::Docker),
        Just(Source::Sourcegraph)
    ];
    let proposal = prop_oneof![
        (-5i64..100_000).prop_map(|n| Proposal::new(
            "deployment",
            "total_cpu",
            FieldValue::Integer(n)
        )),
        (0i64..5_000).prop_map(|n| Proposal::new(
            "code_hosts",
            "repositories",
            FieldValue::Integer(n)
        )),
        "\\PC{0,20}".prop_map(|t| Proposal::new(
            "deployment",
            "instance_types",
            FieldValue::List(vec![t])
        )),
        "\\PC{0,20}".prop_map(|t| Proposal::new("upgrade", "current_version", FieldValue::Text(t))),
    ];
    (
        source,
        prop::collection::vec(proposal, 0..5),
        prop::collection::vec("\\PC{0,30}", 0..3),
    )
        .prop_map(|(source, proposals, info)| {
            let mut findings = Findings::new(source);
            findings.proposals = proposals;
            findings.info = info;
            findings
        })
}

fn start() -> impl Strategy<Value = Handoff> {
    prop_oneof![
        Just(testdata::new_handoff()),
        Just(testdata::complete_handoff())
    ]
}

/// A completed handoff without what maintenance may change: the code hosts, the
/// notes log (notes are added), the history and the time of the last change.
fn maintainable_parts_cleared(doc: &Handoff) -> Handoff {
    let mut doc = doc.clone();
    doc.code_hosts.clear();
    doc.notes_log
        .retain(|n| n.created_at < doc.completed_at.unwrap_or(n.created_at));
    doc.history.clear();
    doc.updated_at = doc.created_at;
    doc
}

fn draw(app: &App, width: u16, height: u16) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| {
            view::render(frame, app, &Theme::monochrome());
        })
        .expect("draw");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn editing_sessions_keep_their_promises(
        doc in start(),
        actions in prop::collection::vec(any_action(), 1..150),
        size in (20u16..140, 5u16..50),
    ) {
        let mut app = App::new(doc, "Jane Doe".into(), None);
        // The document as it was completed: from then on only the code hosts, new
        // notes and the history may change.
        let mut completed: Option<Handoff> = None;
        'session: for action in actions {
            let mut pending = vec![action];
            while let Some(action) = pending.pop() {
                for effect in app.update(action) {
                    match effect {
                        // The runner saves here; the file must give back exactly what was saved.
                        Effect::Save { .. } => {
                            let doc = app.document();
                            let text = store::to_toml(doc).map_err(TestCaseError::fail)?;
                            let loaded = store::parse(Path::new("random.toml"), &text)
                                .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
                            prop_assert_eq!(&loaded.handoff, doc);
                            pending.push(Action::Saved(Ok(doc.updated_at)));
                        }
                        Effect::Exit => break 'session,
                        _ => {}
                    }
                }
            }
            if app.document().status == Status::Complete {
                let now = maintainable_parts_cleared(app.document());
                match &completed {
                    None => {
                        prop_assert!(app.document().blockers().is_empty(), "complete with blockers");
                        completed = Some(now);
                    }
                    Some(then) => prop_assert_eq!(
                        &now, then,
                        "after completion only code hosts, new notes and history change"
                    ),
                }
            }
        }
        draw(&app, size.0, size.1);
    }

    #[test]
    fn read_only_sessions_never_change_the_document(
        doc in start(),
        actions in prop::collection::vec(any_action(), 1..150),
    ) {
        let mut app = App::new(doc.clone(), "Sam".into(), Some("viewing".into()));
        for action in actions {
            let effects = app.update(action);
            prop_assert_eq!(&app.document().notes_log, &doc.notes_log);
            prop_assert!(!app.is_dirty());
            prop_assert!(
                !effects.iter().any(|e| matches!(e, Effect::Save { .. })),
                "a view never saves"
            );
            if effects.contains(&Effect::Exit) {
                break;
            }
        }
        prop_assert_eq!(app.document(), &doc);
        draw(&app, 100, 30);
    }
}
