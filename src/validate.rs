//! Field kinds → parse and validate. Every message here is shown to a person, next to
//! the field or in the list of what blocks completion, so it says what to type.

mod number;

use chrono::NaiveDate;

use crate::form::{Field, FieldKind, ListItem};
use crate::value::{FieldValue, format_number};
use number::{NUMBER_HELP, parse_integer, parse_number};

/// Turns what the user typed into a value of the field's kind.
///
/// `Ok(None)` means the field is now unset. When the text does not fit the kind, the
/// error carries the message *and* the text is still worth keeping: the caller stores
/// it as a draft (`FieldValue::Text`) so nothing typed is lost.
/// List kinds take one entry per line.
pub fn parse(field: &Field, input: &str) -> Result<Option<FieldValue>, String> {
    match field.kind {
        FieldKind::List | FieldKind::MultiChoice => {
            let entries: Vec<String> = input
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|entry| match field.kind {
                    FieldKind::MultiChoice => normalize_choice(field, entry),
                    _ => entry.to_string(),
                })
                .collect();
            if entries.is_empty() {
                return Ok(None);
            }
            let value = FieldValue::List(entries);
            check(field, &value)?;
            Ok(Some(value))
        }
        FieldKind::LongText => {
            let text = input.trim_end();
            Ok((!text.trim().is_empty()).then(|| FieldValue::Text(text.to_string())))
        }
        _ => {
            let text = input.trim();
            if text.is_empty() {
                return Ok(None);
            }
            let value = match field.kind {
                FieldKind::Date => FieldValue::Date(parse_date(text)?),
                FieldKind::Integer => FieldValue::Integer(parse_integer(field, text)?),
                FieldKind::Number => FieldValue::Number(parse_number(field, text)?),
                _ => FieldValue::Text(normalize_choice(field, text)),
            };
            check(field, &value)?;
            Ok(Some(value))
        }
    }
}

/// Whether a stored value is valid for the field on its own (rules that need other
/// fields live in `handoff::Handoff::field_problem`).
pub fn check(field: &Field, value: &FieldValue) -> Result<(), String> {
    match (field.kind, value) {
        (FieldKind::Text, FieldValue::Text(t)) => single_line(t),
        (FieldKind::LongText, FieldValue::Text(_)) => Ok(()),
        (FieldKind::Url, FieldValue::Text(t)) => check_url(t),
        (FieldKind::Date, FieldValue::Date(_)) => Ok(()),
        (FieldKind::Date, FieldValue::Text(t)) => parse_date(t).map(drop),
        (FieldKind::Integer, FieldValue::Integer(n)) => check_bounds(field, *n as f64),
        (FieldKind::Integer, FieldValue::Text(t)) => {
            check_bounds(field, parse_integer(field, t)? as f64)
        }
        (FieldKind::Number, FieldValue::Number(n)) => {
            if n.is_finite() {
                check_bounds(field, *n)
            } else {
                Err(NUMBER_HELP.to_string())
            }
        }
        (FieldKind::Number, FieldValue::Integer(n)) => check_bounds(field, *n as f64),
        (FieldKind::Number, FieldValue::Text(t)) => check_bounds(field, parse_number(field, t)?),
        (FieldKind::Choice, FieldValue::Text(t)) => check_choice(field, t),
        (FieldKind::MultiChoice, FieldValue::List(items)) => {
            check_entries(items, |c| check_choice(field, c))?;
            check_unique(field, items)
        }
        (FieldKind::List, FieldValue::List(items)) => {
            check_entries(items, |entry| check_list_entry(field, entry))?;
            check_unique(field, items)
        }
        (FieldKind::List | FieldKind::MultiChoice, FieldValue::Text(t)) => {
            // A single text where a list belongs: fine if it would be a valid one-entry list.
            check(field, &FieldValue::List(vec![t.clone()]))
        }
        _ => Err(format!("Expected {}", field.kind_hint())),
    }
}

/// One entry of a list field, on its own.
pub fn check_list_entry(field: &Field, entry: &str) -> Result<(), String> {
    match field.item {
        ListItem::Text => single_line(entry),
        ListItem::Url => check_url(entry),
    }
}

/// One entry about to be added to a list (`replacing: None`) or to replace the
/// entry at that index: valid on its own, and not one the list has already when
/// the field's entries must be unique (ignoring case). For the wizard's "add".
pub fn check_new_entry(
    field: &Field,
    existing: &[String],
    entry: &str,
    replacing: Option<usize>,
) -> Result<(), String> {
    let entry = entry.trim();
    match field.kind {
        FieldKind::MultiChoice => check_choice(field, entry)?,
        _ => check_list_entry(field, entry)?,
    }
    if !field.unique {
        return Ok(());
    }
    let same = existing
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != replacing)
        .find(|(_, other)| same_entry(other, entry));
    match same {
        Some((_, other)) => Err(listed_already(entry, other)),
        None => Ok(()),
    }
}

/// Every bad entry of a list, in one line: "Entries 2 and 4: enter a full URL…",
/// one clause per different problem.
fn check_entries(
    items: &[String],
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<(), String> {
    // (problem, the entries that have it), in the order the problems first appear.
    let mut problems: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, entry) in items.iter().enumerate() {
        if let Err(e) = check(entry) {
            match problems.iter_mut().find(|(p, _)| *p == e) {
                Some((_, entries)) => entries.push(i + 1),
                None => problems.push((e, vec![i + 1])),
            }
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let clauses: Vec<String> = problems
        .iter()
        .enumerate()
        .map(|(n, (problem, entries))| {
            let which = match entries.as_slice() {
                [one] => format!("Entry {one}"),
                many => format!("Entries {}", crate::value::and_list(many)),
            };
            let which = if n == 0 {
                which
            } else {
                lowercase_first(&which)
            };
            format!("{which}: {}", lowercase_first(problem))
        })
        .collect();
    Err(clauses.join("; "))
}

/// A list whose entries must differ (`unique = true`): every entry that repeats
/// an earlier one, ignoring case, in one line.
pub fn check_unique(field: &Field, items: &[String]) -> Result<(), String> {
    if !field.unique {
        return Ok(());
    }
    let repeats: Vec<String> = items
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            items[..i]
                .iter()
                .find(|earlier| same_entry(earlier, entry))
                .map(|earlier| listed_already(entry, earlier))
        })
        .collect();
    if repeats.is_empty() {
        Ok(())
    } else {
        Err(repeats.join("; "))
    }
}

/// Two entries that name the same thing: equal ignoring case and the spaces around.
pub fn same_entry(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn listed_already(entry: &str, earlier: &str) -> String {
    let entry = entry.trim();
    let earlier = earlier.trim();
    if entry == earlier {
        format!("\"{entry}\" is listed already")
    } else {
        format!("\"{entry}\" is listed already (as \"{earlier}\")")
    }
}

/// Is there anything in this value? Empty text and empty lists count as unset.
pub fn is_empty(value: &FieldValue) -> bool {
    match value {
        FieldValue::Text(t) => t.trim().is_empty(),
        FieldValue::List(items) => items.iter().all(|i| i.trim().is_empty()),
        _ => false,
    }
}

const DATE_HELP: &str = "Enter a date as YYYY-MM-DD, e.g. 2026-03-31";
const URL_HELP: &str = "Enter a full URL starting with https:// (or http://)";

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape_ok {
        return Err(DATE_HELP.to_string());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text} is not a day in the calendar"))
}

fn check_bounds(field: &Field, n: f64) -> Result<(), String> {
    if let Some(above) = field.above
        && n <= above
    {
        return Err(format!("Must be more than {}", format_number(above)));
    }
    if let Some(min) = field.min
        && n < min
    {
        return Err(format!("Must be {} or more", format_number(min)));
    }
    if let Some(max) = field.max
        && n > max
    {
        return Err(format!("Must be at most {}", number::grouped(max)));
    }
    Ok(())
}

fn single_line(text: &str) -> Result<(), String> {
    if text.contains(['\n', '\r']) {
        Err("Must be a single line".to_string())
    } else {
        Ok(())
    }
}

/// A pragmatic check for the URLs people paste here: scheme, a host, no spaces.
fn check_url(text: &str) -> Result<(), String> {
    let text = text.trim();
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(|| URL_HELP.to_string())?;
    if text.chars().any(char::is_whitespace) {
        return Err("A URL cannot contain spaces".to_string());
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() || host.starts_with('.') || host.ends_with("..") {
        return Err("The URL has no host name, e.g. https://sourcegraph.example.com".to_string());
    }
    if let Some(port) = host_port.strip_prefix(&format!("{host}:"))
        && port.parse::<u16>().is_err()
    {
        return Err(format!("{port} is not a port number"));
    }
    Ok(())
}

fn check_choice(field: &Field, text: &str) -> Result<(), String> {
    if field.choices.iter().any(|c| c == text) {
        return Ok(());
    }
    if field.other {
        return single_line(text).and_then(|()| {
            if text.trim().is_empty() {
                Err("Describe the other choice".to_string())
            } else {
                Ok(())
            }
        });
    }
    Err(format!("Pick one of: {}", field.choices.join(", ")))
}

/// A choice typed in another case is the listed choice, not an "Other".
fn normalize_choice(field: &Field, text: &str) -> String {
    field
        .choices
        .iter()
        .find(|c| c.eq_ignore_ascii_case(text))
        .cloned()
        .unwrap_or_else(|| text.to_string())
}

/// Is this text one of the field's listed choices (as opposed to "Other")?
pub fn is_listed_choice(field: &Field, text: &str) -> bool {
    field.choices.iter().any(|c| c == text)
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::form;
    use number::INTEGER_HELP;

    pub(super) fn field(step: &str, key: &str) -> &'static Field {
        form()
            .step(step)
            .and_then(|s| s.field(key))
            .expect("field exists in the form")
    }

    fn err(step: &str, key: &str, input: &str) -> String {
        parse(field(step, key), input).expect_err(input)
    }

    fn ok(step: &str, key: &str, input: &str) -> Option<FieldValue> {
        parse(field(step, key), input).expect(input)
    }

    #[test]
    fn text() {
        assert_eq!(
            ok("handoff", "customer", "  Acme Corp "),
            Some(FieldValue::Text("Acme Corp".into()))
        );
        assert_eq!(
            ok("handoff", "customer", "株式会社 😀"),
            Some(FieldValue::Text("株式会社 😀".into()))
        );
        assert_eq!(ok("handoff", "customer", "   "), None);
        assert_eq!(
            err("handoff", "customer", "two\nlines"),
            "Must be a single line"
        );
    }

    #[test]
    fn url() {
        let url = |s: &str| ok("deployment", "instance_url", s);
        assert_eq!(
            url("https://sourcegraph.acme.com"),
            Some(FieldValue::Text("https://sourcegraph.acme.com".into()))
        );
        assert!(url("http://10.0.0.5:7080/search?q=x").is_some());
        assert!(url("https://[::1]:443/").is_some());
        let e = |s: &str| err("deployment", "instance_url", s);
        assert_eq!(e("sourcegraph.acme.com"), URL_HELP);
        assert_eq!(e("ftp://acme.com"), URL_HELP);
        assert_eq!(
            e("https://"),
            "The URL has no host name, e.g. https://sourcegraph.example.com"
        );
        assert_eq!(e("https://acme .com"), "A URL cannot contain spaces");
        assert_eq!(e("https://acme.com:99999"), "99999 is not a port number");
    }

    #[test]
    fn date() {
        let d = |s: &str| ok("deployment", "start_date", s);
        assert_eq!(
            d("2026-03-31"),
            Some(FieldValue::Date(
                NaiveDate::from_ymd_opt(2026, 3, 31).expect("date")
            ))
        );
        let e = |s: &str| err("deployment", "start_date", s);
        assert_eq!(e("31/03/2026"), DATE_HELP);
        assert_eq!(e("2026-3-31"), DATE_HELP);
        assert_eq!(e("２０２６-03-31"), DATE_HELP);
        assert_eq!(e("2026-02-30"), "2026-02-30 is not a day in the calendar");
    }

    #[test]
    fn integer() {
        assert_eq!(
            ok("code_hosts", "repositories", "1200"),
            Some(FieldValue::Integer(1200))
        );
        assert_eq!(
            ok("code_hosts", "repositories", "0"),
            Some(FieldValue::Integer(0))
        );
        let e = |s: &str| err("code_hosts", "repositories", s);
        assert_eq!(e("12.5"), INTEGER_HELP);
        assert_eq!(e("lots"), INTEGER_HELP);
        assert_eq!(e("1,20"), number::GROUPING_HELP);
        assert_eq!(e("-3"), "Must be 0 or more");
        assert_eq!(e("99999999999999999999"), "That number is too large");
    }

    #[test]
    fn number() {
        assert_eq!(
            ok("deployment", "total_cpu", "48"),
            Some(FieldValue::Number(48.0))
        );
        assert_eq!(
            ok("deployment", "total_memory_gb", "1.5"),
            Some(FieldValue::Number(1.5))
        );
        let e = |s: &str| err("deployment", "total_cpu", s);
        assert_eq!(e("0"), "Must be more than 0");
        assert_eq!(e("-1"), "Must be more than 0");
        assert_eq!(e("forty"), NUMBER_HELP);
        assert_eq!(e("inf"), NUMBER_HELP);
        assert_eq!(e("NaN"), NUMBER_HELP);
        assert_eq!(e("1e400"), NUMBER_HELP);
        assert_eq!(
            ok("code_hosts", "largest_repo_mb", "0"),
            Some(FieldValue::Number(0.0))
        );
    }

    #[test]
    fn choice_with_other() {
        let f = field("deployment", "deployment_type");
        assert_eq!(
            parse(f, "kubernetes (helm)").expect("case-insensitive"),
            Some(FieldValue::Text("Kubernetes (Helm)".into()))
        );
        assert_eq!(
            parse(f, "Nomad cluster").expect("other"),
            Some(FieldValue::Text("Nomad cluster".into()))
        );
        assert!(!is_listed_choice(f, "Nomad cluster"));
        assert!(is_listed_choice(f, "Docker Compose"));
    }

    #[test]
    fn choice_without_other() {
        let f: Field = toml::from_str(
            "key = 'cadence'\nlabel = 'Cadence'\nkind = 'choice'\nhelp = 'h'\n\
             choices = ['Every release', 'Monthly', 'Quarterly']",
        )
        .expect("field parses");
        assert_eq!(
            parse(&f, "Yearly").expect_err("not listed"),
            "Pick one of: Every release, Monthly, Quarterly"
        );
        assert!(parse(&f, "monthly").expect("listed").is_some());
    }

    #[test]
    fn multi_choice() {
        let f = field("code_hosts", "hosts");
        assert_eq!(
            parse(f, "GitHub Enterprise\nnpm registry\n\n").expect("valid"),
            Some(FieldValue::List(vec![
                "GitHub Enterprise".into(),
                "npm registry".into()
            ]))
        );
        assert_eq!(
            parse(f, "gitlab.com").expect("listed, in another case"),
            Some(FieldValue::List(vec!["GitLab.com".into()]))
        );
        assert_eq!(parse(f, "\n \n").expect("empty"), None);
    }

    #[test]
    fn list_of_urls_and_text() {
        let f = field("deployment", "tdd_links");
        assert!(
            parse(f, "https://docs.example.com/tdd")
                .expect("valid")
                .is_some()
        );
        assert_eq!(
            parse(f, "https://docs.example.com/tdd\ndocs.example.com").expect_err("second bad"),
            "Entry 2: enter a full URL starting with https:// (or http://)"
        );
        let f = field("deployment", "instance_types");
        assert_eq!(
            parse(f, "m6a.4xlarge ×3\nn2-standard-16 ×2").expect("valid"),
            Some(FieldValue::List(vec![
                "m6a.4xlarge ×3".into(),
                "n2-standard-16 ×2".into()
            ]))
        );
    }

    #[test]
    fn every_bad_entry_is_reported_in_one_line() {
        let f = field("deployment", "tdd_links");
        assert_eq!(
            parse(
                f,
                "https://a.example\nb.example\nhttps://c.example\nd.example"
            )
            .expect_err("two bad"),
            "Entries 2 and 4: enter a full URL starting with https:// (or http://)"
        );
        assert_eq!(
            parse(f, "a.example\nhttps://b .example\nc.example\nd.example").expect_err("bad"),
            "Entries 1, 3 and 4: enter a full URL starting with https:// (or http://); \
             entry 2: a URL cannot contain spaces"
        );
    }

    #[test]
    fn unique_lists_refuse_the_same_entry_in_any_case() {
        let f = field("checklist", "environments");
        assert!(f.unique, "assets/form.toml marks environments unique");
        assert_eq!(
            parse(f, "Production\nStaging\nproduction").expect_err("repeat"),
            "\"production\" is listed already (as \"Production\")"
        );
        assert_eq!(
            parse(f, "Production\nProduction\nDev\nDEV").expect_err("repeats"),
            "\"Production\" is listed already; \"DEV\" is listed already (as \"Dev\")"
        );
        let stored = FieldValue::List(vec!["Staging".into(), "STAGING ".into()]);
        assert!(
            check(f, &stored).is_err(),
            "a file's duplicate is a blocker"
        );
        let existing = ["Production".to_string(), "Staging".to_string()];
        assert_eq!(
            check_new_entry(f, &existing, " PRODUCTION ", None),
            Err("\"PRODUCTION\" is listed already (as \"Production\")".into())
        );
        assert_eq!(check_new_entry(f, &existing, "Dev", None), Ok(()));
        assert_eq!(
            check_new_entry(f, &existing, "production", Some(0)),
            Ok(()),
            "an entry may be renamed in its own place"
        );
        assert_eq!(
            check_new_entry(f, &existing, "staging", Some(0)),
            Err("\"staging\" is listed already (as \"Staging\")".into())
        );
        assert_eq!(
            check_new_entry(f, &existing, "two\nlines", None),
            Err("Must be a single line".into())
        );
        let links = field("deployment", "tdd_links");
        let same = ["https://a.example".to_string()];
        assert_eq!(
            check_new_entry(links, &same, "https://a.example", None),
            Ok(()),
            "lists without the rule may repeat"
        );
    }

    #[test]
    fn long_text_keeps_lines() {
        let f = field("lessons", "text");
        assert_eq!(
            parse(f, "first\n  indented\n\n").expect("valid"),
            Some(FieldValue::Text("first\n  indented".into()))
        );
        assert_eq!(parse(f, " \n ").expect("empty"), None);
    }

    #[test]
    fn stored_drafts_are_checked_like_input() {
        let f = field("deployment", "total_cpu");
        assert_eq!(
            check(f, &FieldValue::Text("lots".into())),
            Err(NUMBER_HELP.into())
        );
        assert_eq!(check(f, &FieldValue::Integer(8)), Ok(()));
        assert_eq!(
            check(f, &FieldValue::List(vec![])),
            Err("Expected number".into())
        );
    }

    #[test]
    fn numbers_print_plainly() {
        assert_eq!(format_number(48.0), "48");
        assert_eq!(format_number(1.5), "1.5");
    }
}
