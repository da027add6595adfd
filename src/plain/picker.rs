//! `handoff --plain`: the saved handoffs as a numbered list, then the same
//! questions on the one picked (or on a new one).

use std::path::Path;
use std::process::ExitCode;

use crate::handoff::time::minutes;
use crate::handoff::{Handoff, now};
use crate::identity::Who;
use crate::outcome::{Failure, Outcome};
use crate::store;

use super::reply::{self, Move};
use super::talk::{Heard, Talk};

pub fn pick(dir: &Path, who: &Who) -> Outcome {
    let mut talk = Talk::start().map_err(|e| Failure::new(2, e))?;
    let files = store::list(dir).unwrap_or_default();
    if files.is_empty() {
        talk.say(&format!("No saved handoffs in {} yet.", dir.display()));
    } else {
        talk.say(&format!("Saved handoffs in {}:", dir.display()));
    }
    for (i, path) in files.iter().enumerate() {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let line = match store::load(path) {
            Ok(loaded) => {
                let h = loaded.handoff;
                let (done, total) = h.progress();
                format!(
                    "  {}. {}, {}, {done} of {total} done, changed {} ({name})",
                    i + 1,
                    h.customer(),
                    h.status.label(),
                    minutes(h.updated_at)
                )
            }
            Err(e) => format!("  {}. {name}: cannot be read ({e})", i + 1),
        };
        talk.say(&line);
    }
    let new = files.len() + 1;
    talk.say(&format!("  {new}. New handoff"));
    loop {
        talk.say("Open which? Type its number; an empty line leaves.");
        let line = match talk.hear() {
            Heard::Line(line) => line,
            Heard::End | Heard::Stopped => return Ok(ExitCode::SUCCESS),
        };
        if reply::understand(&line) == Err(Move::Quit) {
            return Ok(ExitCode::SUCCESS);
        }
        match line.trim().parse::<usize>() {
            _ if line.trim().is_empty() => return Ok(ExitCode::SUCCESS),
            Ok(n) if n == new => return create(talk, dir, who),
            Ok(n) if (1..new).contains(&n) => return super::edit(talk, &files[n - 1], who),
            _ => talk.say(&format!("Type a number from 1 to {new}.")),
        }
    }
}

/// A new handoff: its customer's name, the file named after it, then the questions.
fn create(mut talk: Talk, dir: &Path, who: &Who) -> Outcome {
    talk.say("Customer (account) name of the new handoff:");
    loop {
        let Heard::Line(line) = talk.hear() else {
            return Ok(ExitCode::SUCCESS);
        };
        let customer = line.trim();
        if customer.is_empty() {
            talk.say("Type the customer's name, e.g. Acme Corp.");
            continue;
        }
        let path = dir.join(format!("{}.toml", store::slug(customer)));
        let engineer = who.name().unwrap_or_default();
        match store::create(&path, &Handoff::new(customer, &engineer, "", now())) {
            Ok(()) => {
                talk.say(&format!("Created {}.", path.display()));
                return super::edit(talk, &path, who);
            }
            Err(e) => talk.say(&format!("{e}. Type another name.")),
        }
    }
}
