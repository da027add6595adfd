//! The current step: its fields, and the notes log, checklist or review page.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Footer, Hits, Theme};
use crate::form::{self, FieldKind, form};
use crate::handoff::{FieldValue, ItemState};
use crate::tui::action::Action;
use crate::tui::app::{App, EditTarget, Row, category_label, rows};
use crate::tui::text::{printable, truncate, width};
use crate::validate;

/// The keys that do something on the focused row, for the footer.
pub fn browse_keys(app: &App) -> Footer {
    use Action as A;
    let step = app.current_step();
    match app.current_row() {
        Some(Row::Field(i)) => match step.fields[i].kind {
            FieldKind::List => &[
                (&[A::Up, A::Down], "entries"),
                (&[A::Activate], "edit"),
                (&[A::Add], "add"),
                (&[A::Delete], "delete"),
                (&[A::NextField], "next"),
            ],
            FieldKind::Choice | FieldKind::MultiChoice => &[
                (&[A::Activate], "choose"),
                (&[A::NextField], "next"),
                (&[A::NextStep], "next step"),
            ],
            _ => &[
                (&[A::Activate], "edit"),
                (&[A::NextField], "next"),
                (&[A::NextStep], "next step"),
            ],
        },
        Some(Row::NotesLog) => &[
            (&[A::Up, A::Down], "notes"),
            (&[A::Add], "add"),
            (&[A::Activate], "edit"),
            (&[A::Recategorize], "category"),
            (&[A::Delete], "delete"),
        ],
        Some(Row::Checklist) => &[
            (&[A::Up, A::Down], "items"),
            (&[A::Toggle], "done"),
            (&[A::OutOfScope], "out of scope"),
            (&[A::Add], "add"),
            (&[A::Delete], "delete"),
        ],
        Some(Row::Summary) => &[(&[A::Up, A::Down], "scroll"), (&[A::NextField], "blockers")],
        Some(Row::Blockers) => &[
            (&[A::Up, A::Down], "blockers"),
            (&[A::Activate], "go there"),
            (&[A::NextField], "complete"),
        ],
        Some(Row::Complete) => &[
            (&[A::Activate], "complete handoff"),
            (&[A::PrevField], "back"),
        ],
        None => &[(&[A::NextStep], "next step")],
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut Hits) {
    let step = app.current_step();
    let inner = Rect {
        x: area.x + 1,
        width: area.width.saturating_sub(2),
        ..area
    };
    let [heading, content] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(inner);
    let title = Line::from(vec![Span::styled(
        format!("{} · {}", app.step() + 1, step.title),
        theme.title,
    )]);
    let help = Line::styled(truncate(&step.help, usize::from(heading.width)), theme.dim);
    frame.render_widget(Paragraph::new(vec![title, help]), heading);

    if step.key == form::STEP_REVIEW {
        return review(frame, content, app, theme, hits);
    }
    let blocks = field_blocks(app, content.width, theme);
    let list = match step.key.as_str() {
        form::STEP_NOTES => Some(notes_log as fn(&mut Frame, Rect, &App, &Theme, &mut Hits)),
        form::STEP_CHECKLIST => Some(checklist as fn(&mut Frame, Rect, &App, &Theme, &mut Hits)),
        _ => None,
    };
    match list {
        Some(list) => {
            // Fields above a list get what they need, but at most half the space.
            let needed: usize = blocks.iter().map(|b| b.lines.len()).sum();
            let fields = (needed as u16).min(content.height / 2);
            let [top, rest] =
                Layout::vertical([Constraint::Length(fields), Constraint::Min(1)]).areas(content);
            render_fields(frame, top, app, blocks, theme, hits);
            list(frame, rest, app, theme, hits);
        }
        None => render_fields(frame, content, app, blocks, theme, hits),
    }
}

/// One field as lines, with where its editor and list entries sit.
struct FieldBlock {
    row: usize,
    lines: Vec<Line<'static>>,
    /// (first line, height) of the open editor.
    editor: Option<(usize, u16)>,
    /// (line, entry index) of list entries.
    entries: Vec<(usize, usize)>,
}

fn field_blocks(app: &App, width: u16, theme: &Theme) -> Vec<FieldBlock> {
    let step = app.current_step();
    let width = usize::from(width);
    let editing = app.editor().map(|e| &e.target);
    let mut blocks = Vec::new();
    for (row, kind_row) in rows(step).iter().enumerate() {
        let Row::Field(i) = *kind_row else {
            continue;
        };
        let field = &step.fields[i];
        let focused = app.row() == row;
        let value = app.document().value(&step.key, &field.key);
        let mut lines = Vec::new();
        let mut entries = Vec::new();
        let mut editor = None;

        let marker = if focused { "▸ " } else { "  " };
        let mut label = vec![
            Span::styled(marker, theme.focused),
            Span::styled(
                field.label.clone(),
                if focused { theme.focused } else { theme.title },
            ),
        ];
        if field.required {
            label.push(Span::styled(" *", theme.missing));
        }
        label.push(Span::styled(
            format!("  ({})", field.kind_hint()),
            theme.dim,
        ));
        lines.push(Line::from(label));

        let editing_here = match editing {
            Some(
                EditTarget::Field { step: s, field: f } | EditTarget::Other { step: s, field: f },
            ) => *s == app.step() && *f == i,
            _ => false,
        };
        let adding_entry = matches!(editing, Some(EditTarget::ListEntry { step: s, field: f, .. }) if *s == app.step() && *f == i);

        if editing_here {
            let height: u16 = if field.kind == FieldKind::LongText {
                8
            } else {
                1
            };
            editor = Some((lines.len(), height));
            lines.extend((0..height).map(|_| Line::from("")));
        } else {
            match (field.kind, value) {
                (FieldKind::List, _) => {
                    let items = app.list_entries(app.step(), i);
                    if items.is_empty() && !adding_entry {
                        lines.push(Line::styled("    — none yet (a adds one)", theme.dim));
                    }
                    for (n, item) in items.iter().enumerate() {
                        let selected = focused && app.sel() == n;
                        let style = if selected {
                            theme.selected
                        } else {
                            theme.plain
                        };
                        entries.push((lines.len(), n));
                        lines.push(Line::from(vec![
                            Span::raw("    • "),
                            Span::styled(truncate(item, width.saturating_sub(6)), style),
                        ]));
                    }
                    if adding_entry {
                        editor = Some((lines.len(), 1));
                        lines.push(Line::from(""));
                    }
                }
                (_, None) => lines.push(Line::styled("    —", theme.dim)),
                (FieldKind::LongText, Some(v)) => {
                    let text = v.to_input();
                    let all: Vec<&str> = text.lines().collect();
                    for line in all.iter().take(6) {
                        lines.push(Line::from(format!(
                            "    {}",
                            truncate(line, width.saturating_sub(4))
                        )));
                    }
                    if all.len() > 6 {
                        lines.push(Line::styled(
                            format!("    … {} more lines", all.len() - 6),
                            theme.dim,
                        ));
                    }
                }
                (FieldKind::Choice, Some(FieldValue::Text(t)))
                    if !validate::is_listed_choice(field, t) =>
                {
                    lines.push(Line::from(format!(
                        "    Other: {}",
                        truncate(t, width.saturating_sub(11))
                    )));
                }
                (_, Some(v)) => lines.push(Line::from(format!(
                    "    {}",
                    truncate(&v.display(), width.saturating_sub(4))
                ))),
            }
        }
        lines.push(Line::styled(
            format!("    {}", truncate(&field.help, width.saturating_sub(4))),
            theme.dim,
        ));
        let problem = if editing_here || adding_entry {
            app.editor_problem()
        } else {
            app.document().field_problem(step, field)
        };
        match problem {
            Some(p) if value.is_some() || editing_here || adding_entry => {
                lines.push(Line::styled(
                    format!("    ✗ {}", truncate(&p, width.saturating_sub(6))),
                    theme.error,
                ));
            }
            // While typing, the line is kept even when empty, so the block does not
            // change height with every key (and the editor does not move).
            _ if editing_here || adding_entry => lines.push(Line::from("")),
            _ => {}
        }
        if let (Some(FieldValue::Text(choice)), false) = (value, editing_here)
            && let Some(warning) = field.warn.get(choice)
        {
            lines.push(Line::styled(format!("    ! {warning}"), theme.warning));
        }
        lines.push(Line::from(""));
        blocks.push(FieldBlock {
            row,
            lines,
            editor,
            entries,
        });
    }
    blocks
}

fn render_fields(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    blocks: Vec<FieldBlock>,
    theme: &Theme,
    hits: &mut Hits,
) {
    if area.height == 0 {
        return;
    }
    let mut starts = Vec::with_capacity(blocks.len());
    let mut total = 0usize;
    for block in &blocks {
        starts.push(total);
        total += block.lines.len();
    }
    // Scroll so the focused field is on screen, whole if it fits.
    let height = usize::from(area.height);
    let offset = blocks
        .iter()
        .zip(&starts)
        .find(|(b, _)| b.row == app.row())
        .map_or(0, |(b, &top)| {
            let bottom = top + b.lines.len();
            if bottom > height {
                (bottom - height).min(top)
            } else {
                0
            }
        });
    let visible = offset..offset + height;
    let screen_y = |y: usize| area.y + (y - offset) as u16;

    let lines: Vec<Line> = blocks
        .iter()
        .flat_map(|b| b.lines.iter().cloned())
        .skip(offset)
        .take(height)
        .collect();
    frame.render_widget(Paragraph::new(lines), area);

    for (block, &top) in blocks.iter().zip(&starts) {
        let bottom = top + block.lines.len();
        let first = top.max(offset);
        let last = bottom.min(offset + height);
        if first < last {
            let rect = Rect::new(area.x, screen_y(first), area.width, (last - first) as u16);
            hits.rows.push((rect, block.row, None));
        }
        for &(line, entry) in &block.entries {
            if visible.contains(&(top + line)) {
                hits.rows.push((
                    Rect::new(area.x, screen_y(top + line), area.width, 1),
                    block.row,
                    Some(entry),
                ));
            }
        }
        // The editor goes on top of the lines reserved for it, so its cursor shows.
        if let (Some((line, h)), Some(editor)) = (block.editor, app.editor())
            && visible.contains(&(top + line))
        {
            let y = screen_y(top + line);
            let h = h.min(area.y + area.height - y);
            let mut rect = Rect::new(area.x + 4, y, area.width.saturating_sub(5), h);
            if editor.multiline {
                let bar = Block::new()
                    .borders(Borders::LEFT)
                    .border_style(theme.focused);
                let inner = bar.inner(rect);
                frame.render_widget(bar, rect);
                rect = inner;
            }
            super::render_editor(frame.buffer_mut(), rect, app, hits);
        }
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
fn window_start(len: usize, sel: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        0
    } else {
        sel.saturating_sub(height - 1).min(len - height)
    }
}

fn notes_log(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut Hits) {
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
    let detail = format!("  {} entries · a adds one", live.len());
    list_heading(frame, head, "Notes log", &detail, focused, theme);
    hits.rows.push((head, row, None));

    // Only the entries on screen are formatted, so a log of any length stays instant.
    let height = usize::from(list.height);
    let start = window_start(live.len(), app.sel(), height);
    let mut lines = Vec::new();
    for (n, note) in
        (start..live.len().min(start + height)).filter_map(|n| Some((n, app.live_note(n)?.1)))
    {
        let when = crate::handoff::time::minutes(note.created_at);
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
        hits.rows.push((
            Rect::new(list.x, list.y + (n - start) as u16, list.width, 1),
            row,
            Some(n),
        ));
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
            crate::handoff::time::minutes(note.created_at),
            category_label(&note.category),
            printable(&note.author)
        );
        if let Some(edited) = note.edited_at {
            title.push_str(&format!(
                "(edited {}) ",
                crate::handoff::time::minutes(edited)
            ));
        }
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(title);
        frame.render_widget(
            Paragraph::new(
                note.text
                    .lines()
                    .map(|line| Line::from(printable(line).into_owned()))
                    .collect::<Vec<_>>(),
            )
            .wrap(Wrap { trim: false })
            .block(block),
            preview,
        );
    }
}

fn checklist(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut Hits) {
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
    let mut lines = Vec::new();
    for (n, item) in items.iter().enumerate().skip(start).take(height) {
        let (mark, detail, mark_style) = match item.state {
            ItemState::Done => (
                "[x]",
                format!(
                    "done by {}{}",
                    item.done_by.as_deref().unwrap_or("?"),
                    item.done_at
                        .map(|t| format!(", {}", crate::handoff::time::minutes(t)))
                        .unwrap_or_default()
                ),
                theme.done,
            ),
            ItemState::OutOfScope => (
                "[-]",
                match item.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                    Some(r) => format!("out of scope: {r}"),
                    None => "out of scope — reason needed".to_string(),
                },
                theme.warning,
            ),
            ItemState::Todo => ("[ ]", "to do".to_string(), theme.missing),
        };
        let selected = focused && n == app.sel();
        let title_style = match (selected, item.state) {
            (true, _) => theme.selected,
            (false, ItemState::OutOfScope) => theme.dim.add_modifier(Modifier::CROSSED_OUT),
            _ => theme.plain,
        };
        let title_width = (usize::from(list.width) / 2).max(20);
        let title = truncate(&item.title, title_width);
        let pad = title_width.saturating_sub(width(title.as_str()));
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(mark, mark_style),
            Span::raw(" "),
            Span::styled(title, title_style),
            Span::raw(" ".repeat(pad + 2)),
            Span::styled(printable(&detail).into_owned(), theme.dim),
        ]));
        hits.rows.push((
            Rect::new(list.x, list.y + (n - start) as u16, list.width, 1),
            row,
            Some(n),
        ));
    }
    frame.render_widget(Paragraph::new(lines), list);
    if editing && let Some(editor) = app.editor() {
        super::boxed_editor(frame, input, editor, app, theme, hits);
    }
}

fn review(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut Hits) {
    let step_rows = rows(app.current_step());
    let row_of = |r: Row| step_rows.iter().position(|x| *x == r).unwrap_or(0);
    let blockers = app.document().blockers();
    let warnings = app.document().warnings();
    let box_height = (blockers.len().max(1) + warnings.len()).min(10) as u16 + 2;
    let [summary, blocker_area, button] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(box_height),
        Constraint::Length(1),
    ])
    .areas(area);

    // Every value, step by step.
    let focused = app.current_row() == Some(Row::Summary);
    let lines = summary_lines(app, theme);
    let max_scroll = lines.len().saturating_sub(usize::from(summary.height)) as u16;
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(if focused { theme.focused } else { theme.border })
        .title(" Everything in this handoff (↑↓ to scroll) ");
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((app.scroll().min(max_scroll), 0)),
        summary,
    );
    hits.rows.push((summary, row_of(Row::Summary), None));

    let focused = app.current_row() == Some(Row::Blockers);
    let title = if blockers.is_empty() {
        " Nothing blocks completion ".to_string()
    } else {
        format!(
            " {} {} completion (Enter goes there) ",
            blockers.len(),
            if blockers.len() == 1 {
                "thing blocks"
            } else {
                "things block"
            }
        )
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(if focused { theme.focused } else { theme.border })
        .title(title);
    let inner = block.inner(blocker_area);
    frame.render_widget(block, blocker_area);
    let height =
        usize::from(inner.height).saturating_sub(warnings.len().min(usize::from(inner.height) / 2));
    let start = window_start(blockers.len(), app.sel(), height);
    let steps = &form().steps;
    let mut lines = Vec::new();
    for (n, b) in blockers.iter().enumerate().skip(start).take(height) {
        let step = steps.get(b.step).map_or("", |s| s.title.as_str());
        let style = if focused && n == app.sel() {
            theme.selected
        } else {
            theme.plain
        };
        lines.push(Line::from(vec![
            Span::styled("✗ ", theme.error),
            Span::styled(
                truncate(
                    &format!("{step}: {}", b.message),
                    usize::from(inner.width).saturating_sub(2),
                ),
                style,
            ),
        ]));
        hits.rows.push((
            Rect::new(inner.x, inner.y + (n - start) as u16, inner.width, 1),
            row_of(Row::Blockers),
            Some(n),
        ));
    }
    if blockers.is_empty() {
        lines.push(Line::styled(
            "✓ Every scoped item is done. Complete the handoff below.",
            theme.done,
        ));
    }
    for w in &warnings {
        lines.push(Line::styled(
            truncate(&format!("! {w}"), usize::from(inner.width)),
            theme.warning,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);

    let focused = app.current_row() == Some(Row::Complete);
    let text = match (&app.document().completed_at, &app.document().completed_by) {
        (Some(at), Some(by)) => Line::styled(
            format!("  Completed {} by {by}", crate::handoff::time::minutes(*at)),
            theme.done,
        ),
        _ => Line::from(vec![
            Span::raw(if focused { "▸ " } else { "  " }),
            Span::styled(
                " Complete handoff ",
                if focused { theme.selected } else { theme.badge },
            ),
            Span::styled(
                if blockers.is_empty() {
                    "  asks before it marks the handoff complete"
                } else {
                    "  refused while anything above blocks it"
                },
                theme.dim,
            ),
        ]),
    };
    frame.render_widget(Paragraph::new(text), button);
    hits.rows.push((button, row_of(Row::Complete), None));
}

fn summary_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let doc = &app.document();
    let mut lines = Vec::new();
    for step in form().steps.iter().filter(|s| s.key != form::STEP_REVIEW) {
        lines.push(Line::styled(step.title.clone(), theme.title));
        for field in &step.fields {
            let value = doc.value(&step.key, &field.key);
            let problem = doc.field_problem(step, field);
            let shown = match value {
                None => Span::styled("—", theme.dim),
                Some(v) => Span::raw(printable(&v.display().replace('\n', " ⏎ ")).into_owned()),
            };
            let mut spans = vec![
                Span::raw("  "),
                Span::styled(format!("{}: ", field.label), theme.dim),
                shown,
            ];
            if let Some(p) = problem.filter(|_| value.is_some()) {
                spans.push(Span::styled(format!("  ✗ {p}"), theme.error));
            }
            lines.push(Line::from(spans));
        }
        if step.key == form::STEP_NOTES {
            let live = app.live_notes();
            let latest = app
                .live_note(live.len().wrapping_sub(1))
                .map(|(_, note)| note);
            let text = match latest {
                Some(n) => format!(
                    "{} entries, latest {} ({})",
                    live.len(),
                    crate::handoff::time::minutes(n.created_at),
                    category_label(&n.category)
                ),
                None => "no entries".to_string(),
            };
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled("Notes log: ", theme.dim),
                Span::raw(text),
            ]));
        }
        if step.key == form::STEP_CHECKLIST {
            for item in &doc.checklist_items {
                let mark = match item.state {
                    ItemState::Done => "[x]",
                    ItemState::OutOfScope => "[-]",
                    ItemState::Todo => "[ ]",
                };
                let mut text = format!("  {mark} {}", item.title);
                if let (ItemState::OutOfScope, Some(r)) = (item.state, &item.reason) {
                    text.push_str(&format!(" — {r}"));
                }
                lines.push(Line::from(printable(&text).into_owned()));
            }
        }
        lines.push(Line::from(""));
    }
    lines
}
