//! Drawing: `render(frame, &App)` lays out the screen and hands each part to its
//! own function. Nothing here changes the app; it returns where things were drawn,
//! so a mouse click can be turned into an action, the terminal's cursor put where
//! the text is typed, and a page told how long it turned out.

mod body;
mod fields;
mod fill;
mod lists;
mod overlay;
pub mod picker;
mod reader;
mod review;
mod theme;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};
use ratatui::widgets::{Paragraph, Wrap};

use super::action::Action;
use super::app::{App, Mode, SaveState};
use super::keys::{self, KeyMode};
use crate::form::form;
use crate::handoff::{Status, time};
use crate::tui::text::{printable, truncate, width};

pub use theme::Theme;

/// The smallest screen the wizard draws itself on; below it, a note asking for more.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Where things were drawn, for turning clicks into actions.
#[derive(Debug, Default, Clone)]
pub struct Hits {
    /// Sidebar lines and the step each one opens.
    pub steps: Vec<(Rect, usize)>,
    /// Body areas: the row they focus and, in lists, the entry.
    pub rows: Vec<(Rect, usize, Option<usize>)>,
    /// Where the text being typed is drawn.
    pub editor: Option<Rect>,
    /// Where the terminal's cursor goes: in the text being typed, so screen
    /// magnifiers, input methods and screen readers follow it.
    pub cursor: Option<Position>,
    /// The scrollable page on screen (the reader, or the review page): how many
    /// lines it has, and how many show at once.
    pub viewport: Option<(usize, usize)>,
}

impl Hits {
    /// Entry `sel` of the focused row's list, drawn on line `line` of `area`.
    pub fn list_entry(&mut self, area: Rect, line: usize, row: usize, sel: usize) {
        let y = area
            .y
            .saturating_add(u16::try_from(line).unwrap_or(u16::MAX));
        self.rows
            .push((Rect::new(area.x, y, area.width, 1), row, Some(sel)));
    }

    pub fn step_at(&self, x: u16, y: u16) -> Option<usize> {
        self.steps
            .iter()
            .find(|(r, _)| r.contains(Position::new(x, y)))
            .map(|(_, s)| *s)
    }

    pub fn row_at(&self, x: u16, y: u16) -> Option<(usize, Option<usize>)> {
        // Later (more specific) areas win: a list entry over its field block.
        self.rows
            .iter()
            .rev()
            .find(|(r, _, _)| r.contains(Position::new(x, y)))
            .map(|(_, row, sel)| (*row, *sel))
    }
}

pub fn render(frame: &mut Frame, app: &App, theme: &Theme) -> Hits {
    let area = frame.area();
    let mut hits = Hits::default();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, theme);
        return hits;
    }
    // A message too long for one line (a save error with its advice) gets two.
    let status_line = status_line(app, theme);
    let status_height = if status_line.width() > usize::from(area.width) {
        2
    } else {
        1
    };
    let [header, middle, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let [sidebar, body] = Layout::horizontal([
        Constraint::Length(sidebar_width(area.width)),
        Constraint::Min(1),
    ])
    .areas(middle);

    render_header(frame, header, app, theme);
    render_sidebar(frame, sidebar, app, theme, &mut hits);
    body::render(frame, body, app, theme, &mut hits);
    frame.render_widget(
        Paragraph::new(status_line).wrap(Wrap { trim: false }),
        status,
    );
    render_footer(frame, footer, app, theme);
    overlay::render(frame, area, app, theme, &mut hits);
    if let Mode::Read(reader) = app.mode() {
        reader::render(frame, middle, reader, theme, &mut hits);
    }
    if let Some(cursor) = hits.cursor {
        frame.set_cursor_position(cursor);
    }
    hits
}

/// The sidebar is as wide as its longest step title needs (`▸ 7 Long-term upgrade
/// strategy  ✓`), but never more than a third of the screen.
pub fn sidebar_width(screen: u16) -> u16 {
    let longest = form()
        .steps
        .iter()
        .map(|s| width(&s.title))
        .max()
        .unwrap_or(20);
    let wanted = u16::try_from(longest + 10).unwrap_or(u16::MAX);
    wanted.min(screen / 3).max(20)
}

/// The text being typed, drawn where the screen has room for it; `hits.editor`
/// remembers where, so a keystroke can be echoed by redrawing only that area,
/// and `hits.cursor` where the terminal's cursor goes. The editor carries its own
/// styles, so both draws match.
pub fn render_editor(buf: &mut Buffer, rect: Rect, app: &App, hits: &mut Hits) {
    if let Some(editor) = app.editor()
        && !rect.is_empty()
    {
        editor.area.render(rect, buf);
        hits.editor = Some(rect);
        // Where the cursor ended up, now that the editor has scrolled to show it.
        let cursor = editor.area.screen_cursor();
        let (top, left) = editor.area.scroll_offset();
        let row = cursor.row.saturating_sub(usize::from(top));
        let col = cursor.col.saturating_sub(usize::from(left));
        if let (Ok(row), Ok(col)) = (u16::try_from(row), u16::try_from(col))
            && row < rect.height
            && col < rect.width
        {
            hits.cursor = Some(Position::new(rect.x + col, rect.y + row));
        }
    }
}

/// An editor in a titled frame.
fn boxed_editor(
    frame: &mut Frame,
    rect: Rect,
    editor: &crate::tui::app::Editor,
    app: &App,
    theme: &Theme,
    hits: &mut Hits,
) {
    let block = focused_box(&editor.title, rect.width, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    render_editor(frame.buffer_mut(), inner, app, hits);
}

/// The frame of what has the keys (an editor, the reader, a pop-up): in the
/// focus colour, titled ` TITLE `, the title cut to fit `width`.
fn focused_box(title: &str, width: u16, theme: &Theme) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.focused)
        .title(format!(
            " {} ",
            truncate(title, usize::from(width.saturating_sub(4)))
        ))
}

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::styled("Terminal too small", theme.title),
        Line::from(format!(
            "{}×{} here; handoff needs {MIN_WIDTH}×{MIN_HEIGHT}.",
            area.width, area.height
        )),
        Line::from("Enlarge the window, or press q to save and quit."),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn render_header(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let doc = &app.document();
    let (done, total) = doc.progress();
    let complete = doc.status == Status::Complete;
    let status = |named: bool| match (doc.status, doc.maintained_by()) {
        (Status::Complete, Some((by, _))) if named => Span::styled(
            format!("complete · maintained by {}", printable(by)),
            theme.done,
        ),
        (Status::Complete, Some(_)) => Span::styled("complete · maintained", theme.done),
        (Status::Complete, None) => Span::styled("complete", theme.done),
        (Status::InProgress, _) => Span::raw("in progress"),
    };
    let saved = match app.save_state() {
        _ if app.read_only().is_some() => None,
        SaveState::Failed(_) => Some(Span::styled(
            "NOT SAVED",
            theme.error.add_modifier(Modifier::BOLD),
        )),
        _ if app.is_dirty() => Some(Span::styled("saving…", theme.dim)),
        SaveState::Saved(at) => Some(Span::styled(
            format!("saved {}", time::local(*at).format("%H:%M:%S")),
            theme.dim,
        )),
        SaveState::Unchanged => Some(Span::styled("no changes yet", theme.dim)),
    };
    let note = app
        .header_note()
        .map(|note| Span::styled(printable(note).into_owned(), theme.dim));
    let badge = app
        .read_only()
        .map(|_| Span::styled(" READ-ONLY ", theme.read_only));
    let line = |progress: bool, named: bool| {
        let mut spans = vec![
            Span::styled(" handoff ", theme.badge),
            Span::raw(" "),
            Span::styled(printable(doc.customer()).into_owned(), theme.title),
        ];
        let parts = [
            Some(status(named)),
            progress.then(|| Span::raw(format!("{done} of {total} done"))),
            saved.clone(),
            note.clone(),
        ];
        for part in parts.into_iter().flatten() {
            spans.extend([Span::raw(" · "), part]);
        }
        if let Some(badge) = &badge {
            spans.extend([Span::raw(" ·"), badge.clone()]);
        }
        Line::from(spans)
    };
    // When the header is too wide, a complete handoff's progress gives way first
    // ("complete" says it), then who maintains it (the review page says it); the
    // READ-ONLY badge stays in sight whatever is cut.
    let fits = |line: &Line| line.width() <= usize::from(area.width);
    let mut header = line(true, true);
    if complete && !fits(&header) {
        header = line(false, true);
    }
    if complete && !fits(&header) {
        header = line(false, false);
    }
    let cut = !fits(&header);
    frame.render_widget(Paragraph::new(header).style(theme.header), area);
    if let Some(badge) = badge.filter(|_| cut) {
        let badge_width = u16::try_from(badge.width())
            .unwrap_or(u16::MAX)
            .min(area.width);
        let at = Rect::new(area.right() - badge_width, area.y, badge_width, 1);
        frame.render_widget(Paragraph::new(Line::from(badge)), at);
    }
}

fn render_sidebar(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut Hits) {
    let blockers = app.document().blockers();
    let steps = &form().steps;
    let mut lines = Vec::new();
    lines.push(Line::from(""));
    for (i, step) in steps.iter().enumerate() {
        let missing = if step.key == crate::form::STEP_REVIEW {
            blockers.len()
        } else {
            blockers.iter().filter(|b| b.step == i).count()
        };
        let state = if missing == 0 {
            Span::styled(" ✓", theme.done)
        } else {
            Span::styled(format!(" {missing}"), theme.missing)
        };
        let current = i == app.step();
        let marker = if current { "▸" } else { " " };
        let label = format!("{marker} {} {}", i + 1, step.title);
        let style = if current { theme.selected } else { theme.plain };
        // The state sits at the right edge; the title gives way when space is short.
        let columns = usize::from(area.width.saturating_sub(1));
        let state_width = state.width();
        let label = truncate(&label, columns.saturating_sub(state_width + 1));
        let pad = columns.saturating_sub(width(&label) + state_width);
        lines.push(Line::from(vec![
            Span::styled(label, style),
            Span::raw(" ".repeat(pad)),
            state,
        ]));
        let y = area.y + 1 + u16::try_from(i).unwrap_or(u16::MAX);
        if y < area.y + area.height {
            hits.steps.push((Rect::new(area.x, y, area.width, 1), i));
        }
    }
    lines.push(Line::from(""));
    let digits = keys::table(app.key_mode())
        .rows
        .iter()
        .find(|r| r.what.starts_with("go to a step"))
        .map_or_else(String::new, |r| format!("{} jump · ", r.keys));
    lines.push(Line::styled(
        format!(
            " {digits}{} next",
            key_names(KeyMode::Browse, &[Action::NextStep])
        ),
        theme.dim,
    ));
    frame.render_widget(Paragraph::new(lines).style(theme.sidebar), area);
}

/// The line above the footer: the last message, why editing is off, or what is
/// wrong with the text being typed.
fn status_line(app: &App, theme: &Theme) -> Line<'static> {
    match (app.message(), app.read_only()) {
        (Some(m), _) => Line::styled(
            format!(" {}", printable(&m.text)),
            if m.error { theme.error } else { theme.info },
        ),
        (None, _) if app.task().is_some() => {
            let task = app.task().map_or_else(String::new, |t| {
                format!(" {} {} Esc stops it", t.spinner(), printable(&t.label))
            });
            Line::styled(task, theme.info)
        }
        (None, Some(why)) => Line::styled(format!(" Read-only: {}", printable(why)), theme.dim),
        (None, None) => match app.editor_problem() {
            Some(p) => Line::styled(format!(" ✗ {}", printable(&p)), theme.error),
            None => Line::from(""),
        },
    }
}

const EDIT_LONG_KEYS: Footer = &[
    (&[Action::NextField], "done"),
    (&[Action::Save], "save"),
    (&[Action::ExternalEditor], "$EDITOR"),
    (&[Action::Cancel], "cancel"),
];
const EDIT_LINE_KEYS: Footer = &[
    (&[Action::Activate], "done"),
    (&[Action::NextField], "next"),
    (&[Action::ExternalEditor], "$EDITOR"),
    (&[Action::Cancel], "cancel"),
];
const TICK_KEYS: Footer = &[
    (&[Action::Up, Action::Down], "move"),
    (&[Action::Toggle], "tick"),
    (&[Action::Activate], "done"),
    (&[Action::Cancel], "cancel"),
];
const PICK_KEYS: Footer = &[
    (&[Action::Up, Action::Down], "move"),
    (&[Action::Activate], "pick"),
    (&[Action::Cancel], "cancel"),
];
const CONFIRM_KEYS: Footer = &[(&[Action::Yes], "yes"), (&[Action::No], "no")];
const FILL_KEYS: Footer = &[
    (&[Action::Up, Action::Down], "move"),
    (&[Action::Toggle], "tick"),
    (&[Action::Activate], "fill in the ticked"),
    (&[Action::Cancel], "none"),
];
const READ_KEYS: Footer = &[
    (&[Action::Up, Action::Down], "line"),
    (&[Action::PageUp, Action::PageDown], "page"),
    (&[Action::Home, Action::End], "top / end"),
    (&[Action::Cancel], "close"),
];
/// After the keys of the focused row, while browsing.
const ALWAYS_KEYS: Footer = &[(&[Action::Help], "keys"), (&[Action::Quit], "quit")];

fn render_footer(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mode = app.key_mode();
    let keys: Footer = match app.mode() {
        Mode::Edit(e) if e.multiline => EDIT_LONG_KEYS,
        Mode::Edit(_) => EDIT_LINE_KEYS,
        Mode::Choose(c) if c.multi => TICK_KEYS,
        Mode::Choose(_) => PICK_KEYS,
        Mode::Confirm(_) => CONFIRM_KEYS,
        Mode::Read(_) => READ_KEYS,
        Mode::Fill(_) => FILL_KEYS,
        Mode::Browse => body::browse_keys(app),
    };
    let named = |list: Footer| -> Vec<(String, &'static str)> {
        list.iter()
            .map(|(actions, what)| (key_names(mode, actions), *what))
            .collect()
    };
    let always = if matches!(app.mode(), Mode::Browse) {
        named(ALWAYS_KEYS)
    } else {
        Vec::new()
    };
    // What does something here, as much as fits; the key list and quit always show.
    let room = usize::from(area.width).saturating_sub(1);
    let cost = |(k, w): &(String, &str)| width(k) + width(w) + 3;
    let mut used: usize = always.iter().map(cost).sum();
    let mut shown = Vec::new();
    for item in named(keys) {
        if used + cost(&item) > room {
            break;
        }
        used += cost(&item);
        shown.push(item);
    }
    shown.extend(always);
    let mut spans = vec![Span::raw(" ")];
    for (n, (key, what)) in shown.iter().enumerate() {
        spans.push(Span::styled(key.clone(), theme.key));
        spans.push(Span::raw(if n + 1 == shown.len() {
            format!(" {what}")
        } else {
            format!(" {what}  ")
        }));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.footer), area);
}

/// Keys shown in a footer: the actions (their keys come from the mode's table)
/// and what they do here.
pub type Footer = &'static [(&'static [Action], &'static str)];

/// The keys that do `actions` in `mode`, as the footer names them ("↑↓", "Enter").
pub fn key_names(mode: KeyMode, actions: &[Action]) -> String {
    let table = keys::table(mode);
    let names: Vec<&str> = actions.iter().filter_map(|a| table.name_of(a)).collect();
    // Arrows read as a pair ("↑↓"); named keys need a separator ("PgUp/PgDn").
    let joiner = if names.iter().all(|n| n.chars().count() == 1) {
        ""
    } else {
        "/"
    };
    names.join(joiner)
}
