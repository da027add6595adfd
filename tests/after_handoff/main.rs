//! After the handoff (issue 10, SPEC §7): the TA reads everything and maintains the
//! code hosts, with history. The built binary runs in a pseudo-terminal (see
//! `common`): a completed handoff is maintained with `open` and the file checked
//! (`maintenance`), the review page and a long note are read to their last lines
//! (`reading`), an open view follows its file as others save it (`following`), and
//! the screens involved are snapshots (`screens`). Every wait has a time limit.

#[path = "../common/mod.rs"]
mod common;
#[path = "../common/drawn.rs"]
mod drawn;

mod following;
mod maintenance;
mod reading;
mod screens;

use std::path::{Path, PathBuf};

use common::*;
use handoff::handoff::Handoff;
use handoff::{store, testdata};

/// The TA who maintains the handoff after completion.
const SAM: &str = "Sam Rivera";

/// The engineer who completed it.
const JANE: &str = "Jane Doe";

/// The last value line of the upgrade procedure, the review page's last field.
const PROCEDURE_END: &str = "3. Promote to production";

/// Every field filled, completed by Jane on the 28th.
fn completed() -> Handoff {
    let h = testdata::completed_handoff();
    assert_eq!(h.completed_by.as_deref(), Some(JANE), "completed");
    h
}

/// `completed`, then maintained by Sam: the repository count changed (1200 →
/// 1500) on the 29th and a risk note added on the 30th, both in the history.
fn maintained() -> Handoff {
    let mut h = testdata::maintained_handoff();
    assert_eq!(h.history.len(), 1, "maintained");
    h.add_note(
        "risk",
        "Gitserver disk at 80%; resize before the next big import.",
        SAM,
        testdata::at(30, 11),
    )
    .expect("the TA adds notes");
    h
}

/// A note of `lines` short lines, each numbered, the last one saying so.
fn long_note(lines: usize) -> String {
    (1..=lines)
        .map(|n| {
            if n == lines {
                format!("Line {n:02}: the last line of the incident log")
            } else {
                format!("Line {n:02} of the incident log")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `h` written as `acme-corp.toml` in `dir`.
fn write(dir: &Path, h: &Handoff) -> PathBuf {
    let path = dir.join("acme-corp.toml");
    store::save(&path, h).expect("write the handoff");
    path
}

/// `handoff ARGS` in `dir` as `who` (`HANDOFF_USER`), in a terminal of `cols` x `rows`.
fn spawn_as(dir: &Path, who: &str, args: &[&str], (cols, rows): (u16, u16)) -> Term {
    Term::spawn_program(
        dir,
        env!("CARGO_BIN_EXE_handoff"),
        args,
        &[("HANDOFF_USER", who)],
        cols,
        rows,
    )
}

/// `handoff view FILE` in a terminal of `size`, on its first screen.
fn view(dir: &Path, path: &Path, size: (u16, u16)) -> Term {
    let t = spawn_as(dir, SAM, &["view", &path.display().to_string()], size);
    t.wait_for("READ-ONLY");
    t
}

/// Where a scrollable page is, as its frame says: "lines 8–21 of 40" or "all 9 lines".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    first: usize,
    last: usize,
    of: usize,
}

impl Place {
    fn at_end(self) -> bool {
        self.last == self.of
    }
}

/// The place shown on the screen row that contains `frame` (a frame's title, or
/// words on the border that shows the place).
fn place(screen: &vt100::Screen, frame: &str) -> Option<Place> {
    let contents = screen.contents();
    let row = contents.lines().find(|l| l.contains(frame))?;
    let number = |s: &str| -> Option<(usize, usize)> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        Some((digits.parse().ok()?, digits.len()))
    };
    // "lines 8–21 of 40"
    for (at, _) in row.match_indices("lines ") {
        let rest = &row[at + "lines ".len()..];
        let Some((first, len)) = number(rest) else {
            continue;
        };
        let rest = rest[len..].strip_prefix('–')?;
        let (last, len) = number(rest)?;
        let (of, _) = number(rest[len..].strip_prefix(" of ")?)?;
        return Some(Place { first, last, of });
    }
    // "all 9 lines"
    row.match_indices("all ").find_map(|(at, _)| {
        let rest = &row[at + "all ".len()..];
        let (n, len) = number(rest)?;
        rest[len..].starts_with(" lines").then_some(Place {
            first: 1,
            last: n,
            of: n,
        })
    })
}

/// Waits until the frame titled `frame` shows a place, and returns it.
fn wait_place(t: &Term, frame: &str) -> Place {
    t.wait_until(&format!("a position in {frame:?}"), |s| {
        place(s, frame).is_some()
    });
    t.with_screen(|s| place(s, frame)).expect("a position")
}

/// The screen once it has stopped changing: a frame written in several pieces has
/// arrived whole.
fn settled(t: &Term) -> String {
    let mut last = t.screen();
    for _ in 0..100 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        let now = t.screen();
        if now == last {
            return now;
        }
        last = now;
    }
    panic!("the screen never settled\n{}", t.dump());
}

/// Sends `key` until the frame titled `frame` shows its last line, waiting for the
/// place to move after each key; returns every place passed through, with the
/// screen as it showed there.
fn page_to_end(t: &Term, frame: &str, key: &str) -> Vec<(Place, String)> {
    let mut places = vec![(wait_place(t, frame), settled(t))];
    for _ in 0..200 {
        let before = places.last().expect("a place").0;
        if before.at_end() {
            return places;
        }
        t.send(key);
        t.wait_until(&format!("{frame:?} to move past {before:?}"), |s| {
            place(s, frame).is_some_and(|p| p != before)
        });
        let screen = settled(t);
        places.push((wait_place(t, frame), screen));
    }
    panic!("{frame:?} never reached its end\n{}", t.dump());
}

/// The places of `page_to_end`, without the screens.
fn places(walk: &[(Place, String)]) -> Vec<Place> {
    walk.iter().map(|(p, _)| *p).collect()
}

/// The mouse wheel turned down once over the cell (`col`, `row`), 1-based, as a
/// terminal reports it with SGR mouse reporting on.
fn wheel_down(col: u16, row: u16) -> String {
    format!("\x1b[<65;{col};{row}M")
}

/// Home and End as xterm sends them.
const HOME: &str = "\x1b[H";
const END: &str = "\x1b[F";

/// Alt and a step's digit: the step, also from a text field.
fn go_to_step(t: &Term, digit: u8, title: &str) {
    t.send(&format!("\x1b{digit}"));
    t.wait_for(title);
}
