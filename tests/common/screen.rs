//! Reading the wizard's screen: its rows (header, status line, key footer), the focused
//! field, and what is drawn in the error or selection colour.

/// One row of `screen`.
pub fn screen_row(screen: &vt100::Screen, row: u16) -> String {
    let (_, cols) = screen.size();
    screen.contents_between(row, 0, row, cols.get())
}

/// The header: the first row.
pub fn header_row(screen: &vt100::Screen) -> String {
    screen_row(screen, 0)
}

/// The key footer: the last row.
pub fn footer_row(screen: &vt100::Screen) -> String {
    let (rows, _) = screen.size();
    screen_row(screen, rows.get().saturating_sub(1))
}

/// The status line above the footer, and the row above it, onto which a long message
/// wraps: (upper, lower).
pub fn status_rows(screen: &vt100::Screen) -> (String, String) {
    let (rows, _) = screen.size();
    let rows = rows.get();
    (
        screen_row(screen, rows.saturating_sub(3)),
        screen_row(screen, rows.saturating_sub(2)),
    )
}

/// The status message, one line or wrapped onto two, with whitespace squeezed.
pub fn status_text(screen: &vt100::Screen) -> String {
    let (upper, lower) = status_rows(screen);
    format!("{upper} {lower}")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the status message starts with `prefix` (on one line, or wrapped).
pub fn status_starts(screen: &vt100::Screen, prefix: &str) -> bool {
    let (upper, lower) = status_rows(screen);
    upper.trim_start().starts_with(prefix) || lower.trim_start().starts_with(prefix)
}

/// The body of a screen row: the part right of the step sidebar, which is as wide
/// as the wizard makes it for a screen `cols` wide.
pub fn body(line: &str, cols: u16) -> String {
    let sidebar = usize::from(handoff::tui::view::sidebar_width(cols));
    line.chars().skip(sidebar).collect()
}

/// The label of the field the `▸` marker is on.
pub fn focused_label(screen: &vt100::Screen) -> Option<String> {
    let cols = screen.size().1.get();
    screen.contents().lines().find_map(|line| {
        body(line, cols)
            .trim_start()
            .strip_prefix("▸ ")
            .map(|l| l.trim().to_string())
    })
}

/// The value line under the focused field's label.
pub fn focused_value(screen: &vt100::Screen) -> Option<String> {
    let cols = screen.size().1.get();
    let contents = screen.contents();
    let lines: Vec<&str> = contents.lines().collect();
    let at = lines
        .iter()
        .position(|line| body(line, cols).trim_start().starts_with("▸ "))?;
    lines.get(at + 1).map(|l| body(l, cols).trim().to_string())
}

/// Whether a "Read-only:" line is drawn in the error colour (red).
pub fn refusal_shown(screen: &vt100::Screen) -> bool {
    let contents = screen.contents();
    contents.lines().enumerate().any(|(row, line)| {
        line.find("Read-only:").is_some_and(|at| {
            let col = line[..at].chars().count();
            let (Ok(row), Ok(col)) = (u16::try_from(row), u16::try_from(col)) else {
                return false;
            };
            screen
                .cell(row, col)
                .is_some_and(|c| c.fgcolor() == vt100::Color::Idx(1))
        })
    })
}

/// Runs of cells drawn in the selection colour (cyan background).
pub fn highlighted(screen: &vt100::Screen) -> Vec<String> {
    let (rows, cols) = screen.size();
    let mut runs = Vec::new();
    for row in 0..rows.get() {
        let mut run = String::new();
        for col in 0..cols.get() {
            let cell = screen.cell(row, col);
            match cell {
                Some(c) if c.bgcolor() == vt100::Color::Idx(6) => run.push_str(c.contents()),
                _ if !run.is_empty() => runs.push(std::mem::take(&mut run)),
                _ => {}
            }
        }
        if !run.is_empty() {
            runs.push(run);
        }
    }
    runs
}
