use std::fs;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyEvent;

use super::*;
use crate::handoff::{Handoff, now};
use crate::tui::text::width;
use crate::tui::view::Theme;

/// A data directory with a handoff for each customer (files named after them).
fn dir_with(customers: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for customer in customers {
        let path = dir.path().join(format!("{}.toml", store::slug(customer)));
        store::create(&path, &Handoff::new(customer, "Jane Doe", "Sam", now()))
            .expect("create a handoff");
    }
    dir
}

/// `Sam` editing `file` on another machine.
fn lock_elsewhere(dir: &Path, file: &str) {
    let holder = LockHolder {
        user: "Sam".into(),
        host: "laptop-of-sam".into(),
        pid: 4242,
        since: now(),
    };
    fs::write(
        store::lock_path(&dir.join(file)),
        toml::to_string(&holder).expect("a lock as TOML"),
    )
    .expect("write the lock");
}

fn typed(picker: &mut Picker, text: &str) {
    for c in text.chars() {
        picker.update(Action::Type(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

fn backspace(picker: &mut Picker) {
    picker.update(Action::Type(KeyEvent::new(
        KeyCode::Backspace,
        KeyModifiers::NONE,
    )));
}

fn selected_customer(picker: &Picker) -> Option<String> {
    picker
        .selected_entry()
        .and_then(|e| e.read.as_ref().ok())
        .map(|s| s.customer.clone())
}

fn opens(effects: &[Effect]) -> Option<(String, bool)> {
    match effects {
        [Effect::Open { path, how }] => Some((
            path.file_name()?.to_string_lossy().into_owned(),
            *how == Opening::View,
        )),
        _ => None,
    }
}

#[test]
fn a_refusal_keeps_the_selection_on_the_same_handoff() {
    let dir = dir_with(&["Acme Corp", "Globex", "Initech"]);
    lock_elsewhere(dir.path(), "globex.toml");
    let mut picker = Picker::new(dir.path());
    picker.update(Action::Down);
    assert_eq!(
        opens(&picker.update(Action::Activate)),
        Some(("globex.toml".into(), false))
    );
    picker.update(Action::Refused(
        "globex.toml is being edited by Sam@laptop-of-sam; press v to view it read-only".into(),
    ));
    assert_eq!(selected_customer(&picker).as_deref(), Some("Globex"));
    assert!(picker.message().is_some_and(|m| m.contains("press v")));
    assert_eq!(
        opens(&picker.update(Action::ViewReadOnly)),
        Some(("globex.toml".into(), true)),
        "v views the handoff the refusal was about"
    );
    // Another message: an empty name for a new handoff, then back.
    picker.update(Action::NewHandoff);
    picker.update(Action::Activate);
    assert_eq!(picker.message(), Some("Type the customer's name first"));
    picker.update(Action::Cancel);
    assert_eq!(selected_customer(&picker).as_deref(), Some("Globex"));
}

#[test]
fn locks_are_read_when_listed_and_again_on_the_next_key() {
    let dir = dir_with(&["Acme Corp", "Globex"]);
    lock_elsewhere(dir.path(), "globex.toml");
    let mut picker = Picker::new(dir.path());
    let holders: Vec<Option<String>> = picker
        .entries()
        .iter()
        .map(|e| e.locked_by.as_ref().map(|h| h.user.clone()))
        .collect();
    assert_eq!(holders, [None, Some("Sam".to_string())]);
    lock_elsewhere(dir.path(), "acme-corp.toml");
    fs::remove_file(store::lock_path(&dir.path().join("globex.toml"))).expect("unlock");
    picker.update(Action::Down);
    let holders: Vec<bool> = picker
        .entries()
        .iter()
        .map(|e| e.locked_by.is_some())
        .collect();
    assert_eq!(holders, [true, false]);
}

#[test]
fn the_filter_narrows_by_customer_or_file_name_and_keeps_the_selection() {
    let dir = dir_with(&["Acme Corp", "Globex 株式会社", "Initech", "Acme Labs"]);
    let mut picker = Picker::new(dir.path());
    // acme-corp, acme-labs, globex-株式会社, initech (sorted by file name).
    picker.update(Action::Down);
    assert_eq!(selected_customer(&picker).as_deref(), Some("Acme Labs"));
    assert_eq!(picker.update(Action::Filter), []);
    assert_eq!(picker.key_mode(), KeyMode::PickerFilter);
    typed(&mut picker, "ACME");
    assert_eq!(picker.shown(), [0, 1], "case does not matter");
    assert_eq!(
        selected_customer(&picker).as_deref(),
        Some("Acme Labs"),
        "still shown, still selected"
    );
    typed(&mut picker, " c");
    assert_eq!(picker.shown(), [0]);
    assert_eq!(selected_customer(&picker).as_deref(), Some("Acme Corp"));
    backspace(&mut picker);
    backspace(&mut picker);
    assert_eq!(picker.filter(), Some("ACME"));
    assert_eq!(
        selected_customer(&picker).as_deref(),
        Some("Acme Corp"),
        "the selection does not jump back when the list grows"
    );
    picker.update(Action::ClearLine);
    typed(&mut picker, "株式");
    assert_eq!(picker.shown(), [2], "by the customer's name");
    picker.update(Action::ClearLine);
    typed(&mut picker, "initech.toml");
    assert_eq!(picker.shown(), [3], "by the file's name");
    assert_eq!(
        opens(&picker.update(Action::Activate)),
        Some(("initech.toml".into(), false)),
        "Enter opens the selected match"
    );
    typed(&mut picker, "x");
    assert!(picker.shown().is_empty());
    assert_eq!(picker.selected_row(), 0, "only New handoff… is left");
    assert_eq!(picker.update(Action::Activate), []);
    assert!(picker.naming().is_some(), "Enter there names a new handoff");
}

#[test]
fn esc_clears_the_filter_and_only_then_quits() {
    let dir = dir_with(&["Acme Corp", "Globex"]);
    let mut picker = Picker::new(dir.path());
    picker.update(Action::Filter);
    typed(&mut picker, "glo");
    assert_eq!(
        picker.update(Action::Cancel),
        [],
        "Esc while typing clears the filter"
    );
    assert_eq!(picker.filter(), None);
    assert_eq!(picker.shown(), [0, 1]);
    assert_eq!(
        selected_customer(&picker).as_deref(),
        Some("Globex"),
        "the match stays selected"
    );
    // Tab keeps the filter and gives the keys back to the list: v is a key again.
    picker.update(Action::Filter);
    typed(&mut picker, "acme");
    picker.update(Action::NextField);
    assert_eq!(picker.key_mode(), KeyMode::Picker);
    assert_eq!(picker.filter(), Some("acme"));
    assert_eq!(
        opens(&picker.update(Action::ViewReadOnly)),
        Some(("acme-corp.toml".into(), true))
    );
    assert_eq!(picker.update(Action::Cancel), [], "the first Esc clears");
    assert_eq!(picker.filter(), None);
    assert_eq!(
        picker.update(Action::Cancel),
        [Effect::Exit],
        "the second quits"
    );
}

#[test]
fn a_refusal_while_filtering_gives_the_keys_back_to_the_list() {
    let dir = dir_with(&["Acme Corp", "Globex"]);
    let mut picker = Picker::new(dir.path());
    picker.update(Action::Filter);
    typed(&mut picker, "glob");
    picker.update(Action::Activate);
    picker.update(Action::Refused("globex.toml is being edited by Sam".into()));
    assert_eq!(picker.key_mode(), KeyMode::Picker);
    assert_eq!(picker.filter(), Some("glob"));
    assert_eq!(
        opens(&picker.update(Action::ViewReadOnly)),
        Some(("globex.toml".into(), true)),
        "the v the message offers views the same handoff"
    );
}

/// Every row of the rendered picker, as text.
fn drawn(picker: &Picker, cols: u16, rows: u16) -> (Vec<String>, Option<(u16, u16)>) {
    let mut terminal = Terminal::new(TestBackend::new(cols, rows)).expect("terminal");
    let frame = terminal
        .draw(|f| crate::tui::view::picker::render(f, picker, &Theme::colour()))
        .expect("draw");
    let buffer = frame.buffer.clone();
    let mut lines = Vec::new();
    for y in 0..rows {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..cols {
            let symbol = buffer[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                continue;
            }
            skip = width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        lines.push(line);
    }
    let cursor = terminal
        .get_cursor_position()
        .ok()
        .filter(|_| terminal.backend().cursor_visible())
        .map(|p| (p.x, p.y));
    (lines, cursor)
}

/// The display column where `needle` starts in `line`.
fn column_of(line: &str, needle: &str) -> Option<usize> {
    line.find(needle).map(|at| width(&line[..at]))
}

#[test]
fn columns_line_up_by_display_width_and_the_holder_is_shown() {
    let dir = dir_with(&["Acme Corp", "Globex 株式会社", "🚀 Rocket Labs", "Initech"]);
    lock_elsewhere(dir.path(), "initech.toml");
    let picker = Picker::new(dir.path());
    let (lines, cursor) = drawn(&picker, 80, 24);
    let rows: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("in progress") || l.contains("STATUS"))
        .collect();
    assert_eq!(
        rows.len(),
        5,
        "a heading and four handoffs:\n{}",
        lines.join("\n")
    );
    for needle in ["in progress", "of 28 done"] {
        let columns: Vec<Option<usize>> = rows[1..].iter().map(|l| column_of(l, needle)).collect();
        assert!(
            columns.windows(2).all(|w| w[0] == w[1] && w[0].is_some()),
            "{needle:?} starts in one column: {columns:?}\n{}",
            lines.join("\n")
        );
    }
    assert_eq!(
        column_of(rows[0], "STATUS"),
        column_of(rows[1], "in progress")
    );
    let initech = rows
        .iter()
        .find(|l| l.contains("Initech"))
        .expect("Initech's row");
    assert!(
        initech.trim_end().ends_with("🔒 Sam"),
        "the holder, in full at 80 columns: {initech:?}"
    );
    for customer in ["Globex 株式会社", "🚀 Rocket Labs"] {
        assert!(
            rows.iter().any(|r| r.contains(customer)),
            "{customer} whole beside a lock at 80 columns:\n{}",
            lines.join("\n")
        );
    }
    assert!(cursor.is_none(), "no cursor while nothing is typed");
}

#[test]
fn the_cursor_is_where_the_filter_or_the_name_is_typed() {
    let dir = dir_with(&["Acme Corp"]);
    let mut picker = Picker::new(dir.path());
    picker.update(Action::Filter);
    typed(&mut picker, "ac");
    let (lines, cursor) = drawn(&picker, 80, 24);
    assert!(
        lines[2].starts_with(" / ac   1 of 1 shown"),
        "{:?}",
        lines[2]
    );
    assert_eq!(cursor, Some((5, 2)));
    assert!(lines[23].contains("/ filter") || lines[23].contains("type to filter"));
    picker.update(Action::Cancel);
    let (lines, _) = drawn(&picker, 80, 24);
    assert!(
        lines[23].contains("/ filter"),
        "the footer: {:?}",
        lines[23]
    );
    picker.update(Action::NewHandoff);
    typed(&mut picker, "Glo");
    let (lines, cursor) = drawn(&picker, 80, 24);
    let (x, y) = cursor.expect("a cursor in the name box");
    assert!(
        lines[usize::from(y)].starts_with("│Glo"),
        "{:?}",
        lines[usize::from(y)]
    );
    assert_eq!(x, 4);
}
