//! The review page: every value in full (wrapped, scrollable to its last line),
//! the notes log and the history, then what blocks completion and the button.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::fields::wrapped;
use super::lists::window_start;
use super::{Hits, Theme};
use crate::form::form;
use crate::handoff::{Status, time};
use crate::review::{self, Kind};
use crate::tui::app::{App, Row, rows};
use crate::tui::text::{printable, truncate, width as width_of};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, hits: &mut Hits) {
    let step_rows = rows(app.current_step());
    let row_of = |r: Row| step_rows.iter().position(|x| *x == r).unwrap_or(0);
    let doc = app.document();
    let blockers = doc.blockers();
    let warnings = doc.warnings();
    // The blockers get what they need, up to a third of the page.
    let wanted = blockers.len().max(1) + warnings.len() + 2;
    let box_height = u16::try_from(wanted)
        .unwrap_or(u16::MAX)
        .min((area.height / 3).max(3));
    let [summary, blocker_area, button] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(box_height),
        Constraint::Length(1),
    ])
    .areas(area);

    // Every value, step by step, wrapped to the width: nothing is cut.
    let focused = app.current_row() == Some(Row::Summary);
    let block = Block::new().borders(Borders::ALL).border_style(if focused {
        theme.focused
    } else {
        theme.border
    });
    let inner = block.inner(summary);
    let lines = page(app, usize::from(inner.width), theme);
    let height = usize::from(inner.height);
    hits.viewport = Some((lines.len(), height));
    let mut scroll = app.review_scroll();
    scroll.fit(lines.len(), height);
    let block = block.title(format!(
        " Everything in this handoff · {} · ↑↓ PgDn v ",
        scroll.position()
    ));
    let visible: Vec<Line> = lines.into_iter().skip(scroll.offset).take(height).collect();
    frame.render_widget(Paragraph::new(visible).block(block), summary);
    hits.rows.push((summary, row_of(Row::Summary), None));

    let focused = app.current_row() == Some(Row::Blockers);
    let title = if blockers.is_empty() {
        " Nothing blocks completion ".to_string()
    } else {
        format!(
            " {} completion (Enter goes there) ",
            if blockers.len() == 1 {
                "1 thing blocks".to_string()
            } else {
                format!("{} things block", blockers.len())
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
        hits.list_entry(inner, n - start, row_of(Row::Blockers), n);
    }
    let complete = doc.status == Status::Complete;
    if blockers.is_empty() {
        lines.push(Line::styled(
            if complete {
                "✓ Every scoped item was done."
            } else {
                "✓ Every scoped item is done. Complete the handoff below."
            },
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
    let text = match (&doc.completed_at, &doc.completed_by) {
        (Some(at), Some(by)) if complete => {
            // Who maintains it, and since when, give way in turn when the line is
            // too long; the history above has both.
            let room = usize::from(button.width);
            let completed = format!("  Completed {} by {}", time::minutes(*at), printable(by));
            let mut line = completed.clone();
            if let Some((who, when)) = doc.maintained_by() {
                let who = printable(who);
                line = [
                    format!("{completed} · maintained by {who}, {}", time::minutes(when)),
                    format!("{completed} · maintained by {who}"),
                ]
                .into_iter()
                .find(|l| width_of(l) <= room)
                .unwrap_or_else(|| format!("{completed} · maintained"));
            }
            Line::styled(truncate(&line, room), theme.done)
        }
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

/// The page's lines, styled and wrapped to `width`.
fn page(app: &App, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let doc = app.document();
    let mut out = Vec::new();
    if let Some(status) = app.push_status() {
        out.extend(wrapped(&capitalized(status), 0, width, theme.dim));
        out.push(Line::from(""));
    }
    for line in review::lines(doc) {
        let style = match line.kind {
            Kind::Step => theme.title,
            Kind::Label | Kind::Quiet => theme.dim,
            Kind::Value | Kind::Blank => theme.plain,
            Kind::Problem => theme.error,
        };
        match (&line.label, line.kind) {
            (_, Kind::Blank) => out.push(Line::from("")),
            // A value that fits beside its label goes there; a longer one under it.
            (Some(label), _) if line.indent + width_of(label) + width_of(&line.text) <= width => {
                out.push(Line::from(vec![
                    Span::raw(" ".repeat(line.indent)),
                    Span::styled(label.clone(), theme.dim),
                    Span::styled(printable(&line.text).into_owned(), style),
                ]));
            }
            (Some(label), _) => {
                out.extend(wrapped(label.trim_end(), line.indent, width, theme.dim));
                out.extend(wrapped(&line.text, line.indent + 2, width, style));
            }
            (None, _) => out.extend(wrapped(&line.text, line.indent, width, style)),
        }
    }
    out
}

/// "Pushed to Vitally 14:02 …" from "pushed to Vitally 14:02 …".
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
