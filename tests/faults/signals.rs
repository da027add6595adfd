//! SIGTERM, SIGHUP and SIGINT in the middle of an edit: the wizard saves what was typed,
//! gives the terminal back and releases the lock. After SIGTERM and SIGINT it exits
//! successfully; after a hang-up it ends as any program whose terminal went away
//! (the exit status says SIGHUP), printing nothing.

use handoff::handoff::FieldValue;
use rustix::process::Signal;

use crate::common::*;
use crate::{CURRENT_VERSION, INSTANCE_TYPES, live_notes, open_new_note};

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
    let fx = Fixture::new();
    let mut t = fx.open();
    let typed = "half typed, not confirmed";
    match typing {
        HalfTyped::Field => {
            CURRENT_VERSION.focus(&t);
            t.send(ENTER);
            t.wait_for("Enter done");
        }
        HalfTyped::Note => open_new_note(&t),
        HalfTyped::ListEntry => {
            INSTANCE_TYPES.focus(&t);
            t.send("a");
            t.wait_for("Enter done");
        }
    }
    t.send(typed);
    t.wait_for(typed);
    t.signal(signal);
    let status = t.wait_exit(WAIT);
    if signal == Signal::HUP {
        assert_eq!(
            status.signal(),
            Some("Hangup"),
            "{typing:?}: a hang-up ends by the hang-up: {status:?}\n{}",
            t.dump()
        );
    } else {
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
    }
    assert_alt_screen_left(&t.raw());
    assert!(
        !fx.lock_path().exists(),
        "{typing:?}: the lock was left behind"
    );
    let h = fx.load();
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
