//! Keys → actions, one small table per mode. Pure, so every binding is unit-tested.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

/// What the keyboard is talking to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    /// Moving around the steps and fields.
    Browse,
    /// A single-line editor: Enter confirms.
    EditLine,
    /// A multi-line editor: Enter is a new line; Tab or Ctrl-S confirms.
    EditLong,
    /// A pop-up list of choices.
    Choose,
    /// A yes/no question.
    Confirm,
    /// The key list overlay.
    Help,
}

pub fn map_key(mode: KeyMode, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    // A line feed (Ctrl-J) is Enter, as in most terminal programs; the text editor
    // would otherwise take it as "delete to the start of the line".
    let key = match key.code {
        KeyCode::Char('j' | 'm') if ctrl => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        _ => key,
    };
    // Keys that work everywhere.
    match key.code {
        KeyCode::Char('c') if ctrl => return Some(Action::Quit),
        KeyCode::Char('s') if ctrl && mode != KeyMode::Confirm => return Some(Action::Save),
        _ => {}
    }
    match mode {
        KeyMode::Browse => browse(key, ctrl),
        KeyMode::EditLine | KeyMode::EditLong => edit(mode, key, ctrl),
        KeyMode::Choose => match key.code {
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            KeyCode::Enter => Some(Action::Activate),
            KeyCode::Char(' ') => Some(Action::Toggle),
            KeyCode::Esc => Some(Action::Cancel),
            _ => None,
        },
        KeyMode::Confirm => match key.code {
            KeyCode::Char('y' | 'Y') => Some(Action::Yes),
            KeyCode::Char('n' | 'N') | KeyCode::Esc => Some(Action::No),
            _ => None,
        },
        KeyMode::Help => Some(Action::Cancel),
    }
}

fn browse(key: KeyEvent, ctrl: bool) -> Option<Action> {
    Some(match key.code {
        KeyCode::Tab => Action::NextField,
        KeyCode::BackTab => Action::PrevField,
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::PageDown => Action::NextStep,
        KeyCode::PageUp => Action::PrevStep,
        KeyCode::Char('n') if ctrl => Action::NextStep,
        KeyCode::Char('p') if ctrl => Action::PrevStep,
        KeyCode::Char('e') if ctrl => Action::ExternalEditor,
        KeyCode::Char('o') if ctrl => Action::SaveCopy,
        KeyCode::Enter => Action::Activate,
        KeyCode::Char(' ') => Action::Toggle,
        KeyCode::Char('a') if !ctrl => Action::Add,
        KeyCode::Char('d') if !ctrl => Action::Delete,
        KeyCode::Char('o') if !ctrl => Action::OutOfScope,
        KeyCode::Char('c') if !ctrl => Action::Recategorize,
        KeyCode::Char('q') if !ctrl => Action::Quit,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char(d @ '1'..='9') if !ctrl => Action::GoToStep(d as usize - '1' as usize),
        KeyCode::Esc => Action::Cancel,
        _ => return None,
    })
}

fn edit(mode: KeyMode, key: KeyEvent, ctrl: bool) -> Option<Action> {
    Some(match key.code {
        KeyCode::Enter if mode == KeyMode::EditLine => Action::Activate,
        KeyCode::Esc => Action::Cancel,
        KeyCode::Tab => Action::NextField,
        KeyCode::BackTab => Action::PrevField,
        KeyCode::PageDown => Action::NextStep,
        KeyCode::PageUp => Action::PrevStep,
        KeyCode::Char('n') if ctrl => Action::NextStep,
        KeyCode::Char('p') if ctrl => Action::PrevStep,
        KeyCode::Char('e') if ctrl => Action::ExternalEditor,
        _ => Action::Type(key),
    })
}

#[cfg(test)]
mod tests {
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
        assert_eq!(m(key(KeyCode::Char('3'))), Some(Action::GoToStep(2)));
        assert_eq!(m(key(KeyCode::Char('x'))), None);
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
            map_key(KeyMode::Help, key(KeyCode::Char('x'))),
            Some(Action::Cancel)
        );
    }
}
