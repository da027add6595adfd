//! `handoff push` against a fake Vitally on 127.0.0.1: the exact requests sent,
//! what the file records, repeat pushes that create nothing twice, dry runs that
//! send nothing, and trait mappings checked before anything is sent. Failures,
//! retries and kills are in `push_faults.rs`.

#[path = "common/clean_run.rs"]
mod clean_run;
#[path = "common/fake_http.rs"]
mod fake_http;
#[path = "common/fake_vitally.rs"]
mod fake_vitally;
#[path = "common/push_run.rs"]
mod push_run;

use std::fs;

use fake_vitally::FakeVitally;
use handoff::handoff::FieldValue;
use handoff::{store, testdata};
use push_run::*;
use serde_json::{Value, json};

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
