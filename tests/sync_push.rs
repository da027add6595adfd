//! Pushing to Vitally from two machines that share a handoff through `handoff
//! sync`: what one machine pushed travels with the file, so the other never
//! makes a Vitally note a second time, and notes both made before they synced
//! are named once until one of each is deleted there.

#[path = "common/fake_http.rs"]
mod fake_http;
#[path = "common/fake_vitally.rs"]
mod fake_vitally;
#[path = "common/team.rs"]
mod team;

use std::process::Output;

use fake_vitally::{FakeVitally, KEY};
use handoff::handoff::{Author, FieldValue, Handoff};
use handoff::testdata::{at, complete_handoff};
use team::{ACME, Machine, Team, text};

/// Jane's and Sam's clones holding Acme's handoff, filled in and naming the
/// Vitally account, and a fake Vitally.
fn shared() -> (Team, Machine, Machine, FakeVitally) {
    let (team, jane, sam) = Team::started();
    jane.edit(ACME, |h| {
        let mut done = complete_handoff();
        done.set_value(
            "handoff",
            "vitally_account",
            Some(FieldValue::Text("acme-corp".into())),
        );
        *h = Handoff {
            created_at: h.created_at,
            ..done
        };
    });
    jane.ok(&["sync"]);
    sam.ok(&["sync"]);
    (team, jane, sam, FakeVitally::start())
}

fn push(machine: &Machine, fake: &FakeVitally) -> Output {
    let out = machine
        .command(&["push", ACME])
        .env("VITALLY_BASE_URL", fake.url())
        .env("VITALLY_API_KEY", KEY)
        .env("HANDOFF_VITALLY_TIMEOUT_MS", "3000")
        .env("HANDOFF_VITALLY_BACKOFF_MS", "20")
        .output()
        .expect("run handoff push");
    assert!(
        out.status.success(),
        "{} could not push: {}",
        machine.user,
        text(&out.stderr)
    );
    out
}

fn posts(fake: &FakeVitally) -> usize {
    fake.writes().iter().filter(|r| r.method == "POST").count()
}

#[test]
fn a_push_on_one_machine_is_not_made_again_on_the_other_after_a_merge() {
    let (_team, jane, sam, fake) = shared();
    let first = push(&jane, &fake);
    assert_eq!(
        text(&first.stdout),
        "14 traits set, 4 notes created, 0 updated\n"
    );
    // Meanwhile Sam changes a field, so his sync merges rather than fast-forwards.
    sam.edit(ACME, |h| {
        h.change_field(
            "deployment",
            "total_cpu",
            Some(FieldValue::Number(64.0)),
            Author::typing("Sam Rivera", at(28, 9)),
        )
        .expect("open");
    });
    jane.ok(&["sync"]);
    sam.ok(&["sync"]);
    assert_eq!(sam.load(ACME).vitally, jane.load(ACME).vitally);

    let second = push(&sam, &fake);
    assert_eq!(
        text(&second.stdout),
        "1 trait set, 0 notes created, 0 updated\n",
        "only Sam's change is sent"
    );
    assert_eq!(posts(&fake), 4);
    assert!(fake.note_counts().values().all(|n| *n == 1));
    sam.ok(&["sync"]);
    jane.ok(&["sync"]);
    assert_eq!(
        text(&push(&jane, &fake).stdout),
        "0 traits set, 0 notes created, 0 updated\n"
    );
    assert_eq!(posts(&fake), 4);
}

#[test]
fn notes_both_machines_made_before_a_sync_are_named_until_one_is_deleted() {
    let (_team, jane, sam, fake) = shared();
    push(&jane, &fake);
    push(&sam, &fake);
    assert!(
        fake.note_counts().values().all(|n| *n == 2),
        "both made every note: {:?}",
        fake.note_counts()
    );
    jane.ok(&["sync"]);
    sam.ok(&["sync"]);

    let out = push(&sam, &fake);
    assert_eq!(
        text(&out.stdout),
        "0 traits set, 0 notes created, 0 updated\n"
    );
    assert_eq!(posts(&fake), 8, "no note made a third time");
    let named: Vec<String> = text(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("note: Vitally has 2 notes"))
        .map(str::to_string)
        .collect();
    assert_eq!(named.len(), 4, "{}", text(&out.stderr));
    assert_eq!(
        named[2],
        "note: Vitally has 2 notes for Lessons learned, made when two machines pushed it before they synced: note-0007 is the one this handoff keeps; delete note-0003 in Vitally"
    );

    // Someone deletes Jane's copies in Vitally: the next push forgets them.
    for id in ["note-0001", "note-0002", "note-0003", "note-0004"] {
        fake.delete_note(id);
    }
    let out = push(&sam, &fake);
    assert!(
        !text(&out.stderr).contains("Vitally has 2 notes"),
        "{}",
        text(&out.stderr)
    );
    let ids: Vec<Option<String>> = sam
        .load(ACME)
        .vitally
        .notes
        .into_iter()
        .map(|n| n.id)
        .collect();
    let kept = ["note-0005", "note-0006", "note-0007", "note-0008"];
    assert_eq!(ids, kept.map(|id| Some(id.to_string())));
    assert_eq!(posts(&fake), 8);
}
