//! A handoff nobody changed stays byte for byte as it was, so git sees no
//! change and `updated_at` keeps its time: opening it in the wizard, going
//! everywhere, re-entering values as they were and leaving asks for no write;
//! a schema 1 file stays schema 1 until a real change is saved.

use std::fs;
use std::path::Path;

use handoff::form::form;
use handoff::handoff::{Author, FieldValue, Handoff};
use handoff::store;
use handoff::tui::action::Action;
use handoff::tui::app::{App, Row};
use handoff::tui::effect::Effect;

fn schema_1() -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("acme-corp.toml");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/complete.toml");
    fs::copy(&fixture, &path).expect("copy");
    let bytes = fs::read(&path).expect("read");
    assert!(
        bytes.starts_with(b"schema = 1\n"),
        "the fixture is schema 1"
    );
    (dir, path, bytes)
}

/// Every step, every row, Enter then Tab on each field (its editor opens with
/// the value as it is and closes on it), then quit. All the effects asked for.
fn wander_and_quit(app: &mut App) -> Vec<Effect> {
    let mut effects = Vec::new();
    for step in 0..form().steps.len() {
        effects.extend(app.update(Action::GoToStep(step)));
        for (row, kind) in app.rows().into_iter().enumerate() {
            effects.extend(app.update(Action::Focus { row, sel: Some(0) }));
            if matches!(kind, Row::Field(_)) {
                effects.extend(app.update(Action::Activate));
                effects.extend(app.update(Action::NextField));
            }
            effects.extend(app.update(Action::Down));
            effects.extend(app.update(Action::Up));
        }
        effects.extend(app.update(Action::NextStep));
    }
    effects.extend(app.update(Action::Quit));
    effects
}

#[test]
fn opening_a_schema_1_handoff_and_leaving_writes_nothing() {
    let (_dir, path, before) = schema_1();
    let loaded = store::load(&path).expect("loads").handoff;
    assert_eq!(
        fs::read(&path).expect("read"),
        before,
        "loading writes nothing"
    );
    let saved_text = store::to_toml(&loaded).expect("text");
    assert!(
        saved_text.starts_with("schema = 2\n"),
        "a save would migrate it, so only not saving keeps it"
    );

    let mut app = App::new(loaded.clone(), "Jane Doe".into(), None);
    let effects = wander_and_quit(&mut app);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Save { .. })),
        "{effects:?}"
    );
    assert!(matches!(
        effects.as_slice(),
        [.., Effect::Remember { .. }, Effect::Exit]
    ));
    assert!(!app.is_dirty());
    assert_eq!(app.document(), &loaded, "updated_at and all, as it was");
    assert_eq!(fs::read(&path).expect("read"), before);
}

#[test]
fn a_value_set_as_it_was_changes_nothing_and_a_real_change_migrates_on_save() {
    let (_dir, path, before) = schema_1();
    let mut handoff: Handoff = store::load(&path).expect("loads").handoff;
    let was = handoff.updated_at;
    let cpu = handoff.value("deployment", "total_cpu").cloned();
    let sam = Author::typing("Sam", handoff::testdata::at(29, 9));
    assert_eq!(
        handoff.change_field("deployment", "total_cpu", cpu, sam),
        Ok(false)
    );
    assert_eq!(handoff.updated_at, was);
    assert!(handoff.history.is_empty());

    assert_eq!(
        handoff.change_field(
            "deployment",
            "total_cpu",
            Some(FieldValue::Number(64.0)),
            sam
        ),
        Ok(true)
    );
    assert_eq!(handoff.updated_at, sam.at);
    store::save(&path, &handoff).expect("save");
    let after = fs::read_to_string(&path).expect("read");
    assert!(after.starts_with("schema = 2\n"), "{after}");
    assert!(
        !after.contains("[position]"),
        "the resume position stays on the machine"
    );
    assert_ne!(after.as_bytes(), before.as_slice());
}
