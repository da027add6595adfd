//! The handoff form: steps, fields, kinds, rules and help, read from `assets/form.toml`.

use std::sync::OnceLock;

use serde::Deserialize;

/// The form text, embedded so the binary runs with nothing beside it.
pub const FORM_TOML: &str = include_str!("../assets/form.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    #[serde(rename = "step")]
    pub steps: Vec<Step>,
    pub checklist: ChecklistDefaults,
    #[serde(rename = "note_category")]
    pub note_categories: Vec<NoteCategory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub key: String,
    pub title: String,
    pub help: String,
    #[serde(default, rename = "field")]
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Url,
    Date,
    Integer,
    Number,
    Choice,
    MultiChoice,
    List,
    LongText,
}

/// What each entry of a `list` field must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListItem {
    #[default]
    Text,
    Url,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    pub help: String,
    #[serde(default)]
    pub choices: Vec<String>,
    /// Choice kinds: free text is accepted as "Other".
    #[serde(default)]
    pub other: bool,
    /// Choice kinds: a warning shown when this choice is picked.
    #[serde(default)]
    pub warn: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub item: ListItem,
    /// Value for a new handoff (list fields).
    #[serde(default)]
    pub default: Vec<String>,
    /// Numbers: the value must be at least this.
    pub min: Option<f64>,
    /// Numbers: the value must be greater than this.
    pub above: Option<f64>,
    /// Numbers: the value may be at most this (every number field has one, so an
    /// absurd value such as 1e29 is never taken for a real one).
    pub max: Option<f64>,
    /// Numbers: what the field counts ("GB", "cores"); typed after the number it is
    /// accepted ("48 GB"), another unit is refused with what to type instead.
    pub unit: Option<String>,
    /// Numbers: other spellings of `unit` that mean the same ("GiB" for "GB").
    #[serde(default)]
    pub unit_aliases: Vec<String>,
    /// Lists: no two entries may be the same, ignoring case.
    #[serde(default)]
    pub unique: bool,
    /// Dates: the key of a date field of the same step this one may not precede.
    pub not_before: Option<String>,
    /// Numbers: the key of a number field of the same step this one may not exceed.
    pub at_most: Option<String>,
    /// The Vitally account trait `handoff push` sets from this field (a path such as
    /// `vitally.custom.totalCpu`); the config file's `[vitally.traits]` can change it.
    #[serde(default, rename = "trait")]
    pub vitally_trait: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistDefaults {
    /// Title of the per-environment infrastructure item; `{environment}` is replaced.
    pub environment_item: String,
    pub default: Vec<ChecklistTemplate>,
    pub optional: Vec<ChecklistTemplate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistTemplate {
    pub key: String,
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteCategory {
    pub key: String,
    pub label: String,
    pub help: String,
}

/// Keys of the steps whose content is more than fields; the code relies on them.
pub const STEP_CODE_HOSTS: &str = "code_hosts";
pub const STEP_NOTES: &str = "notes";
pub const STEP_CHECKLIST: &str = "checklist";
pub const STEP_REVIEW: &str = "review";
/// The checklist field listing the customer's environments.
pub const FIELD_ENVIRONMENTS: &str = "environments";

/// The form, parsed once. The embedded text is checked by a unit test, so a
/// failure here can only come from a broken build.
pub fn form() -> &'static Form {
    static FORM: OnceLock<Form> = OnceLock::new();
    FORM.get_or_init(|| Form::parse(FORM_TOML).expect("the embedded assets/form.toml is valid"))
}

impl Form {
    pub fn parse(text: &str) -> Result<Form, String> {
        let form: Form = toml::from_str(text).map_err(|e| e.message().to_string())?;
        form.check()?;
        Ok(form)
    }

    /// Rules that serde cannot express: references point at fields that exist, and
    /// no two fields send to the same Vitally trait.
    fn check(&self) -> Result<(), String> {
        let mut traits = std::collections::BTreeMap::new();
        for step in &self.steps {
            for field in &step.fields {
                let refs = [&field.not_before, &field.at_most];
                for target in refs.into_iter().flatten() {
                    if step.field(target).is_none() {
                        return Err(format!(
                            "field {}.{} refers to unknown field {target}",
                            step.key, field.key
                        ));
                    }
                }
                field.check_rules(&step.key)?;
                if let Some(name) = &field.vitally_trait {
                    let key = format!("{}.{}", step.key, field.key);
                    if name.trim().is_empty() || name.trim() != name {
                        return Err(format!(
                            "field {key}: `trait` must be a trait path, e.g. vitally.custom.totalCpu"
                        ));
                    }
                    if let Some(other) = traits.insert(name.as_str(), key.clone()) {
                        return Err(format!(
                            "fields {other} and {key} both send to trait {name}"
                        ));
                    }
                }
                let is_choice = matches!(field.kind, FieldKind::Choice | FieldKind::MultiChoice);
                if is_choice == field.choices.is_empty() {
                    return Err(format!(
                        "field {}.{}: choices are for choice kinds only, and those need some",
                        step.key, field.key
                    ));
                }
            }
        }
        for key in [STEP_NOTES, STEP_CHECKLIST, STEP_REVIEW] {
            if self.step(key).is_none() {
                return Err(format!("the form has no `{key}` step"));
            }
        }
        Ok(())
    }

    pub fn step(&self, key: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.key == key)
    }

    pub fn step_index(&self, key: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.key == key)
    }

    pub fn note_category(&self, key: &str) -> Option<&NoteCategory> {
        self.note_categories.iter().find(|c| c.key == key)
    }

    /// A note category as a person names it: its number (from 1), key or label,
    /// in any case.
    pub fn note_category_named(&self, typed: &str) -> Option<&NoteCategory> {
        let typed = typed.trim();
        match typed.parse::<usize>() {
            Ok(n) => n.checked_sub(1).and_then(|i| self.note_categories.get(i)),
            Err(_) => self
                .note_categories
                .iter()
                .find(|c| c.key.eq_ignore_ascii_case(typed) || c.label.eq_ignore_ascii_case(typed)),
        }
    }
}

impl Step {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

impl Field {
    /// Each rule belongs to the kinds it can apply to; numbers always have a ceiling.
    fn check_rules(&self, step: &str) -> Result<(), String> {
        let numeric = matches!(self.kind, FieldKind::Integer | FieldKind::Number);
        let list = matches!(self.kind, FieldKind::List | FieldKind::MultiChoice);
        let misplaced = if numeric {
            self.unique.then_some("unique")
        } else if self.max.is_some() || self.min.is_some() || self.above.is_some() {
            Some("min/above/max")
        } else if self.unit.is_some() || !self.unit_aliases.is_empty() {
            Some("unit")
        } else if self.unique && !list {
            Some("unique")
        } else {
            None
        };
        if let Some(rule) = misplaced {
            return Err(format!(
                "field {step}.{}: `{rule}` does not apply to a {:?} field",
                self.key, self.kind
            ));
        }
        if numeric && self.max.is_none() {
            return Err(format!(
                "field {step}.{}: a number field needs a `max`",
                self.key
            ));
        }
        if self.unit.is_none() && !self.unit_aliases.is_empty() {
            return Err(format!(
                "field {step}.{}: `unit_aliases` without a `unit`",
                self.key
            ));
        }
        Ok(())
    }

    /// Whether `typed` names this field's unit (any case, or one of its aliases).
    pub fn is_unit(&self, typed: &str) -> bool {
        self.unit
            .iter()
            .chain(&self.unit_aliases)
            .any(|u| u.eq_ignore_ascii_case(typed))
    }

    /// A short description of what the kind expects, for help and messages.
    pub fn kind_hint(&self) -> &'static str {
        match self.kind {
            FieldKind::Text => "text",
            FieldKind::Url => "http(s) URL",
            FieldKind::Date => "date, YYYY-MM-DD",
            FieldKind::Integer => "whole number",
            FieldKind::Number => "number",
            FieldKind::Choice => "one choice",
            FieldKind::MultiChoice => "one or more choices",
            FieldKind::List => match self.item {
                ListItem::Text => "list, one entry per line",
                ListItem::Url => "list of URLs",
            },
            FieldKind::LongText => "multi-line text",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_form_parses_and_covers_the_spec() {
        let form = Form::parse(FORM_TOML).expect("embedded form parses");
        let keys: Vec<&str> = form.steps.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "handoff",
                "deployment",
                "code_hosts",
                "notes",
                "checklist",
                "lessons",
                "upgrade",
                "review"
            ]
        );
        let handoff = form.step("handoff").expect("handoff step");
        assert_eq!(
            handoff.fields.len(),
            4,
            "customer, engineer, TA, Vitally account"
        );
        let deployment = form.step("deployment").expect("deployment step");
        assert_eq!(deployment.fields.len(), 10);
        assert_eq!(form.checklist.default.len(), 5);
        assert_eq!(form.checklist.optional.len(), 3);
        assert_eq!(form.note_categories.len(), 7);
        // Every field has help text of its own and a known kind (serde rejects unknown ones).
        for step in &form.steps {
            for field in &step.fields {
                assert!(!field.help.trim().is_empty(), "{} has no help", field.key);
            }
        }
    }

    #[test]
    fn unknown_kind_is_refused() {
        let text = FORM_TOML.replace("kind = \"url\"", "kind = \"colour\"");
        let err = Form::parse(&text).expect_err("unknown kind");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn the_dashboard_fields_name_their_vitally_traits() {
        let form = Form::parse(FORM_TOML).expect("embedded form parses");
        let handoff = form.step("handoff").expect("handoff step");
        let account = handoff.field("vitally_account").expect("vitally_account");
        assert!(!account.required, "completion does not need it");
        assert_eq!(account.label, "Vitally account");
        for key in ["deployment", "code_hosts"] {
            let step = form.step(key).expect("step");
            for field in &step.fields {
                let name = field.vitally_trait.as_deref().unwrap_or_default();
                assert!(name.starts_with("vitally.custom."), "{key}.{}", field.key);
            }
        }
        let cpu = form.step("deployment").and_then(|s| s.field("total_cpu"));
        assert_eq!(
            cpu.and_then(|f| f.vitally_trait.as_deref()),
            Some("vitally.custom.totalCpu")
        );
        let text = FORM_TOML.replace(
            "trait = \"vitally.custom.monorepos\"",
            "trait = \"vitally.custom.repositories\"",
        );
        let err = Form::parse(&text).expect_err("two fields, one trait");
        assert_eq!(
            err,
            "fields code_hosts.repositories and code_hosts.monorepos both send to trait vitally.custom.repositories"
        );
    }

    #[test]
    fn note_categories_by_number_key_or_label() {
        let form = form();
        let named = |typed: &str| form.note_category_named(typed).map(|c| c.key.as_str());
        assert_eq!(named("1"), Some("upper_limits"));
        assert_eq!(named(" RISK "), Some("risk"));
        assert_eq!(
            named("special deployment details"),
            Some("special_deployment")
        );
        for nothing in ["0", "8", "weather", ""] {
            assert_eq!(named(nothing), None, "{nothing:?}");
        }
    }

    #[test]
    fn dangling_rule_is_refused() {
        let text = FORM_TOML.replace("not_before = \"start_date\"", "not_before = \"nope\"");
        let err = Form::parse(&text).expect_err("dangling reference");
        assert!(err.contains("unknown field nope"), "{err}");
    }
}
