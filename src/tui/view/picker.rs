//! The picker's screen: the saved handoffs in columns that line up by display
//! width (CJK and emoji names take two columns a character), who has which one
//! open, the filter, "New handoff…", and the name box.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Footer, Theme};
use crate::tui::action::Action;
use crate::tui::keys::KeyMode;
use crate::tui::picker::{Entry, Picker};
use crate::tui::text::{printable, truncate, width};

/// The columns' headings. The last column, who is editing, is there only when
/// someone is.
const HEADINGS: [&str; 5] = ["CUSTOMER", "STATUS", "PROGRESS", "UPDATED", "EDITING"];

/// Columns between two cells, and left of the first.
const GAP: usize = 2;

/// The customer's column is cut to make room for the others, but not below this.
const MIN_CUSTOMER: usize = 12;

pub fn render(frame: &mut Frame, picker: &Picker, theme: &Theme) {
    let area = frame.area();
    let [head, filter, body, status, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(" handoff ", theme.badge),
                Span::styled("  Pick a handoff", theme.title),
            ]),
            Line::styled(
                truncate(
                    &format!(" in {}", picker.dir().display()),
                    usize::from(head.width),
                ),
                theme.dim,
            ),
        ]),
        head,
    );
    render_filter(frame, filter, picker, theme);
    render_list(frame, body, picker, theme);
    if let Some(area) = picker.naming() {
        let rect = Rect {
            y: body.y + body.height.saturating_sub(3),
            height: 3.min(body.height),
            ..body
        };
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(theme.focused)
            .title(" Customer (account) name — Enter creates ");
        let inner = block.inner(rect);
        frame.render_widget(Clear, rect);
        frame.render_widget(block, rect);
        frame.render_widget(area, inner);
        // The terminal's cursor goes where the name is typed (screen magnifiers,
        // input methods and screen readers follow it).
        let cursor = area.screen_cursor();
        let (top, left) = area.scroll_offset();
        let row = cursor.row.saturating_sub(usize::from(top));
        let col = cursor.col.saturating_sub(usize::from(left));
        if let (Ok(row), Ok(col)) = (u16::try_from(row), u16::try_from(col))
            && row < inner.height
            && col < inner.width
        {
            frame.set_cursor_position(Position::new(inner.x + col, inner.y + row));
        }
    }
    render_status(frame, status, picker, theme);
    render_footer(frame, foot, picker, theme);
}

/// The filter as typed, and how many handoffs it lets through.
fn render_filter(frame: &mut Frame, area: Rect, picker: &Picker, theme: &Theme) {
    let Some(filter) = picker.filter() else {
        return;
    };
    let filter = printable(filter);
    let typed = format!(" / {filter}");
    let count = format!(
        "   {} of {} shown",
        picker.shown().len(),
        picker.entries().len()
    );
    let line = Line::from(vec![
        Span::styled(typed.clone(), theme.focused),
        Span::styled(count, theme.dim),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if picker.filtering() && picker.naming().is_none() {
        let col = u16::try_from(width(&typed)).unwrap_or(u16::MAX);
        if col < area.width {
            frame.set_cursor_position(Position::new(area.x + col, area.y));
        }
    }
}

/// The cells of one handoff's row: customer, status, progress, last update, and
/// who is editing it. A file that cannot be read shows its name and says so.
fn cells(entry: &Entry) -> [String; 5] {
    let lock = entry
        .locked_by
        .as_ref()
        .map(|h| format!("🔒 {}", printable(&h.user)))
        .unwrap_or_default();
    match &entry.read {
        Ok(s) => [
            s.customer.clone(),
            s.status.clone(),
            s.progress.clone(),
            s.updated.clone(),
            lock,
        ],
        Err(_) => [
            entry.file.clone(),
            "cannot be read".into(),
            String::new(),
            String::new(),
            lock,
        ],
    }
}

/// How wide each column is: as wide as its widest cell among all the handoffs (so
/// the columns stay put while the filter narrows the list), the customer's cut to
/// what `room` leaves it. Who is editing gets a column only when someone is.
fn widths(rows: &[[String; 5]], room: usize) -> [usize; 5] {
    let mut widths = HEADINGS.map(width);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    if rows.iter().all(|r| r[4].is_empty()) {
        widths[4] = 0;
    }
    let lock = widths[4];
    let others: usize =
        widths[1..4].iter().sum::<usize>() + 3 * GAP + if lock > 0 { GAP + lock } else { 0 };
    let left = room.saturating_sub(GAP + others);
    widths[0] = widths[0].min(left.max(MIN_CUSTOMER));
    widths
}

/// One row: each cell cut to its column and padded by display width.
fn row_text(cells: &[String; 5], widths: &[usize; 5], room: usize) -> String {
    let mut line = " ".repeat(GAP);
    let last = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
    for (n, (cell, w)) in cells.iter().zip(widths).enumerate().take(last + 1) {
        let cut = truncate(cell, *w);
        line.push_str(&cut);
        if n < last {
            line.push_str(&" ".repeat(w - width(&cut) + GAP));
        }
    }
    truncate(&line, room)
}

fn render_list(frame: &mut Frame, body: Rect, picker: &Picker, theme: &Theme) {
    let room = usize::from(body.width);
    let entries = picker.entries();
    let all: Vec<[String; 5]> = entries.iter().map(cells).collect();
    let widths = widths(&all, room);
    let shown = picker.shown();
    let selected = picker.selected_row();
    let mut lines: Vec<Line> = Vec::new();
    for (row, &i) in shown.iter().enumerate() {
        let text = row_text(&all[i], &widths, room);
        let style = if row == selected {
            theme.selected
        } else if entries[i].locked_by.is_some() {
            theme.dim
        } else {
            theme.plain
        };
        lines.push(Line::styled(text, style));
    }
    if shown.is_empty()
        && let Some(filter) = picker.filter().filter(|f| !f.is_empty())
    {
        lines.push(Line::styled(
            truncate(&format!("  Nothing matches “{filter}”"), room),
            theme.dim,
        ));
    }
    let style = if selected == shown.len() {
        theme.selected
    } else {
        theme.focused
    };
    lines.push(Line::styled("  + New handoff…", style));
    let (heading, list) = if entries.is_empty() {
        (None, body)
    } else {
        let [heading, list] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
        (Some(heading), list)
    };
    if let Some(heading) = heading {
        let mut headings = HEADINGS.map(str::to_string);
        if widths[4] == 0 {
            headings[4].clear();
        }
        frame.render_widget(
            Paragraph::new(Line::styled(row_text(&headings, &widths, room), theme.dim)),
            heading,
        );
    }
    // The selected row is kept in sight: at the bottom once the list is longer.
    let start = selected.saturating_sub(usize::from(list.height.saturating_sub(1)));
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(start).unwrap_or(u16::MAX), 0)),
        list,
    );
}

/// A message (a refusal, in red) or, when there is none, what there is to know
/// about the selected handoff: its file, who is editing it, why it cannot be read.
fn render_status(frame: &mut Frame, area: Rect, picker: &Picker, theme: &Theme) {
    let (text, style) = if let Some(m) = picker.message() {
        (printable(m).into_owned(), theme.error)
    } else if let Some(entry) = picker.selected_entry() {
        let text = match (&entry.read, &entry.locked_by) {
            (Err(e), _) => format!("{}: {e}", entry.file),
            (Ok(_), Some(holder)) => format!(
                "{}: 🔒 {} is editing it; v views it read-only",
                entry.file,
                printable(&holder.to_string())
            ),
            (Ok(_), None) => entry.file.clone(),
        };
        (text, theme.dim)
    } else {
        (String::new(), theme.dim)
    };
    frame.render_widget(
        Paragraph::new(Line::styled(format!(" {text}"), style)).wrap(Wrap { trim: false }),
        area,
    );
}

fn render_footer(frame: &mut Frame, area: Rect, picker: &Picker, theme: &Theme) {
    let mode = picker.key_mode();
    let (lead, shown) = match mode {
        KeyMode::PickerName => ("", NAMING_KEYS),
        KeyMode::PickerFilter => ("type to filter · ", FILTERING_KEYS),
        _ if picker.filter().is_some() => ("", FILTERED_KEYS),
        _ => ("", PICKING_KEYS),
    };
    let parts: Vec<String> = shown
        .iter()
        .map(|(actions, what)| format!("{} {what}", super::key_names(mode, actions)))
        .collect();
    frame.render_widget(
        Paragraph::new(Line::styled(
            truncate(
                &format!(" {lead}{}", parts.join(" · ")),
                usize::from(area.width),
            ),
            theme.dim,
        )),
        area,
    );
}

const PICKING_KEYS: Footer = &[
    (&[Action::Up, Action::Down], "move"),
    (&[Action::Activate], "open"),
    (&[Action::ViewReadOnly], "view read-only"),
    (&[Action::Filter], "filter"),
    (&[Action::NewHandoff], "new"),
    (&[Action::Quit], "quit"),
];

/// The list narrowed by a filter: Esc clears it before it quits.
const FILTERED_KEYS: Footer = &[
    (&[Action::Up, Action::Down], "move"),
    (&[Action::Activate], "open"),
    (&[Action::ViewReadOnly], "view read-only"),
    (&[Action::Filter], "filter"),
    (&[Action::Cancel], "clear filter"),
    (&[Action::Quit], "quit"),
];

const FILTERING_KEYS: Footer = &[
    (&[Action::Up, Action::Down], "move"),
    (&[Action::Activate], "open"),
    (&[Action::NextField], "keep filter"),
    (&[Action::Cancel], "clear"),
];

const NAMING_KEYS: Footer = &[
    (&[Action::Activate], "create"),
    (&[Action::Cancel], "cancel"),
    (&[Action::ClearLine], "clear"),
];
