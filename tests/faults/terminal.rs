//! Terminal abuse: every size from 20×5 to 300×100 and storms of resizes, keys in bursts,
//! a terminal that never answers cursor queries, CJK, emoji and combining marks, a 1 MiB
//! paste, `TERM=dumb`, and no keyboard at all.

use std::fs;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use handoff::handoff::FieldValue;
use rustix::process::Signal;

use crate::common::*;
use crate::{
    ADVISOR, CURRENT_VERSION, ENGINEER, INSTANCE_TYPES, Rng, current_version, live_notes,
    long_note, open_new_note, paste, quit_with_current_version, text_value,
};

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

/// From anywhere in browse mode: a new note of the first category with `text`
/// (lines separated by `\n`), finished with Tab; waits for the log to count `count`.
fn add_note(t: &Term, text: &str, count: usize) {
    open_new_note(t);
    t.send(&text.replace('\n', ENTER));
    t.send(TAB);
    t.wait_gone("Tab done");
    let entries = if count == 1 { "entry" } else { "entries" };
    t.wait_for(&format!("Notes log  {count} {entries}"));
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

/// The session ended well without one escape sequence, and the file is as it was.
fn assert_plain_and_untouched(fx: &Fixture, t: &mut Term) {
    let status = t.wait_exit(WAIT);
    let raw = t.raw();
    assert!(status.success(), "exit {status:?}\n{raw}");
    assert!(!raw.contains('\x1b'), "it drew something: {raw:?}");
    assert!(raw.contains("Saved. `handoff open --plain "), "{raw}");
    assert_eq!(fx.read(), fx.created);
    assert!(!fx.lock_path().exists());
}

/// (4) From 20x5 to 300x100: below 60x15 the wizard says the terminal is too small,
/// above it draws itself in full; a storm of 200 resizes later it still answers.
#[test]
fn any_terminal_size_and_a_resize_storm() {
    let fx = Fixture::new();
    let mut t = fx.open();
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
    CURRENT_VERSION.set(&t, "5.9.1");
    t.wait_value("5.9.1");
    quit_with_current_version(&fx, &mut t, "5.9.1");
}

/// A window resized right after the wizard appears (a tiling window manager does
/// that) must be redrawn at its new size.
#[test]
fn a_resize_just_after_start_is_drawn() {
    let fx = Fixture::new();
    let t = fx.open();
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
    let fx = Fixture::new();
    let t = fx.open();
    std::thread::sleep(SETTLE);
    let mut rng = Rng::new(7);
    for round in 0..10 {
        resize_storm(&t, &mut rng, 50);
        // Alt and a digit: on a text field the digit alone would be typed.
        let (key, title) = if round % 2 == 0 {
            ("\x1b2", "2 · Production deployment")
        } else {
            ("\x1b1", FIRST_STEP)
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
    let fx = Fixture::new();
    let t = fx.open();
    open_new_note(&t);
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
    let fx = Fixture::new();
    let mut t = fx.spawn();
    t.stop_answering_queries();
    t.wait_for(FIRST_STEP);
    std::thread::sleep(SETTLE);
    CURRENT_VERSION.focus(&t);
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
    quit_with_current_version(&fx, &mut t, "half typed");
}

/// (4) CJK, emoji (with ZWJ sequences, flags, variation selectors) and combining marks
/// typed into fields, a list and a note are saved exactly as typed.
#[test]
fn cjk_emoji_and_combining_marks_are_saved_exactly() {
    let fx = Fixture::new();
    let mut t = fx.open();

    let customer = "株式会社アクメ ｱｸﾒ 🏢";
    let engineer = "Zoë Ångström e\u{301}\u{302}mile 👩\u{200d}💻";
    let advisor = "Ελένη Παπαδοπούλου 🇬🇷 n\u{303}";
    let version = "v5.2 ✅ 🚀 版本 ﷽";
    let entry = "ｍ６ａ．４ｘｌａｒｇｅ ×3 🖥\u{fe0f}";
    let note = "数据库迁移完成 😀\nCafe\u{301} naïve résumé — ok\n👨\u{200d}👩\u{200d}👧\u{200d}👦 한국어 テスト";

    t.wait_focus("Customer (account) name");
    replace_value(&t, customer);
    ENGINEER.set(&t, engineer);
    ADVISOR.set(&t, advisor);
    CURRENT_VERSION.set(&t, version);
    INSTANCE_TYPES.focus(&t);
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
    fx.quit(&mut t);

    let h = fx.load();
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
    assert_eq!(current_version(&h).as_deref(), Some(version));
    assert_eq!(
        h.value("deployment", "instance_types"),
        Some(&FieldValue::List(vec![entry.into()]))
    );
    assert_eq!(live_notes(&h), [note]);
    let toml = fs::read_to_string(&fx.path).expect("read");
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
    let fx = Fixture::new();
    let mut t = fx.open();
    open_new_note(&t);

    let mut note = long_note(1024 * 1024 - 100);
    while note.len() < 1024 * 1024 {
        note.push('x');
    }
    assert_eq!(note.len(), 1024 * 1024);
    let started = Instant::now();
    let watchdog = Watchdog::arm(t.pid(), Duration::from_mins(1));
    paste(&t, &note);
    t.send(TAB);
    assert!(!watchdog.disarm(), "the paste was not read within 60 s");
    t.wait_until_within(Duration::from_mins(1), "the pasted note in the log", |s| {
        s.contents().contains("Notes log  1 entry")
    });
    t.send(CTRL_C);
    let status = t.wait_exit(Duration::from_mins(1));
    let took = started.elapsed();
    assert!(status.success(), "exit {status:?}\n{}", t.dump());
    assert_alt_screen_left(&t.raw());
    println!("1 MiB paste: pasted, saved and quit in {took:?}");
    let notes = live_notes(&fx.load());
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].len(), note.len(), "the note's length");
    assert!(notes[0] == note, "the note differs from the paste");
    assert!(
        took < Duration::from_secs(20),
        "a 1 MiB paste took {took:?}"
    );
}

/// (4) `TERM=dumb` cannot draw screens: plain questions instead (see `tests/plain`),
/// with nothing drawn; the input ending saves and exits cleanly.
#[test]
fn term_dumb_asks_plain_questions_without_drawing() {
    let fx = Fixture::new();
    let mut t = fx.spawn_with_env(&[("TERM", "dumb")]);
    t.wait_for("Handoff, 1 of 4");
    t.send("\x04");
    assert_plain_and_untouched(&fx, &mut t);
}

/// (4) No keyboard (stdin is /dev/null, stdout still a terminal): plain questions,
/// the end of the input at once, nothing changed.
#[test]
fn stdin_from_dev_null_ends_at_once() {
    let fx = Fixture::new();
    let mut t = fx.spawn_shell("exec \"$0\" open \"$1\" < /dev/null");
    assert_plain_and_untouched(&fx, &mut t);
}
