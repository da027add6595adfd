//! What a fill found, over the step: one row per value (field · now · found ·
//! what it would do), ticked ones filled in on Enter, then the detail of the
//! selected value, what helps but fills nothing (the largest repositories), and
//! what failed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Theme;
use super::lists::window_start;
use crate::fill::Change;
use crate::tui::app::{App, FillReview};
use crate::tui::text::{printable, truncate, width, wrap};

pub(super) fn render(frame: &mut Frame, area: Rect, app: &App, review: &FillReview, theme: &Theme) {
    let box_width = area.width.saturating_sub(4).min(110);
    let columns = usize::from(box_width.saturating_sub(2));

    // What is under the rows: the selected value in full with how it was found,
    // then what helps but fills nothing, and what failed.
    let mut below: Vec<Line> = Vec::new();
    if let Some(row) = review.rows.get(review.sel) {
        let mut text = format!("{}: {}", row.label, row.proposed);
        if let Some(detail) = &row.detail {
            text.push_str(&format!(" ({detail})"));
        }
        for line in wrap(&printable(&text), columns.saturating_sub(4)) {
            below.push(Line::styled(format!("    {line}"), theme.dim));
        }
    }
    let extra: Vec<Line> = review
        .findings
        .info
        .iter()
        .map(|l| Line::styled(truncate(&printable(l), columns), theme.plain))
        .chain(review.findings.problems.iter().map(|l| {
            Line::styled(
                truncate(&format!("✗ {}", printable(l)), columns),
                theme.error,
            )
        }))
        .collect();
    if !extra.is_empty() {
        below.push(Line::from(""));
        below.extend(extra);
    }
    // As tall as what it shows, within the screen.
    let wanted = review.rows.len() + 1 + below.len() + 2;
    let rect = area.centered(
        Constraint::Length(box_width),
        Constraint::Length(
            u16::try_from(wanted)
                .unwrap_or(u16::MAX)
                .min(area.height.saturating_sub(2)),
        ),
    );
    frame.render_widget(Clear, rect);
    let ticked = review.chosen.iter().filter(|c| **c).count();
    let title = format!(
        "Found by {} · {ticked} of {} ticked",
        review.findings.source.title(),
        review.rows.len()
    );
    let block = super::focused_box(&title, rect.width, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);

    // The rows get the room first; what is below gets what is left.
    let height = usize::from(inner.height);
    let rows_height = review
        .rows
        .len()
        .min(height.saturating_sub(1 + below.len().min(3)).max(1));
    let below_room = height.saturating_sub(rows_height + 1);
    below.truncate(below_room);

    // Columns: mark, field, now, found, what it does.
    const MARK: usize = 4;
    const CHANGE: usize = 11;
    let rest = columns.saturating_sub(MARK + CHANGE);
    let longest = review
        .rows
        .iter()
        .map(|r| width(&r.label))
        .max()
        .unwrap_or(5);
    let label_w = longest.min(rest / 3).max(5.min(rest));
    // The values share what is left by what they need (the current values are
    // often empty); what does not fit shows in full under the rows.
    let values = rest.saturating_sub(label_w + 2);
    let need = |f: fn(&crate::fill::PreviewRow) -> usize| {
        review.rows.iter().map(f).max().unwrap_or(1).max(5)
    };
    let now_need = need(|r| r.current.as_deref().map_or(1, width));
    let found_need = need(|r| width(&r.proposed));
    let now_w = if now_need + found_need <= values {
        now_need
    } else {
        now_need
            .min(values / 2)
            .max(values.saturating_sub(found_need))
    };
    let found_w = values.saturating_sub(now_w);
    let cell = |text: &str, w: usize| {
        let shown = truncate(text, w);
        let pad = w.saturating_sub(width(&shown));
        format!("{shown}{}", " ".repeat(pad))
    };

    let mut lines = vec![Line::styled(
        format!(
            "{}{} {} {} ",
            " ".repeat(MARK),
            cell("Field", label_w),
            cell("Now", now_w),
            cell("Found", found_w)
        ),
        theme.dim,
    )];
    let start = window_start(review.rows.len(), review.sel, rows_height);
    for (n, row) in review.rows.iter().enumerate().skip(start).take(rows_height) {
        let can = review.can_apply(app.document(), n);
        let mark = match (can, review.chosen.get(n).copied().unwrap_or(false)) {
            (true, true) => "[x] ",
            (true, false) => "[ ] ",
            (false, _) => "    ",
        };
        let change = if can || row.change == Change::Same {
            row.change.label()
        } else {
            "closed"
        };
        let style = if n == review.sel {
            theme.selected
        } else if can {
            theme.plain
        } else {
            theme.dim
        };
        let now = row.current.as_deref().unwrap_or("—");
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{mark}{} {} {} ",
                    cell(&row.label, label_w),
                    cell(now, now_w),
                    cell(&row.proposed, found_w)
                ),
                style,
            ),
            Span::styled(
                change.to_string(),
                if row.change == Change::Overwrite && can {
                    theme.warning
                } else {
                    theme.dim
                },
            ),
        ]));
    }
    lines.extend(below);
    frame.render_widget(Paragraph::new(lines), inner);
}
