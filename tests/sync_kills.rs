//! A sync killed at any moment (SIGKILL to it and the git it runs, during the
//! commit, the fetch, the merge or the push) leaves a clone that the next sync
//! brings up to date with nothing lost. Fifty rounds: each machine writes a
//! note, Sam shares his, Jane's sync is killed, her next one must finish, and
//! every note of both must be in her handoff and on the remote.

#[path = "common/team.rs"]
mod team;

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use handoff::handoff::{Author, FieldValue};
use handoff::testdata::at;
use rustix::process::{Pid, Signal};
use team::{ACME, Machine, Team, text};

const ROUNDS: u64 = 50;

/// xorshift: the same rounds on every run, no dependency.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// A `git` first on PATH that counts its runs and, on the run numbered
/// `KILL_AT`, starts the real git, waits `KILL_AFTER` seconds and kills the
/// whole process group: the sync and every git it started.
fn wrapper(dir: &Path) -> PathBuf {
    let real = Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .expect("find git");
    let real = text(&real.stdout).trim().to_string();
    assert!(!real.is_empty(), "git is needed");
    let bin = dir.join("bin");
    fs::create_dir_all(&bin).expect("bin");
    let script = format!(
        "#!/bin/sh\n\
         n=$(( $(cat \"$GIT_RUNS\" 2>/dev/null || echo 0) + 1 ))\n\
         echo \"$n\" > \"$GIT_RUNS\"\n\
         if [ \"$n\" = \"$KILL_AT\" ]; then\n\
         \x20 '{real}' \"$@\" &\n\
         \x20 sleep \"$KILL_AFTER\"\n\
         \x20 kill -9 0\n\
         fi\n\
         exec '{real}' \"$@\"\n"
    );
    let git = bin.join("git");
    fs::write(&git, script).expect("write the wrapper");
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&git, fs::Permissions::from_mode(0o755)).expect("chmod");
    bin
}

/// `handoff sync` on `machine` through the wrapper, in a process group of its own.
fn sync_command(machine: &Machine, bin: &Path, runs: &Path, kill_at: u64, after: &str) -> Command {
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = machine.command(&["sync"]);
    command
        .env("PATH", path)
        .env("GIT_RUNS", runs)
        .env("KILL_AT", kill_at.to_string())
        .env("KILL_AFTER", after)
        .process_group(0);
    command
}

fn notes(machine: &Machine) -> Vec<String> {
    machine
        .load(ACME)
        .notes_log
        .into_iter()
        .filter(handoff::handoff::NoteEntry::is_live)
        .map(|n| n.text)
        .collect()
}

#[test]
fn a_sync_killed_anywhere_is_finished_by_the_next_one_with_nothing_lost() {
    let (team, jane, sam) = Team::started();
    // The remote is another machine: its git is not in the killed sync's group.
    for machine in [&jane, &sam] {
        machine.git(&[
            "config",
            "remote.origin.receivepack",
            "setsid git-receive-pack",
        ]);
    }
    let bin = wrapper(team.root.path());
    let runs = team.root.path().join("git-runs");
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let started = Instant::now();
    // Git runs and time of an uninterrupted sync, to aim the kills.
    let (mut git_runs, mut took) = (12, Duration::from_millis(300));
    let mut expected = Vec::new();
    let mut killed_mid_git = 0;
    let mut recovered = 0;
    for round in 0..ROUNDS {
        let (jane_says, sam_says) = (
            format!("Jane, round {round}"),
            format!("Sam, round {round}"),
        );
        let cpu = Some(FieldValue::Number(round as f64));
        jane.edit(ACME, |h| {
            h.add_note(
                "other",
                &jane_says,
                "Jane Doe",
                at(1, 0) + chrono::Duration::minutes(2 * round as i64),
            )
            .expect("note");
            h.change_field(
                "deployment",
                "total_cpu",
                cpu,
                Author::typing("Jane Doe", at(1, 0)),
            )
            .expect("open");
        });
        sam.edit(ACME, |h| {
            h.add_note(
                "other",
                &sam_says,
                "Sam Rivera",
                at(1, 0) + chrono::Duration::minutes(2 * round as i64 + 1),
            )
            .expect("note");
        });
        sam.ok(&["sync"]);
        expected.extend([jane_says, sam_says]);

        // Killed: on one of its git runs, or after a while, whichever this round draws.
        let _ = fs::remove_file(&runs);
        if round % 2 == 0 {
            let kill_at = 1 + dice.below(git_runs);
            let after = ["0", "0.001", "0.003", "0.01"][dice.below(4) as usize];
            let out = sync_command(&jane, &bin, &runs, kill_at, after)
                .output()
                .expect("run");
            if out.status.code().is_none() {
                killed_mid_git += 1;
            }
        } else {
            let mut child = sync_command(&jane, &bin, &runs, 0, "0")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("spawn");
            std::thread::sleep(took.mul_f64(dice.below(100) as f64 / 100.0));
            let group = Pid::from_child(&child);
            let _ = rustix::process::kill_process_group(group, Signal::KILL);
            let _ = child.wait();
        }

        // The next sync finishes the work.
        let _ = fs::remove_file(&runs);
        let begun = Instant::now();
        let out = sync_command(&jane, &bin, &runs, 0, "0")
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "round {round}: the sync after the kill failed: {}{}\n{}",
            text(&out.stdout),
            text(&out.stderr),
            jane.git(&["status"])
        );
        took = begun.elapsed();
        if text(&out.stdout)
            .contains("removed the git locks and temporary files an interrupted sync left")
        {
            recovered += 1;
        }
        git_runs = fs::read_to_string(&runs)
            .ok()
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(git_runs)
            .max(1);
        jane.assert_clean();
        assert_eq!(notes(&jane), expected, "round {round}: Jane's notes");
        assert_eq!(
            jane.git(&["rev-parse", "HEAD"]),
            jane.git(&["rev-parse", "origin/master"]),
            "round {round}: everything is pushed"
        );
        assert_eq!(
            jane.load(ACME).value("deployment", "total_cpu"),
            Some(&FieldValue::Number(round as f64))
        );
        let locks: Vec<_> = fs::read_dir(jane.dir.join(".git"))
            .expect("git dir")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".lock"))
            .map(|e| e.file_name())
            .collect();
        assert!(locks.is_empty(), "round {round}: left behind {locks:?}");
        let strays: Vec<_> = fs::read_dir(&jane.dir)
            .expect("clone")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".merge_file_") || n.ends_with(".tmp"))
            .collect();
        assert!(strays.is_empty(), "round {round}: left behind {strays:?}");
    }
    sam.ok(&["sync"]);
    assert_eq!(notes(&sam), expected);
    assert_eq!(jane.load(ACME), sam.load(ACME));
    assert!(jane.load(ACME).conflicts.is_empty());
    assert!(killed_mid_git > 0, "some kills landed");
    eprintln!(
        "{ROUNDS} rounds in {:.1} s ({killed_mid_git} killed on a chosen git run, {recovered} left git locks to remove)",
        started.elapsed().as_secs_f64()
    );
}

/// Killed while git rewrote the work tree for a fast-forward: the handoff file
/// was removed and not yet written again, and git's index lock is left. The next
/// sync puts the file back from the last commit and finishes the pull; it never
/// commits the half-written state as "removed".
#[test]
fn a_handoff_removed_by_a_pull_killed_half_way_is_put_back_not_deleted() {
    let (_team, jane, sam) = Team::started();
    sam.edit(ACME, |h| {
        h.add_note("other", "Sam's note", "Sam Rivera", at(2, 9))
            .expect("note");
    });
    sam.ok(&["sync"]);

    // What a sync killed in `git merge --ff-only` leaves behind.
    jane.git(&["fetch", "--quiet"]);
    let git_dir = jane.dir.join(".git");
    fs::write(
        git_dir.join("handoff-sync.lock"),
        format!("{} {}\n", team::dead_pid(), handoff::store::hostname()),
    )
    .expect("stale sync lock");
    fs::write(git_dir.join("handoff-sync.exchanging"), b"").expect("mark");
    fs::write(git_dir.join("index.lock"), b"").expect("index lock");
    fs::remove_file(jane.path(ACME)).expect("half-way: removed");

    let said = jane.ok(&["sync"]);
    assert!(said.contains("put back 1 handoff"), "{said}");
    assert!(!said.contains("Acme Corp: removed"), "{said}");
    assert_eq!(notes(&jane), ["Sam's note"]);
    jane.assert_clean();
    assert_eq!(
        jane.git(&["rev-parse", "HEAD"]),
        jane.git(&["rev-parse", "origin/master"])
    );
    assert!(!git_dir.join("handoff-sync.exchanging").exists());
}
