//! The order of the questions, and moving between them: every field of every
//! step, then the notes log, the checklist and the review, in the wizard's own
//! order; `:back`, `:skip` and `:step N`; and the resume position, in the same
//! keys the full-screen wizard remembers (`step` + field key, `notes_log`,
//! `checklist_items`), so either one goes on where the other stopped.

use crate::form::{self, form};
use crate::handoff::{Handoff, MAINTENANCE_ONLY, Position};

use super::reply::{COMMANDS, Move};
use super::{Plain, checklist, completion, fields, notes, reading};

/// One place that asks something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Field { step: usize, field: usize },
    NotesLog { step: usize },
    Checklist { step: usize },
    Review { step: usize },
}

/// Every place, in order.
pub fn places() -> Vec<Place> {
    let mut places = Vec::new();
    for (step, s) in form().steps.iter().enumerate() {
        places.extend((0..s.fields.len()).map(|field| Place::Field { step, field }));
        match s.key.as_str() {
            form::STEP_NOTES => places.push(Place::NotesLog { step }),
            form::STEP_CHECKLIST => places.push(Place::Checklist { step }),
            form::STEP_REVIEW => places.push(Place::Review { step }),
            _ => {}
        }
    }
    places
}

impl Place {
    fn step(self) -> usize {
        match self {
            Place::Field { step, .. }
            | Place::NotesLog { step }
            | Place::Checklist { step }
            | Place::Review { step } => step,
        }
    }

    /// The position the wizard uses for the same place.
    fn position(self) -> Position {
        let step = &form().steps[self.step()];
        let field = match self {
            Place::Field { field, .. } => step.fields[field].key.clone(),
            Place::NotesLog { .. } => "notes_log".into(),
            Place::Checklist { .. } => "checklist_items".into(),
            Place::Review { .. } => String::new(),
        };
        Position {
            step: step.key.clone(),
            field,
        }
    }

    /// Whether anything can change here: after completion only the code hosts
    /// and new notes (and the review, which says so).
    fn is_open(self, doc: &Handoff) -> bool {
        let step = &form().steps[self.step()].key;
        match self {
            Place::NotesLog { .. } | Place::Review { .. } => true,
            Place::Field { .. } | Place::Checklist { .. } => doc.step_is_open(step),
        }
    }
}

/// Where to start: the remembered place (or the first open one after it), else
/// the first open place.
fn start(places: &[Place], position: Option<&Position>, doc: &Handoff) -> usize {
    let remembered = position.and_then(|p| {
        places.iter().position(|place| {
            let here = place.position();
            here.step == p.step && (here.field == p.field || p.field.is_empty())
        })
    });
    // A complete handoff is opened to maintain it: the review has nothing to ask.
    let finished = doc.status == crate::handoff::Status::Complete
        && remembered.is_some_and(|i| matches!(places[i], Place::Review { .. }));
    let from = remembered.filter(|_| !finished).unwrap_or(0);
    next_open(places, from, doc)
        .or_else(|| next_open(places, 0, doc))
        .unwrap_or(0)
}

fn next_open(places: &[Place], from: usize, doc: &Handoff) -> Option<usize> {
    (from..places.len()).find(|&i| places[i].is_open(doc))
}

fn previous_open(places: &[Place], before: usize, doc: &Handoff) -> Option<usize> {
    (0..before).rev().find(|&i| places[i].is_open(doc))
}

/// Asks from the remembered place on, until the review is done, `:quit`, the
/// end of the input or a signal; returns which of those ended it.
pub fn walk(s: &mut Plain, position: Option<Position>) -> Move {
    let places = places();
    let mut at = start(&places, position.as_ref(), &s.doc);
    let resuming = position.as_ref() == Some(&places[at].position()) && at > 0;
    greet(s, resuming, places[at]);
    let mut announced = None;
    loop {
        let place = places[at];
        s.remember(&place.position());
        if announced != Some(place.step()) {
            announce(s, place.step());
            announced = Some(place.step());
        }
        let answer = match place {
            Place::Field { step, field } => fields::ask(s, step, field),
            Place::NotesLog { .. } => notes::visit(s),
            Place::Checklist { .. } => checklist::visit(s),
            Place::Review { .. } => completion::review(s),
        };
        match answer {
            Move::Forward => match next_open(&places, at + 1, &s.doc) {
                Some(next) => at = next,
                None => return Move::Forward,
            },
            Move::Back => match previous_open(&places, at, &s.doc) {
                Some(previous) => at = previous,
                None => s.say("This is the first question."),
            },
            Move::Step(step) => {
                let first = places.iter().position(|p| p.step() == step);
                match first.and_then(|i| next_open(&places, i, &s.doc)) {
                    Some(i) if places[i].step() == step => {
                        at = i;
                        announced = None;
                    }
                    _ => closed(s, step),
                }
            }
            Move::Quit | Move::Ended | Move::Stopped => return answer,
        }
    }
}

fn greet(s: &mut Plain, resuming: bool, place: Place) {
    let (done, total) = s.doc.progress();
    let line = format!(
        "{}: {}, {done} of {total} done. One question per line; ? explains the question.",
        s.doc.customer(),
        s.doc.status.label()
    );
    s.say(&line);
    s.say(COMMANDS);
    if s.doc.status == crate::handoff::Status::Complete {
        s.say(&sentence(MAINTENANCE_ONLY));
    }
    if resuming {
        let step = &form().steps[place.step()];
        let what = match place {
            Place::Field { field, .. } => format!("{}, {}", step.title, step.fields[field].label),
            _ => step.title.clone(),
        };
        s.say(&format!("Going on where you stopped: {what}."));
    }
}

/// The heading of a step, when the questions enter it.
fn announce(s: &mut Plain, step: usize) {
    let steps = &form().steps;
    let line = format!(
        "Step {} of {}: {}. {}",
        step + 1,
        steps.len(),
        steps[step].title,
        steps[step].help
    );
    s.say(&line);
}

/// `:step N` to a step that cannot change: what it holds, and why.
fn closed(s: &mut Plain, step: usize) {
    let text = reading::step(&s.doc, &form().steps[step]);
    s.say(text.trim_end());
    s.say(&format!(
        "{} cannot change: {MAINTENANCE_ONLY}.",
        form().steps[step].title
    ));
}

/// `some text` as a sentence: `Some text.`
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let first: String = chars
        .next()
        .into_iter()
        .flat_map(char::to_uppercase)
        .collect();
    format!("{first}{}.", chars.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn places_follow_the_wizard_and_positions_round_trip() {
        let places = places();
        assert_eq!(
            places.first().map(|p| p.position()),
            Some(Position {
                step: "handoff".into(),
                field: "customer".into()
            })
        );
        assert!(matches!(places.last(), Some(Place::Review { .. })));
        let doc = testdata::new_handoff();
        for (i, place) in places.iter().enumerate() {
            assert_eq!(start(&places, Some(&place.position()), &doc), i);
        }
        let gone = Position {
            step: "nowhere".into(),
            field: "x".into(),
        };
        assert_eq!(start(&places, Some(&gone), &doc), 0);
    }

    #[test]
    fn a_complete_handoff_starts_at_what_can_still_change() {
        let mut doc = testdata::complete_handoff();
        doc.complete("Jane", testdata::at(28, 10))
            .expect("complete");
        let places = places();
        let first = places[start(&places, None, &doc)].position();
        assert_eq!(first.step, "code_hosts");
        let lessons = Position {
            step: "lessons".into(),
            field: "text".into(),
        };
        assert_eq!(
            places[start(&places, Some(&lessons), &doc)].position().step,
            "review"
        );
        let review = Position {
            step: "review".into(),
            field: String::new(),
        };
        assert_eq!(
            places[start(&places, Some(&review), &doc)].position().step,
            "code_hosts",
            "the review of a complete handoff asks nothing: maintenance starts at the code hosts"
        );
        let open: Vec<String> = places
            .iter()
            .filter(|p| p.is_open(&doc))
            .map(|p| p.position().field)
            .collect();
        assert_eq!(
            open,
            [
                "hosts",
                "repositories",
                "monorepos",
                "largest_repo_mb",
                "notes_log",
                ""
            ]
        );
    }
}
