//! Item 2: on a text field letters are text, so text meant for a field never
//! becomes a command; the commands that change data ask first; Ctrl-U clears the
//! line and the key list says so. Item 17: the terminal's own cursor is where the
//! text is typed.

use handoff::tui::text::width;

use super::*;

/// Every key here is a command somewhere: out of scope, delete, add, category,
/// quit, a step, tick, read, fill, push, help.
const STRAY: &str = "odac q 12 vfP?";

#[test]
fn command_letters_typed_on_a_text_field_are_text_and_change_nothing_else() {
    let fx = Fixture::new();
    let mut t = open_small(&fx);
    VITALLY_ACCOUNT.focus(&t);
    t.send(STRAY);
    t.wait_for("Enter done");
    t.wait_for(STRAY);
    t.send(ENTER);
    t.wait_gone("Enter done");
    t.wait_value(STRAY);

    // Typing on a field with a value goes on from it; Ctrl-U clears the line.
    ADVISOR.focus(&t);
    t.send("x");
    t.wait_for("Samx");
    t.send("\x15");
    t.wait_gone("Samx");
    t.send("Sam Rivera");
    t.send(ENTER);
    t.wait_gone("Enter done");
    t.wait_value("Sam Rivera");

    // The key list (F1: `?` would be typing here) names the editing keys.
    t.send("\x1bOP");
    t.wait_for("Moving and acting");
    t.send("\x1b[F");
    t.wait_for("While typing");
    t.wait_for("Ctrl-U");
    t.wait_for("clear the line");
    t.send(ESC);
    t.wait_gone("Ctrl-U");
    fx.quit(&mut t);

    let h = fx.load();
    assert_eq!(
        text_value(&h, "handoff", "vitally_account").as_deref(),
        Some(STRAY)
    );
    assert_eq!(
        text_value(&h, "handoff", "technical_advisor").as_deref(),
        Some("Sam Rivera")
    );
    let (gone, added) = changed_lines(&fx.created, &fx.read());
    let gone: Vec<&String> = gone.iter().filter(|l| !is_updated_at(l)).collect();
    let added: Vec<&String> = added.iter().filter(|l| !is_updated_at(l)).collect();
    assert_eq!(
        gone,
        ["technical_advisor = \"Sam\""],
        "{}",
        text(&fx.read())
    );
    assert_eq!(
        added,
        [
            "technical_advisor = \"Sam Rivera\"",
            &format!("vitally_account = \"{STRAY}\""),
        ],
        "nothing but the two fields changed:\n{}",
        text(&fx.read())
    );
}

#[test]
fn o_on_a_checklist_item_asks_first_and_no_or_esc_changes_nothing() {
    let fx = Fixture::new();
    let mut t = open_small(&fx);
    CHECKLIST_ITEMS.focus(&t);
    t.send("o");
    t.wait_for("out of scope? You will be asked");
    t.wait_for("y yes");
    // Text typed on after the stray `o`: none of it is an answer but `n`.
    t.send("abc");
    t.wait_for("out of scope? You will be asked");
    t.send("n");
    t.wait_gone("out of scope?");
    t.send("o");
    t.wait_for("out of scope?");
    t.send(ESC);
    t.wait_gone("out of scope?");
    fx.quit(&mut t);
    assert_eq!(
        text(&fx.read()),
        text(&fx.created),
        "a question answered no leaves the file as it was"
    );
}

/// The row (from the top) and display column where `needle` first shows.
fn where_is(t: &Term, needle: &str) -> (u16, u16) {
    t.with_screen(|s| {
        let rows = s.size().0.get();
        for row in 0..rows {
            let line = screen_row(s, row);
            if let Some(at) = line.find(needle) {
                let col = u16::try_from(width(&line[..at])).expect("a column");
                return (row, col);
            }
        }
        panic!("{needle:?} is not on screen\n{}", s.contents())
    })
}

/// Waits until the cursor shows at `at` (row, column).
fn wait_cursor(t: &Term, at: (u16, u16)) {
    t.wait_until(&format!("the cursor shown at {at:?}"), |s| {
        !s.hide_cursor() && s.cursor_position() == at
    });
}

#[test]
fn the_terminal_cursor_is_where_the_text_is_typed() {
    let fx = Fixture::new();
    let mut t = open_small(&fx);
    t.wait_until(
        "no cursor while nothing is typed",
        vt100::Screen::hide_cursor,
    );

    // A one-line field: the cursor follows the text, key by key.
    ADVISOR.focus(&t);
    t.send(ENTER);
    t.wait_for("Enter done");
    let (row, col) = where_is(&t, "Sam");
    wait_cursor(&t, (row, col + 3));
    t.send("pl");
    t.wait_for("Sampl");
    wait_cursor(&t, (row, col + 5));
    t.send("\x1b[D");
    wait_cursor(&t, (row, col + 4));
    t.send(ESC);
    t.wait_gone("Enter done");
    t.wait_until("the cursor hidden again", vt100::Screen::hide_cursor);

    // A note: the second line of it.
    open_new_note(&t);
    t.send("first line\rsecond");
    t.wait_for("second");
    let (row, col) = where_is(&t, "second");
    assert_eq!(where_is(&t, "first line").0 + 1, row);
    wait_cursor(&t, (row, col + 6));
    t.send(TAB);
    t.wait_gone("Tab done");
    t.wait_until("the cursor hidden again", vt100::Screen::hide_cursor);
    fx.quit(&mut t);
}
