//! `handoff push` when things go wrong, against a fake Vitally on 127.0.0.1:
//! rate limits, server errors, garbage, hangs, a wrong key, pushes that fail or are
//! killed part way and are completed by the next without duplicates, key commands
//! whose output stays out of messages, and an API key that appears nowhere.

#[path = "common/clean_run.rs"]
mod clean_run;
#[path = "common/fake_http.rs"]
mod fake_http;
#[path = "common/fake_vitally.rs"]
mod fake_vitally;
#[path = "common/push_run.rs"]
mod push_run;

use std::fs;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fake_vitally::{FakeVitally, Fault, KEY};
use handoff::handoff::FieldValue;
use handoff::store;
use push_run::*;

#[test]
fn a_wrong_key_an_unknown_account_and_garbage_are_one_line_each() {
    let dir = tempfile::tempdir().expect("tmp");
    let fake = FakeVitally::start();
    let mut h = handoff_for_acme();
    let path = write(dir.path(), &h);
    let host = fake.server.addr().to_string();

    let out = command(dir.path(), &fake.url(), &["acme-corp"])
        .env("VITALLY_API_KEY", "vk_wrong_key")
        .output()
        .expect("run");
    assert_one_line(
        &out,
        &format!(
            "Vitally refused the API key (HTTP 401); check VITALLY_API_KEY (or `[vitally] key_command`) and that the key is for {host}"
        ),
    );
    assert!(!stderr(&out).contains("vk_wrong_key"));

    h.set_value(
        "handoff",
        "vitally_account",
        Some(FieldValue::Text("globex".into())),
    );
    store::save(&path, &h).expect("save");
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert_one_line(
        &out,
        &format!(
            "{}: Vitally has no account `globex`; check the Vitally account field (handoff.vitally_account)",
            path.display()
        ),
    );

    fake.fault_from(1, Fault::Garbage);
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert_one_line(
        &out,
        &format!(
            "GET /resources/customFields?model=accounts: {host} answered with an HTML page instead of JSON (HTTP 200); check the URL"
        ),
    );
    assert!(fake.writes().is_empty());
    assert_no_key(dir.path(), &[&out]);
}

#[test]
fn rate_limits_are_waited_out_and_server_errors_retried() {
    let (dir, fake, path) = acme();
    fake.fault(Some("GET"), 1, 1, Fault::Status(503));
    fake.fault(Some("PUT"), 1, 1, Fault::TooMany("1"));
    // A note's creation that fails is looked up before it is tried again.
    fake.fault(Some("POST"), 1, 2, Fault::Status(500));
    let started = Instant::now();
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "RateLimit-Reset: 1 was waited"
    );
    let err = stderr(&out);
    assert!(
        err.contains("  Vitally's rate limit: waiting 1 s (RateLimit-Reset)\n"),
        "{err}"
    );
    assert!(
        err.contains("  Vitally answered HTTP 503: scripted 503; trying again in 20 ms (1 of 3)\n"),
        "{err}"
    );
    assert_eq!(stdout(&out), "14 traits set, 4 notes created, 0 updated\n");
    assert!(
        fake.note_counts().values().all(|n| *n == 1),
        "{:?}",
        fake.note_counts()
    );
    assert_eq!(fake.notes().len(), 4);
    assert!(
        fake.requests()
            .iter()
            .any(|r| r.path.starts_with("/resources/accounts/acc-0001/notes")),
        "the failed creation was looked up"
    );
    assert_eq!(load(&path).vitally.notes.len(), 4);
}

#[test]
fn a_rate_limit_past_a_minute_and_a_server_that_hangs_end_in_bounded_time() {
    let dir = tempfile::tempdir().expect("tmp");
    let fake = FakeVitally::start();
    write(dir.path(), &handoff_for_acme());
    fake.fault(None, 1, 1, Fault::TooMany("120"));
    let started = Instant::now();
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert_one_line(
        &out,
        "GET /resources/customFields?model=accounts: Vitally's rate limit asks to wait 120 s more, past the 60 s a push waits in all; try again in a minute",
    );
    assert!(started.elapsed() < Duration::from_secs(10));

    fake.clear_faults();
    fake.fault_from(1, Fault::Hang);
    let started = Instant::now();
    let out = command(dir.path(), &fake.url(), &["acme-corp"])
        .env("HANDOFF_VITALLY_TIMEOUT_MS", "400")
        .output()
        .expect("run");
    let host = fake.server.addr().to_string();
    assert_one_line(
        &out,
        &format!(
            "GET /resources/customFields?model=accounts: {host} did not answer in time (no complete answer within 400 ms); tried 4 times, try again later"
        ),
    );
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_push_that_fails_part_way_is_completed_by_the_next_without_duplicates() {
    let (dir, fake, path) = acme();
    // Requests 1–4: the two reads, the traits, the first note; then 500 for good.
    fake.fault_from(5, Fault::Status(500));
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.ends_with(&format!(
            "Vitally answered HTTP 500: scripted 500; tried 4 times, try again later (what was sent is recorded in {}; push again to finish)\n",
            path.display()
        )),
        "{err}"
    );
    let half = load(&path).vitally;
    assert_eq!(half.traits.len(), 14, "the traits that went are recorded");
    assert_eq!(half.pushed_at, None, "the push did not finish");
    let ids: Vec<Option<&str>> = half.notes.iter().map(|n| n.id.as_deref()).collect();
    assert_eq!(
        ids,
        [Some("note-0001"), None, None, None],
        "creations under way are recorded"
    );
    assert_eq!(fake.notes().len(), 1);

    fake.clear_faults();
    let again = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(stdout(&again), "0 traits set, 3 notes created, 0 updated\n");
    assert_eq!(fake.notes().len(), 4);
    assert!(
        fake.note_counts().values().all(|n| *n == 1),
        "{:?}",
        fake.note_counts()
    );
    assert!(load(&path).vitally.notes.iter().all(|n| n.id.is_some()));
    assert_no_key(dir.path(), &[&out, &again]);
}

#[test]
fn a_note_whose_answer_never_came_is_found_not_made_again() {
    let (dir, fake, path) = acme();
    // Vitally makes the second note, but its answer never arrives.
    fake.fault(Some("POST"), 2, 2, Fault::WorkThenHang);
    let out = command(dir.path(), &fake.url(), &["acme-corp"])
        .env("HANDOFF_VITALLY_TIMEOUT_MS", "400")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "14 traits set, 4 notes created, 0 updated\n");
    assert_eq!(fake.notes().len(), 4);
    assert!(
        fake.note_counts().values().all(|n| *n == 1),
        "{:?}",
        fake.note_counts()
    );
    assert_eq!(
        load(&path).vitally.notes[1].id.as_deref(),
        Some("note-0002"),
        "the id found by looking"
    );
}

#[test]
fn a_push_killed_after_vitally_made_a_note_is_completed_by_the_next_without_duplicates() {
    let (dir, fake, path) = acme();
    fake.fault(Some("POST"), 2, 2, Fault::WorkThenHang);
    // A long timeout: the push waits for the answer until it is killed.
    let mut child = command(dir.path(), &fake.url(), &["acme-corp"])
        .env("HANDOFF_VITALLY_TIMEOUT_MS", "30000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(20);
    while fake.notes().len() < 2 {
        assert!(
            Instant::now() < deadline,
            "the push never made its second note"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let killed = load(&path).vitally;
    let ids: Vec<Option<&str>> = killed.notes.iter().map(|n| n.id.as_deref()).collect();
    assert_eq!(ids, [Some("note-0001"), None, None, None]);
    fs::remove_file(store::lock_path(&path)).expect("the killed push's lock");

    fake.clear_faults();
    let again = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        stdout(&again),
        "0 traits set, 2 notes created, 0 updated\n",
        "the note made before the kill is found, not made again"
    );
    assert!(stderr(&again).contains("GET /resources/accounts/acc-0001/notes?limit=100"));
    assert_eq!(fake.notes().len(), 4);
    assert!(
        fake.note_counts().values().all(|n| *n == 1),
        "{:?}",
        fake.note_counts()
    );
    assert_no_key(dir.path(), &[&again]);
}

#[test]
fn the_key_can_come_from_a_key_command_whose_output_stays_out_of_messages() {
    let dir = tempfile::tempdir().expect("tmp");
    let fake = FakeVitally::start();
    write(dir.path(), &handoff_for_acme());
    let config = dir.path().join("config.toml");
    fs::write(
        &config,
        "[vitally]\nkey_command = [\"sh\", \"-c\", \"printf '%s\\\\n' \\\"$KEY_FROM_VAULT\\\"\"]\n",
    )
    .expect("config");
    let out = command(dir.path(), &fake.url(), &["acme-corp"])
        .env_remove("VITALLY_API_KEY")
        .env("KEY_FROM_VAULT", KEY)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));

    fs::write(
        &config,
        "[vitally]\nkey_command = [\"sh\", \"-c\", \"echo \\\"$KEY_FROM_VAULT\\\" >&2; echo \\\"$KEY_FROM_VAULT\\\"; exit 4\"]\n",
    )
    .expect("config");
    let failed = command(dir.path(), &fake.url(), &["acme-corp"])
        .env_remove("VITALLY_API_KEY")
        .env("KEY_FROM_VAULT", KEY)
        .output()
        .expect("run");
    assert_one_line(
        &failed,
        "the key command `sh` failed (exit status 4); run it yourself to see why",
    );

    fs::remove_file(&config).expect("no config");
    let none = command(dir.path(), &fake.url(), &["acme-corp"])
        .env_remove("VITALLY_API_KEY")
        .output()
        .expect("run");
    assert_one_line(
        &none,
        "no Vitally API key: set VITALLY_API_KEY, or `[vitally] key_command` in the config file (a program that prints it)",
    );
    assert_no_key(dir.path(), &[&out, &failed, &none]);
}

#[test]
fn plain_http_elsewhere_than_loopback_and_a_locked_handoff_are_refused() {
    let (dir, fake, path) = acme();
    let out = push(
        dir.path(),
        "http://acme.rest.vitally.example",
        &["acme-corp"],
    );
    assert_one_line(
        &out,
        "refusing plain http:// to acme.rest.vitally.example: use https:// (plain http is allowed only for localhost)",
    );

    let lock = store::Lock::acquire(&path, "Sam Rivera").expect("lock");
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(&format!(
            "handoff: {}: being edited by Sam Rivera@",
            path.display()
        )),
        "{}",
        stderr(&out)
    );
    drop(lock);
    assert!(fake.requests().is_empty());
}
