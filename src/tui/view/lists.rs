//! The lists that make a step: the notes log with the selected note shown in
//! full, and the closeout checklist.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::fields::wrapped;
use super::{Hits, Theme};
use crate::handoff::{ItemState, time};
use crate::tui::app::{App, EditTarget, Row, category_label, rows};
use crate::tui::text::{printable, truncate, width};

/// "1 entry", "3 entries".
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The line above a list: its name, marked when focused, and a dim detail.
fn list_heading(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    detail: &str,
    focused: bool,
    theme: &Theme,
) {
    let marker = if focused { "▸ " } else { "  " };
    let title_style = if focused { theme.focused } else { theme.title };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(marker, theme.focused),
            Span::styled(title.to_string(), title_style),
            Span::styled(detail.to_string(), theme.dim),
        ])),
        area,
    );
}

/// The first entry to show so that `sel` is on screen.
pub(super) fn window_start(len: usize, sel: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        0
    } else {
        sel.saturating_sub(height - 1).min(len - height)
    }
}

pub(super) fn notes_log(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut Hits) {
    let row = rows(app.current_step())
        .iter()
        .position(|r| *r == Row::NotesLog)
        .unwrap_or(0);
    let focused = app.row() == row;
    let live = app.live_notes();
    let editing_note = matches!(
        app.editor().map(|e| &e.target),
        Some(EditTarget::Note { .. })
    );
    let [head, list, preview] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Percentage(45),
        Constraint::Min(3),
    ])
    .areas(area);
    let detail = format!("  {} · a adds one", count(live.len(), "entry", "entries"));
    list_heading(frame, head, "Notes log", &detail, focused, theme);
    hits.rows.push((head, row, None));

    // Only the entries on screen are formatted, so a log of any length stays instant.
    let height = usize::from(list.height);
    let start = window_start(live.len(), app.sel(), height);
    let mut lines = Vec::new();
    for (n, note) in
        (start..live.len().min(start + height)).filter_map(|n| Some((n, app.live_note(n)?.1)))
    {
        let when = time::minutes(note.created_at);
        let first = note.text.lines().next().unwrap_or("");
        let more = if note.text.lines().nth(1).is_some() {
            " …"
        } else {
            ""
        };
        let text = format!(
            "  {when}  {:<26} {}  {first}{more}",
            truncate(category_label(&note.category), 26),
            truncate(&note.author, 16)
        );
        let style = if focused && n == app.sel() {
            theme.selected
        } else {
            theme.plain
        };
        lines.push(Line::styled(
            truncate(&text, usize::from(list.width)),
            style,
        ));
        hits.list_entry(list, n - start, row, n);
    }
    if live.is_empty() {
        lines.push(Line::styled(
            "  No notes yet. Press a to add the first one.",
            theme.dim,
        ));
    }
    frame.render_widget(Paragraph::new(lines), list);

    if editing_note {
        if let Some(editor) = app.editor() {
            super::boxed_editor(frame, preview, editor, app, theme, hits);
        }
    } else if let Some(note) = app.live_note(app.sel()).map(|(_, note)| note) {
        let mut title = format!(
            " {} · {} · {} ",
            time::minutes(note.created_at),
            category_label(&note.category),
            printable(&note.author)
        );
        if let Some(edited) = note.edited_at {
            title.push_str(&format!("(edited {}) ", time::minutes(edited)));
        }
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(title);
        let inner = block.inner(preview);
        let text = wrapped(&note.text, 0, usize::from(inner.width), theme.plain);
        // A note longer than the box says so, and how to read it all.
        let block = if text.len() > usize::from(inner.height) {
            let shown = usize::from(inner.height);
            block.title_bottom(format!(
                " lines 1–{shown} of {} · v reads it all ",
                text.len()
            ))
        } else {
            block
        };
        frame.render_widget(Paragraph::new(text).block(block), preview);
    }
}

pub(super) fn checklist(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut Hits) {
    let row = rows(app.current_step())
        .iter()
        .position(|r| *r == Row::Checklist)
        .unwrap_or(0);
    let focused = app.row() == row;
    let items = &app.document().checklist_items;
    let settled = items.iter().filter(|i| i.state != ItemState::Todo).count();
    let editing = matches!(
        app.editor().map(|e| &e.target),
        Some(EditTarget::Reason { .. } | EditTarget::CustomItem)
    );
    let [head, list, input] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(if editing { 3 } else { 0 }),
    ])
    .areas(area);
    let detail = format!("  {settled} of {} settled", items.len());
    list_heading(frame, head, "Closeout items", &detail, focused, theme);
    hits.rows.push((head, row, None));
    let height = usize::from(list.height);
    let start = window_start(items.len(), app.sel(), height);
    let shown: Vec<(usize, &crate::handoff::ChecklistItem, String)> = items
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(n, item)| (n, item, item_detail(item)))
        .collect();
    // Titles in one column, sized to the titles on screen; what is known about
    // each item after it. The width there is goes to both before anything is cut.
    let columns = usize::from(list.width).saturating_sub(8);
    let widest_title = shown
        .iter()
        .map(|(_, i, _)| width(&i.title))
        .max()
        .unwrap_or(0);
    let widest_detail = shown.iter().map(|(_, _, d)| width(d)).max().unwrap_or(0);
    // Titles first: the detail gives way down to a third of the row.
    let title_col = widest_title.min(columns.saturating_sub(widest_detail.min(columns / 3)));
    let detail_col = columns.saturating_sub(title_col);
    let mut lines = Vec::new();
    for (n, item, detail) in shown {
        let (mark, mark_style) = match item.state {
            ItemState::Done => ("[x]", theme.done),
            ItemState::OutOfScope => ("[-]", theme.warning),
            ItemState::Todo => ("[ ]", theme.missing),
        };
        let selected = focused && n == app.sel();
        let title_style = match (selected, item.state) {
            (true, _) => theme.selected,
            (false, ItemState::OutOfScope) => theme.dim.add_modifier(Modifier::CROSSED_OUT),
            _ => theme.plain,
        };
        let title = truncate(&item.title, title_col);
        let pad = title_col.saturating_sub(width(&title));
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(mark, mark_style),
            Span::raw(" "),
            Span::styled(title, title_style),
            Span::raw(" ".repeat(pad + 2)),
            Span::styled(truncate(&detail, detail_col), theme.dim),
        ]));
        hits.list_entry(list, n - start, row, n);
    }
    frame.render_widget(Paragraph::new(lines), list);
    if editing && let Some(editor) = app.editor() {
        super::boxed_editor(frame, input, editor, app, theme, hits);
    }
}

/// What is known about an item: who did it and when, or why it is out of scope.
fn item_detail(item: &crate::handoff::ChecklistItem) -> String {
    match item.state {
        // [x] already says done; who and the day are what is left to say (v reads
        // the time too).
        ItemState::Done => format!(
            "{}{}",
            item.done_by.as_deref().unwrap_or("?"),
            item.done_at
                .map(|t| format!(", {}", time::local(t).format("%Y-%m-%d")))
                .unwrap_or_default()
        ),
        ItemState::OutOfScope => match item.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(r) => format!("out of scope: {}", printable(r)),
            None => "out of scope — reason needed".to_string(),
        },
        ItemState::Todo => "to do".to_string(),
    }
}
