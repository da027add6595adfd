//! The closeout checklist: each item in turn (d done, o out of scope with a
//! reason, t back to to do, s or an empty line skips), then adding items of
//! your own or the optional exit criteria.

use crate::handoff::{ItemState, now};

use super::Plain;
use super::reading::{count, item_state};
use super::reply::{self, COMMANDS, Move, Reply};

const ITEM_KEYS: &str = "d done, o out of scope, t to do, s or an empty line skips.";

pub fn visit(s: &mut Plain) -> Move {
    let items = &s.doc.checklist_items;
    let done = items.iter().filter(|i| i.state == ItemState::Done).count();
    let out = items
        .iter()
        .filter(|i| i.state == ItemState::OutOfScope)
        .count();
    let summary = format!(
        "Closeout checklist: {}, {done} done, {out} out of scope.",
        count(items.len(), "item")
    );
    s.say(&summary);
    let mut index = 0;
    while index < s.doc.checklist_items.len() {
        match item(s, index) {
            Ok(true) => index += 1,
            Ok(false) => match index.checked_sub(1) {
                Some(previous) => index = previous,
                None => return Move::Back,
            },
            Err(to) => return to,
        }
    }
    add_items(s)
}

/// Asks about one item. `Ok(true)`: on to the next; `Ok(false)`: back to the
/// one before; `Err`: leave the checklist.
fn item(s: &mut Plain, index: usize) -> Result<bool, Move> {
    let total = s.doc.checklist_items.len();
    let item = &s.doc.checklist_items[index];
    let question = format!(
        "Item {} of {total}: {}. Now: {}. {ITEM_KEYS}",
        index + 1,
        item.title,
        item_state(item)
    );
    s.say(&question);
    loop {
        let line = s.line()?;
        let reply = match reply::understand(&line) {
            Err(Move::Back) => return Ok(false),
            Err(Move::Forward) => return Ok(true),
            Err(to) => return Err(to),
            Ok(reply) => reply,
        };
        match reply {
            Reply::Help => s.say(&format!(
                "Everything in scope must be done, or out of scope with a reason. {ITEM_KEYS} {COMMANDS}"
            )),
            Reply::Text(text) => {
                let by = s.by.clone();
                let title = s.doc.checklist_items[index].title.clone();
                match text.trim().to_ascii_lowercase().as_str() {
                    "" | "s" => return Ok(true),
                    "d" => {
                        s.doc.mark_done(index, &by, now());
                        if s.changed() {
                            s.say(&format!("Saved: {title} is done."));
                        }
                        return Ok(true);
                    }
                    "t" => {
                        s.doc.mark_todo(index);
                        if s.changed() {
                            s.say(&format!("Saved: {title} is to do."));
                        }
                        return Ok(true);
                    }
                    "o" => return out_of_scope(s, index, &title),
                    _ => s.say(&format!("Type one letter: {ITEM_KEYS}")),
                }
            }
            Reply::Unknown(why) | Reply::BadStep(why) => s.say(&why),
            Reply::Clear | Reply::Edit => s.say(&format!("Type one letter: {ITEM_KEYS}")),
        }
    }
}

/// Out of scope needs a reason; `:skip` leaves the item as it was.
fn out_of_scope(s: &mut Plain, index: usize, title: &str) -> Result<bool, Move> {
    s.say("Why is it out of scope? One line.");
    loop {
        let line = s.line()?;
        let reply = match reply::understand(&line) {
            Err(Move::Forward) => return Ok(true),
            Err(to) => return Err(to),
            Ok(reply) => reply,
        };
        match reply {
            Reply::Text(reason) if !reason.trim().is_empty() => {
                if let Err(why) = s.doc.mark_out_of_scope(index, &reason) {
                    s.say(&why);
                    continue;
                }
                if s.changed() {
                    s.say(&format!(
                        "Saved: {title} is out of scope: {}",
                        reason.trim()
                    ));
                }
                return Ok(true);
            }
            _ => {
                s.say(
                    "Out of scope needs a reason: say why, or :skip to leave the item as it was.",
                );
            }
        }
    }
}

/// Adding items: `c` for one of your own, a number for an optional one.
fn add_items(s: &mut Plain) -> Move {
    loop {
        let optional = s.doc.optional_items_left();
        let mut offer =
            String::from("Add an item? c adds one of your own (the originally scoped work)");
        for (i, template) in optional.iter().enumerate() {
            offer.push_str(&format!("; {} adds {}", i + 1, template.title));
        }
        offer.push_str("; an empty line goes on.");
        s.say(&offer);
        match s.reply() {
            Err(to) => return to,
            Ok(Reply::Text(text)) if text.trim().is_empty() => return Move::Forward,
            Ok(Reply::Text(text)) if text.trim().eq_ignore_ascii_case("c") => {
                s.say("Title of the new item:");
                let title = match s.line() {
                    Ok(title) => title,
                    Err(to) => return to,
                };
                if let Some(to) = added(s, |doc| doc.add_custom_item(&title)) {
                    return to;
                }
            }
            Ok(Reply::Text(text)) => {
                let key = text
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|i| optional.get(i))
                    .map(|t| t.key.clone());
                let went = match key {
                    Some(key) => added(s, |doc| doc.add_optional_item(&key)),
                    None => {
                        s.say("Type c, the number of an optional item, or an empty line.");
                        None
                    }
                };
                if let Some(to) = went {
                    return to;
                }
            }
            Ok(Reply::Help) => s.say(&format!(
                "Custom items are the work originally scoped with the customer; optional items come from the exit criteria. A new item starts to do. {COMMANDS}"
            )),
            Ok(Reply::Unknown(why) | Reply::BadStep(why)) => s.say(&why),
            Ok(Reply::Clear | Reply::Edit) => s.say("Type c, the number of an optional item, or an empty line."),
        }
    }
}

/// Adds an item and asks about it at once (it starts to do); `Some` is where
/// to go instead of offering more.
fn added(
    s: &mut Plain,
    add: impl FnOnce(&mut crate::handoff::Handoff) -> Option<usize>,
) -> Option<Move> {
    let Some(index) = add(&mut s.doc) else {
        s.say("Nothing added: an item needs a title.");
        return None;
    };
    let title = s.doc.checklist_items[index].title.clone();
    if s.changed() {
        s.say(&format!("Saved: added {title}, to do."));
    }
    item(s, index).err()
}
