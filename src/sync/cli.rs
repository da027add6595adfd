//! `handoff sync [--init]` on the command line: the lines it prints, and exit 1
//! with one line when it stopped short.

use std::path::Path;
use std::process::ExitCode;

use crate::identity::Who;
use crate::outcome::{Failure, Outcome, print_out};
use crate::tui::text::printable;

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// Set the directory up for sharing: write and commit .gitattributes and
    /// .gitignore, and make this program the clone's merge driver for handoffs
    #[arg(long)]
    pub init: bool,
}

pub fn run(args: &SyncArgs, dir: Option<&Path>, who: &Who) -> Outcome {
    let dir = crate::commands::data_dir(dir)?;
    let fail = |e: super::SyncError| Failure::new(1, e.to_string());
    if args.init {
        let mut lines = super::init(&dir, who).map_err(fail)?;
        lines.push(format!(
            "{}: ready to share handoffs; `handoff sync` commits, pulls and pushes them",
            dir.display()
        ));
        return print_lines(&lines);
    }
    let report = super::sync(&dir, who).map_err(fail)?;
    print_lines(&report.lines())?;
    match report.problem {
        Some(problem) => Err(Failure::new(1, problem)),
        None => Ok(ExitCode::SUCCESS),
    }
}

fn print_lines(lines: &[String]) -> Outcome {
    let mut text = String::new();
    for line in lines {
        text.push_str(&printable(line));
        text.push('\n');
    }
    print_out(&text)
}
