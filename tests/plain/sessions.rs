//! Whole sessions through piped stdin: a handoff from nothing to complete over
//! two runs (with wrong answers on the way), a completed handoff's maintenance,
//! the picker, and the name asked once.

use handoff::handoff::{FieldValue, ItemState, Position, Status};
use handoff::{state, store, testdata};

use crate::common::*;
use crate::{run, run_env};

fn list(items: &[&str]) -> FieldValue {
    FieldValue::List(items.iter().map(|s| (*s).to_string()).collect())
}

/// Lines as typed, each ended by Enter.
fn typed(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn text(t: &str) -> FieldValue {
    FieldValue::Text(t.to_string())
}

/// The first run: `new --plain`, the first two steps with wrong answers, then the
/// input ends after Total CPU.
const FIRST_RUN: &[&str] = &[
    "",
    "",
    "Sam Rivera",
    // Vitally account: kept empty (completion does not need it).
    "",
    "docs.example.com/tdd",
    "https://docs.example.com/tdd",
    "",
    "2026-02-30",
    "2026-01-12",
    ":skip",
    ":back",
    "2026-02-27",
    "https://sourcegraph.acme.example",
    "12",
    "9",
    "Nomad cluster",
    "aws",
    "m6a.4xlarge ×3",
    "r6a.2xlarge ×1",
    "",
    "forty",
    "56",
];

/// The second run goes on from Total memory to the end, fixes what the review
/// finds, and completes.
const SECOND_RUN: &[&str] = &[
    "256",
    "1000",
    "1, 3, 15",
    "npm registry",
    "1200",
    "1300",
    "2048.5",
    "800",
    "150",
    "2000",
    "1",
    "800 users, 150 concurrent at peak.",
    "Repositories may grow to 2,000 next year.",
    ".",
    "risk",
    "Rockskip is off; turn it on before 5,000 repositories.",
    ".",
    "",
    "",
    "d",
    "d",
    "d",
    "d",
    "o",
    "",
    "Zoekt is disabled at the customer's request",
    "x",
    "d",
    "1",
    "d",
    "",
    "Start the TDD early.",
    "Second line.",
    ".",
    "6.4.1",
    "2",
    "",
    ":step 3",
    "",
    "",
    "40",
    ":step 8",
    "y",
];

#[test]
fn a_whole_handoff_in_two_runs_with_wrong_answers_on_the_way() {
    let dir = tempdir();
    let path = dir.path().join("acme-corp.toml");
    let first = run(
        dir.path(),
        &["new", "--plain", "--customer", "Acme Corp", "--ta", "Sam"],
        &typed(FIRST_RUN),
    );
    first.assert_success();
    first.assert_plain();
    first.said(
        "Step 1 of 8: Handoff. Who is handing over which customer, and to whom.\n\
        Handoff, 1 of 4: Customer (account) name. Required, text. Now: Acme Corp.\n\
        Kept: Customer (account) name = Acme Corp\n",
    );
    first.said("Saved: Receiving Technical Advisor = Sam Rivera\n");
    // A list entry that is not a URL is refused on its own.
    first.said("Entry not taken: Enter a full URL starting with https:// (or http://). Type it again, or go on with the next one.\n\
        Saved: Technical Design Document links = https://docs.example.com/tdd\n");
    first.said("Not saved: 2026-02-30 is not a day in the calendar. Type another answer, ? for help, or :skip to move on.\n\
        Saved: Implementation start date = 2026-01-12\n");
    // :skip leaves the completion date, :back comes back to it.
    first.said("Production deployment, 3 of 10: Implementation completion date. Required, a date as YYYY-MM-DD, not before the Implementation start date. Now: not set.\n\
        Production deployment, 4 of 10: Sourcegraph instance URL. Required, an http(s) URL. Now: not set.\n\
        Production deployment, 3 of 10: Implementation completion date.");
    first.said(
        "There is no choice 12: type a number from 1 to 9, or a name.\n\
        Other Deployment type: type it.\n\
        Saved: Deployment type = Nomad cluster\n",
    );
    first.said("Saved: Infrastructure hosting provider = AWS\n");
    first.said("Saved: Machine instance types = m6a.4xlarge ×3, r6a.2xlarge ×1\n");
    first.said("Production deployment, 8 of 10: Total CPU (cores). Required, a number above 0. Now: not set.\n\
        Not saved: Enter a number, e.g. 48 or 1.5. Type another answer, ? for help, or :skip to move on.\n\
        Saved: Total CPU (cores) = 56\n\
        Production deployment, 9 of 10: Total memory (GB). Required, a number above 0. Now: not set.\n\
        Saved. `handoff open --plain ");
    assert!(
        first
            .out
            .ends_with(&format!("{}: in progress, 12 of 28 done\n", path.display())),
        "{}",
        first.out
    );
    let h = load(&path);
    assert_eq!(
        h.value("handoff", "technical_advisor"),
        Some(&text("Sam Rivera"))
    );
    assert_eq!(
        h.value("deployment", "tdd_links"),
        Some(&list(&["https://docs.example.com/tdd"]))
    );
    assert_eq!(
        h.value("deployment", "deployment_type"),
        Some(&text("Nomad cluster"))
    );
    assert_eq!(
        h.value("deployment", "total_cpu"),
        Some(&FieldValue::Number(56.0))
    );
    assert!(
        h.history.is_empty(),
        "typed answers in progress are not history"
    );
    assert!(!store::lock_path(&path).exists(), "the lock is released");
    // The full-screen wizard reads the same position.
    let states = dir.path().join(".local/state/handoff");
    assert_eq!(
        state::position_in(&states, &path),
        Some(Position {
            step: "deployment".into(),
            field: "total_memory_gb".into()
        })
    );

    let second = run(
        dir.path(),
        &["open", "--plain", "acme-corp"],
        &typed(SECOND_RUN),
    );
    second.assert_success();
    second.assert_plain();
    second.said("Going on where you stopped: Production deployment, Total memory (GB).\n\
        Step 2 of 8: Production deployment. What goes on the account dashboard about the production instance.\n\
        Production deployment, 9 of 10: Total memory (GB). Required, a number above 0. Now: not set.\n\
        Saved: Total memory (GB) = 256\n");
    second.said(
        "Other Code hosts in use: type it.\n\
        Saved: Code hosts in use = GitHub.com, GitLab.com, npm registry\n",
    );
    second.said(
        "Saved: Number of monorepos = 1300\n\
        It blocks completion until fixed: Must not be more than Number of repositories (1200).\n",
    );
    second.said("Saved: note 1, Upper limits.\n");
    second.said("Saved: note 2, Risk.\n");
    second.said("Why is it out of scope? One line.\n\
        Out of scope needs a reason: say why, or :skip to leave the item as it was.\n\
        Saved: Search indexing complete is out of scope: Zoekt is disabled at the customer's request\n");
    second.said("Type one letter: d done, o out of scope, t to do, s or an empty line skips.\n");
    second.said(
        "Saved: added Admin accounts provisioned and admins trained, to do.\n\
        Item 7 of 7: Admin accounts provisioned and admins trained. Now: to do.",
    );
    second.said("1 thing blocks completion:\n  Step 3, Code hosts: Number of monorepos: Must not be more than Number of repositories (1200)\n");
    second.said("Saved: Number of monorepos = 40\n");
    second.said("Nothing blocks completion.\nComplete the handoff now?");
    second.said("Completed by jane. The handoff is now the TA's.\n");

    let h = load(&path);
    assert_eq!(h.status, Status::Complete);
    assert_eq!(h.completed_by.as_deref(), Some("jane"));
    assert!(h.blockers().is_empty(), "{:?}", h.blockers());
    assert_eq!(
        h.value("code_hosts", "hosts"),
        Some(&list(&["GitHub.com", "GitLab.com", "npm registry"]))
    );
    assert_eq!(
        h.value("code_hosts", "monorepos"),
        Some(&FieldValue::Integer(40))
    );
    assert_eq!(
        h.value("code_hosts", "largest_repo_mb"),
        Some(&FieldValue::Number(2048.5))
    );
    assert_eq!(
        h.value("lessons", "text"),
        Some(&text("Start the TDD early.\nSecond line."))
    );
    assert_eq!(h.value("upgrade", "cadence"), Some(&text("Monthly")));
    let notes: Vec<(&str, &str)> = h
        .notes_log
        .iter()
        .map(|n| (n.category.as_str(), n.text.as_str()))
        .collect();
    assert_eq!(
        notes,
        [
            (
                "upper_limits",
                "800 users, 150 concurrent at peak.\nRepositories may grow to 2,000 next year."
            ),
            (
                "risk",
                "Rockskip is off; turn it on before 5,000 repositories."
            )
        ]
    );
    assert!(h.notes_log.iter().all(|n| n.author == "jane"));
    let search = &h.checklist_items[h.item_index("search_indexing").expect("item")];
    assert_eq!(search.state, ItemState::OutOfScope);
    let admins = &h.checklist_items[h.item_index("admins_trained").expect("added")];
    assert_eq!(admins.state, ItemState::Done);
    assert_eq!(admins.done_by.as_deref(), Some("jane"));
}

#[test]
fn a_completed_handoff_lets_the_ta_change_code_hosts_and_add_notes_only() {
    let dir = tempdir();
    let path = dir.path().join("acme-corp.toml");
    let h = testdata::completed_handoff();
    store::save(&path, &h).expect("save");
    let typed = ":step 2\n\n1250\n\n\nexpansion\nWants 300 more seats next year.\n.\n\n";
    let ran = run_env(
        dir.path(),
        &["open", &path.display().to_string()],
        typed,
        &[("HANDOFF_USER", "Sam Rivera")],
    );
    ran.assert_success();
    ran.assert_plain();
    ran.said("This handoff is complete: only the code hosts can be changed and notes added; `handoff reopen FILE` opens the rest again.\n\
        Step 3 of 8: Code hosts.");
    ran.said("Step 2, Production deployment:\n  Technical Design Document links: https://docs.example.com/acme-tdd\n");
    ran.said("Production deployment cannot change: this handoff is complete: only the code hosts can be changed and notes added; `handoff reopen FILE` opens the rest again.\n");
    ran.said("Saved: Number of repositories = 1250\n");
    ran.said("Saved: note 3, Expansion opportunity.\n");
    ran.said("Complete since 2026-03-28 10:00, by Jane Doe.");
    assert!(
        !ran.out.contains("Agreed upper limit of users."),
        "closed fields are not asked:\n{}",
        ran.out
    );
    let after = load(&path);
    assert_eq!(after.status, Status::Complete);
    assert_eq!(after.completed_by.as_deref(), Some("Jane Doe"));
    // The code-host change and the note added after completion, each recorded.
    assert_eq!(after.history.len(), 2, "{:?}", after.history);
    assert_eq!(after.history[0].field, "code_hosts.repositories");
    assert_eq!(after.history[1].field, "note");
    assert_eq!(after.history[0].by, "Sam Rivera");
    assert_eq!(
        after.notes_log.last().map(|n| n.author.as_str()),
        Some("Sam Rivera")
    );
    assert_eq!(
        after.value("deployment", "total_cpu"),
        h.value("deployment", "total_cpu")
    );
}

#[test]
fn the_picker_is_a_numbered_list_and_can_start_a_new_handoff() {
    let dir = tempdir();
    new_file(dir.path());
    let ran = run(dir.path(), &["--plain"], "7\n2\n\nBeta Inc\n:quit\n");
    ran.assert_success();
    ran.assert_plain();
    ran.said("  1. Acme Corp, in progress, ");
    ran.said(
        "(acme-corp.toml)\n  2. New handoff\nOpen which? Type its number; an empty line leaves.\n\
        Type a number from 1 to 2.\n",
    );
    ran.said(
        "Customer (account) name of the new handoff:\n\
        Type the customer's name, e.g. Acme Corp.\n",
    );
    ran.said("Handoff, 1 of 4: Customer (account) name. Required, text. Now: Beta Inc.\n");
    let beta = load(&dir.path().join("beta-inc.toml"));
    assert_eq!(beta.customer(), "Beta Inc");
    assert_eq!(beta.engineer(), "jane");
}

#[test]
fn without_a_name_it_is_asked_once_and_kept() {
    let dir = tempdir();
    let path = new_file(dir.path());
    let file = path.display().to_string();
    let typed = "\nJane Q. Public\n:step 4\n\n\n\nother\nAsked once.\n.\n:quit\n";
    let first = run_env(
        dir.path(),
        &["open", "--plain", &file],
        typed,
        &[("USER", "")],
    );
    first.assert_success();
    first.said("Who are you? Your name goes with your notes and changes; it is asked once and kept in the settings file.\n\
        Type your name, e.g. Jane Doe.\n");
    assert_eq!(
        load(&path).notes_log.last().map(|n| n.author.as_str()),
        Some("Jane Q. Public")
    );
    let config = std::fs::read_to_string(dir.path().join(".config/handoff/config.toml"))
        .expect("the name is kept in the settings file");
    assert!(config.contains("Jane Q. Public"), "{config}");
    let second = run_env(
        dir.path(),
        &["open", "--plain", &file],
        ":quit\n",
        &[("USER", "")],
    );
    second.assert_success();
    assert!(!second.out.contains("Who are you?"), "{}", second.out);
}
