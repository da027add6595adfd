//! Handoffs for tests and benchmarks: a fresh one and a fully filled one.

use chrono::{NaiveDate, TimeZone, Utc};

use crate::handoff::{Author, FieldValue, Handoff, ItemState, NoteEntry, Timestamp};

pub fn at(day: u32, hour: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

fn date(y: i32, m: u32, d: u32) -> FieldValue {
    FieldValue::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn text(t: &str) -> FieldValue {
    FieldValue::Text(t.to_string())
}

fn list(items: &[&str]) -> FieldValue {
    FieldValue::List(items.iter().map(std::string::ToString::to_string).collect())
}

/// What `handoff new --customer "Acme Corp" --engineer "Jane Doe"` makes.
pub fn new_handoff() -> Handoff {
    Handoff::new("Acme Corp", "Jane Doe", "", at(2, 9))
}

/// A note as the wizard adds it.
pub fn note(category: &str, text: &str, created_at: Timestamp) -> NoteEntry {
    NoteEntry {
        id: crate::handoff::note_id(created_at, "Jane Doe", text),
        category: category.to_string(),
        author: "Jane Doe".to_string(),
        created_at,
        edited_at: None,
        edited_by: None,
        deleted_at: None,
        deleted_by: None,
        text: text.to_string(),
        unknown: toml::Table::new(),
    }
}

/// [`complete_handoff`] completed by Jane Doe on the 28th at 10:00.
pub fn completed_handoff() -> Handoff {
    let mut h = complete_handoff();
    // Nothing blocks it (see the tests of the gate); the tests check the status.
    let _ = h.complete("Jane Doe", at(28, 10));
    h
}

/// [`completed_handoff`] after the TA changed the number of repositories from
/// 1200 to 1500 on the 29th at 9:00: maintained since.
pub fn maintained_handoff() -> Handoff {
    let mut h = completed_handoff();
    let _ = h.change_field(
        "code_hosts",
        "repositories",
        Some(FieldValue::Integer(1500)),
        Author::typing("Sam Rivera", at(29, 9)),
    );
    h
}

/// Every field filled, every item done or out of scope with a reason.
pub fn complete_handoff() -> Handoff {
    let mut h = new_handoff();
    let set =
        |h: &mut Handoff, step: &str, key: &str, v: FieldValue| h.set_value(step, key, Some(v));
    set(&mut h, "handoff", "technical_advisor", text("Sam Rivera"));
    set(
        &mut h,
        "deployment",
        "tdd_links",
        list(&["https://docs.example.com/acme-tdd"]),
    );
    set(&mut h, "deployment", "start_date", date(2026, 1, 12));
    set(&mut h, "deployment", "completion_date", date(2026, 2, 27));
    set(
        &mut h,
        "deployment",
        "instance_url",
        text("https://sourcegraph.acme.example"),
    );
    set(
        &mut h,
        "deployment",
        "deployment_type",
        text("Kubernetes (Helm)"),
    );
    set(&mut h, "deployment", "hosting_provider", text("AWS"));
    set(
        &mut h,
        "deployment",
        "instance_types",
        list(&["m6a.4xlarge ×3", "r6a.2xlarge ×1"]),
    );
    set(&mut h, "deployment", "total_cpu", FieldValue::Number(56.0));
    set(
        &mut h,
        "deployment",
        "total_memory_gb",
        FieldValue::Number(256.0),
    );
    set(
        &mut h,
        "deployment",
        "total_disk_gb",
        FieldValue::Number(2048.0),
    );
    set(
        &mut h,
        "code_hosts",
        "hosts",
        list(&["GitHub Enterprise", "Artifactory (npm)"]),
    );
    set(
        &mut h,
        "code_hosts",
        "repositories",
        FieldValue::Integer(1200),
    );
    set(&mut h, "code_hosts", "monorepos", FieldValue::Integer(2));
    set(
        &mut h,
        "code_hosts",
        "largest_repo_mb",
        FieldValue::Number(5400.5),
    );
    set(
        &mut h,
        "notes",
        "upper_limit_users",
        FieldValue::Integer(800),
    );
    set(
        &mut h,
        "notes",
        "upper_limit_concurrent_users",
        FieldValue::Integer(150),
    );
    set(
        &mut h,
        "notes",
        "upper_limit_repositories",
        FieldValue::Integer(2000),
    );
    set(
        &mut h,
        "checklist",
        "environments",
        list(&["Production", "Staging"]),
    );
    set(
        &mut h,
        "lessons",
        "text",
        text("Ask for the TLS chain on day one.\nThe proxy strips long headers."),
    );
    set(&mut h, "upgrade", "current_version", text("6.4.1"));
    set(&mut h, "upgrade", "cadence", text("Monthly"));
    set(
        &mut h,
        "upgrade",
        "procedure",
        text("1. Upgrade staging\n2. Soak a week\n3. Promote to production"),
    );
    h.notes_log.push(note(
        "upper_limits",
        "800 users, 150 concurrent at peak.\nRepositories may grow to 2,000 next year.",
        at(10, 14),
    ));
    h.notes_log.push(note(
        "special_deployment",
        "Rockskip enabled for the monorepo; PostgreSQL is external (RDS).",
        at(11, 9),
    ));
    for item in &mut h.checklist_items {
        item.state = ItemState::Done;
        item.done_by = Some("Jane Doe".to_string());
        item.done_at = Some(at(20, 16));
    }
    if let Some(staging) = h.checklist_items.get_mut(1) {
        staging.state = ItemState::OutOfScope;
        staging.done_by = None;
        staging.done_at = None;
        staging.reason = Some("Customer builds staging themselves next quarter".to_string());
    }
    h.updated_at = at(27, 17);
    h
}

/// A complete handoff whose log holds `notes` entries of one to four lines each,
/// for benchmarks and size tests.
pub fn with_notes(notes: usize) -> Handoff {
    let mut h = complete_handoff();
    let categories = &crate::form::form().note_categories;
    let start = at(1, 0);
    h.notes_log = (0..notes)
        .map(|i| {
            let lines = 1 + i % 4;
            let text = (0..lines)
                .map(|l| format!("Entry {i}, line {l}: gitserver-{} restarted after the disk filled; resized to 500 GB.", i % 7))
                .collect::<Vec<_>>()
                .join("\n");
            note(&categories[i % categories.len()].key, &text, start + chrono::Duration::minutes(i as i64))
        })
        .collect();
    h
}
