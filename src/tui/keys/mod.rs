//! Keys → actions: one table of bindings per mode. The same tables drive `map_key`,
//! the footer's key names and the key list (`?`), and a test holds the README's key
//! table to them, so a key is written down in exactly one place.

use std::sync::OnceLock;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::form::form;

/// What the keyboard is talking to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    /// Moving around the steps and fields, on a list or a page: letters are commands.
    Browse,
    /// A text-like field has focus: typing starts editing it.
    OnText,
    /// A single-line editor: Enter confirms.
    EditLine,
    /// A multi-line editor: Enter is a new line; Tab or Ctrl-S confirms.
    EditLong,
    /// A pop-up list of choices.
    Choose,
    /// A yes/no question.
    Confirm,
    /// The reader: a note, text, list or page in full.
    Read,
    /// What a fill found: tick what to apply.
    FillReview,
    /// The list of saved handoffs (`handoff` with no arguments).
    Picker,
    /// Typing the customer's name for a new handoff in the picker.
    PickerName,
    /// Typing the picker's filter (`/`).
    PickerFilter,
}

/// One key as bound: its code and whether Ctrl is held (Shift is part of the
/// character, and Alt is never bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        ctrl: false,
        alt: false,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
        alt: false,
    }
}

const fn alt(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
        alt: true,
    }
}

/// A key and what it does.
#[derive(Debug, Clone)]
pub struct Binding {
    pub key: Key,
    /// How the footer names the key ("`PgDn`", "a").
    pub name: &'static str,
    pub action: Action,
}

/// One line of the key list: the keys as a person reads them, what they do, and
/// the bindings behind them (none for the mouse).
#[derive(Debug, Clone)]
pub struct KeyHelp {
    pub keys: String,
    pub what: String,
    pub bindings: Vec<Binding>,
}

/// What an unbound key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Otherwise {
    Nothing,
    /// It is typed into the open editor.
    Type,
}

pub struct Table {
    pub rows: Vec<KeyHelp>,
    otherwise: Otherwise,
}

fn row(keys: &str, what: &str, bindings: &[(Key, &'static str, Action)]) -> KeyHelp {
    KeyHelp {
        keys: keys.to_string(),
        what: what.to_string(),
        bindings: bindings
            .iter()
            .map(|(key, name, action)| Binding {
                key: *key,
                name,
                action: action.clone(),
            })
            .collect(),
    }
}

/// ↑ and ↓, doing what `what` says.
fn up_down(what: &str) -> KeyHelp {
    row(
        "↑ / ↓",
        what,
        &[
            (key(KeyCode::Up), "↑", Action::Up),
            (key(KeyCode::Down), "↓", Action::Down),
        ],
    )
}

/// `1` … `9` for as many steps as the form has (Alt with them too, which also
/// works on a text field, where digits are typing).
fn step_digits(digits_type: bool) -> KeyHelp {
    let steps = form().steps.len().min(9);
    let digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
    let mut bindings: Vec<(Key, &'static str, Action)> = Vec::new();
    for (n, digit) in digits.iter().enumerate().take(steps) {
        if !digits_type {
            bindings.push((ch(*digit), "1…9", Action::GoToStep(n)));
        }
        bindings.push((alt(*digit), "Alt-1…9", Action::GoToStep(n)));
    }
    if digits_type {
        row(&format!("Alt-1 … {steps}"), "go to a step", &bindings)
    } else {
        row(
            &format!("1 … {steps}"),
            "go to a step (Alt-1 … on a text field)",
            &bindings,
        )
    }
}

/// Moving around and acting on what is focused. On a text field (`on_text`)
/// letters, digits and Space are typing, so no command is one stray key away from
/// it; elsewhere they are commands.
fn browse(on_text: bool) -> Table {
    use Action as A;
    let letters = !on_text;
    let mut rows = vec![
        row(
            "Tab / Shift-Tab",
            "next / previous field",
            &[
                (key(KeyCode::Tab), "Tab", A::NextField),
                (key(KeyCode::BackTab), "Shift-Tab", A::PrevField),
            ],
        ),
        up_down("move within a list, or scroll"),
        row(
            "PgDn / PgUp",
            "next / previous step (also Ctrl-N / Ctrl-P)",
            &[
                (key(KeyCode::PageDown), "PgDn", A::NextStep),
                (key(KeyCode::PageUp), "PgUp", A::PrevStep),
                (ctrl('n'), "Ctrl-N", A::NextStep),
                (ctrl('p'), "Ctrl-P", A::PrevStep),
            ],
        ),
    ];
    rows.push(step_digits(on_text));
    rows.extend([
        row(
            "Enter",
            "edit, pick, confirm, go to a blocker or settle a conflict; read (read-only)",
            &[(key(KeyCode::Enter), "Enter", A::Activate)],
        ),
        row(
            "typing",
            "on a text field, starts editing it with what you type",
            &[],
        ),
        row(
            "Esc",
            "cancel; stop a fill or a push under way",
            &[(key(KeyCode::Esc), "Esc", A::Cancel)],
        ),
        row(
            "Home / End",
            "first / last of a list; top / end of the review page",
            &[
                (key(KeyCode::Home), "Home", A::Home),
                (key(KeyCode::End), "End", A::End),
            ],
        ),
    ]);
    if letters {
        rows.extend([
            row(
                "Space",
                "tick a checklist item done (or back to to do)",
                &[(ch(' '), "Space", A::Toggle)],
            ),
            row(
                "a",
                "add a note (also Alt-A on the notes step), list entry or checklist item",
                &[(ch('a'), "a", A::Add)],
            ),
            row("d", "delete (asks first)", &[(ch('d'), "d", A::Delete)]),
            row(
                "o",
                "mark a checklist item out of scope (asks first, then why)",
                &[(ch('o'), "o", A::OutOfScope)],
            ),
            row(
                "c",
                "change a note's category",
                &[(ch('c'), "c", A::Recategorize)],
            ),
            row(
                "v",
                "read the focused note, text, list or page in full",
                &[(ch('v'), "v", A::Read)],
            ),
            row(
                "f / Ctrl-F",
                "fill the step from kubectl, docker or the Sourcegraph instance",
                &[(ch('f'), "f", A::Fill), (ctrl('f'), "Ctrl-F", A::Fill)],
            ),
            row(
                "P",
                "push the dashboard fields and notes to Vitally (asks first)",
                &[(ch('P'), "P", A::Push)],
            ),
        ]);
    } else {
        rows.extend([
            row(
                "Ctrl-R",
                "read the field in full",
                &[(ctrl('r'), "Ctrl-R", A::Read)],
            ),
            row(
                "Alt-A",
                "add a note (on the notes step)",
                &[(alt('a'), "Alt-A", A::Add)],
            ),
            row(
                "Ctrl-F",
                "fill the step from kubectl, docker or the Sourcegraph instance",
                &[(ctrl('f'), "Ctrl-F", A::Fill)],
            ),
        ]);
    }
    rows.extend([
        row(
            "Ctrl-S",
            "save now (every change is saved anyway)",
            &[(ctrl('s'), "Ctrl-S", A::Save)],
        ),
        row(
            "Ctrl-E",
            "edit the text being typed in $EDITOR",
            &[(ctrl('e'), "Ctrl-E", A::ExternalEditor)],
        ),
        row(
            "Ctrl-O",
            "save a copy to another file",
            &[(ctrl('o'), "Ctrl-O", A::SaveCopy)],
        ),
    ]);
    if letters {
        rows.extend([
            row(
                "q / Ctrl-C",
                "save and quit (on a text field: Ctrl-C)",
                &[(ch('q'), "q", A::Quit), (ctrl('c'), "Ctrl-C", A::Quit)],
            ),
            row(
                "? / F1",
                "the key list (on a text field: F1)",
                &[(ch('?'), "?", A::Help), (key(KeyCode::F(1)), "F1", A::Help)],
            ),
        ]);
    } else {
        rows.extend([
            row("Ctrl-C", "save and quit", &[(ctrl('c'), "Ctrl-C", A::Quit)]),
            row("F1", "the key list", &[(key(KeyCode::F(1)), "F1", A::Help)]),
        ]);
    }
    rows.push(row("mouse", "click to focus, wheel to scroll", &[]));
    Table {
        rows,
        otherwise: if on_text {
            Otherwise::Type
        } else {
            Otherwise::Nothing
        },
    }
}

/// Keys of both editors; `line` adds Enter to confirm (a long text keeps Enter
/// for new lines).
fn edit(line: bool) -> Table {
    use Action as A;
    let mut rows = Vec::new();
    if line {
        rows.push(row(
            "Enter",
            "done",
            &[(key(KeyCode::Enter), "Enter", A::Activate)],
        ));
    }
    rows.extend([
        row(
            "Tab / Shift-Tab",
            if line {
                "done, and on to the next / previous field"
            } else {
                "done"
            },
            &[
                (key(KeyCode::Tab), "Tab", A::NextField),
                (key(KeyCode::BackTab), "Shift-Tab", A::PrevField),
            ],
        ),
        row(
            "PgDn / PgUp",
            "done, and on to the next / previous step",
            &[
                (key(KeyCode::PageDown), "PgDn", A::NextStep),
                (key(KeyCode::PageUp), "PgUp", A::PrevStep),
                (ctrl('n'), "Ctrl-N", A::NextStep),
                (ctrl('p'), "Ctrl-P", A::PrevStep),
            ],
        ),
        row(
            "Esc",
            "cancel the edit",
            &[(key(KeyCode::Esc), "Esc", A::Cancel)],
        ),
        row(
            "Ctrl-U",
            "clear the line",
            &[(ctrl('u'), "Ctrl-U", A::ClearLine)],
        ),
        row(
            "Ctrl-S",
            "done, and save now",
            &[(ctrl('s'), "Ctrl-S", A::Save)],
        ),
        row(
            "Ctrl-E",
            "edit the text in $EDITOR",
            &[(ctrl('e'), "Ctrl-E", A::ExternalEditor)],
        ),
        row("Ctrl-C", "save and quit", &[(ctrl('c'), "Ctrl-C", A::Quit)]),
    ]);
    Table {
        rows,
        otherwise: Otherwise::Type,
    }
}

fn choose() -> Table {
    use Action as A;
    Table {
        rows: vec![
            up_down("move"),
            row(
                "Space",
                "tick (several choices)",
                &[(ch(' '), "Space", A::Toggle)],
            ),
            row(
                "Enter",
                "pick",
                &[(key(KeyCode::Enter), "Enter", A::Activate)],
            ),
            row("Esc", "cancel", &[(key(KeyCode::Esc), "Esc", A::Cancel)]),
            row("Ctrl-S", "save now", &[(ctrl('s'), "Ctrl-S", A::Save)]),
            row("Ctrl-C", "save and quit", &[(ctrl('c'), "Ctrl-C", A::Quit)]),
        ],
        otherwise: Otherwise::Nothing,
    }
}

fn confirm() -> Table {
    use Action as A;
    Table {
        rows: vec![
            row(
                "y",
                "yes",
                &[(ch('y'), "y", A::Yes), (ch('Y'), "Y", A::Yes)],
            ),
            row(
                "n / Esc",
                "no",
                &[
                    (ch('n'), "n", A::No),
                    (ch('N'), "N", A::No),
                    (key(KeyCode::Esc), "Esc", A::No),
                ],
            ),
            row("Ctrl-C", "save and quit", &[(ctrl('c'), "Ctrl-C", A::Quit)]),
        ],
        otherwise: Otherwise::Nothing,
    }
}

fn reader() -> Table {
    use Action as A;
    Table {
        rows: vec![
            up_down("a line up / down"),
            row(
                "PgUp / PgDn",
                "a page up / down (also Space)",
                &[
                    (key(KeyCode::PageUp), "PgUp", A::PageUp),
                    (key(KeyCode::PageDown), "PgDn", A::PageDown),
                    (ch(' '), "Space", A::PageDown),
                ],
            ),
            row(
                "Home / End",
                "the top / the end",
                &[
                    (key(KeyCode::Home), "Home", A::Home),
                    (key(KeyCode::End), "End", A::End),
                ],
            ),
            row(
                "Esc / q / v",
                "close",
                &[
                    (key(KeyCode::Esc), "Esc", A::Cancel),
                    (ch('q'), "q", A::Cancel),
                    (ch('v'), "v", A::Read),
                    (key(KeyCode::Enter), "Enter", A::Activate),
                ],
            ),
            row("Ctrl-C", "save and quit", &[(ctrl('c'), "Ctrl-C", A::Quit)]),
        ],
        otherwise: Otherwise::Nothing,
    }
}

fn fill_review() -> Table {
    use Action as A;
    Table {
        rows: vec![
            up_down("move"),
            row(
                "Space",
                "tick or untick a value",
                &[(ch(' '), "Space", A::Toggle)],
            ),
            row(
                "Enter",
                "fill in the ticked values",
                &[(key(KeyCode::Enter), "Enter", A::Activate)],
            ),
            row(
                "Esc",
                "fill in nothing",
                &[(key(KeyCode::Esc), "Esc", A::Cancel)],
            ),
            row("Ctrl-C", "save and quit", &[(ctrl('c'), "Ctrl-C", A::Quit)]),
        ],
        otherwise: Otherwise::Nothing,
    }
}

fn picker() -> Table {
    use Action as A;
    Table {
        rows: vec![
            up_down("move"),
            row(
                "Enter",
                "open",
                &[(key(KeyCode::Enter), "Enter", A::Activate)],
            ),
            row("v", "view read-only", &[(ch('v'), "v", A::ViewReadOnly)]),
            row(
                "e",
                "edit where it cannot be saved (a read-only directory; Ctrl-O saves a copy)",
                &[(ch('e'), "e", A::EditUnsaved)],
            ),
            row("n", "new handoff", &[(ch('n'), "n", A::NewHandoff)]),
            row(
                "/",
                "filter by customer or file name",
                &[(ch('/'), "/", A::Filter)],
            ),
            row(
                "Esc",
                "clear the filter, or quit",
                &[(key(KeyCode::Esc), "Esc", A::Cancel)],
            ),
            row(
                "q / Ctrl-C",
                "quit",
                &[(ch('q'), "q", A::Quit), (ctrl('c'), "Ctrl-C", A::Quit)],
            ),
        ],
        otherwise: Otherwise::Nothing,
    }
}

/// Typing the picker's filter: letters are typing, the arrows still move.
fn picker_filter() -> Table {
    use Action as A;
    Table {
        rows: vec![
            up_down("move among the matches"),
            row(
                "Enter",
                "open the selected match",
                &[(key(KeyCode::Enter), "Enter", A::Activate)],
            ),
            row(
                "Tab",
                "keep the filter, back to the list",
                &[
                    (key(KeyCode::Tab), "Tab", A::NextField),
                    (key(KeyCode::BackTab), "Shift-Tab", A::PrevField),
                ],
            ),
            row(
                "Esc",
                "clear the filter",
                &[(key(KeyCode::Esc), "Esc", A::Cancel)],
            ),
            row(
                "Ctrl-U",
                "clear the line",
                &[(ctrl('u'), "Ctrl-U", A::ClearLine)],
            ),
            row("Ctrl-C", "quit", &[(ctrl('c'), "Ctrl-C", A::Quit)]),
        ],
        otherwise: Otherwise::Type,
    }
}

fn picker_name() -> Table {
    use Action as A;
    Table {
        rows: vec![
            row(
                "Enter",
                "create",
                &[(key(KeyCode::Enter), "Enter", A::Activate)],
            ),
            row("Esc", "cancel", &[(key(KeyCode::Esc), "Esc", A::Cancel)]),
            row(
                "Ctrl-U",
                "clear the line",
                &[(ctrl('u'), "Ctrl-U", A::ClearLine)],
            ),
            row("Ctrl-C", "quit", &[(ctrl('c'), "Ctrl-C", A::Quit)]),
        ],
        otherwise: Otherwise::Type,
    }
}

/// The key list `?` shows: moving and acting, then typing.
pub fn help_text() -> String {
    let section = |title: &str, mode: KeyMode| {
        let rows = &table(mode).rows;
        let keys = rows
            .iter()
            .map(|r| crate::tui::text::width(&r.keys))
            .max()
            .unwrap_or(0);
        let mut out = format!("{title}\n");
        for row in rows {
            let pad = keys.saturating_sub(crate::tui::text::width(&row.keys));
            out.push_str(&format!(
                "  {}{}  {}\n",
                row.keys,
                " ".repeat(pad),
                row.what
            ));
        }
        out
    };
    format!(
        "{}\n{}\nRequired fields are marked *. Only completion is gated: an invalid value is kept as typed and listed among what blocks completion.",
        section("Moving and acting", KeyMode::Browse),
        section("While typing", KeyMode::EditLine)
    )
}

/// The bindings of a mode, built once.
pub fn table(mode: KeyMode) -> &'static Table {
    static TABLES: OnceLock<Vec<(KeyMode, Table)>> = OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        vec![
            (KeyMode::Browse, browse(false)),
            (KeyMode::OnText, browse(true)),
            (KeyMode::EditLine, edit(true)),
            (KeyMode::EditLong, edit(false)),
            (KeyMode::Choose, choose()),
            (KeyMode::Confirm, confirm()),
            (KeyMode::Read, reader()),
            (KeyMode::FillReview, fill_review()),
            (KeyMode::Picker, picker()),
            (KeyMode::PickerName, picker_name()),
            (KeyMode::PickerFilter, picker_filter()),
        ]
    });
    tables
        .iter()
        .find(|(m, _)| *m == mode)
        .map_or(&tables[0].1, |(_, t)| t)
}

impl Table {
    fn bindings(&self) -> impl Iterator<Item = &Binding> {
        self.rows.iter().flat_map(|r| r.bindings.iter())
    }

    /// The footer's name for the key that does `action` here.
    pub fn name_of(&self, action: &Action) -> Option<&'static str> {
        self.bindings()
            .find(|b| &b.action == action)
            .map(|b| b.name)
    }
}

pub fn map_key(mode: KeyMode, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    // A line feed (Ctrl-J) is Enter, as in most terminal programs; the text editor
    // would otherwise take it as "delete to the start of the line".
    let key = match key.code {
        KeyCode::Char('j' | 'm') if ctrl => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        _ => key,
    };
    let pressed = Key {
        code: key.code,
        ctrl: key.modifiers.contains(KeyModifiers::CONTROL),
        alt: key.modifiers.contains(KeyModifiers::ALT),
    };
    let table = table(mode);
    if let Some(binding) = table.bindings().find(|b| b.key == pressed) {
        return Some(binding.action.clone());
    }
    match table.otherwise {
        Otherwise::Nothing => None,
        Otherwise::Type => Some(Action::Type(key)),
    }
}

#[cfg(test)]
mod tests;
