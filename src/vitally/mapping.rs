//! Which field goes to which Vitally account trait, and whether the traits Vitally
//! has can take the values: the form's `trait = "…"` per field, changed per
//! organisation by the config file's `[vitally.traits]` (`"step.field" = "path"`,
//! or `"-"` to send a field nowhere), checked against `GET
//! /resources/customFields?model=accounts` before anything is sent.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::form::{self, FieldKind, Form};
use crate::tui::text::printable;

/// A config value that sends a field nowhere (an empty value in the file does too).
pub const UNMAPPED: &str = "-";

/// One field that a push sends, and the trait it goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedField {
    pub step: String,
    pub field: String,
    pub label: String,
    pub kind: FieldKind,
    /// The trait's path, e.g. `vitally.custom.totalCpu`.
    pub trait_path: String,
    /// Whether the config file chose this trait (rather than the form).
    pub from_config: bool,
}

impl MappedField {
    /// `step.field`, as the file, the config and `handoff set` name fields.
    pub fn key(&self) -> String {
        format!("{}.{}", self.step, self.field)
    }

    /// `deployment.total_cpu (Total CPU (cores))`, for messages.
    pub fn named(&self) -> String {
        format!("{} ({})", self.key(), self.label)
    }

    /// What kind of JSON value the field sends.
    pub fn shape(&self) -> Shape {
        match self.kind {
            FieldKind::Integer | FieldKind::Number => Shape::Number,
            FieldKind::Date => Shape::Date,
            FieldKind::List | FieldKind::MultiChoice => Shape::List,
            FieldKind::Text | FieldKind::Url | FieldKind::LongText | FieldKind::Choice => {
                Shape::Text
            }
        }
    }
}

/// The JSON a field's value becomes: text as a string, numbers as numbers, dates as
/// `YYYY-MM-DD`, lists (and multiple choices) as arrays of strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    Number,
    Date,
    List,
}

impl Shape {
    fn noun(self) -> &'static str {
        match self {
            Shape::Text => "text",
            Shape::Number => "a number",
            Shape::Date => "a date",
            Shape::List => "a list",
        }
    }

    /// Whether a trait of Vitally's type `kind` holds this shape. Vitally names
    /// its types loosely (`string`, `textarea`, `datetime`, `multiselect`, …), so
    /// case, `_`, `-` and spaces are ignored.
    pub fn fits(self, kind: &str) -> bool {
        let kind: String = kind
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        let names: &[&str] = match self {
            Shape::Text => &[
                "string",
                "text",
                "textarea",
                "longtext",
                "richtext",
                "html",
                "url",
                "link",
                "email",
                "select",
                "singleselect",
                "picklist",
                "dropdown",
                "enum",
            ],
            Shape::Number => &[
                "number",
                "integer",
                "int",
                "float",
                "double",
                "decimal",
                "currency",
                "money",
                "percent",
                "percentage",
            ],
            Shape::Date => &["date", "datetime", "timestamp"],
            Shape::List => &[
                "array",
                "list",
                "multiselect",
                "multipicklist",
                "tags",
                "stringarray",
            ],
        };
        names.contains(&kind.as_str())
    }
}

/// The fields a push sends and their traits, in form order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub fields: Vec<MappedField>,
    /// Names the config file in messages about `[vitally.traits]`.
    pub config_file: String,
}

impl Mapping {
    /// The form's mapping with this machine's `[vitally.traits]` over it.
    pub fn load() -> Result<Mapping, String> {
        let config = crate::config::load()?;
        let file = crate::config::path().map_or_else(
            || "the config file".to_string(),
            |p| p.display().to_string(),
        );
        Mapping::new(form::form(), &config.vitally.traits, &file)
    }

    /// `overrides`: field key (`deployment.total_cpu`) → trait path, `-` or empty
    /// for none. A key that names no field, or two fields on one trait, is one
    /// line naming `config_file`.
    pub fn new(
        form: &Form,
        overrides: &BTreeMap<String, String>,
        config_file: &str,
    ) -> Result<Mapping, String> {
        for key in overrides.keys() {
            let known = key
                .split_once('.')
                .and_then(|(step, field)| form.step(step)?.field(field));
            if known.is_none() {
                return Err(format!(
                    "{config_file}: [vitally.traits] `{}`: no such field; name fields as STEP.FIELD, e.g. deployment.total_cpu",
                    printable(key)
                ));
            }
        }
        let mut fields = Vec::new();
        for step in &form.steps {
            for field in &step.fields {
                let key = format!("{}.{}", step.key, field.key);
                let chosen = overrides.get(&key).map(|t| t.trim());
                let trait_path = match (chosen, &field.vitally_trait) {
                    (Some("" | UNMAPPED), _) | (None, None) => continue,
                    (Some(name), _) => name.to_string(),
                    (None, Some(name)) => name.clone(),
                };
                fields.push(MappedField {
                    step: step.key.clone(),
                    field: field.key.clone(),
                    label: field.label.clone(),
                    kind: field.kind,
                    trait_path,
                    from_config: chosen.is_some(),
                });
            }
        }
        for (i, a) in fields.iter().enumerate() {
            if let Some(b) = fields[i + 1..]
                .iter()
                .find(|b| b.trait_path == a.trait_path)
            {
                return Err(format!(
                    "{config_file}: [vitally.traits]: {} and {} both send to trait {}; map one of them elsewhere (or to \"-\")",
                    a.key(),
                    b.key(),
                    printable(&a.trait_path)
                ));
            }
        }
        Ok(Mapping {
            fields,
            config_file: config_file.to_string(),
        })
    }

    pub fn field(&self, key: &str) -> Option<&MappedField> {
        self.fields.iter().find(|f| f.key() == key)
    }

    /// What is wrong with the mapping given the account traits Vitally has: one
    /// line per mapped field whose trait is missing or of a type that cannot hold
    /// the field's values.
    pub fn problems(&self, traits: &[AccountTrait]) -> Vec<String> {
        let mut problems = Vec::new();
        for mapped in &self.fields {
            let fix = if mapped.from_config {
                format!("or change it in [vitally.traits] in {}", self.config_file)
            } else {
                format!(
                    "or map the field to another trait in [vitally.traits] in {}",
                    self.config_file
                )
            };
            match traits.iter().find(|t| t.path == mapped.trait_path) {
                None => problems.push(format!(
                    "{} maps to trait {}, which Vitally's accounts do not have; create it in Vitally (Settings → Accounts → Traits) {fix}",
                    mapped.named(),
                    printable(&mapped.trait_path)
                )),
                Some(found) if !mapped.shape().fits(found.kind()) => problems.push(format!(
                    "{} is {}, but trait {} is of type `{}` in Vitally; change the trait's type there {fix}",
                    mapped.named(),
                    mapped.shape().noun(),
                    printable(&mapped.trait_path),
                    printable(found.kind())
                )),
                Some(_) => {}
            }
        }
        problems
    }
}

/// One account trait as `GET /resources/customFields?model=accounts` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AccountTrait {
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    pub path: String,
    /// The choices of a select or multiselect trait, when Vitally has them.
    #[serde(default)]
    pub options: Option<Vec<TraitOption>>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TraitOption {
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub value: serde_json::Value,
}

impl AccountTrait {
    pub fn label(&self) -> &str {
        self.label.as_deref().unwrap_or("")
    }

    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("")
    }

    /// The value to send for `text` when the trait has a list of options: the
    /// option whose value or label is `text` (its value is sent). `None` when
    /// the trait lists no options, so any text goes.
    pub fn option_for(&self, text: &str) -> Option<Result<serde_json::Value, String>> {
        let options = self.options.as_ref().filter(|o| !o.is_empty())?;
        let found = options.iter().find(|o| {
            o.value.as_str() == Some(text)
                || o.value.as_number().is_some_and(|n| n.to_string() == text)
                || o.label.as_deref() == Some(text)
        });
        Some(found.map(|o| o.value.clone()).ok_or_else(|| {
            let names: Vec<String> = options
                .iter()
                .take(8)
                .map(|o| {
                    o.label
                        .clone()
                        .or_else(|| o.value.as_str().map(str::to_string))
                        .unwrap_or_else(|| o.value.to_string())
                })
                .collect();
            let more = if options.len() > names.len() {
                ", …"
            } else {
                ""
            };
            format!(
                "`{}` is not one of the options of trait {} ({}{more})",
                printable(text),
                printable(&self.path),
                printable(&names.join(", "))
            )
        }))
    }
}

/// The traits list; Vitally answers with an array (a `results` wrapper, as its
/// list endpoints use, is taken too).
pub fn parse_traits(body: serde_json::Value) -> Result<Vec<AccountTrait>, String> {
    let list = match body {
        serde_json::Value::Object(mut map) if map.contains_key("results") => {
            map.remove("results").unwrap_or_default()
        }
        other => other,
    };
    serde_json::from_value(list).map_err(|e| format!("a list of traits was expected ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn traits(list: serde_json::Value) -> Vec<AccountTrait> {
        parse_traits(list).expect("traits")
    }

    #[test]
    fn the_form_maps_the_dashboard_fields() {
        let mapping = Mapping::new(form::form(), &BTreeMap::new(), "config.toml").expect("ok");
        let keys: Vec<String> = mapping.fields.iter().map(MappedField::key).collect();
        assert_eq!(keys.len(), 14, "{keys:?}");
        assert_eq!(keys[0], "deployment.tdd_links");
        assert_eq!(keys[13], "code_hosts.largest_repo_mb");
        assert!(mapping.fields.iter().all(|f| !f.from_config));
    }

    #[test]
    fn the_config_changes_adds_and_removes_mappings() {
        let overrides: BTreeMap<String, String> = [
            ("deployment.total_cpu", "cpus"),
            ("code_hosts.monorepos", "-"),
            ("code_hosts.largest_repo_mb", ""),
            ("notes.upper_limit_users", "vitally.custom.seats"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mapping = Mapping::new(form::form(), &overrides, "config.toml").expect("ok");
        assert_eq!(mapping.fields.len(), 13);
        let cpu = mapping.field("deployment.total_cpu").expect("cpu");
        assert_eq!((cpu.trait_path.as_str(), cpu.from_config), ("cpus", true));
        assert!(mapping.field("code_hosts.monorepos").is_none());
        assert!(mapping.field("code_hosts.largest_repo_mb").is_none());
        assert_eq!(
            mapping
                .field("notes.upper_limit_users")
                .map(MappedField::shape),
            Some(Shape::Number)
        );
    }

    #[test]
    fn bad_config_mappings_are_one_line_naming_the_file() {
        let one = |k: &str, v: &str| [(k.to_string(), v.to_string())].into_iter().collect();
        let err = Mapping::new(form::form(), &one("deployment.cpu", "x"), "/c/config.toml")
            .expect_err("no such field");
        assert_eq!(
            err,
            "/c/config.toml: [vitally.traits] `deployment.cpu`: no such field; name fields as STEP.FIELD, e.g. deployment.total_cpu"
        );
        let err = Mapping::new(
            form::form(),
            &one("deployment.total_disk_gb", "vitally.custom.totalCpu"),
            "/c/config.toml",
        )
        .expect_err("two fields on one trait");
        assert!(
            err.contains("deployment.total_cpu and deployment.total_disk_gb both send to trait vitally.custom.totalCpu"),
            "{err}"
        );
    }

    #[test]
    fn types_fit_by_shape() {
        assert!(Shape::Number.fits("number"));
        assert!(Shape::Number.fits("Currency"));
        assert!(!Shape::Number.fits("string"));
        assert!(Shape::Text.fits("textarea"));
        assert!(Shape::Text.fits("single_select"));
        assert!(Shape::Date.fits("datetime"));
        assert!(!Shape::Date.fits("number"));
        assert!(Shape::List.fits("multi-select"));
        assert!(!Shape::List.fits("string"));
        assert!(!Shape::Text.fits("boolean"));
        assert!(!Shape::Text.fits(""));
    }

    #[test]
    fn problems_name_the_field_and_the_trait() {
        let mapping = Mapping::new(form::form(), &BTreeMap::new(), "config.toml").expect("ok");
        let mut list: Vec<serde_json::Value> = mapping
            .fields
            .iter()
            .map(|f| {
                let kind = match f.shape() {
                    Shape::Text => "string",
                    Shape::Number => "number",
                    Shape::Date => "date",
                    Shape::List => "multiselect",
                };
                json!({"label": f.label, "type": kind, "path": f.trait_path})
            })
            .collect();
        assert_eq!(
            mapping.problems(&traits(json!(list.clone()))),
            Vec::<String>::new()
        );
        list.retain(|t| t["path"] != "vitally.custom.instanceUrl");
        list[7]["type"] = json!("string");
        let problems = mapping.problems(&traits(json!({ "results": list })));
        assert_eq!(
            problems,
            [
                "deployment.instance_url (Sourcegraph instance URL) maps to trait vitally.custom.instanceUrl, which Vitally's accounts do not have; create it in Vitally (Settings → Accounts → Traits) or map the field to another trait in [vitally.traits] in config.toml",
                "deployment.total_memory_gb (Total memory (GB)) is a number, but trait vitally.custom.totalMemoryGb is of type `string` in Vitally; change the trait's type there or map the field to another trait in [vitally.traits] in config.toml",
            ]
        );
    }

    #[test]
    fn options_take_a_value_or_a_label() {
        let t: AccountTrait = serde_json::from_value(json!({
            "label": "Hosting", "type": "select", "path": "vitally.custom.hosting",
            "options": [{"label": "AWS", "value": "aws"}, {"label": "On-premises", "value": "onprem"}]
        }))
        .expect("trait");
        assert_eq!(t.option_for("aws"), Some(Ok(json!("aws"))));
        assert_eq!(t.option_for("AWS"), Some(Ok(json!("aws"))));
        assert_eq!(
            t.option_for("Hetzner"),
            Some(Err("`Hetzner` is not one of the options of trait vitally.custom.hosting (AWS, On-premises)".into()))
        );
        let free: AccountTrait =
            serde_json::from_value(json!({"path": "p", "options": null})).expect("trait");
        assert_eq!(free.option_for("anything"), None);
        assert!(parse_traits(json!({"oops": 1})).is_err());
    }
}
