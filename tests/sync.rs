//! `handoff sync` between two machines (two clones of one bare repository, two
//! people): what merges, what conflicts, what is left out, and what it says
//! when it cannot share.

#[path = "common/team.rs"]
mod team;

use handoff::handoff::{Author, FieldValue, Status};
use handoff::store;
use handoff::testdata::at;
use team::{ACME, Machine, Team, text};

fn cpu(n: f64) -> Option<FieldValue> {
    Some(FieldValue::Number(n))
}

fn set(machine: &Machine, step: &str, field: &str, value: Option<FieldValue>, day: u32) {
    let user = machine.user.clone();
    machine.edit(ACME, |h| {
        h.change_field(step, field, value, Author::typing(&user, at(day, 9)))
            .expect("open");
    });
}

fn note(machine: &Machine, text: &str, day: u32, hour: u32) {
    let user = machine.user.clone();
    machine.edit(ACME, |h| {
        h.add_note("risk", text, &user, at(day, hour))
            .expect("note");
    });
}

#[test]
fn edits_to_different_fields_merge_cleanly() {
    let (_team, jane, sam) = Team::started();
    set(&jane, "deployment", "total_cpu", cpu(56.0), 10);
    set(
        &sam,
        "code_hosts",
        "repositories",
        Some(FieldValue::Integer(1200)),
        11,
    );

    assert_eq!(
        jane.ok(&["sync"]),
        "committed: Acme Corp: deployment.total_cpu\npushed 1 commit to origin/master\n"
    );
    assert_eq!(
        sam.ok(&["sync"]),
        "committed: Acme Corp: code_hosts.repositories\n\
         came in: Acme Corp: deployment.total_cpu\n\
         pushed 2 commits to origin/master\n"
    );
    assert_eq!(
        jane.ok(&["sync"]),
        "came in: Acme Corp: code_hosts.repositories\n"
    );
    let (mine, theirs) = (jane.load(ACME), sam.load(ACME));
    assert_eq!(mine, theirs, "both machines hold the same handoff");
    assert_eq!(mine.value("deployment", "total_cpu"), cpu(56.0).as_ref());
    assert_eq!(
        mine.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(1200))
    );
    assert!(mine.conflicts.is_empty());
    jane.assert_clean();
    sam.assert_clean();
    // Authors are the people: git's email where git has one, a made-up one otherwise.
    let authors = jane.git(&["log", "--format=%an <%ae>|%s", "--no-merges", "-3"]);
    assert_eq!(
        authors,
        "Sam Rivera <sam.rivera@handoff.invalid>|Acme Corp: code_hosts.repositories\n\
         Jane Doe <jane@example.com>|Acme Corp: deployment.total_cpu\n\
         Jane Doe <jane@example.com>|Acme Corp: new handoff\n"
    );
    assert_eq!(
        jane.git(&["ls-files"]),
        ".gitattributes\n.gitignore\nacme-corp.toml\n"
    );
}

#[test]
fn the_same_field_on_both_sides_gives_one_conflict_and_a_blocker() {
    let (_team, jane, sam) = Team::started();
    set(&jane, "deployment", "total_cpu", cpu(64.0), 10);
    set(&sam, "deployment", "total_cpu", cpu(48.0), 11);
    jane.ok(&["sync"]);
    assert_eq!(
        sam.ok(&["sync"]),
        "committed: Acme Corp: deployment.total_cpu\n\
         came in: Acme Corp: 1 conflict to settle\n\
         pushed 2 commits to origin/master\n"
    );
    jane.ok(&["sync"]);
    let merged = jane.load(ACME);
    assert_eq!(merged, sam.load(ACME));
    assert_eq!(merged.conflicts.len(), 1);
    assert_eq!(merged.conflicts[0].field, "deployment.total_cpu");
    assert_eq!(
        merged.value("deployment", "total_cpu"),
        cpu(48.0).as_ref(),
        "Sam merged: his stays"
    );
    assert_eq!(merged.conflicts[0].theirs, cpu(64.0));
    assert_eq!(
        merged.conflicts[0].theirs_by.as_deref(),
        Some("Jane Doe"),
        "from git's author"
    );

    let check = jane.handoff(&["check", ACME]);
    assert_eq!(check.status.code(), Some(1));
    let out = text(&check.stdout);
    assert!(
        out.contains(
            "  Production deployment: Total CPU (cores) was set two ways: 48 (kept) and 64 (by Jane Doe); pick one\n"
        ),
        "{out}"
    );
}

#[test]
fn notes_added_on_both_sides_all_survive_in_time_order() {
    let (_team, jane, sam) = Team::started();
    note(&jane, "Disk fills weekly", 10, 9);
    note(&sam, "Wants Cody next quarter", 10, 10);
    note(&jane, "Proxy strips long headers", 10, 11);
    jane.ok(&["sync"]);
    assert!(sam.ok(&["sync"]).contains("came in: Acme Corp: 2 notes\n"));
    jane.ok(&["sync"]);
    for machine in [&jane, &sam] {
        let texts: Vec<String> = machine
            .load(ACME)
            .notes_log
            .into_iter()
            .map(|n| format!("{}: {}", n.author, n.text))
            .collect();
        assert_eq!(
            texts,
            [
                "Jane Doe: Disk fills weekly",
                "Sam Rivera: Wants Cody next quarter",
                "Jane Doe: Proxy strips long headers"
            ]
        );
    }
}

#[test]
fn a_completion_and_a_maintenance_change_both_arrive() {
    let (_team, jane, sam) = Team::started();
    // Everything filled in and shared.
    jane.edit(ACME, |h| {
        let done = handoff::testdata::complete_handoff();
        *h = handoff::handoff::Handoff {
            created_at: h.created_at,
            ..done
        };
    });
    jane.ok(&["sync"]);
    sam.ok(&["sync"]);
    // Jane completes; meanwhile Sam corrects the code hosts.
    jane.edit(ACME, |h| {
        h.complete("Jane Doe", at(28, 10)).expect("nothing blocks");
    });
    set(
        &sam,
        "code_hosts",
        "repositories",
        Some(FieldValue::Integer(1350)),
        28,
    );
    assert!(
        jane.ok(&["sync"])
            .starts_with("committed: Acme Corp: completed by Jane Doe\n")
    );
    assert!(
        sam.ok(&["sync"])
            .contains("came in: Acme Corp: completed by Jane Doe\n"),
        "Sam hears of the completion"
    );
    // After completion the TA maintains the code hosts while Jane adds a note.
    set(
        &sam,
        "code_hosts",
        "monorepos",
        Some(FieldValue::Integer(3)),
        29,
    );
    note(&jane, "Handed over in the call", 29, 11);
    jane.ok(&["sync"]);
    assert!(sam.ok(&["sync"]).contains("came in: Acme Corp: 1 note\n"));
    assert_eq!(
        jane.ok(&["sync"]),
        "came in: Acme Corp: code_hosts.monorepos\n"
    );
    let h = jane.load(ACME);
    assert_eq!(h, sam.load(ACME));
    assert_eq!(h.status, Status::Complete);
    assert_eq!(h.completed_by.as_deref(), Some("Jane Doe"));
    assert_eq!(
        h.value("code_hosts", "repositories"),
        Some(&FieldValue::Integer(1350))
    );
    // Both machines' changes after completion are history, in time order: Sam's
    // code-host change, then Jane's note; the last to change it maintains it.
    assert_eq!(h.maintained_by(), Some(("Jane Doe", at(29, 11))));
    let history: Vec<&str> = h.history.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(history, ["code_hosts.monorepos", "note"]);
    assert!(
        h.notes_log
            .iter()
            .any(|n| n.text == "Handed over in the call")
    );
    assert!(h.blockers().is_empty());
}

#[test]
fn a_handoff_open_in_the_wizard_is_left_out_and_not_changed_under_it() {
    let (_team, jane, sam) = Team::started();
    set(&jane, "deployment", "total_cpu", cpu(8.0), 10);
    // The wizard holds the lock: this test process stands in for it.
    let lock = store::Lock::acquire(&jane.path(ACME), "Jane Doe").expect("lock");
    let out = jane.ok(&["sync"]);
    assert_eq!(
        out,
        "left out: acme-corp (open in the wizard by Jane Doe)\nup to date with origin/master\n"
    );
    assert!(
        !jane.git(&["ls-files"]).contains(".lock"),
        "a lock is never committed"
    );

    // The team changed it meanwhile: nothing is merged under the open wizard.
    set(
        &sam,
        "code_hosts",
        "monorepos",
        Some(FieldValue::Integer(2)),
        11,
    );
    sam.ok(&["sync"]);
    let before = std::fs::read(jane.path(ACME)).expect("read");
    let refused = jane.handoff(&["sync"]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        text(&refused.stderr),
        "handoff: changes to acme-corp came in, but it is open in the wizard by Jane Doe: sync again once it is closed\n"
    );
    assert_eq!(std::fs::read(jane.path(ACME)).expect("read"), before);

    // Closed: it goes, and what came in is merged.
    drop(lock);
    let out = jane.ok(&["sync"]);
    assert!(
        out.starts_with(
            "committed: Acme Corp: deployment.total_cpu\ncame in: Acme Corp: code_hosts.monorepos\n"
        ),
        "{out}"
    );
    jane.assert_clean();
}

#[test]
fn a_stale_lock_of_a_dead_process_does_not_keep_a_handoff_out() {
    let (_team, jane, _sam) = Team::started();
    set(&jane, "deployment", "total_cpu", cpu(8.0), 10);
    let dead = team::dead_pid();
    let holder = format!(
        "user = \"Jane Doe\"\nhost = \"{}\"\npid = {dead}\nsince = 2026-03-01T09:00:00Z\n",
        store::hostname()
    );
    std::fs::write(store::lock_path(&jane.path(ACME)), holder).expect("lock");
    assert!(
        jane.ok(&["sync"])
            .starts_with("committed: Acme Corp: deployment.total_cpu\n")
    );
    jane.assert_clean();
}

#[test]
fn sync_says_what_to_do_outside_git_and_before_init() {
    let dir = tempfile::tempdir().expect("tmp");
    let team = Team::new();
    let plain = Machine::at(&team, dir.path(), "Jane Doe");
    let out = plain.handoff(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let shown = dir.path().display();
    assert_eq!(
        text(&out.stderr),
        format!(
            "handoff: {shown} is not in a git repository: get your team's with `git clone URL {shown}` (or start one with `git init {shown}` and `handoff sync --init`)\n"
        )
    );
    plain.ok(&["new", "--customer", "Acme Corp"]);
    let out = plain.handoff(&["sync", "--init"]);
    assert_eq!(
        text(&out.stderr),
        format!(
            "handoff: {shown} is not in a git repository: make it one with `git init {shown}`, then `handoff sync --init`\n"
        )
    );
    assert_eq!(out.status.code(), Some(1));

    let clone = team.machine("sam", "Sam Rivera");
    let out = clone.handoff(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "handoff: {} is not set up for sharing handoffs yet: run `handoff sync --init` there first\n",
            clone.dir.display()
        )
    );
}

#[test]
fn init_keeps_what_the_files_had_and_twice_changes_nothing() {
    let team = Team::new();
    let jane = team.machine("jane", "Jane Doe");
    std::fs::write(jane.path(".gitignore"), "notes-to-self.txt").expect("write");
    let first = jane.ok(&["sync", "--init"]);
    assert_eq!(
        first,
        format!(
            "committed .gitattributes and .gitignore\n\
             set this clone's merge driver to handoff merge-driver\n\
             {}: ready to share handoffs; `handoff sync` commits, pulls and pushes them\n",
            jane.dir.display()
        )
    );
    let ignore = std::fs::read_to_string(jane.path(".gitignore")).expect("read");
    assert!(
        ignore.starts_with("notes-to-self.txt\n# handoff: "),
        "{ignore}"
    );
    assert!(
        ignore.ends_with("\n*.lock\n.*.tmp\n.merge_file_*\n"),
        "{ignore}"
    );
    assert_eq!(
        jane.git(&["check-attr", "merge", "--", "x.toml"]),
        "x.toml: merge: handoff\n"
    );
    let driver = jane.git(&["config", "--get", "merge.handoff.driver"]);
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_handoff")).expect("exe");
    assert_eq!(
        driver,
        format!("'{}' merge-driver %O %A %B %P\n", exe.display())
    );

    let again = jane.ok(&["sync", "--init"]);
    assert_eq!(
        again,
        format!(
            "{}: ready to share handoffs; `handoff sync` commits, pulls and pushes them\n",
            jane.dir.display()
        )
    );
    assert_eq!(jane.git(&["rev-list", "--count", "HEAD"]), "1\n");

    // A clone without the driver gets it from its first sync.
    jane.ok(&["sync"]);
    let sam = team.machine("sam", "Sam Rivera");
    assert_eq!(
        sam.ok(&["sync"]),
        "set this clone's merge driver to handoff merge-driver\nup to date with origin/master\n"
    );
}

#[test]
fn without_a_remote_the_commit_stays_and_one_line_says_what_to_do() {
    let dir = tempfile::tempdir().expect("tmp");
    let team = Team::new();
    let jane = Machine::at(&team, &dir.path().join("handoffs"), "Jane Doe");
    team::git_in(dir.path(), dir.path(), &["init", "--quiet", "handoffs"]);
    jane.ok(&["sync", "--init"]);
    jane.ok(&["new", "--customer", "Acme Corp"]);
    let out = jane.handoff(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "committed: Acme Corp: new handoff\n");
    assert_eq!(
        text(&out.stderr),
        format!(
            "handoff: committed on this machine only; there is no remote to share with: add one with `git -C {} remote add origin URL`, then handoff sync again\n",
            jane.dir.display()
        )
    );
    assert_eq!(
        jane.git(&["log", "-1", "--format=%s"]),
        "Acme Corp: new handoff\n"
    );
    jane.assert_clean();
}

#[test]
fn an_unreachable_remote_or_a_refused_push_keeps_the_commit_and_exits_1() {
    let (team, jane, _sam) = Team::started();
    set(&jane, "deployment", "total_cpu", cpu(8.0), 10);
    let hooks = team.remote.join("hooks");
    let hook = hooks.join("pre-receive");
    std::fs::write(
        &hook,
        "#!/bin/sh\necho 'closed for the weekend' >&2\nexit 1\n",
    )
    .expect("hook");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = jane.handoff(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stdout),
        "committed: Acme Corp: deployment.total_cpu\n"
    );
    assert_eq!(
        text(&out.stderr),
        "handoff: committed on this machine only; origin did not take the push ([remote rejected] (pre-receive hook declined)); handoff sync again\n"
    );
    std::fs::remove_file(&hook).expect("open again");

    let gone = team.root.path().join("moved.git");
    std::fs::rename(&team.remote, &gone).expect("move the remote away");
    let out = jane.handoff(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("handoff: could not fetch from origin (`git fetch --quiet origin`: "),
        "{err}"
    );
    assert!(
        err.ends_with("); sync again when it can be reached\n"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);

    std::fs::rename(&gone, &team.remote).expect("back");
    assert_eq!(jane.ok(&["sync"]), "pushed 1 commit to origin/master\n");
}

#[test]
fn a_handoff_that_cannot_be_read_is_left_out_and_a_broken_one_coming_in_stops_the_merge() {
    let (_team, jane, sam) = Team::started();
    std::fs::write(sam.path("globex.toml"), "schema = 2\nstatus = [").expect("write");
    let out = sam.ok(&["sync"]);
    assert!(
        out.starts_with("left out: globex (cannot be read: line 2: "),
        "{out}"
    );

    // Sam commits a broken Acme by hand; Jane changed Acme too.
    std::fs::write(sam.path(ACME), "schema = 2\nstatus = \"in_progress\"\n[[[").expect("write");
    sam.git(&[
        "commit",
        "--quiet",
        "-am",
        "oops",
        "--author",
        "Sam <sam@example.com>",
    ]);
    sam.git(&["push", "--quiet"]);
    set(&jane, "deployment", "total_cpu", cpu(8.0), 10);
    let mine = std::fs::read(jane.path(ACME)).expect("read");
    let out = jane.handoff(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with(
            "handoff: committed on this machine only; the merge stopped at acme-corp.toml (acme-corp.toml: their version is not a readable handoff (line 3: "
        ),
        "{err}"
    );
    assert!(
        err.ends_with("settle it with git (`git status`), commit, then handoff sync again\n"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(jane.path(ACME)).expect("read"),
        mine,
        "ours, untouched"
    );
    let again = jane.handoff(&["sync"]);
    assert_eq!(
        text(&again.stderr),
        "handoff: a merge is unfinished: settle acme-corp.toml (see `git status`) and commit, or give it up with `git merge --abort`; then handoff sync again\n"
    );
    // Settled by keeping ours: the next sync finishes the merge and shares it.
    jane.git(&["add", ACME]);
    let out = jane.ok(&["sync"]);
    assert!(
        out.starts_with("finished the merge that was left uncommitted\n"),
        "{out}"
    );
    assert!(
        out.ends_with("pushed 2 commits to origin/master\n"),
        "{out}"
    );
    jane.assert_clean();
}

#[test]
fn the_wizard_gets_a_cheap_status_without_the_network() {
    let (_team, jane, sam) = Team::started();
    assert_eq!(
        handoff::sync::local_status(&jane.dir),
        Some(handoff::sync::Status {
            ahead: 0,
            behind: 0,
            changed: 0,
            upstream: true
        })
    );
    set(&jane, "deployment", "total_cpu", cpu(8.0), 10);
    std::fs::write(jane.path(".acme-corp.toml.123.tmp"), "x").expect("temp");
    set(
        &sam,
        "code_hosts",
        "monorepos",
        Some(FieldValue::Integer(2)),
        11,
    );
    sam.ok(&["sync"]);
    jane.git(&["fetch", "--quiet"]);
    let status = handoff::sync::local_status(&jane.dir).expect("synced");
    assert_eq!((status.ahead, status.behind, status.changed), (0, 1, 1));
    assert_eq!(
        status.line().as_deref(),
        Some("1 handoff not synced, behind by 1")
    );
    jane.git(&["commit", "--quiet", "-am", "by hand"]);
    let status = handoff::sync::local_status(&jane.dir).expect("synced");
    assert_eq!(
        status.line().as_deref(),
        Some("1 commit to push, behind by 1")
    );
    assert_eq!(
        handoff::sync::local_status(sam.dir.parent().expect("root")),
        None,
        "not a synced directory"
    );
}

#[test]
fn a_merge_half_done_by_a_killed_sync_is_undone_and_done_again() {
    let (_team, jane, sam) = Team::started();
    set(
        &sam,
        "code_hosts",
        "monorepos",
        Some(FieldValue::Integer(2)),
        10,
    );
    sam.ok(&["sync"]);
    set(&jane, "deployment", "total_cpu", cpu(8.0), 11);
    jane.git(&["commit", "--quiet", "-am", "by hand"]);
    jane.git(&["fetch", "--quiet"]);
    // A sync stopped between starting the merge and committing it...
    jane.git(&[
        "merge",
        "--quiet",
        "--no-commit",
        "--no-ff",
        "origin/master",
    ]);
    assert!(jane.dir.join(".git/MERGE_HEAD").exists());
    // ...and killed, leaving its lock and one of git's.
    let dead = team::dead_pid();
    let git_dir = jane.dir.join(".git");
    std::fs::write(
        git_dir.join("handoff-sync.lock"),
        format!("{dead} {}\n", store::hostname()),
    )
    .expect("lock");
    std::fs::write(git_dir.join("index.lock"), "").expect("lock");
    let out = jane.ok(&["sync"]);
    assert_eq!(
        out,
        "removed the git locks and temporary files an interrupted sync left\n\
         undid the merge an interrupted sync left half done\n\
         came in: Acme Corp: code_hosts.monorepos\n\
         pushed 2 commits to origin/master\n"
    );
    jane.assert_clean();
    assert!(!git_dir.join("handoff-sync.lock").exists());

    // A sync that is running is waited for, not overtaken.
    let me = format!("{} {}\n", std::process::id(), store::hostname());
    std::fs::write(git_dir.join("handoff-sync.lock"), me).expect("lock");
    let out = jane.handoff(&["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "handoff: another handoff sync is running in this clone (pid {}); wait for it, or if there is none, delete {}\n",
            std::process::id(),
            git_dir.join("handoff-sync.lock").display()
        )
    );
}

#[test]
fn a_schema_1_handoff_travels_byte_for_byte_until_someone_changes_it() {
    let (_team, jane, sam) = Team::started();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/complete.toml");
    let old = std::fs::read(&fixture).expect("fixture");
    std::fs::write(jane.path("initech.toml"), &old).expect("write");
    assert_eq!(
        jane.ok(&["sync"]),
        "committed: Acme Corp: new handoff\npushed 1 commit to origin/master\n"
    );
    assert_eq!(sam.ok(&["sync"]), "came in: Acme Corp: new handoff\n");
    assert_eq!(std::fs::read(sam.path("initech.toml")).expect("read"), old);
    // Read (as `list`, `check`, the wizard do) and synced again: still the same bytes.
    sam.ok(&["list"]);
    sam.handoff(&["check", "initech"]);
    assert_eq!(sam.ok(&["sync"]), "up to date with origin/master\n");
    assert_eq!(std::fs::read(sam.path("initech.toml")).expect("read"), old);
}
