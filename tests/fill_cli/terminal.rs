//! On a terminal the command asks before it changes anything.

use super::*;
use crate::common::{ENTER, Term, WAIT};

fn spawn_on_terminal(fx: &Fixture) -> Term {
    let mut args = vec!["fill".to_string()];
    args.extend(kubectl_from_files(fx, &[]));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Term::spawn_program(fx.dir(), env!("CARGO_BIN_EXE_handoff"), &args, &[], 140, 40)
}

#[test]
fn on_a_terminal_y_applies() {
    let fx = Fixture::new();
    let mut t = spawn_on_terminal(&fx);
    t.wait_for(&format!("Apply 4 changes to {}? [y/N]", fx.file()));
    assert_eq!(fx.read(), fx.created, "nothing changes before the answer");
    t.send(&format!("y{ENTER}"));
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "{}", t.dump());
    assert!(
        t.screen()
            .contains("recorded as \"fill from kubectl\" by jane"),
        "{}",
        t.dump()
    );
    assert_eq!(
        changes(&fx.load()),
        recorded(&KUBECTL_FIELDS, "jane", "fill from kubectl")
    );
    assert!(!fx.lock_path().exists());
}

#[test]
fn on_a_terminal_enter_means_no() {
    let fx = Fixture::new();
    let mut t = spawn_on_terminal(&fx);
    t.wait_for("[y/N]");
    t.send(ENTER);
    let status = t.wait_exit(WAIT);
    assert_eq!(status.exit_code(), 1, "{}", t.dump());
    assert!(
        t.screen()
            .contains(&format!("handoff: {}: nothing applied", fx.file())),
        "{}",
        t.dump()
    );
    assert_eq!(fx.read(), fx.created);
}
