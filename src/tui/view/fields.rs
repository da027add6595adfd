//! A step's fields: each as a block of lines (label, value, help, what is wrong),
//! wrapped to the width there is, and the editor placed where the value goes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Hits, Theme};
use crate::form::FieldKind;
use crate::handoff::FieldValue;
use crate::tui::app::{App, EditTarget, Row, rows};
use crate::tui::text::{truncate, wrap};
use crate::validate;

/// How many lines of a long text show under its label; `v` reads the rest.
const LONG_TEXT_LINES: usize = 6;

/// `text` wrapped to `width` after an indent of `indent` columns (every line
/// keeps it), in `style`.
pub(super) fn wrapped(text: &str, indent: usize, width: usize, style: Style) -> Vec<Line<'static>> {
    let pad = " ".repeat(indent);
    wrap(text, width.saturating_sub(indent))
        .into_iter()
        .map(|l| Line::styled(format!("{pad}{l}"), style))
        .collect()
}

/// One field as lines, with where its editor and list entries sit.
pub(super) struct FieldBlock {
    row: usize,
    pub(super) lines: Vec<Line<'static>>,
    /// (first line, height) of the open editor.
    editor: Option<(usize, u16)>,
    /// (line, entry index) of list entries.
    entries: Vec<(usize, usize)>,
}

pub(super) fn blocks(app: &App, width: u16, theme: &Theme) -> Vec<FieldBlock> {
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
                        // A long entry wraps under its bullet instead of being cut.
                        for (k, part) in wrap(item, width.saturating_sub(6)).into_iter().enumerate()
                        {
                            entries.push((lines.len(), n));
                            lines.push(Line::from(vec![
                                Span::raw(if k == 0 { "    • " } else { "      " }),
                                Span::styled(part, style),
                            ]));
                        }
                    }
                    if adding_entry {
                        editor = Some((lines.len(), 1));
                        lines.push(Line::from(""));
                    }
                }
                (_, None) => lines.push(Line::styled("    —", theme.dim)),
                (FieldKind::LongText, Some(v)) => {
                    let all = wrapped(&v.to_input(), 4, width, theme.plain);
                    let more = all.len().saturating_sub(LONG_TEXT_LINES);
                    lines.extend(all.into_iter().take(LONG_TEXT_LINES));
                    if more > 0 {
                        let s = if more == 1 { "" } else { "s" };
                        lines.push(Line::styled(
                            format!("    … {more} more line{s} · v reads it all"),
                            theme.dim,
                        ));
                    }
                }
                (FieldKind::Choice, Some(FieldValue::Text(t)))
                    if !validate::is_listed_choice(field, t) =>
                {
                    lines.extend(wrapped(&format!("Other: {t}"), 4, width, theme.plain));
                }
                (_, Some(v)) => lines.extend(wrapped(&v.display(), 4, width, theme.plain)),
            }
        }
        lines.extend(wrapped(&field.help, 4, width, theme.dim));
        let problem = if editing_here || adding_entry {
            app.editor_problem()
        } else {
            app.document().field_problem(step, field)
        };
        match problem {
            // While typing the problem keeps to one line, so the editor stays put.
            Some(p) if editing_here || adding_entry => lines.push(Line::styled(
                format!("    ✗ {}", truncate(&p, width.saturating_sub(6))),
                theme.error,
            )),
            Some(p) if value.is_some() => {
                lines.extend(wrapped(&format!("✗ {p}"), 4, width, theme.error));
            }
            // While typing, the line is kept even when empty, so the block does not
            // change height with every key (and the editor does not move).
            _ if editing_here || adding_entry => lines.push(Line::from("")),
            _ => {}
        }
        if let (Some(FieldValue::Text(choice)), false) = (value, editing_here)
            && let Some(warning) = field.warn.get(choice)
        {
            lines.extend(wrapped(&format!("! {warning}"), 4, width, theme.warning));
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

pub(super) fn render(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    blocks: &[FieldBlock],
    theme: &Theme,
    hits: &mut Hits,
) {
    if area.height == 0 {
        return;
    }
    let mut starts = Vec::with_capacity(blocks.len());
    let mut total = 0usize;
    for block in blocks {
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
