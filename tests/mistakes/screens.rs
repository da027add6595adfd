//! Moving around (item 12), the words on screen (14) and the use of a wide
//! terminal (15).

use handoff::store;
use handoff::testdata;

use super::*;

const PG_UP: &str = "\x1b[5~";

#[test]
fn tab_on_a_bad_last_field_stays_with_the_error_and_pgup_comes_back_to_the_field_left() {
    let fx = Fixture::new();
    let mut t = open_small(&fx);
    TOTAL_DISK.focus(&t);
    t.send("lots");
    t.wait_for("Enter done");
    // Tab finishes the edit; on the step's last field it would have gone on to
    // the next step with the error out of sight.
    t.send(TAB);
    t.wait_gone("Enter done");
    t.wait_for("fix it, or PgDn moves on");
    t.wait_focus("Total disk space");
    let screen = t.screen();
    assert!(screen.contains(DEPLOYMENT), "{}", t.dump());
    assert!(
        screen.contains("✗ Enter a number, e.g. 48 or 1.5"),
        "{}",
        t.dump()
    );
    // A second Tab, by habit, still does not leave the error behind unseen: the
    // two Shift-Tabs after it land on Total CPU only if it stayed on the step
    // (from the next step's first field they would land on Total memory).
    t.send(TAB);
    t.send(&SHIFT_TAB.repeat(2));
    t.wait_focus("Total CPU");

    // PgDn and back: PgUp returns to the field that was left, not the first.
    t.send(PG_DN);
    t.wait_for("3 · Code hosts");
    t.send(PG_UP);
    t.wait_for(DEPLOYMENT);
    t.wait_focus("Total CPU");
    fx.quit(&mut t);
    assert_eq!(
        text_value(&fx.load(), "deployment", "total_disk_gb").as_deref(),
        Some("lots"),
        "an invalid value is kept as typed"
    );
}

#[test]
fn the_words_say_what_they_count_and_offer_only_what_works() {
    let fx = Fixture::new();
    let mut t = open_small(&fx);
    t.wait_until("the header's progress", |s| {
        let header = header_row(s);
        header.contains(" of 28 done") && !header.contains("checked")
    });
    add_note(&t, "One note");
    t.wait_for("1 entry");
    assert!(!t.screen().contains("1 entries"), "{}", t.dump());
    // Out of scope, yes: the reason box is empty and says nothing is wrong yet.
    CHECKLIST_ITEMS.focus(&t);
    t.send("o");
    t.wait_for("out of scope?");
    t.send("y");
    t.wait_for("Why is");
    assert!(
        !t.screen().contains("reason is required"),
        "an error before anything is typed\n{}",
        t.dump()
    );
    t.send(ESC);
    t.wait_gone("Why is");
    fx.quit(&mut t);

    // Read-only: the footer offers no key that changes anything.
    let mut t = spawn(fx.dir(), &["view", &fx.file()], &[], SMALL);
    t.wait_for("READ-ONLY");
    TDD_LINKS.focus(&t);
    let footer = t.with_screen(footer_row);
    for offer in ["a add", "d delete", "Enter edit"] {
        assert!(!footer.contains(offer), "{offer:?} in {footer:?}");
    }
    t.send(CTRL_C);
    wait_clean_exit(&mut t);

    // A completed handoff's review does not ask to complete it.
    let done = tempdir();
    let path = done.path().join("acme-corp.toml");
    store::create(&path, &testdata::completed_handoff()).expect("a completed handoff");
    let file = path.display().to_string();
    let mut t = spawn(done.path(), &["open", &file], &[], SMALL);
    t.wait_for(FIRST_STEP);
    t.send("\x1b8");
    t.wait_for("8 · Review and complete");
    t.wait_for("Every scoped item was done");
    let (screen, footer) = t.with_screen(|s| (s.contents(), footer_row(s)));
    assert!(
        !screen.contains("Complete the handoff below"),
        "{}",
        t.dump()
    );
    assert!(!footer.contains("complete"), "{footer:?}");
    t.send(CTRL_C);
    wait_clean_exit(&mut t);
}

#[test]
fn at_120_columns_step_names_help_and_checklist_titles_are_whole() {
    const TITLE: &str = "Hand the gitserver disk runbook to the platform team";
    let fx = Fixture::new();
    let today = || handoff::handoff::now().format("%Y-%m-%d").to_string();
    let day = today();
    let mut t = spawn(fx.dir(), &["open", &fx.file()], &[("TZ", "UTC")], (120, 36));
    t.wait_for(FIRST_STEP);
    t.wait_for("7 Long-term upgrade strategy");
    t.send("\x1b2");
    t.wait_for("What goes on the account dashboard about the production instance.");
    CHECKLIST_ITEMS.focus(&t);
    t.send(SPACE);
    t.send("a");
    t.wait_for("Custom item");
    t.send(ENTER);
    t.wait_for("Enter done");
    t.send(TITLE);
    t.send(ENTER);
    t.wait_gone("Enter done");
    t.wait_for(TITLE);
    // Who ticked it, and the day (the day may have turned meanwhile).
    let (before, after) = (format!("jane, {day}"), format!("jane, {}", today()));
    t.wait_until("who ticked the first item, and the day", |s| {
        s.contents().contains(&before) || s.contents().contains(&after)
    });
    fx.quit(&mut t);
}
