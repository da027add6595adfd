//! Two machines, one handoff: a value set two ways is settled in the wizard,
//! and quitting shares the choice with the team.

use crate::common::{CTRL_C, DOWN, ENTER, TAB, Term, WAIT};
use crate::team::{ACME, Machine, Team};
use handoff::handoff::{Author, FieldValue};
use handoff::{store, testdata};

fn set_cpu(machine: &Machine, cores: i64, day: u32) {
    machine.edit(ACME, |h| {
        h.change_field(
            "deployment",
            "total_cpu",
            Some(FieldValue::Integer(cores)),
            Author {
                by: &machine.user,
                at: testdata::at(day, 9),
                source: None,
            },
        )
        .expect("the deployment is open");
    });
}

/// Jane shares a handoff with nothing left to do; Sam has a clone.
fn shared_complete_handoff() -> (Team, Machine, Machine) {
    let team = Team::new();
    let jane = team.machine("jane", "Jane Doe");
    jane.git(&["config", "user.email", "jane@example.com"]);
    store::save(&jane.path(ACME), &testdata::complete_handoff()).expect("save");
    jane.ok(&["sync", "--init"]);
    jane.ok(&["sync"]);
    let sam = team.machine("sam", "Sam Rivera");
    sam.ok(&["sync"]);
    (team, jane, sam)
}

fn wizard_of(machine: &Machine) -> Term {
    let env = machine.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    crate::wizard(&machine.dir, &machine.path(ACME), &env)
}

#[test]
fn a_value_set_two_ways_is_settled_in_the_wizard_and_shared_on_quitting() {
    let (_team, jane, sam) = shared_complete_handoff();
    set_cpu(&jane, 48, 20);
    jane.ok(&["sync"]);
    set_cpu(&sam, 64, 21);
    let said = sam.ok(&["sync"]);
    assert!(said.contains("1 conflict to settle"), "{said}");
    assert_eq!(sam.load(ACME).conflicts.len(), 1);

    let mut t = wizard_of(&sam);
    t.wait_for(crate::common::FIRST_STEP);
    t.wait_for("git: ");
    t.send("\x1b8");
    t.wait_for("1 thing blocks completion");
    t.send(TAB);
    t.wait_for("Total CPU (cores) was set two ways");
    t.wait_for("Enter keep or take");
    t.send(ENTER);
    t.wait_for("Total CPU (cores) was set two ways");
    t.wait_for("Take 48 (by Jane Doe)");
    t.send(DOWN);
    t.send(ENTER);
    t.wait_status("Settled; the choice is in the history");
    t.wait_for("Nothing blocks completion");

    // Quitting in a synced directory asks once whether to share the work.
    t.send(CTRL_C);
    t.wait_for("Sync the handoffs with the team now?");
    t.send("y");
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "{}", t.dump());
    assert!(t.screen().contains("sync: pushed"), "{}", t.dump());

    let settled = sam.load(ACME);
    assert!(settled.conflicts.is_empty());
    assert_eq!(
        settled.value("deployment", "total_cpu"),
        Some(&FieldValue::Integer(48))
    );
    let config = std::fs::read_to_string(sam.env_path("config.toml")).expect("config");
    assert!(config.contains("[sync_on_quit]"), "{config}");
    assert!(config.contains("= true"), "remembered: {config}");

    // Jane gets the settled value with her next sync.
    jane.ok(&["sync"]);
    let hers = jane.load(ACME);
    assert!(hers.conflicts.is_empty());
    assert_eq!(
        hers.value("deployment", "total_cpu"),
        Some(&FieldValue::Integer(48))
    );
}

#[test]
fn no_at_the_question_is_remembered_and_nothing_is_shared() {
    let (_team, _jane, sam) = shared_complete_handoff();
    let mut t = wizard_of(&sam);
    t.wait_for(crate::common::FIRST_STEP);
    t.wait_for("git: nothing to share");
    t.send(CTRL_C);
    t.wait_for("Sync the handoffs with the team now?");
    t.send("n");
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "{}", t.dump());
    assert!(!t.screen().contains("sync:"), "{}", t.dump());

    // The next time it is not asked.
    let mut t = wizard_of(&sam);
    t.wait_for(crate::common::FIRST_STEP);
    t.wait_for("git: nothing to share");
    t.send(CTRL_C);
    let status = t.wait_exit(WAIT);
    assert!(status.success(), "{}", t.dump());
    assert!(!t.raw().contains("Sync the handoffs"), "{}", t.dump());
}
