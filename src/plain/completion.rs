//! The end: what blocks completion (the one gate, `Handoff::blockers`) and,
//! when nothing does, the offer to complete (y/N).

use crate::handoff::time::minutes;
use crate::handoff::{Status, now};

use super::Plain;
use super::reading;
use super::reply::{self, COMMANDS, Move, Reply};

pub fn review(s: &mut Plain) -> Move {
    if s.doc.status == Status::Complete {
        let when = s.doc.completed_at.map(minutes).unwrap_or_default();
        let by = s.doc.completed_by.clone().unwrap_or_default();
        s.say(&format!(
            "Complete since {when}, by {by}. The code hosts (:step 3) can still change, and notes can be added (:step 4)."
        ));
        return Move::Forward;
    }
    let blockers = reading::blockers(&s.doc);
    s.say(blockers.trim_end());
    if s.doc.blockers().is_empty() {
        return offer(s);
    }
    loop {
        s.say("Type :step N to go to a step (the number above), or an empty line to stop here.");
        match s.reply() {
            Err(to) => return to,
            Ok(Reply::Text(text)) if text.trim().is_empty() => return Move::Forward,
            Ok(Reply::Unknown(why) | Reply::BadStep(why)) => s.say(&why),
            Ok(Reply::Help) => s.say(&format!(
                "The handoff can be completed once nothing blocks it. {COMMANDS}"
            )),
            Ok(Reply::Text(_) | Reply::Clear | Reply::Edit) => {}
        }
    }
}

/// Nothing blocks completion: complete now? Only `y` or `yes` does.
fn offer(s: &mut Plain) -> Move {
    s.say("Complete the handoff now? It then belongs to the TA: only the code hosts and new notes can change. Type y for yes; anything else leaves it in progress.");
    let line = match s.line() {
        Ok(line) => line,
        Err(to) => return to,
    };
    if let Err(to) = reply::understand(&line) {
        return to;
    }
    let yes = matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes");
    if !yes {
        s.say("Not completed: it stays in progress.");
        return Move::Forward;
    }
    let by = s.by.clone();
    match s.doc.complete(&by, now()) {
        Ok(()) => {
            if s.save() {
                s.say(&format!("Completed by {by}. The handoff is now the TA's."));
            }
        }
        Err(blockers) => s.say(&format!(
            "Not completed: {} still blocks it.",
            reading::count(blockers.len(), "thing")
        )),
    }
    Move::Forward
}
