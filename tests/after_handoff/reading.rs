//! Reading is first-class (issue 10, item 1): the review page scrolls to its last
//! line at every size down to 80×24, and a long note opens in the reader and pages
//! to its last line, with the position shown all the way.

use super::*;

/// The review page's frame: its title says where it is.
const REVIEW: &str = "Everything in this handoff";

/// The reader's bottom border: where it is, then how to move and close.
const READER: &str = "Esc closes";

/// The review page's last line on a `maintained` handoff: its oldest change.
const OLDEST_CHANGE: &str = "Number of repositories: 1200 → 1500";

/// The sizes the review page must scroll to its end at: the smallest it
/// promises, and the README's.
const SIZES: [(u16, u16); 2] = [(80, 24), (100, 30)];

/// A view of `maintained()` on its review page, at `size`, at the top of the page;
/// and how many lines the page shows at once.
fn review_page(dir: &Path, size: (u16, u16)) -> (Term, usize) {
    let path = write(dir, &maintained());
    let t = view(dir, &path, size);
    go_to_step(&t, 8, "8 · Review and complete");
    let top = wait_place(&t, REVIEW);
    assert_eq!(top.first, 1, "the page starts at its top\n{}", t.dump());
    assert!(
        !top.at_end(),
        "the page is longer than the screen\n{}",
        t.dump()
    );
    (t, top.last)
}

/// The page is at its end, a full page: the last line is on screen, and the
/// position says so.
fn assert_at_end(t: &Term, height: usize, how: &str) {
    t.wait_until(
        &format!("{OLDEST_CHANGE:?}, the last line, after {how}"),
        |s| s.contents().contains(OLDEST_CHANGE) && place(s, REVIEW).is_some_and(Place::at_end),
    );
    let end = wait_place(t, REVIEW);
    assert_eq!(
        end.last - end.first + 1,
        height,
        "{how}: a full page at the end\n{}",
        t.dump()
    );
}

/// Each move of a walk down the review page went `step` lines (the last one as
/// far as the end allows), and the upgrade procedure's last step showed on the way.
fn assert_walk(walk: &[(Place, String)], step: usize, height: usize, how: &str) {
    let moves = places(walk);
    for pair in moves.windows(2) {
        assert_eq!(
            pair[1].first,
            (pair[0].first + step).min(pair[1].of - height + 1),
            "{how}: {moves:?}"
        );
    }
    assert!(
        walk.iter()
            .any(|(_, screen)| screen.contains(PROCEDURE_END)),
        "{PROCEDURE_END:?} never showed: {how}"
    );
}

#[test]
fn c_the_review_page_pages_to_its_last_line_at_80x24_and_100x30() {
    for size in SIZES {
        let dir = tempdir();
        let (mut t, height) = review_page(dir.path(), size);
        // PgDn, page by page: each page keeps one line of the last.
        let walk = page_to_end(&t, REVIEW, PG_DN);
        assert!(walk.len() > 2, "{size:?}: {:?}", places(&walk));
        assert_walk(&walk, height - 1, height, &format!("PgDn at {size:?}"));
        assert_at_end(&t, height, "PgDn");
        t.send(CTRL_C);
        wait_clean_exit(&mut t);
    }
}

#[test]
fn c_the_review_page_ends_with_end_and_with_the_wheel_and_home_goes_back() {
    for size in SIZES {
        let dir = tempdir();
        let (mut t, height) = review_page(dir.path(), size);
        t.send(END);
        assert_at_end(&t, height, "End");
        t.send(HOME);
        t.wait_until("Home to go back to the top", |s| {
            place(s, REVIEW).is_some_and(|p| p.first == 1)
        });
        // The wheel over the page, three lines a turn.
        let (cols, rows) = size;
        let walk = page_to_end(&t, REVIEW, &wheel_down(cols / 2 + 10, rows / 2));
        assert_walk(&walk, 3, height, &format!("the wheel at {size:?}"));
        assert_at_end(&t, height, "the wheel");
        t.send(CTRL_C);
        wait_clean_exit(&mut t);
    }
}

/// A completed handoff whose newest note is `long_note(70)`: the reader's subject.
fn with_a_long_note(dir: &Path) -> PathBuf {
    let mut h = maintained();
    h.add_note("issue", &long_note(70), SAM, testdata::at(31, 8))
        .expect("a long note");
    write(dir, &h)
}

/// On the notes log, the newest (last) note selected.
fn on_the_long_note(t: &Term) {
    NOTES_LOG.focus(t);
    t.send(END);
    t.wait_selected("Issue");
}

#[test]
fn d_a_long_note_opens_in_the_reader_and_pages_to_its_last_line() {
    let dir = tempdir();
    let path = with_a_long_note(dir.path());
    // In a view, Enter reads what cannot be changed.
    let mut t = view(dir.path(), &path, SIZE);
    on_the_long_note(&t);
    t.send(ENTER);
    let top = wait_place(&t, READER);
    // 30 rows: header, frame top and bottom, status and footer leave 25 for the text.
    assert_eq!(
        top,
        Place {
            first: 1,
            last: 25,
            of: 70
        },
        "{}",
        t.dump()
    );
    t.wait_for("Line 01 of the incident log");
    assert_eq!(
        places(&page_to_end(&t, READER, PG_DN)),
        [
            Place {
                first: 1,
                last: 25,
                of: 70
            },
            Place {
                first: 25,
                last: 49,
                of: 70
            },
            Place {
                first: 46,
                last: 70,
                of: 70
            },
        ],
        "PgDn keeps a line of the last page and stops at the end"
    );
    t.wait_for("Line 70: the last line of the incident log");
    t.wait_gone("Line 45 of");
    t.send(HOME);
    t.wait_until("Home to go back to the top", |s| {
        place(s, READER) == Some(top)
    });
    t.send(END);
    t.wait_until("End to show the last line", |s| {
        place(s, READER)
            == Some(Place {
                first: 46,
                last: 70,
                of: 70,
            })
            && s.contents().contains("Line 70: the last line")
    });
    // Esc closes the reader, back on the note.
    t.send(ESC);
    t.wait_gone(READER);
    t.wait_focus(NOTES_LOG.label);
    t.send(CTRL_C);
    wait_clean_exit(&mut t);
}

#[test]
fn d_v_opens_the_reader_in_maintenance_and_the_wheel_reaches_the_last_line() {
    let dir = tempdir();
    let path = with_a_long_note(dir.path());
    let mut t = spawn_as(
        dir.path(),
        SAM,
        &["open", &path.display().to_string()],
        (80, 24),
    );
    t.wait_for("· complete ·");
    on_the_long_note(&t);
    t.send("v");
    // 24 rows leave 19 for the text.
    let top = wait_place(&t, READER);
    assert_eq!(
        top,
        Place {
            first: 1,
            last: 19,
            of: 70
        },
        "{}",
        t.dump()
    );
    let turns = places(&page_to_end(&t, READER, &wheel_down(40, 12)));
    assert_eq!(turns.len(), 18, "0, 3, … 51: three lines a turn: {turns:?}");
    assert_eq!(
        turns.last(),
        Some(&Place {
            first: 52,
            last: 70,
            of: 70
        })
    );
    t.wait_for("Line 70: the last line of the incident log");
    t.send("q");
    t.wait_gone(READER);
    t.send(CTRL_C);
    assert_clean_exit(&mut t, &path);
}
