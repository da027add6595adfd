//! `handoff push` against a fake Vitally on 127.0.0.1: the exact requests sent,
//! what the file records, repeat pushes that create nothing twice, pushes that
//! fail or are killed part way and are completed by the next one, dry runs that
//! send nothing, and an API key that appears in no output and no file.

#[path = "common/fake_http.rs"]
mod fake_http;
#[path = "common/fake_vitally.rs"]
mod fake_vitally;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use fake_vitally::{FakeVitally, Fault, KEY};
use handoff::handoff::{FieldValue, Handoff};
use handoff::{store, testdata};
use serde_json::{Value, json};

/// Short enough that failure paths finish in about a second.
const TIMEOUT_MS: &str = "400";
const BACKOFF_MS: &str = "20";

fn command(dir: &Path, url: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handoff"));
    cmd.arg("push")
        .args(args)
        .env_clear()
        .current_dir(dir)
        .stdin(Stdio::null())
        .env("HANDOFF_DIR", dir)
        .env("HOME", dir)
        .env("USER", "jane")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TZ", "UTC")
        .env("HANDOFF_CONFIG", dir.join("config.toml"))
        .env("VITALLY_BASE_URL", url)
        .env("VITALLY_API_KEY", KEY)
        .env("HANDOFF_VITALLY_TIMEOUT_MS", TIMEOUT_MS)
        .env("HANDOFF_VITALLY_BACKOFF_MS", BACKOFF_MS);
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    cmd
}

fn push(dir: &Path, url: &str, args: &[&str]) -> Output {
    command(dir, url, args).output().expect("run handoff push")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The complete handoff of the tests, to be pushed to account `acme-corp`.
fn handoff_for_acme() -> Handoff {
    let mut h = testdata::complete_handoff();
    h.set_value(
        "handoff",
        "vitally_account",
        Some(FieldValue::Text("acme-corp".into())),
    );
    h
}

fn write(dir: &Path, h: &Handoff) -> PathBuf {
    let path = dir.join("acme-corp.toml");
    store::save(&path, h).expect("save");
    path
}

/// A directory holding the complete handoff for `acme-corp`, and a fake Vitally.
fn acme() -> (tempfile::TempDir, FakeVitally, PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = write(dir.path(), &handoff_for_acme());
    (dir, FakeVitally::start(), path)
}

fn load(path: &Path) -> Handoff {
    store::load(path).expect("loads").handoff
}

/// The key is in no output and no file of the directory (the handoff, its lock,
/// the config, temporary files).
fn assert_no_key(dir: &Path, outputs: &[&Output]) {
    for o in outputs {
        assert!(!stdout(o).contains(KEY), "key in stdout: {}", stdout(o));
        assert!(!stderr(o).contains(KEY), "key in stderr: {}", stderr(o));
    }
    for entry in fs::read_dir(dir).expect("list") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            let bytes = fs::read(&path).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(KEY), "key in {}", path.display());
        }
    }
}

fn external_id(entry: &str) -> String {
    format!("handoff:acc-0001:20260302T090000Z:{entry}")
}

fn expected_traits() -> Value {
    json!({
        "vitally.custom.codeHosts": ["GitHub Enterprise", "Artifactory (npm)"],
        "vitally.custom.deploymentType": "Kubernetes (Helm)",
        "vitally.custom.hostingProvider": "AWS",
        "vitally.custom.implementationCompletionDate": "2026-02-27",
        "vitally.custom.implementationStartDate": "2026-01-12",
        "vitally.custom.instanceTypes": ["m6a.4xlarge ×3", "r6a.2xlarge ×1"],
        "vitally.custom.instanceUrl": "https://sourcegraph.acme.example",
        "vitally.custom.largestRepositoryMb": 5400.5,
        "vitally.custom.monorepos": 2,
        "vitally.custom.repositories": 1200,
        "vitally.custom.technicalDesignDocuments": ["https://docs.example.com/acme-tdd"],
        "vitally.custom.totalCpu": 56,
        "vitally.custom.totalDiskGb": 2048,
        "vitally.custom.totalMemoryGb": 256,
    })
}

#[test]
fn a_push_sends_typed_traits_and_one_note_per_entry_and_records_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let fake = FakeVitally::start();
    let h = handoff_for_acme();
    let path = write(dir.path(), &h);
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "14 traits set, 4 notes created, 0 updated\n");

    let sent = fake.requests();
    let lines: Vec<String> = sent
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        lines,
        [
            "GET /resources/customFields?model=accounts",
            "GET /resources/accounts/acme-corp",
            "PUT /resources/accounts/acc-0001",
            "POST /resources/notes",
            "POST /resources/notes",
            "POST /resources/notes",
            "POST /resources/notes",
        ]
    );
    assert_eq!(sent[2].json(), json!({ "traits": expected_traits() }));
    let first = &h.notes_log[0];
    assert_eq!(
        sent[3].json(),
        json!({
            "accountId": "acc-0001",
            "externalId": external_id(&first.id),
            "subject": "Handoff: Upper limits",
            "note": "<p>800 users, 150 concurrent at peak.<br>Repositories may grow to 2,000 next year.</p><p><em>— Jane Doe</em></p>",
            "noteDate": "2026-03-10T14:00:00Z",
        })
    );
    let lessons = sent[5].json();
    assert_eq!(lessons["subject"], "Handoff: Lessons learned");
    assert_eq!(
        lessons["note"],
        "<p>Ask for the TLS chain on day one.<br>The proxy strips long headers.</p>"
    );
    assert_eq!(lessons["externalId"], json!(external_id("lessons")));
    assert_eq!(
        sent[6].json()["subject"],
        "Handoff: Long-term upgrade strategy"
    );

    // Vitally merged the traits into the account's own, which stay.
    let traits = fake.account_traits("acc-0001");
    assert_eq!(traits["vitally.custom.plan"], "enterprise");
    assert_eq!(traits["vitally.custom.totalCpu"], 56);

    let after = load(&path);
    let record = &after.vitally;
    assert_eq!(record.account, "acme-corp");
    assert_eq!(record.account_id, "acc-0001");
    assert_eq!(record.pushed_by.as_deref(), Some("jane"));
    assert!(record.pushed_at.is_some());
    assert_eq!(record.traits.len(), 14);
    let ids: Vec<Option<&str>> = record.notes.iter().map(|n| n.id.as_deref()).collect();
    assert_eq!(
        ids,
        [
            Some("note-0001"),
            Some("note-0002"),
            Some("note-0003"),
            Some("note-0004")
        ]
    );
    // The rest of the document is as it was.
    let mut same = after.clone();
    same.vitally = h.vitally.clone();
    assert_eq!(same, h);
    let text = fs::read_to_string(&path).expect("read");
    assert!(
        text.contains("\n[vitally]\naccount = \"acme-corp\"\n"),
        "{text}"
    );
    assert_no_key(dir.path(), &[&out]);
}

#[test]
fn a_second_push_sends_only_what_changed_and_creates_nothing_twice() {
    let (dir, fake, path) = acme();
    let first = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let writes_before = fake.writes().len();

    let again = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(stdout(&again), "0 traits set, 0 notes created, 0 updated\n");
    assert_eq!(
        fake.writes().len(),
        writes_before,
        "nothing changed, nothing sent"
    );

    let mut h = load(&path);
    h.set_value("deployment", "total_cpu", Some(FieldValue::Number(64.0)));
    h.set_value("code_hosts", "monorepos", None);
    h.edit_note(0, "900 users now.", "Sam Rivera", testdata::at(28, 9))
        .expect("edit");
    h.delete_note(1, "Sam Rivera", testdata::at(28, 9));
    h.add_note(
        "risk",
        "Disk <fills> & alerts\n\nweekly",
        "Sam Rivera",
        testdata::at(28, 10),
    )
    .expect("add");
    store::save(&path, &h).expect("save");
    let mapping =
        handoff::vitally::Mapping::new(handoff::form::form(), &Default::default(), "config.toml")
            .expect("mapping");
    assert_eq!(
        h.vitally_changes_since(&mapping),
        4,
        "two fields, an edited note and a new one (a deleted note is not sent)"
    );

    let third = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert!(third.status.success(), "{}", stderr(&third));
    let new_writes: Vec<_> = fake.writes().into_iter().skip(writes_before).collect();
    let lines: Vec<String> = new_writes
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        lines,
        [
            "PUT /resources/accounts/acc-0001",
            "POST /resources/notes",
            "PUT /resources/notes/note-0001",
        ]
    );
    assert_eq!(
        new_writes[0].json(),
        json!({"traits": {"vitally.custom.totalCpu": 64, "vitally.custom.monorepos": null}}),
        "the emptied field is cleared because it was sent before"
    );
    assert_eq!(
        new_writes[1].json()["note"],
        "<p>Disk &lt;fills&gt; &amp; alerts</p><p>weekly</p><p><em>— Sam Rivera</em></p>"
    );
    assert_eq!(
        new_writes[2].json(),
        json!({
            "subject": "Handoff: Upper limits",
            "note": "<p>900 users now.</p><p><em>— Jane Doe, edited by Sam Rivera 2026-03-28 09:00 UTC</em></p>",
            "noteDate": "2026-03-10T14:00:00Z",
        })
    );
    assert_eq!(
        stdout(&third),
        "2 traits set, 1 note created, 1 updated\n\
         not removed from Vitally: the Special deployment details note of 2026-03-11 09:00 UTC (deleted here)\n"
    );
    assert!(
        !fake
            .account_traits("acc-0001")
            .contains_key("vitally.custom.monorepos"),
        "cleared in Vitally"
    );
    assert!(
        fake.note_counts().values().all(|n| *n == 1),
        "{:?}",
        fake.note_counts()
    );
    assert_eq!(fake.notes().len(), 5);
    assert_eq!(load(&path).vitally_changes_since(&mapping), 0);
}

/// Exit 1 with this one line as the message, last on stderr (after any progress
/// lines, which name requests and never start with `handoff:`).
fn assert_one_line(o: &Output, expected: &str) {
    assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
    let err = stderr(o);
    let messages: Vec<&str> = err.lines().filter(|l| l.starts_with("handoff:")).collect();
    assert_eq!(messages, [format!("handoff: {expected}")], "{err}");
    assert!(err.ends_with(&format!("handoff: {expected}\n")), "{err}");
}

#[test]
fn without_an_account_push_refuses_in_one_line_and_asks_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let fake = FakeVitally::start();
    let path = write(dir.path(), &testdata::complete_handoff());
    let before = fs::read(&path).expect("read");
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert_one_line(
        &out,
        &format!(
            "{}: no Vitally account to push to: fill in \"Vitally account\" in the Handoff step (handoff.vitally_account)",
            path.display()
        ),
    );
    assert!(fake.requests().is_empty());
    assert_eq!(fs::read(&path).expect("read"), before, "file untouched");
}

#[test]
fn a_dry_run_prints_every_request_with_the_key_hidden_and_sends_nothing() {
    let (dir, fake, path) = acme();
    let before = fs::read(&path).expect("read");
    let out = push(dir.path(), &fake.url(), &["acme-corp", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!(
            "Dry run: nothing is sent. Vitally at {}, account Acme Corp (acme-corp).\n\
             Read to plan the push (reading changes nothing):\n  \
             GET /resources/customFields?model=accounts\n  \
             GET /resources/accounts/acme-corp\n\n\
             PUT /resources/accounts/acc-0001\n\
             Authorization: Basic ***\n\
             Content-Type: application/json\n\n\
             {{\n  \"traits\": {{\n    \"vitally.custom.codeHosts\": [\n",
            fake.url()
        )),
        "{text}"
    );
    // The body printed is the body a push sends.
    let start = text.find("{\n  \"traits\"").expect("traits body");
    let end = start + text[start..].find("\n}\n").expect("end of body") + 2;
    let printed: Value = serde_json::from_str(&text[start..end]).expect("JSON");
    assert_eq!(printed, json!({ "traits": expected_traits() }));
    assert_eq!(
        text.matches("POST /resources/notes\nAuthorization: Basic ***\n")
            .count(),
        4
    );
    assert!(
        text.ends_with("Would send: 14 traits to set, 4 notes to create, 0 to update.\n"),
        "{text}"
    );
    assert!(fake.writes().is_empty(), "a dry run sends nothing");
    assert_eq!(
        fs::read(&path).expect("read"),
        before,
        "nor writes the file"
    );
    assert!(!store::lock_path(&path).exists());
    assert_no_key(dir.path(), &[&out]);
}

#[test]
fn a_trait_vitally_lacks_or_cannot_hold_stops_the_push_before_anything_is_sent() {
    let (dir, fake, path) = acme();
    let before = fs::read(&path).expect("read");
    let config = dir.path().join("config.toml");
    let all = fake.traits();
    fake.set_traits(
        all.iter()
            .filter(|t| t["path"] != "vitally.custom.instanceUrl")
            .cloned()
            .collect(),
    );
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert_one_line(
        &out,
        &format!(
            "deployment.instance_url (Sourcegraph instance URL) maps to trait vitally.custom.instanceUrl, which Vitally's accounts do not have; create it in Vitally (Settings → Accounts → Traits) or map the field to another trait in [vitally.traits] in {}; nothing was sent",
            config.display()
        ),
    );

    let mut wrong = all.clone();
    for t in &mut wrong {
        if t["path"] == "vitally.custom.totalCpu" {
            t["type"] = json!("string");
        }
    }
    fake.set_traits(wrong);
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert_one_line(
        &out,
        &format!(
            "deployment.total_cpu (Total CPU (cores)) is a number, but trait vitally.custom.totalCpu is of type `string` in Vitally; change the trait's type there or map the field to another trait in [vitally.traits] in {}; nothing was sent",
            config.display()
        ),
    );
    let listing = push(dir.path(), &fake.url(), &["--traits"]);
    assert_eq!(listing.status.code(), Some(1), "{}", stderr(&listing));
    let text = stdout(&listing);
    assert!(
        text.contains("What a push would refuse:\n  deployment.total_cpu"),
        "{text}"
    );

    // A select trait takes the option whose label is the field's choice.
    let mut options = all.clone();
    for t in &mut options {
        if t["path"] == "vitally.custom.hostingProvider" {
            t["type"] = json!("select");
            t["options"] =
                json!([{"label": "AWS", "value": "aws"}, {"label": "GCP", "value": "gcp"}]);
        }
        if t["path"] == "vitally.custom.deploymentType" {
            t["options"] = json!([{"label": "Helm", "value": "helm"}]);
        }
    }
    fake.set_traits(options);
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert_one_line(
        &out,
        "deployment.deployment_type (Deployment type): `Kubernetes (Helm)` is not one of the options of trait vitally.custom.deploymentType (Helm); nothing was sent",
    );
    assert!(fake.writes().is_empty());
    assert_eq!(fs::read(&path).expect("read"), before, "file untouched");

    // The organisation maps the field elsewhere, or nowhere.
    fs::write(
        &config,
        "[vitally.traits]\n\"deployment.deployment_type\" = \"-\"\n",
    )
    .expect("config");
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "13 traits set, 4 notes created, 0 updated\n");
    let traits = &fake.writes()[0].json()["traits"];
    assert_eq!(traits["vitally.custom.hostingProvider"], "aws");
    assert!(traits.get("vitally.custom.deploymentType").is_none());
}

#[test]
fn the_traits_listing_shows_what_vitally_has_and_which_field_goes_where() {
    let dir = tempfile::tempdir().expect("tmp");
    let fake = FakeVitally::start();
    let out = push(dir.path(), &fake.url(), &["--traits"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!("Account traits in Vitally ({}):", fake.url())
    );
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["LABEL", "TYPE", "PATH", "FIELD"]
    );
    assert!(
        text.contains("Total CPU                       number       vitally.custom.totalCpu                      deployment.total_cpu\n"),
        "{text}"
    );
    assert!(
        text.contains("Next step                       textarea     vitally.custom.nextSteps                     -\n"),
        "{text}"
    );
    assert_eq!(lines.len(), 2 + fake.traits().len(), "{text}");
    assert!(fake.writes().is_empty());
}

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
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
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
    let out = push(dir.path(), &fake.url(), &["acme-corp"]);
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
