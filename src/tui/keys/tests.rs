use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

#[test]
fn browse_keys_follow_the_spec() {
    let m = |k| map_key(KeyMode::Browse, k);
    assert_eq!(m(key(KeyCode::Tab)), Some(Action::NextField));
    assert_eq!(
        m(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        Some(Action::PrevField)
    );
    assert_eq!(m(key(KeyCode::PageDown)), Some(Action::NextStep));
    assert_eq!(m(ctrl('n')), Some(Action::NextStep));
    assert_eq!(m(key(KeyCode::PageUp)), Some(Action::PrevStep));
    assert_eq!(m(ctrl('p')), Some(Action::PrevStep));
    assert_eq!(m(key(KeyCode::Enter)), Some(Action::Activate));
    assert_eq!(m(key(KeyCode::Char(' '))), Some(Action::Toggle));
    assert_eq!(m(key(KeyCode::Char('a'))), Some(Action::Add));
    assert_eq!(m(key(KeyCode::Char('d'))), Some(Action::Delete));
    assert_eq!(m(key(KeyCode::Char('o'))), Some(Action::OutOfScope));
    assert_eq!(m(ctrl('s')), Some(Action::Save));
    assert_eq!(m(ctrl('e')), Some(Action::ExternalEditor));
    assert_eq!(m(ctrl('o')), Some(Action::SaveCopy));
    assert_eq!(m(key(KeyCode::Char('q'))), Some(Action::Quit));
    assert_eq!(m(ctrl('c')), Some(Action::Quit));
    assert_eq!(m(key(KeyCode::Char('?'))), Some(Action::Help));
    assert_eq!(
        m(KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT)),
        Some(Action::Help),
        "Shift is part of the character"
    );
    assert_eq!(m(key(KeyCode::Char('3'))), Some(Action::GoToStep(2)));
    assert_eq!(m(key(KeyCode::Char('x'))), None);
    assert_eq!(m(ctrl('a')), None, "Ctrl-A is not a");
}

#[test]
fn a_line_editor_takes_letters_and_confirms_on_enter() {
    let m = |k| map_key(KeyMode::EditLine, k);
    let q = key(KeyCode::Char('q'));
    assert_eq!(m(q), Some(Action::Type(q)), "q is a letter while typing");
    let a = key(KeyCode::Char('a'));
    assert_eq!(m(a), Some(Action::Type(a)));
    assert_eq!(m(key(KeyCode::Enter)), Some(Action::Activate));
    assert_eq!(m(ctrl('j')), Some(Action::Activate), "a line feed is Enter");
    assert_eq!(m(key(KeyCode::Esc)), Some(Action::Cancel));
    assert_eq!(m(key(KeyCode::Tab)), Some(Action::NextField));
    assert_eq!(m(key(KeyCode::PageDown)), Some(Action::NextStep));
    assert_eq!(m(ctrl('s')), Some(Action::Save));
    assert_eq!(m(ctrl('c')), Some(Action::Quit));
}

#[test]
fn a_long_editor_keeps_enter_for_new_lines() {
    let m = |k| map_key(KeyMode::EditLong, k);
    let enter = key(KeyCode::Enter);
    assert_eq!(m(enter), Some(Action::Type(enter)));
    assert_eq!(m(key(KeyCode::Tab)), Some(Action::NextField));
    assert_eq!(m(ctrl('e')), Some(Action::ExternalEditor));
}

#[test]
fn choose_confirm_and_help() {
    assert_eq!(
        map_key(KeyMode::Choose, key(KeyCode::Down)),
        Some(Action::Down)
    );
    assert_eq!(
        map_key(KeyMode::Choose, key(KeyCode::Char(' '))),
        Some(Action::Toggle)
    );
    assert_eq!(
        map_key(KeyMode::Choose, key(KeyCode::Esc)),
        Some(Action::Cancel)
    );
    assert_eq!(
        map_key(KeyMode::Confirm, key(KeyCode::Char('y'))),
        Some(Action::Yes)
    );
    assert_eq!(
        map_key(KeyMode::Confirm, key(KeyCode::Esc)),
        Some(Action::No)
    );
    assert_eq!(
        map_key(KeyMode::Confirm, key(KeyCode::Enter)),
        None,
        "no accidental yes"
    );
    assert_eq!(
        map_key(KeyMode::Confirm, ctrl('s')),
        None,
        "nothing is saved behind a question"
    );
    assert_eq!(
        map_key(KeyMode::Read, key(KeyCode::Esc)),
        Some(Action::Cancel)
    );
}

#[test]
fn every_mode_binds_each_key_once() {
    for mode in [
        KeyMode::Browse,
        KeyMode::OnText,
        KeyMode::EditLine,
        KeyMode::EditLong,
        KeyMode::Choose,
        KeyMode::Confirm,
        KeyMode::Read,
        KeyMode::FillReview,
        KeyMode::Picker,
        KeyMode::PickerName,
        KeyMode::PickerFilter,
    ] {
        let keys: Vec<Key> = table(mode).bindings().map(|b| b.key).collect();
        for (n, k) in keys.iter().enumerate() {
            assert!(!keys[n + 1..].contains(k), "{mode:?} binds {k:?} twice");
        }
    }
}

#[test]
fn the_step_keys_come_from_the_form() {
    let steps = form().steps.len();
    let digits = table(KeyMode::Browse)
        .rows
        .iter()
        .find(|r| r.what.starts_with("go to a step"))
        .expect("a row for the step keys");
    assert_eq!(digits.keys, format!("1 … {steps}"));
    assert_eq!(digits.bindings.len(), 2 * steps, "a digit, and Alt with it");
}

/// The README's key tables are the wizard's: same keys, same words, same order.
/// On failure the message shows the tables as they should read.
#[test]
fn the_readme_key_tables_are_the_bindings() {
    let readme = include_str!("../../../README.md");
    for (heading, mode) in [
        ("| key | what it does |", KeyMode::Browse),
        ("| while typing | what it does |", KeyMode::EditLine),
        ("| in the picker | what it does |", KeyMode::Picker),
    ] {
        let table: Vec<(String, String)> = readme
            .lines()
            .skip_while(|l| !l.starts_with(heading))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                let cells: Vec<&str> = l.trim_matches('|').split(" | ").map(str::trim).collect();
                (
                    cells[0].to_string(),
                    cells.get(1).unwrap_or(&"").to_string(),
                )
            })
            .collect();
        let bound: Vec<(String, String)> = super::table(mode)
            .rows
            .iter()
            .map(|r| (r.keys.clone(), r.what.clone()))
            .collect();
        let expected: String = bound
            .iter()
            .map(|(k, w)| format!("| {k} | {w} |\n"))
            .collect();
        assert_eq!(
            table, bound,
            "README.md's table under {heading:?} and the bindings disagree; it should read:\n{expected}"
        );
    }
}
