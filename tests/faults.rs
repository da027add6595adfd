//! Punishment (issue 4): the wizard must never lose work. The built binary runs in a
//! pseudo-terminal (see `common`) and is killed at random, signalled, starved of disk,
//! robbed of its directory, resized without mercy, fed odd Unicode and huge pastes, and
//! confronted with every kind of lock file. Every wait has a time limit, so nothing here
//! can hang.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::*;
use handoff::handoff::{FieldValue, Handoff, ItemState, now};
use handoff::store;
use rustix::process::{Resource, Rlimit, Signal};

// ---------------------------------------------------------------- helpers

/// A tiny xorshift64* generator: reproducible from its seed, no crates needed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

fn text_value(h: &Handoff, step: &str, field: &str) -> Option<String> {
    match h.value(step, field) {
        Some(FieldValue::Text(t)) => Some(t.clone()),
        other => panic!("{step}.{field}: expected text, found {other:?}"),
    }
}

fn live_notes(h: &Handoff) -> Vec<String> {
    h.notes_log
        .iter()
        .filter(|n| n.is_live())
        .map(|n| n.text.clone())
        .collect()
}

/// Step `digit`, then Tab `tabs` times: the field there has the ▸ marker.
fn go_to_field(t: &Term, digit: &str, title: &str, tabs: usize, label: &str) {
    t.send(digit);
    t.wait_for(title);
    t.send(&TAB.repeat(tabs));
    t.wait_focus(label);
}

/// From anywhere in browse mode: a new note of the first category with `text`
/// (lines separated by `\n`), finished with Tab; waits for the log to count `count`.
fn add_note(t: &Term, text: &str, count: usize) {
    go_to_field(t, "4", "4 · Implementation notes", 3, "Notes log");
    t.send("a");
    t.wait_for("New note: category");
    t.send(ENTER);
    t.wait_for("Tab done");
    t.send(&text.replace('\n', ENTER));
    t.send(TAB);
    t.wait_gone("Tab done");
    t.wait_for(&format!("Notes log  {count} entries"));
}

/// A bracketed paste of `text` into whatever has the keyboard.
fn paste(t: &Term, text: &str) {
    let mut bytes = Vec::with_capacity(text.len() + 12);
    bytes.extend_from_slice(b"\x1b[200~");
    bytes.extend_from_slice(text.as_bytes());
    bytes.extend_from_slice(b"\x1b[201~");
    t.send_large(&bytes);
}

/// Ctrl-O, `path`, Enter.
fn save_copy(t: &Term, path: &Path) {
    t.send(CTRL_O);
    t.wait_for("Save a copy to");
    t.send(&path.display().to_string());
    t.send(ENTER);
}

/// The whole output's lines, without the terminal's carriage returns and empty lines.
fn output_lines(raw: &str) -> Vec<String> {
    raw.split('\n')
        .map(|l| l.trim_end_matches('\r').trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Kills `pid` if it is still running when the time is up; for steps that could
/// block the test itself (writing a huge paste to a child that stopped reading).
struct Watchdog {
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<bool>>,
}

impl Watchdog {
    fn arm(pid: u32, limit: Duration) -> Watchdog {
        let done = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&done);
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + limit;
            while Instant::now() < deadline {
                if flag.load(Ordering::Relaxed) {
                    return false;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            // The test's own child, which is not reaped while the watchdog is armed.
            let _ = send_signal(pid, Signal::KILL);
            true
        });
        Watchdog {
            done,
            thread: Some(thread),
        }
    }

    /// Disarms; says whether it had to fire.
    fn disarm(mut self) -> bool {
        self.done.store(true, Ordering::Relaxed);
        self.thread
            .take()
            .is_some_and(|t| t.join().expect("the watchdog thread"))
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

// ---------------------------------------------------------------- 1. kill at random

#[derive(Clone, Copy, Debug)]
enum Kind {
    Text,
    Date,
    Integer,
    Number,
}

/// A field the random edits reach: step key (`1`…`8`), Tabs from the step's first row.
#[derive(Debug)]
struct FieldSpot {
    digit: &'static str,
    tabs: usize,
    section: &'static str,
    key: &'static str,
    kind: Kind,
}

const FIELDS: &[FieldSpot] = &[
    FieldSpot {
        digit: "1",
        tabs: 0,
        section: "handoff",
        key: "customer",
        kind: Kind::Text,
    },
    FieldSpot {
        digit: "1",
        tabs: 1,
        section: "handoff",
        key: "engineer",
        kind: Kind::Text,
    },
    FieldSpot {
        digit: "1",
        tabs: 2,
        section: "handoff",
        key: "technical_advisor",
        kind: Kind::Text,
    },
    FieldSpot {
        digit: "2",
        tabs: 1,
        section: "deployment",
        key: "start_date",
        kind: Kind::Date,
    },
    FieldSpot {
        digit: "2",
        tabs: 2,
        section: "deployment",
        key: "completion_date",
        kind: Kind::Date,
    },
    FieldSpot {
        digit: "2",
        tabs: 3,
        section: "deployment",
        key: "instance_url",
        kind: Kind::Text,
    },
    FieldSpot {
        digit: "2",
        tabs: 7,
        section: "deployment",
        key: "total_cpu",
        kind: Kind::Number,
    },
    FieldSpot {
        digit: "2",
        tabs: 8,
        section: "deployment",
        key: "total_memory_gb",
        kind: Kind::Number,
    },
    FieldSpot {
        digit: "3",
        tabs: 1,
        section: "code_hosts",
        key: "repositories",
        kind: Kind::Integer,
    },
    FieldSpot {
        digit: "3",
        tabs: 3,
        section: "code_hosts",
        key: "largest_repo_mb",
        kind: Kind::Number,
    },
    FieldSpot {
        digit: "4",
        tabs: 0,
        section: "notes",
        key: "upper_limit_users",
        kind: Kind::Integer,
    },
    FieldSpot {
        digit: "4",
        tabs: 2,
        section: "notes",
        key: "upper_limit_repositories",
        kind: Kind::Integer,
    },
    FieldSpot {
        digit: "7",
        tabs: 0,
        section: "upgrade",
        key: "current_version",
        kind: Kind::Text,
    },
];

/// A list field the random edits add entries to.
#[derive(Debug)]
struct ListSpot {
    digit: &'static str,
    tabs: usize,
    section: &'static str,
    key: &'static str,
    urls: bool,
}

const LISTS: &[ListSpot] = &[
    ListSpot {
        digit: "2",
        tabs: 0,
        section: "deployment",
        key: "tdd_links",
        urls: true,
    },
    ListSpot {
        digit: "2",
        tabs: 6,
        section: "deployment",
        key: "instance_types",
        urls: false,
    },
];

/// The note categories in the form's order (the chooser lists them so).
fn categories() -> &'static [handoff::form::NoteCategory] {
    &handoff::form::form().note_categories
}

/// The six items of a new handoff's checklist.
const ITEMS: usize = 6;

#[derive(Debug)]
enum Op {
    SetField {
        spot: &'static FieldSpot,
        typed: String,
        value: FieldValue,
    },
    AddEntry {
        spot: &'static ListSpot,
        entry: String,
    },
    AddNote {
        category: usize,
        text: String,
    },
    Toggle {
        item: usize,
    },
}

/// What the random edits can change, as read back from a file.
#[derive(Debug, Clone, PartialEq)]
struct Model {
    fields: BTreeMap<String, Option<FieldValue>>,
    lists: BTreeMap<String, Vec<String>>,
    /// Live notes: (category, text).
    notes: Vec<(String, String)>,
    /// Checklist items: (key, done).
    items: Vec<(String, bool)>,
}

impl Model {
    fn of(h: &Handoff) -> Model {
        let fields = FIELDS
            .iter()
            .map(|f| {
                (
                    format!("{}.{}", f.section, f.key),
                    h.value(f.section, f.key).cloned(),
                )
            })
            .collect();
        let lists = LISTS
            .iter()
            .map(|l| {
                let entries = match h.value(l.section, l.key) {
                    None => Vec::new(),
                    Some(FieldValue::List(entries)) => entries.clone(),
                    Some(other) => vec![format!("not a list: {other:?}")],
                };
                (format!("{}.{}", l.section, l.key), entries)
            })
            .collect();
        let notes = h
            .notes_log
            .iter()
            .filter(|n| n.is_live())
            .map(|n| (n.category.clone(), n.text.clone()))
            .collect();
        let items = h
            .checklist_items
            .iter()
            .map(|i| (i.key.clone(), i.state == ItemState::Done))
            .collect();
        Model {
            fields,
            lists,
            notes,
            items,
        }
    }

    fn apply(&mut self, op: &Op) {
        match op {
            Op::SetField { spot, value, .. } => {
                self.fields.insert(
                    format!("{}.{}", spot.section, spot.key),
                    Some(value.clone()),
                );
            }
            Op::AddEntry { spot, entry } => self
                .lists
                .entry(format!("{}.{}", spot.section, spot.key))
                .or_default()
                .push(entry.clone()),
            Op::AddNote { category, text } => self
                .notes
                .push((categories()[*category].key.clone(), text.clone())),
            Op::Toggle { item } => {
                if let Some((_, done)) = self.items.get_mut(*item) {
                    *done = !*done;
                }
            }
        }
    }

    fn settled(&self) -> usize {
        self.items.iter().filter(|(_, done)| *done).count()
    }

    fn field_input(&self, spot: &FieldSpot) -> String {
        self.fields
            .get(&format!("{}.{}", spot.section, spot.key))
            .and_then(|v| v.as_ref())
            .map(FieldValue::to_input)
            .unwrap_or_default()
    }
}

fn random_op(rng: &mut Rng, tag: &str) -> Op {
    match rng.below(10) {
        0..=4 => {
            let spot = &FIELDS[rng.below(FIELDS.len())];
            let (typed, value) = match spot.kind {
                Kind::Text if spot.key == "instance_url" => {
                    let url = format!("https://sg-{tag}.example");
                    (url.clone(), FieldValue::Text(url))
                }
                Kind::Text => {
                    let text = format!("Name {tag}");
                    (text.clone(), FieldValue::Text(text))
                }
                Kind::Date => {
                    let (y, m, d) = (
                        2020 + rng.below(10) as i32,
                        1 + rng.below(12) as u32,
                        1 + rng.below(28) as u32,
                    );
                    let date = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a real date");
                    (date.format("%Y-%m-%d").to_string(), FieldValue::Date(date))
                }
                Kind::Integer => {
                    let n = 1 + rng.below(99_999) as i64;
                    (n.to_string(), FieldValue::Integer(n))
                }
                Kind::Number => {
                    let n = 1 + rng.below(9_999);
                    if rng.chance(30) {
                        (format!("{n}.5"), FieldValue::Number(n as f64 + 0.5))
                    } else {
                        (n.to_string(), FieldValue::Number(n as f64))
                    }
                }
            };
            Op::SetField { spot, typed, value }
        }
        5 | 6 => {
            let spot = &LISTS[rng.below(LISTS.len())];
            let entry = if spot.urls {
                format!("https://docs.example/{tag}")
            } else {
                format!("m6a.{tag} x{}", 1 + rng.below(9))
            };
            Op::AddEntry { spot, entry }
        }
        7 => {
            let lines = 1 + rng.below(3);
            let text = (0..lines)
                .map(|n| format!("note {tag} line {n}"))
                .collect::<Vec<_>>()
                .join("\n");
            Op::AddNote {
                category: rng.below(categories().len()),
                text,
            }
        }
        _ => Op::Toggle {
            item: rng.below(ITEMS),
        },
    }
}

/// The keys of `op` up to (not including) the one that commits it, and that key.
/// `typed` cuts the typed text short (for a kill in the middle of typing).
fn op_keys(op: &Op, model: &Model, typed: Option<usize>) -> (String, &'static str) {
    let cut = |s: &str| -> String {
        match typed {
            Some(n) => s.chars().take(n).collect(),
            None => s.to_string(),
        }
    };
    match op {
        Op::SetField { spot, typed, .. } => {
            let old = model.field_input(spot).chars().count();
            (
                format!(
                    "{}{}{ENTER}{}{}",
                    spot.digit,
                    TAB.repeat(spot.tabs),
                    BACKSPACE.repeat(old),
                    cut(typed)
                ),
                ENTER,
            )
        }
        Op::AddEntry { spot, entry } => (
            format!("{}{}a{}", spot.digit, TAB.repeat(spot.tabs), cut(entry)),
            ENTER,
        ),
        Op::AddNote { category, text } => (
            format!(
                "4{}a{}{ENTER}{}",
                TAB.repeat(3),
                DOWN.repeat(*category),
                cut(text).replace('\n', ENTER)
            ),
            TAB,
        ),
        Op::Toggle { item } => (format!("5{TAB}{}", DOWN.repeat(*item)), SPACE),
    }
}

/// What shows that the editor an op opened is open.
fn editor_marker(op: &Op) -> Option<&'static str> {
    match op {
        Op::SetField { .. } | Op::AddEntry { .. } => Some("Enter done"),
        Op::AddNote { .. } => Some("Tab done"),
        Op::Toggle { .. } => None,
    }
}

/// Carries out `op` and waits for the screen to show it committed. The wizard saves
/// before it draws, so once the screen shows it, it is on disk.
fn commit_op(t: &Term, op: &Op, before: &Model, after: &Model) {
    let (keys, commit) = op_keys(op, before, None);
    t.send(&keys);
    match editor_marker(op) {
        Some(marker) => {
            t.wait_for(marker);
            t.send(commit);
            // The editor closes only by committing (Enter, or Tab for a note).
            t.wait_gone(marker);
            if let Op::AddNote { .. } = op {
                t.wait_for(&format!("Notes log  {} entries", after.notes.len()));
            }
        }
        None => {
            t.send(commit);
            // A toggle always changes how many items are settled.
            t.wait_for(&format!("{} of {ITEMS} settled", after.settled()));
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum KillMode {
    /// Before the first frame, or just after it.
    AtStart,
    /// Typing an edit that is not yet committed.
    MidTyping,
    /// The committing key was sent; the screen has not been seen to show it.
    InFlight,
    /// The screen shows the commit.
    AfterCommit,
    /// Some milliseconds after the screen showed the commit.
    AfterDelay,
}

struct Round {
    /// What happened, for the failure message.
    log: Vec<String>,
    reopened: bool,
    /// For a kill with a commit in flight: whether the file had it.
    landed: Option<bool>,
    /// A temporary file of an interrupted save was left beside the handoff.
    stray: bool,
    /// Edits the screen showed committed before the kill (all must be in the file).
    confirmed: usize,
}

fn kill_round(rng: &mut Rng, round: usize) -> Round {
    let dir = tempdir();
    let path = new_file(dir.path());
    let initial_bytes = fs::read(&path).expect("read the new file");
    let initial = Model::of(&load(&path));
    let mut committed = initial.clone();
    let mut confirmed = 0;
    let mut log = Vec::new();

    let mode = match rng.below(100) {
        0..=4 => KillMode::AtStart,
        5..=29 => KillMode::MidTyping,
        30..=54 => KillMode::InFlight,
        55..=79 => KillMode::AfterCommit,
        _ => KillMode::AfterDelay,
    };
    let ops = if matches!(mode, KillMode::AtStart) {
        0
    } else {
        1 + rng.below(4)
    };
    log.push(format!("round {round}: {ops} edits, then kill {mode:?}"));

    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    let mut maybe: Option<Model> = None;
    if ops == 0 {
        if rng.chance(50) {
            t.wait_for("1 · Handoff");
        }
        let ms = rng.below(40) as u64;
        log.push(format!("  kill after {ms} ms"));
        std::thread::sleep(Duration::from_millis(ms));
    } else {
        t.wait_for("1 · Handoff");
    }
    for n in 0..ops {
        let op = random_op(rng, &format!("r{round}e{n}"));
        let last = n + 1 == ops;
        let mut after = committed.clone();
        after.apply(&op);
        if !last || matches!(mode, KillMode::AfterCommit | KillMode::AfterDelay) {
            log.push(format!("  commit {op:?}"));
            commit_op(&t, &op, &committed, &after);
            committed = after;
            confirmed += 1;
            if last && matches!(mode, KillMode::AfterDelay) {
                let ms = 1 + rng.below(60) as u64;
                log.push(format!("  kill after {ms} ms"));
                std::thread::sleep(Duration::from_millis(ms));
            }
            continue;
        }
        match mode {
            KillMode::MidTyping => {
                let typed_len = match &op {
                    Op::SetField { typed, .. } => typed.chars().count(),
                    Op::AddEntry { entry, .. } => entry.chars().count(),
                    Op::AddNote { text, .. } => text.chars().count(),
                    Op::Toggle { .. } => 0,
                };
                let cut = rng.below(typed_len + 1);
                let (keys, _) = op_keys(&op, &committed, Some(cut));
                log.push(format!("  type {cut} characters of {op:?}, no commit"));
                t.send(&keys);
                if let Some(marker) = editor_marker(&op)
                    && rng.chance(50)
                {
                    t.wait_for(marker);
                }
                std::thread::sleep(Duration::from_millis(rng.below(20) as u64));
            }
            KillMode::InFlight => {
                let (keys, commit) = op_keys(&op, &committed, None);
                let ms = if rng.chance(50) {
                    0
                } else {
                    rng.below(8) as u64
                };
                log.push(format!("  send {op:?} with its commit, kill after {ms} ms"));
                t.send(&format!("{keys}{commit}"));
                std::thread::sleep(Duration::from_millis(ms));
                maybe = Some(after);
            }
            _ => unreachable!("handled above"),
        }
    }
    t.kill();

    let loaded = store::load(&path).unwrap_or_else(|e| {
        panic!(
            "after the kill the file does not load: {e}\n{}\n{}",
            log.join("\n"),
            t.dump()
        )
    });
    let found = Model::of(&loaded.handoff);
    let landed = maybe.as_ref().map(|m| *m == found && found != committed);
    let stray = files_in(dir.path()).iter().any(|f| f.ends_with(".tmp"));
    let ok = found == committed || maybe.as_ref().is_some_and(|m| *m == found);
    assert!(
        ok,
        "committed work is missing after the kill\n{}\nexpected {committed:#?}\n{}found {found:#?}\n{}",
        log.join("\n"),
        maybe
            .as_ref()
            .map(|m| format!("or {m:#?}\n"))
            .unwrap_or_default(),
        t.dump()
    );
    if matches!(mode, KillMode::AtStart) {
        assert_eq!(
            fs::read(&path).expect("read"),
            initial_bytes,
            "a wizard killed before any edit changed the file\n{}",
            log.join("\n")
        );
    }
    drop(t);

    // Now and then, open the killed file again: the stale lock is taken over, any
    // half-written temporary file is cleared away, and nothing is lost on the way.
    let reopened = rng.chance(5);
    if reopened {
        log.push("  reopen".into());
        let lock = store::lock_path(&path);
        if fs::metadata(&lock).is_ok_and(|m| m.len() == 0) {
            // Killed between creating the lock file and writing it: such a lock names
            // nobody, and `open` rightly refuses to guess (see the unreadable-lock test).
            log.push("  the kill left an empty lock file; removed by hand".into());
            fs::remove_file(&lock).expect("remove the empty lock");
        }
        let had_lock = lock.exists();
        let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
        t.wait_until("the wizard's header", |s| header_row(s).contains("handoff"));
        if had_lock {
            t.wait_until("the stale-lock notice", |s| {
                status_text(s).contains("Took over a stale lock")
            });
        }
        t.send("q");
        assert_clean_exit(&mut t, &path);
        assert_eq!(
            Model::of(&load(&path)),
            found,
            "reopening changed the work\n{}",
            log.join("\n")
        );
        let left: Vec<String> = files_in(dir.path())
            .into_iter()
            .filter(|f| f != "acme-corp.toml")
            .collect();
        assert!(
            left.is_empty(),
            "files left beside the handoff: {left:?}\n{}",
            log.join("\n")
        );
    }
    Round {
        log,
        reopened,
        landed,
        stray,
        confirmed,
    }
}

/// Issue 4: SIGKILL at random moments never loses a committed edit. Set
/// `HANDOFF_FAULTS_SEED` to replay a failure, `HANDOFF_FAULTS_ROUNDS` for more rounds.
#[test]
fn kill_at_random_never_loses_a_committed_edit() {
    let seed = std::env::var("HANDOFF_FAULTS_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let rounds: usize = std::env::var("HANDOFF_FAULTS_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    eprintln!("kill at random: seed {seed} (replay with HANDOFF_FAULTS_SEED={seed})");
    let mut rng = Rng::new(seed);
    let started = Instant::now();
    let (mut reopened, mut landed, mut not_landed, mut stray, mut confirmed) = (0, 0, 0, 0, 0);
    for round in 0..rounds {
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| kill_round(&mut rng, round)));
        match result {
            Ok(r) => {
                reopened += usize::from(r.reopened);
                landed += usize::from(r.landed == Some(true));
                not_landed += usize::from(r.landed == Some(false));
                stray += usize::from(r.stray);
                confirmed += r.confirmed;
                if round % 50 == 0 {
                    eprintln!("{}", r.log.join("\n"));
                }
            }
            Err(panic) => {
                eprintln!(
                    "kill at random failed in round {round} of {rounds}; seed {seed} \
                     (HANDOFF_FAULTS_SEED={seed} replays the same edits and kill points)"
                );
                std::panic::resume_unwind(panic);
            }
        }
    }
    let summary = format!(
        "kill at random: {rounds} rounds in {:.1} s (seed {seed}); {confirmed} edits \
         confirmed on screen, all found after the kill; commits in flight at the kill: \
         {landed} saved, {not_landed} not yet; {stray} kills left a half-written temporary \
         file; {reopened} killed files reopened",
        started.elapsed().as_secs_f64()
    );
    println!("{summary}");
}

// ---------------------------------------------------------------- 2. signals

/// What the wizard is in the middle of typing when the signal comes.
#[derive(Clone, Copy, Debug)]
enum HalfTyped {
    /// A single-line field, before Enter.
    Field,
    /// A new note, before Tab.
    Note,
    /// A new list entry, before Enter.
    ListEntry,
}

fn signal_mid_edit(signal: Signal, typing: HalfTyped) {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    let typed = "half typed, not confirmed";
    match typing {
        HalfTyped::Field => {
            go_to_field(
                &t,
                "7",
                "7 · Long-term upgrade strategy",
                0,
                "Current Sourcegraph",
            );
            t.send(ENTER);
            t.wait_for("Enter done");
        }
        HalfTyped::Note => {
            go_to_field(&t, "4", "4 · Implementation notes", 3, "Notes log");
            t.send("a");
            t.wait_for("New note: category");
            t.send(ENTER);
            t.wait_for("Tab done");
        }
        HalfTyped::ListEntry => {
            go_to_field(
                &t,
                "2",
                "2 · Production deployment",
                6,
                "Machine instance types",
            );
            t.send("a");
            t.wait_for("Enter done");
        }
    }
    t.send(typed);
    t.wait_for(typed);
    t.signal(signal);
    let status = t.wait_exit(WAIT);
    assert!(
        status.signal().is_none(),
        "{typing:?}: died of signal {signal:?} instead of handling it: {status:?}\n{}",
        t.dump()
    );
    assert!(
        status.success(),
        "{typing:?}: exit {status:?}\n{}",
        t.dump()
    );
    assert_alt_screen_left(&t.raw());
    assert!(
        !store::lock_path(&path).exists(),
        "{typing:?}: the lock was left behind"
    );
    let h = load(&path);
    match typing {
        HalfTyped::Field => assert_eq!(
            h.value("upgrade", "current_version"),
            Some(&FieldValue::Text(typed.into()))
        ),
        HalfTyped::Note => assert_eq!(live_notes(&h), [typed]),
        HalfTyped::ListEntry => assert_eq!(
            h.value("deployment", "instance_types"),
            Some(&FieldValue::List(vec![typed.into()]))
        ),
    }
}

const HALF_TYPED: [HalfTyped; 3] = [HalfTyped::Field, HalfTyped::Note, HalfTyped::ListEntry];

#[test]
fn sigterm_mid_edit_saves_the_typed_text() {
    for typing in HALF_TYPED {
        signal_mid_edit(Signal::TERM, typing);
    }
}

#[test]
fn sighup_mid_edit_saves_the_typed_text() {
    for typing in HALF_TYPED {
        signal_mid_edit(Signal::HUP, typing);
    }
}

#[test]
fn sigint_mid_edit_saves_the_typed_text() {
    for typing in HALF_TYPED {
        signal_mid_edit(Signal::INT, typing);
    }
}

// ---------------------------------------------------------------- 3. disk and file system faults

/// A long note: about `bytes` bytes of text over many lines.
fn long_note(bytes: usize) -> String {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < bytes {
        if n > 0 {
            text.push('\n');
        }
        text.push_str(&format!(
            "line {n:05}: the customer's runbook, copied in full for the TA"
        ));
        n += 1;
    }
    text
}

/// Adds a note by pasting `text` into a new note, then Tab.
fn paste_note(t: &Term, text: &str) {
    go_to_field(t, "4", "4 · Implementation notes", 3, "Notes log");
    t.send("a");
    t.wait_for("New note: category");
    t.send(ENTER);
    t.wait_for("Tab done");
    paste(t, text);
    t.send(TAB);
    t.wait_gone("Tab done");
}

/// (3a) A file-size limit (`ulimit -f`, as a full disk would do) makes saving fail with
/// EFBIG: the wizard warns, keeps the note, leaves the file alone, and saves it all
/// once the limit is lifted.
#[test]
fn file_size_limit_warns_keeps_the_work_and_saves_later() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let before = fs::read(&path).expect("read");
    // dash (this /bin/sh) counts `ulimit -f` in 512-byte blocks, bash in 1024-byte ones:
    // either way the limit lies between the file's size and the size with the note.
    // A soft limit, so it can be lifted later without privileges; SIGXFSZ ignored, so
    // the write fails with EFBIG instead of killing the wizard.
    let blocks = before.len() / 512 + 2;
    let script = format!("ulimit -S -f {blocks}; trap '' XFSZ; exec \"$0\" open \"$1\"");
    let file = path.display().to_string();
    let mut t = Term::spawn_program(
        dir.path(),
        "/bin/sh",
        &["-c", &script, env!("CARGO_BIN_EXE_handoff"), &file],
        &[],
        SIZE.0,
        SIZE.1,
    );
    t.wait_for("1 · Handoff");
    let note = long_note(8 * 1024);
    paste_note(&t, &note);
    t.wait_not_saved();
    t.wait_for("Notes log  1 entries");
    let status = t.with_screen(status_text);
    assert!(
        status.contains("File too large") && status.contains("Ctrl-O"),
        "the warning says why, and what to do: {status:?}"
    );
    assert_eq!(fs::read(&path).expect("read"), before, "the file changed");
    let left: Vec<String> = files_in(dir.path()).into_iter().collect();
    assert_eq!(
        left,
        ["acme-corp.toml", "acme-corp.toml.lock"],
        "stray files"
    );

    // The limit is the process's, so a copy elsewhere fails the same way, and says so.
    let other = tempdir();
    let copy = other.path().join("copy.toml");
    save_copy(&t, &copy);
    t.wait_status("No copy written:");
    assert!(!copy.exists(), "a failed copy left a file");
    assert!(
        files_in(other.path()).is_empty(),
        "a failed copy left a file"
    );

    // Quitting now would lose the note: the wizard says so and stays.
    t.send("q");
    t.wait_until("\"Press q again\" on the status line", |s| {
        status_text(s).contains("Press q again")
    });
    assert!(t.try_status().is_none(), "the first q quit");

    // Space freed: the next save keeps everything.
    let unlimited = Rlimit {
        current: None,
        maximum: None,
    };
    // `None` would mean the test process itself, so the child's pid must be there.
    let pid = as_pid(t.pid()).expect("the child has a pid");
    rustix::process::prlimit(Some(pid), Resource::Fsize, unlimited)
        .unwrap_or_else(|e| panic!("prlimit: {e}"));
    t.send(CTRL_S);
    t.wait_saved();
    assert_eq!(live_notes(&load(&path)), std::slice::from_ref(&note));
    save_copy(&t, &copy);
    t.wait_status(&format!("Saved a copy to {}", copy.display()));
    assert_eq!(live_notes(&load(&copy)), std::slice::from_ref(&note));
    t.send("q");
    assert_clean_exit(&mut t, &path);
    assert_eq!(live_notes(&load(&path)), [note]);
}

/// Mounts a small tmpfs; unmounts it when dropped.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    fn mount(path: &Path, size: &str) -> Option<SmallDisk> {
        fs::create_dir_all(path).expect("make the mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(path)
            .output()
            .ok()?;
        out.status.success().then(|| SmallDisk {
            path: path.to_path_buf(),
        })
    }

    /// Writes a file until the disk is full.
    fn fill(&self) {
        use std::io::Write;
        let mut f = fs::File::create(self.path.join("filler")).expect("create the filler");
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.path)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.path).status();
        }
    }
}

/// (3a) with a really full disk: the wizard warns, keeps the work, leaves the file alone;
/// Ctrl-O saves a copy in another directory; q asks again before giving up.
#[test]
fn full_disk_warns_keeps_the_work_and_ctrl_o_saves_a_copy() {
    let dir = tempdir();
    let Some(disk) = SmallDisk::mount(&dir.path().join("small"), "64k") else {
        eprintln!("SKIPPED: cannot mount a tmpfs here (needs root); the ulimit test covers EFBIG");
        return;
    };
    let path = new_file(&disk.path);
    let before = fs::read(&path).expect("read");
    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    disk.fill();
    let note = long_note(8 * 1024);
    paste_note(&t, &note);
    t.wait_not_saved();
    t.wait_for("Notes log  1 entries");
    let status = t.with_screen(status_text);
    assert!(
        status.contains("the disk is full") && status.contains("Ctrl-O"),
        "the warning says why, and what to do: {status:?}"
    );
    assert_eq!(fs::read(&path).expect("read"), before, "the file changed");

    let copy = dir.path().join("elsewhere").join("acme-copy.toml");
    save_copy(&t, &copy);
    t.wait_status(&format!("Saved a copy to {}", copy.display()));
    t.send("q");
    t.wait_until("\"Press q again\" on the status line", |s| {
        status_text(s).contains("Press q again")
    });
    assert!(t.try_status().is_none(), "the first q quit");
    t.send("q");
    let status = t.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 1, "{}", t.dump());
    let raw = t.raw();
    assert_alt_screen_left(&raw);
    let after = &raw[raw.rfind(ALT_OFF).expect("left the alternate screen")..];
    assert!(
        after.contains("changes were not saved"),
        "no word of the lost changes: {after:?}"
    );
    assert_eq!(fs::read(&path).expect("read"), before, "the file changed");
    assert!(
        !store::lock_path(&path).exists(),
        "the lock was left behind"
    );
    assert_eq!(live_notes(&load(&copy)), [note]);
}

/// Makes a directory immutable (`chattr +i`: even root cannot create or rename in it)
/// until released or dropped, also when a test fails.
struct Immutable {
    dir: PathBuf,
    set: bool,
}

impl Immutable {
    fn set(dir: &Path) -> Immutable {
        let out = Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .output()
            .expect("run chattr");
        assert!(
            out.status.success(),
            "chattr +i {}: {}",
            dir.display(),
            text(&out.stderr)
        );
        Immutable {
            dir: dir.to_path_buf(),
            set: true,
        }
    }

    fn release(&mut self) {
        if self.set {
            let ok = Command::new("chattr")
                .arg("-i")
                .arg(&self.dir)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chattr -i {}", self.dir.display());
            self.set = false;
        }
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        if self.set {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).status();
        }
    }
}

/// (3b) The directory becomes read-only mid-session: warning, the work kept, the file
/// untouched; once writable again, the next edit saves both.
#[test]
fn read_only_directory_warns_then_saves_both_edits() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    // Undone when dropped (before the temporary directory), also if the test fails.
    let mut frozen = Immutable::set(dir.path());
    let before = fs::read(&path).expect("read");

    go_to_field(
        &t,
        "7",
        "7 · Long-term upgrade strategy",
        0,
        "Current Sourcegraph",
    );
    replace_value(&t, "5.9.1");
    t.wait_not_saved();
    t.wait_value("5.9.1");
    assert_eq!(fs::read(&path).expect("read"), before, "the file changed");

    frozen.release();
    go_to_field(
        &t,
        "2",
        "2 · Production deployment",
        3,
        "Sourcegraph instance URL",
    );
    replace_value(&t, "https://sg.acme.example");
    t.wait_saved();
    let h = load(&path);
    assert_eq!(
        text_value(&h, "upgrade", "current_version").as_deref(),
        Some("5.9.1")
    );
    assert_eq!(
        text_value(&h, "deployment", "instance_url").as_deref(),
        Some("https://sg.acme.example")
    );
    t.send("q");
    assert_clean_exit(&mut t, &path);
}

/// (3c) The file is replaced by a directory while open: the next edit warns, the old
/// file (moved away) is intact, and Ctrl-O saves everything elsewhere.
#[test]
fn file_replaced_by_a_directory_warns_and_ctrl_o_saves_everything() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    go_to_field(
        &t,
        "7",
        "7 · Long-term upgrade strategy",
        0,
        "Current Sourcegraph",
    );
    replace_value(&t, "5.9.1");
    t.wait_saved();
    let before = fs::read(&path).expect("read");

    let moved = dir.path().join("acme-corp.moved.toml");
    fs::rename(&path, &moved).expect("move the file away");
    fs::create_dir(&path).expect("a directory where the file was");
    go_to_field(
        &t,
        "2",
        "2 · Production deployment",
        3,
        "Sourcegraph instance URL",
    );
    replace_value(&t, "https://sg.acme.example");
    t.wait_not_saved();
    assert_eq!(
        fs::read(&moved).expect("read"),
        before,
        "the old file changed"
    );
    assert!(path.is_dir(), "the directory was replaced");
    assert_eq!(
        fs::read_dir(&path).expect("list").count(),
        0,
        "something was written into the directory"
    );

    let copy = dir.path().join("copies").join("acme-copy.toml");
    save_copy(&t, &copy);
    t.wait_status(&format!("Saved a copy to {}", copy.display()));
    let h = load(&copy);
    assert_eq!(
        text_value(&h, "upgrade", "current_version").as_deref(),
        Some("5.9.1")
    );
    assert_eq!(
        text_value(&h, "deployment", "instance_url").as_deref(),
        Some("https://sg.acme.example")
    );
    assert_eq!(
        text_value(&h, "handoff", "customer").as_deref(),
        Some("Acme Corp")
    );

    t.send("q");
    t.wait_until("\"Press q again\" on the status line", |s| {
        status_starts(s, "Not saved:") && status_text(s).contains("Press q again")
    });
    assert!(t.try_status().is_none(), "the first q quit");
    t.send("q");
    let status = t.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 1, "{}", t.dump());
    let raw = t.raw();
    assert_alt_screen_left(&raw);
    let after = output_lines(&raw[raw.rfind(ALT_OFF).expect("left the alternate screen")..]);
    assert!(
        after.len() == 1 && after[0].contains("changes were not saved"),
        "one line about the lost changes: {after:?}"
    );
    assert!(
        !store::lock_path(&path).exists(),
        "the lock was left behind"
    );
    assert_eq!(
        fs::read(&moved).expect("read"),
        before,
        "the old file changed"
    );
}

/// The advice after a failed save (Ctrl-O; q again) must be readable at the README's
/// 100 columns, whatever the save error says.
/// (Found by this file: the warning used to be cut off after 100 characters.)
#[test]
fn the_save_failure_advice_fits_a_100_column_status_line() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    fs::rename(&path, dir.path().join("moved.toml")).expect("move the file away");
    fs::create_dir(&path).expect("a directory where the file was");
    go_to_field(
        &t,
        "7",
        "7 · Long-term upgrade strategy",
        0,
        "Current Sourcegraph",
    );
    replace_value(&t, "5.9.1");
    t.wait_not_saved();
    let warning = t.with_screen(status_text);
    assert!(
        warning.contains("Ctrl-O"),
        "the warning does not say how to save the work: {warning:?}"
    );
    t.send("q");
    t.wait_until("\"Press q again\" on the status line", |s| {
        status_text(s).contains("Press q again")
    });
}

// ---------------------------------------------------------------- 4. terminal abuse

/// Waits for a complete wizard screen of `cols` x `rows` drawn since the last
/// `resize_and_clear`: header on the first row, the key footer on the last.
fn wait_full_screen(t: &Term, cols: u16, rows: u16) {
    t.wait_until(&format!("the wizard redrawn at {cols}x{rows}"), |s| {
        let (r, c) = s.size();
        header_row(s).starts_with(" handoff ")
            && footer_row(s).contains("keys")
            && (r.get(), c.get()) == (rows, cols)
    });
}

fn wait_too_small(t: &Term, cols: u16, rows: u16) {
    let size = format!("{cols}×{rows}here");
    t.wait_until(&format!("\"Terminal too small\" at {cols}x{rows}"), |s| {
        let squeezed: String = s.contents().split_whitespace().collect();
        squeezed.contains("Terminaltoosmall") && squeezed.contains(&size)
    });
}

/// Resizes to `cols` x `rows` and waits for the wizard to redraw for that size.
fn resize_and_wait(t: &Term, cols: u16, rows: u16) {
    t.resize_and_clear(cols, rows);
    if cols < 60 || rows < 15 {
        wait_too_small(t, cols, rows);
    } else {
        wait_full_screen(t, cols, rows);
    }
}

/// `count` resizes to random sizes from 20x5 to 300x100, without waiting, ending
/// on 61x16.
fn resize_storm(t: &Term, rng: &mut Rng, count: usize) {
    for _ in 1..count {
        let cols = 20 + rng.below(281) as u16;
        let rows = 5 + rng.below(96) as u16;
        t.resize(cols, rows);
    }
    t.resize(61, 16);
}

/// How long the wizard may take to notice its first resize; see
/// `a_resize_just_after_start_is_drawn`.
const SETTLE: Duration = Duration::from_millis(500);

/// (4) From 20x5 to 300x100: below 60x15 the wizard says the terminal is too small,
/// above it draws itself in full; a storm of 200 resizes later it still answers.
#[test]
fn any_terminal_size_and_a_resize_storm() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    std::thread::sleep(SETTLE);
    let sizes: &[(u16, u16)] = &[
        (20, 5),
        (30, 8),
        (59, 15),
        (60, 14),
        (60, 15),
        (80, 24),
        (20, 100),
        (300, 5),
        (132, 43),
        (200, 60),
        (300, 100),
        (21, 6),
        (100, 30),
    ];
    for &(cols, rows) in sizes {
        resize_and_wait(&t, cols, rows);
    }

    // The storm: 200 resizes, no waiting between them. Frames drawn for sizes of the
    // storm may still be on their way, so let them arrive before looking again (and
    // see `a_key_during_a_resize_storm_is_answered` for keys sent at once).
    let mut rng = Rng::new(4);
    resize_storm(&t, &mut rng, 200);
    std::thread::sleep(SETTLE);
    resize_and_wait(&t, SIZE.0, SIZE.1);
    t.send(PG_DN);
    t.wait_for("2 · Production deployment");
    go_to_field(
        &t,
        "7",
        "7 · Long-term upgrade strategy",
        0,
        "Current Sourcegraph",
    );
    replace_value(&t, "5.9.1");
    t.wait_value("5.9.1");
    t.send("q");
    assert_clean_exit(&mut t, &path);
    assert_eq!(
        text_value(&load(&path), "upgrade", "current_version").as_deref(),
        Some("5.9.1")
    );
}

/// A window resized right after the wizard appears (a tiling window manager does
/// that) must be redrawn at its new size.
#[test]
fn a_resize_just_after_start_is_drawn() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    t.resize_and_clear(40, 10);
    t.wait_until_within(
        Duration::from_secs(3),
        "the too-small notice at 40x10",
        |s| s.contents().contains("Terminal too small"),
    );
}

/// A key pressed while the window is being dragged (SIGWINCH after SIGWINCH) must be
/// acted on at once, not when the next key comes.
#[test]
fn a_key_during_a_resize_storm_is_answered() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    std::thread::sleep(SETTLE);
    let mut rng = Rng::new(7);
    for round in 0..10 {
        resize_storm(&t, &mut rng, 50);
        let (key, title) = if round % 2 == 0 {
            ("2", "2 · Production deployment")
        } else {
            ("1", "1 · Handoff")
        };
        t.send(key);
        t.wait_until_within(
            Duration::from_secs(3),
            &format!("{title:?} after a resize storm (round {round})"),
            |s| s.contents().contains(title),
        );
    }
}

/// Keys typed faster than the wizard reads them (key repeat, a paste without bracketed
/// paste, typing while a big file saves) must all arrive in the editor.
#[test]
fn a_burst_of_typing_is_read_at_once() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    go_to_field(&t, "4", "4 · Implementation notes", 3, "Notes log");
    t.send("a");
    t.wait_for("New note: category");
    t.send(ENTER);
    t.wait_for("Tab done");
    // 2,280 bytes of keys in one go; the last line must reach the editor.
    let burst: String = (0..60)
        .map(|i| format!("line {i:02} words words words words words{ENTER}"))
        .collect();
    t.send(&burst);
    t.wait_until_within(
        Duration::from_secs(5),
        "the last typed line in the editor",
        |s| {
            s.contents()
                .contains("line 59 words words words words words")
        },
    );
}

/// Not every terminal answers a cursor position query (`ESC [ 6 n`); the wizard must
/// not depend on it, least of all while text is being typed.
#[test]
fn a_terminal_that_never_answers_cursor_queries_loses_nothing() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.stop_answering_queries();
    t.wait_for("1 · Handoff");
    std::thread::sleep(SETTLE);
    go_to_field(
        &t,
        "7",
        "7 · Long-term upgrade strategy",
        0,
        "Current Sourcegraph",
    );
    t.send(ENTER);
    t.wait_for("Enter done");
    t.send("half typed");
    t.resize(120, 40);
    // crossterm gives up on an answer after 2 s.
    std::thread::sleep(Duration::from_millis(2500));
    assert!(
        t.try_status().is_none(),
        "the wizard quit: {:?}",
        t.raw().rsplit(ALT_OFF).next().unwrap_or_default()
    );
    t.send(ENTER);
    t.wait_gone("Enter done");
    t.send("q");
    assert_clean_exit(&mut t, &path);
    assert_eq!(
        text_value(&load(&path), "upgrade", "current_version").as_deref(),
        Some("half typed")
    );
}

/// (4) CJK, emoji (with ZWJ sequences, flags, variation selectors) and combining marks
/// typed into fields, a list and a note are saved exactly as typed.
#[test]
fn cjk_emoji_and_combining_marks_are_saved_exactly() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");

    let customer = "株式会社アクメ ｱｸﾒ 🏢";
    let engineer = "Zoë Ångström e\u{301}\u{302}mile 👩\u{200d}💻";
    let advisor = "Ελένη Παπαδοπούλου 🇬🇷 n\u{303}";
    let version = "v5.2 ✅ 🚀 版本 ﷽";
    let entry = "ｍ６ａ．４ｘｌａｒｇｅ ×3 🖥\u{fe0f}";
    let note = "数据库迁移完成 😀\nCafe\u{301} naïve résumé — ok\n👨\u{200d}👩\u{200d}👧\u{200d}👦 한국어 テスト";

    t.wait_focus("Customer (account) name");
    replace_value(&t, customer);
    go_to_field(&t, "1", "1 · Handoff", 1, "Implementation engineer");
    replace_value(&t, engineer);
    go_to_field(&t, "1", "1 · Handoff", 2, "Receiving Technical Advisor");
    replace_value(&t, advisor);
    go_to_field(
        &t,
        "7",
        "7 · Long-term upgrade strategy",
        0,
        "Current Sourcegraph",
    );
    replace_value(&t, version);
    go_to_field(
        &t,
        "2",
        "2 · Production deployment",
        6,
        "Machine instance types",
    );
    t.send("a");
    t.wait_for("Enter done");
    t.send(entry);
    t.send(ENTER);
    t.wait_gone("Enter done");
    add_note(&t, note, 1);
    // Drawn at the smallest sizes too, on the notes log and on the review page.
    let sizes = [(60, 15), (20, 5), (61, 16), (73, 21), (300, 100), (100, 30)];
    for &(cols, rows) in &sizes {
        resize_and_wait(&t, cols, rows);
    }
    t.send("8");
    t.wait_for("8 · Review and complete");
    for &(cols, rows) in &sizes {
        resize_and_wait(&t, cols, rows);
    }
    t.send("q");
    assert_clean_exit(&mut t, &path);

    let h = load(&path);
    assert_eq!(
        text_value(&h, "handoff", "customer").as_deref(),
        Some(customer)
    );
    assert_eq!(
        text_value(&h, "handoff", "engineer").as_deref(),
        Some(engineer)
    );
    assert_eq!(
        text_value(&h, "handoff", "technical_advisor").as_deref(),
        Some(advisor)
    );
    assert_eq!(
        text_value(&h, "upgrade", "current_version").as_deref(),
        Some(version)
    );
    assert_eq!(
        h.value("deployment", "instance_types"),
        Some(&FieldValue::List(vec![entry.into()]))
    );
    assert_eq!(live_notes(&h), [note]);
    let toml = fs::read_to_string(&path).expect("read");
    for text in [customer, engineer, advisor, version, entry] {
        assert!(
            toml.contains(&format!("\"{text}\"")),
            "{text:?} is not in the file as typed:\n{toml}"
        );
    }
    assert!(
        toml.contains(note),
        "the note is not in the file as typed:\n{toml}"
    );
}

/// (4) A 1 MiB bracketed paste into a note goes in whole, and quickly.
#[test]
fn a_one_mebibyte_paste_into_a_note() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    go_to_field(&t, "4", "4 · Implementation notes", 3, "Notes log");
    t.send("a");
    t.wait_for("New note: category");
    t.send(ENTER);
    t.wait_for("Tab done");

    let mut note = long_note(1024 * 1024 - 100);
    while note.len() < 1024 * 1024 {
        note.push('x');
    }
    assert_eq!(note.len(), 1024 * 1024);
    let started = Instant::now();
    let watchdog = Watchdog::arm(t.pid(), Duration::from_secs(60));
    paste(&t, &note);
    t.send(TAB);
    assert!(!watchdog.disarm(), "the paste was not read within 60 s");
    t.wait_until_within(Duration::from_secs(60), "the pasted note in the log", |s| {
        s.contents().contains("Notes log  1 entries")
    });
    t.send("q");
    let status = t.wait_exit(Duration::from_secs(60));
    let took = started.elapsed();
    assert!(status.success(), "exit {status:?}\n{}", t.dump());
    assert_alt_screen_left(&t.raw());
    println!("1 MiB paste: pasted, saved and quit in {took:?}");
    let notes = live_notes(&load(&path));
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].len(), note.len(), "the note's length");
    assert!(notes[0] == note, "the note differs from the paste");
    assert!(
        took < Duration::from_secs(20),
        "a 1 MiB paste took {took:?}"
    );
}

/// (4) `TERM=dumb` cannot draw screens: one clear line, a non-zero exit, nothing drawn.
#[test]
fn term_dumb_refuses_without_drawing() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let before = fs::read(&path).expect("read");
    let file = path.display().to_string();
    let mut t = Term::spawn_program(
        dir.path(),
        env!("CARGO_BIN_EXE_handoff"),
        &["open", &file],
        &[("TERM", "dumb")],
        SIZE.0,
        SIZE.1,
    );
    let status = t.wait_exit(WAIT);
    assert!(!status.success(), "exit {status:?}");
    let raw = t.raw();
    assert!(!raw.contains('\x1b'), "it drew something: {raw:?}");
    let lines = output_lines(&raw);
    assert_eq!(lines.len(), 1, "one line: {lines:?}");
    assert!(lines[0].contains("TERM=dumb"), "{lines:?}");
    assert_eq!(fs::read(&path).expect("read"), before);
    assert!(!store::lock_path(&path).exists());
}

/// (4) No keyboard (stdin is /dev/null, stdout still a terminal): a clear refusal.
#[test]
fn stdin_from_dev_null_refuses() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let before = fs::read(&path).expect("read");
    let file = path.display().to_string();
    let mut t = Term::spawn_program(
        dir.path(),
        "/bin/sh",
        &[
            "-c",
            "exec \"$0\" open \"$1\" < /dev/null",
            env!("CARGO_BIN_EXE_handoff"),
            &file,
        ],
        &[],
        SIZE.0,
        SIZE.1,
    );
    let status = t.wait_exit(WAIT);
    assert!(!status.success(), "exit {status:?}");
    let raw = t.raw();
    assert!(!raw.contains('\x1b'), "it drew something: {raw:?}");
    let lines = output_lines(&raw);
    assert_eq!(lines.len(), 1, "one line: {lines:?}");
    assert!(lines[0].contains("needs a terminal"), "{lines:?}");
    assert_eq!(fs::read(&path).expect("read"), before);
    assert!(!store::lock_path(&path).exists());
}

// ---------------------------------------------------------------- 5. lock edge cases

fn write_lock(path: &Path, host: &str, pid: u32) -> Vec<u8> {
    let holder = store::LockHolder {
        user: "sam".into(),
        host: host.into(),
        pid,
        since: now(),
    };
    let text = toml::to_string(&holder).expect("serialize the lock");
    fs::write(store::lock_path(path), &text).expect("write the lock");
    text.into_bytes()
}

/// The pid of a process that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().expect("run true");
    let pid = child.id();
    child.wait().expect("wait for true");
    pid
}

/// (5) A lock left by a dead process of this host is taken over, with a notice.
#[test]
fn a_stale_lock_of_this_host_is_taken_over() {
    let dir = tempdir();
    let path = new_file(dir.path());
    write_lock(&path, &store::hostname(), dead_pid());
    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    t.wait_until("the stale-lock notice", |s| {
        status_text(s).contains("Took over a stale lock")
    });
    assert!(!t.screen().contains("READ-ONLY"), "{}", t.dump());
    let lock = fs::read_to_string(store::lock_path(&path)).expect("the lock");
    assert!(
        lock.contains(&format!("pid = {}", t.pid())),
        "the lock names the wizard: {lock}"
    );
    go_to_field(
        &t,
        "7",
        "7 · Long-term upgrade strategy",
        0,
        "Current Sourcegraph",
    );
    replace_value(&t, "5.9.1");
    t.wait_saved();
    t.send("q");
    assert_clean_exit(&mut t, &path);
    assert_eq!(
        text_value(&load(&path), "upgrade", "current_version").as_deref(),
        Some("5.9.1")
    );
}

const ASK: &str = "[r]ead-only, [t]ake over the lock, or [N]ot at all?";

fn open_against_foreign_lock(answer: &str) -> (tempfile::TempDir, PathBuf, Vec<u8>, Vec<u8>, Term) {
    let dir = tempdir();
    let path = new_file(dir.path());
    let lock = write_lock(&path, "elsewhere.invalid", 4242);
    let before = fs::read(&path).expect("read");
    let file = path.display().to_string();
    let t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for(ASK);
    t.wait_for("sam@elsewhere.invalid (pid 4242");
    t.send(answer);
    (dir, path, before, lock, t)
}

/// (5) A lock from another host, answered N: nothing opens, nothing changes.
#[test]
fn a_foreign_lock_answered_n_opens_nothing() {
    let (_dir, path, before, lock, mut t) = open_against_foreign_lock("N\r");
    let status = t.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 1, "{}", t.dump());
    let raw = t.raw();
    assert!(!raw.contains(ALT_ON), "the refused open drew a screen");
    assert!(raw.contains("not opened"), "{raw:?}");
    assert_eq!(fs::read(store::lock_path(&path)).expect("lock"), lock);
    assert_eq!(fs::read(&path).expect("read"), before);
}

/// (5) A lock from another host, answered r: read-only, the lock untouched.
#[test]
fn a_foreign_lock_answered_r_opens_read_only() {
    let (_dir, path, before, lock, mut t) = open_against_foreign_lock("r\r");
    t.wait_for("READ-ONLY");
    t.wait_for("1 · Handoff");
    assert_eq!(fs::read(store::lock_path(&path)).expect("lock"), lock);
    t.send(ENTER);
    t.wait_refusal(true);
    t.send("q");
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "exit {status:?}\n{}", t.dump());
    assert_alt_screen_left(&t.raw());
    assert_eq!(fs::read(store::lock_path(&path)).expect("lock"), lock);
    assert_eq!(fs::read(&path).expect("read"), before);
}

/// (5) A lock from another host, answered t: editing, and the lock is this process's.
#[test]
fn a_foreign_lock_answered_t_takes_it_over() {
    let (_dir, path, _before, _lock, mut t) = open_against_foreign_lock("t\r");
    t.wait_for("1 · Handoff");
    assert!(!t.screen().contains("READ-ONLY"), "{}", t.dump());
    let lock = store::lock_path(&path);
    let text = fs::read_to_string(&lock).expect("the lock");
    let holder: store::LockHolder = toml::from_str(&text).expect("the lock parses");
    assert_eq!(holder.pid, t.pid(), "{text}");
    assert_eq!(holder.host, store::hostname(), "{text}");
    go_to_field(
        &t,
        "7",
        "7 · Long-term upgrade strategy",
        0,
        "Current Sourcegraph",
    );
    replace_value(&t, "5.9.1");
    t.wait_saved();
    t.send("q");
    assert_clean_exit(&mut t, &path);
    assert_eq!(
        text_value(&load(&path), "upgrade", "current_version").as_deref(),
        Some("5.9.1")
    );
}

/// (5) A lock file of binary junk: a one-line refusal, nothing touched.
#[test]
fn an_unreadable_lock_refuses_in_one_line() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let before = fs::read(&path).expect("read");
    let junk: Vec<u8> = (0..=255u8).rev().cycle().take(700).collect();
    let lock = store::lock_path(&path);
    fs::write(&lock, &junk).expect("write the junk lock");
    let file = path.display().to_string();
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    let status = t.wait_exit(WAIT);
    assert!(!status.success(), "exit {status:?}");
    let raw = t.raw();
    assert!(!raw.contains(ALT_ON), "it drew a screen: {raw:?}");
    let lines = output_lines(&raw);
    assert_eq!(lines.len(), 1, "one line: {lines:?}");
    assert!(lines[0].contains("unreadable"), "{lines:?}");
    assert_eq!(fs::read(&lock).expect("lock"), junk, "the lock changed");
    assert_eq!(fs::read(&path).expect("read"), before, "the file changed");
}

/// (5) An `open` that cannot write its lock file (the disk is full) must not leave an
/// empty lock behind: that would turn away every later `open` as "unreadable".
#[test]
fn a_failed_lock_write_leaves_no_lock_behind() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let before = fs::read(&path).expect("read");
    let file = path.display().to_string();
    // No file may grow at all: the lock file can be created but not written.
    let script = "ulimit -S -f 0; trap '' XFSZ; exec \"$0\" open \"$1\"";
    let mut t = Term::spawn_program(
        dir.path(),
        "/bin/sh",
        &["-c", script, env!("CARGO_BIN_EXE_handoff"), &file],
        &[],
        SIZE.0,
        SIZE.1,
    );
    let status = t.wait_exit(WAIT);
    assert!(!status.success(), "exit {status:?}");
    let lines = output_lines(&t.raw());
    assert_eq!(lines.len(), 1, "one line: {lines:?}");
    assert!(lines[0].contains("lock file"), "{lines:?}");
    assert_eq!(fs::read(&path).expect("read"), before, "the file changed");
    assert!(
        !store::lock_path(&path).exists(),
        "the failed open left a lock file behind"
    );

    // Room again: the next open must work.
    let mut t = Term::spawn(dir.path(), &["open", &file], SIZE.0, SIZE.1);
    t.wait_for("1 · Handoff");
    t.send("q");
    assert_clean_exit(&mut t, &path);
}
