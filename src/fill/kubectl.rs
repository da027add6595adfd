//! Facts from a Kubernetes cluster: `kubectl get nodes -o json` and
//! `kubectl get pvc -o json` (all namespaces with `-A`, or one with `-n NS`), or the
//! same JSON from files.
//!
//! - `deployment.instance_types`: nodes grouped by the label
//!   `node.kubernetes.io/instance-type` (else the older
//!   `beta.kubernetes.io/instance-type`, else "unknown") and counted, most common
//!   first: `m6a.4xlarge ×3`.
//! - `deployment.total_cpu`: the sum of `status.capacity.cpu` (cores).
//! - `deployment.total_memory_gb`: the sum of `status.capacity.memory`, in GB of 2^30
//!   bytes, one decimal.
//! - `deployment.total_disk_gb`: the sum of the claims' `status.capacity.storage`
//!   (bound claims; pending ones have no capacity yet), same GB.
//!
//! Quantities are parsed exactly ([`Quantity`]) following Kubernetes'
//! `resource.Quantity` grammar, so `3800m`, `16302404Ki`, `1.5Gi` and `2e3` add up
//! without floating-point drift; sums are rounded once, at the end.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::{Findings, GB, Input, Proposal, Source, command, count, round1, short};
use crate::handoff::FieldValue;
use crate::tui::text::printable;

const STEP: &str = "deployment";
const INSTANCE_TYPE_LABELS: [&str; 2] = [
    "node.kubernetes.io/instance-type",
    "beta.kubernetes.io/instance-type",
];
const UNKNOWN_TYPE: &str = "unknown";

/// What `handoff fill --from kubectl` was given.
#[derive(Debug, Clone)]
pub struct Options {
    /// `--context C`, passed through to kubectl.
    pub context: Option<String>,
    /// `--namespace NS`: only that namespace's claims count towards disk.
    pub namespace: Option<String>,
    /// `--nodes FILE|-`: read this instead of running `kubectl get nodes`.
    pub nodes: Option<Input>,
    /// `--pvcs FILE|-`: read this instead of running `kubectl get pvc`.
    pub pvcs: Option<Input>,
    /// How long each kubectl run may take before it is stopped.
    pub timeout: Duration,
    /// The PATH kubectl is looked up in (and runs with); `None` keeps the
    /// environment's. Tests put fake programs first on it.
    pub path: Option<OsString>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            context: None,
            namespace: None,
            nodes: None,
            pvcs: None,
            timeout: command::DEFAULT_TIMEOUT,
            path: None,
        }
    }
}

/// Reads nodes and claims (running kubectl for whichever has no file) and proposes
/// values. Never fails as a whole: each part that cannot be read is one problem.
pub fn fill(options: &Options) -> Findings {
    if options.nodes == Some(Input::Stdin) && options.pvcs == Some(Input::Stdin) {
        let mut findings = Findings::new(Source::Kubectl);
        findings
            .problems
            .push("--nodes and --pvcs cannot both read standard input".to_string());
        return findings;
    }
    let nodes = match &options.nodes {
        Some(input) => input.read(),
        None => kubectl(
            options,
            &["get", "nodes", "-o", "json"],
            "kubectl get nodes",
        ),
    };
    let pvcs = if let Some(input) = &options.pvcs {
        input.read()
    } else {
        let mut args = vec!["get", "pvc", "-o", "json"];
        match options.namespace.as_deref() {
            Some(ns) => args.extend(["-n", ns]),
            None => args.push("-A"),
        }
        kubectl(options, &args, "kubectl get pvc")
    };
    findings(nodes, pvcs, options.namespace.as_deref())
}

fn kubectl(options: &Options, args: &[&str], shown: &str) -> Result<String, String> {
    let mut args: Vec<String> = args.iter().map(std::string::ToString::to_string).collect();
    if let Some(context) = &options.context {
        args.extend(["--context".to_string(), context.clone()]);
    }
    command::run(
        "kubectl",
        &args,
        shown,
        options.timeout,
        options.path.as_deref(),
    )
}

/// Proposals from the two JSON texts (or the one-line reason each could not be had).
/// `namespace` limits the claims counted, for files holding more than one.
pub fn findings(
    nodes: Result<String, String>,
    pvcs: Result<String, String>,
    namespace: Option<&str>,
) -> Findings {
    let mut findings = Findings::new(Source::Kubectl);
    match nodes.and_then(|text| objects(&text, "Node", "nodes")) {
        Ok(items) => add_nodes(&mut findings, &items),
        Err(problem) => findings.problems.push(problem),
    }
    match pvcs.and_then(|text| objects(&text, "PersistentVolumeClaim", "claims")) {
        Ok(items) => add_claims(&mut findings, &items, namespace),
        // kubectl missing says the same for both runs: once is enough.
        Err(problem) if findings.problems.last() == Some(&problem) => {}
        Err(problem) => findings.problems.push(problem),
    }
    findings
}

/// The objects of a `kubectl get -o json` answer: a List's items, or one object.
fn objects(text: &str, kind: &str, what: &str) -> Result<Vec<Value>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        format!("the {what} input is not JSON ({e}); expected kubectl -o json output")
    })?;
    let is_kind = value.get("kind").and_then(Value::as_str) == Some(kind);
    let items = match value {
        Value::Object(mut map) => match map.remove("items") {
            Some(Value::Array(items)) => items,
            Some(_) => {
                return Err(format!(
                    "the {what} input has an `items` that is not a list"
                ));
            }
            None if is_kind => vec![Value::Object(map)],
            None => {
                return Err(format!(
                    "the {what} input is not kubectl -o json output (no `items`)"
                ));
            }
        },
        _ => {
            return Err(format!(
                "the {what} input is not kubectl -o json output (not an object)"
            ));
        }
    };
    if let Some(other) = items
        .iter()
        .filter_map(|item| item.get("kind").and_then(Value::as_str))
        .find(|k| *k != kind)
    {
        return Err(format!(
            "the {what} input holds {} objects, not {kind}",
            short(other)
        ));
    }
    Ok(items)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Object {
    metadata: Metadata,
    status: Status,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Metadata {
    name: String,
    namespace: String,
    labels: BTreeMap<String, Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Status {
    capacity: BTreeMap<String, Value>,
    phase: String,
}

fn object(item: &Value) -> Object {
    // Unexpected shapes inside an item (a label that is a number) fall back to empty
    // parts, which are then reported as missing rather than failing the whole input.
    Object::deserialize(item).unwrap_or_default()
}

/// A capacity entry as a quantity, or a line saying what is wrong with it.
fn capacity(object: &Object, key: &str, what: &str) -> Result<Quantity, String> {
    let name = if object.metadata.name.is_empty() {
        "(unnamed)".to_string()
    } else {
        short(&object.metadata.name)
    };
    let text = match object.status.capacity.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) | None => return Err(format!("{what} {name} has no {key} capacity")),
    };
    let quantity = Quantity::parse(&text)
        .map_err(|e| format!("{what} {name}: {key} capacity {:?}: {e}", short(&text)))?;
    if quantity.is_negative() {
        return Err(format!("{what} {name}: {key} capacity {text} is negative"));
    }
    Ok(quantity)
}

fn add_nodes(findings: &mut Findings, items: &[Value]) {
    if items.is_empty() {
        findings
            .problems
            .push("kubectl found no nodes; instance types, CPU and memory not filled".into());
        return;
    }
    let nodes: Vec<Object> = items.iter().map(object).collect();
    let counted = count(nodes.len(), "node", "nodes");

    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    for node in &nodes {
        let label = INSTANCE_TYPE_LABELS
            .iter()
            .find_map(|key| node.metadata.labels.get(*key).and_then(Value::as_str))
            .map(|t| printable(t.trim()).into_owned())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| UNKNOWN_TYPE.to_string());
        *types.entry(label).or_default() += 1;
    }
    let mut grouped: Vec<(String, usize)> = types.into_iter().collect();
    // Most common first; "unknown" last whatever its count, as it says the least.
    grouped.sort_by(|a, b| {
        (a.0 == UNKNOWN_TYPE)
            .cmp(&(b.0 == UNKNOWN_TYPE))
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(&b.0))
    });
    let entries: Vec<String> = grouped.iter().map(|(t, n)| format!("{t} ×{n}")).collect();
    findings.propose(
        Proposal::new(STEP, "instance_types", FieldValue::List(entries))
            .with_detail(format!("{counted} by instance-type label")),
    );

    match sum(&nodes, "cpu", "node", Quantity::millis) {
        Ok(millis) => {
            let cores = millis as f64 / 1000.0;
            findings.propose(
                Proposal::new(STEP, "total_cpu", FieldValue::Number(cores))
                    .with_detail(format!("CPU capacity of {counted}")),
            );
        }
        Err(problem) => findings
            .problems
            .push(format!("total CPU not filled: {problem}")),
    }
    match sum(&nodes, "memory", "node", Quantity::whole) {
        Ok(bytes) => findings.propose(
            Proposal::new(STEP, "total_memory_gb", FieldValue::Number(gb(bytes)))
                .with_detail(format!("memory capacity of {counted}, GB = 2^30 bytes")),
        ),
        Err(problem) => findings
            .problems
            .push(format!("total memory not filled: {problem}")),
    }
}

fn add_claims(findings: &mut Findings, items: &[Value], namespace: Option<&str>) {
    let claims: Vec<Object> = items
        .iter()
        .map(object)
        .filter(|c| namespace.is_none_or(|ns| c.metadata.namespace == ns))
        .collect();
    let scope = match namespace {
        Some(ns) => format!("in namespace {}", short(ns)),
        None => "in any namespace".to_string(),
    };
    // A pending claim has no volume yet, so it provisions no disk.
    let (bound, pending): (Vec<Object>, Vec<Object>) = claims
        .into_iter()
        .partition(|c| c.status.capacity.contains_key("storage"));
    if !pending.is_empty() {
        let names: Vec<String> = pending
            .iter()
            .take(5)
            .map(|c| short(&c.metadata.name))
            .collect();
        findings.info.push(format!(
            "{} without capacity (not bound yet) not counted: {}{}",
            count(pending.len(), "claim", "claims"),
            names.join(", "),
            if pending.len() > 5 { ", …" } else { "" }
        ));
    }
    if bound.is_empty() {
        findings.problems.push(format!(
            "no bound PersistentVolumeClaims {scope}; total disk not filled"
        ));
        return;
    }
    match sum(&bound, "storage", "claim", Quantity::whole) {
        Ok(bytes) => {
            let namespaces: std::collections::BTreeSet<&str> = bound
                .iter()
                .map(|c| c.metadata.namespace.as_str())
                .collect();
            let detail = format!(
                "sum of {} in {}, GB = 2^30 bytes",
                count(bound.len(), "claim", "claims"),
                count(namespaces.len(), "namespace", "namespaces")
            );
            findings.propose(
                Proposal::new(STEP, "total_disk_gb", FieldValue::Number(gb(bytes)))
                    .with_detail(detail),
            );
        }
        Err(problem) => findings
            .problems
            .push(format!("total disk not filled: {problem}")),
    }
}

/// Adds up one capacity over all objects, in the unit `scale` gives; the first
/// object without a usable value fails the sum (a partial total would mislead).
fn sum(
    objects: &[Object],
    key: &str,
    what: &str,
    scale: fn(&Quantity) -> Option<i128>,
) -> Result<i128, String> {
    let mut total: i128 = 0;
    for object in objects {
        let quantity = capacity(object, key, what)?;
        total = scale(&quantity)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("the {key} capacities add up to more than can be counted"))?;
    }
    Ok(total)
}

fn gb(bytes: i128) -> f64 {
    round1(bytes as f64 / GB)
}

/// A Kubernetes resource quantity, held exactly:
/// `mantissa × 10^exp10 × 2^exp2`, with a sign.
///
/// The grammar (from Kubernetes' `resource.Quantity`):
///
/// ```text
/// quantity        ::= signedNumber suffix
/// suffix          ::= binarySI | decimalExponent | decimalSI
/// binarySI        ::= Ki | Mi | Gi | Ti | Pi | Ei
/// decimalSI       ::= m | "" | k | M | G | T | P | E
/// decimalExponent ::= "e" signedInteger | "E" signedInteger
/// signedNumber    ::= [+-] (digits | digits "." digits | digits "." | "." digits)
/// ```
///
/// `1E` is an exa (10^18) while `1E3` is 1000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity {
    negative: bool,
    mantissa: u128,
    exp10: i32,
    exp2: u32,
}

impl Quantity {
    pub fn parse(text: &str) -> Result<Quantity, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("empty quantity".into());
        }
        let (negative, rest) = match text.as_bytes()[0] {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        let (whole, fraction) = match number.split_once('.') {
            Some((w, f)) => (w, f),
            None => (number, ""),
        };
        if fraction.contains('.') {
            return Err("more than one decimal point".into());
        }
        if whole.is_empty() && fraction.is_empty() {
            return Err("no number (expected e.g. 16, 3800m or 64Gi)".into());
        }
        let mut mantissa: u128 = 0;
        for digit in whole.bytes().chain(fraction.bytes()) {
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(u128::from(digit - b'0')))
                .ok_or("too many digits")?;
        }
        let fraction_digits = i32::try_from(fraction.len()).map_err(|_| "too many digits")?;
        let (exp10, exp2) = match suffix {
            "" => (0, 0),
            "m" => (-3, 0),
            "k" => (3, 0),
            "M" => (6, 0),
            "G" => (9, 0),
            "T" => (12, 0),
            "P" => (15, 0),
            "E" => (18, 0),
            "Ki" => (0, 10),
            "Mi" => (0, 20),
            "Gi" => (0, 30),
            "Ti" => (0, 40),
            "Pi" => (0, 50),
            "Ei" => (0, 60),
            s if s.starts_with(['e', 'E']) => (exponent(&s[1..])?, 0),
            s => {
                return Err(format!(
                    "unknown suffix {:?} (expected m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent)",
                    short(s)
                ));
            }
        };
        Ok(Quantity {
            negative,
            mantissa,
            exp10: exp10
                .checked_sub(fraction_digits)
                .ok_or("exponent out of range")?,
            exp2,
        })
    }

    pub fn is_negative(&self) -> bool {
        self.negative && self.mantissa != 0
    }

    /// The value in units of 10^`exp`, rounded up as Kubernetes rounds; `None` when
    /// it does not fit in an `i128`.
    pub fn scaled(&self, exp: i32) -> Option<i128> {
        let binary = 1u128.checked_shl(self.exp2)?;
        let magnitude = self.mantissa.checked_mul(binary)?;
        let shift = i64::from(self.exp10) - i64::from(exp);
        let value = if shift >= 0 {
            let factor = 10u128.checked_pow(u32::try_from(shift).ok()?)?;
            magnitude.checked_mul(factor)?
        } else {
            match u32::try_from(-shift)
                .ok()
                .and_then(|s| 10u128.checked_pow(s))
            {
                Some(divisor) if self.negative => magnitude / divisor,
                Some(divisor) => magnitude.div_ceil(divisor),
                // Smaller than one unit: rounds up to 1 (or 0 when negative or zero).
                None => u128::from(magnitude != 0 && !self.negative),
            }
        };
        let value = i128::try_from(value).ok()?;
        Some(if self.negative { -value } else { value })
    }

    /// The value in thousandths (CPU millicores).
    pub fn millis(&self) -> Option<i128> {
        self.scaled(-3)
    }

    /// The value in whole units (bytes), rounded up.
    pub fn whole(&self) -> Option<i128> {
        self.scaled(0)
    }
}

/// The integer after `e`/`E`.
fn exponent(text: &str) -> Result<i32, String> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "bad exponent {:?} (expected e.g. 2e3)",
            short(text)
        ));
    }
    text.parse::<i32>()
        .map_err(|_| "exponent out of range".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn quantities_parse_exactly() {
        assert_eq!(q("3800m").millis(), Some(3800));
        assert_eq!(q("3800m").whole(), Some(4));
        assert_eq!(q("16").millis(), Some(16_000));
        assert_eq!(q("1.5").millis(), Some(1500));
        assert_eq!(q("2e3").whole(), Some(2000));
        assert_eq!(q("2E3").whole(), Some(2000));
        assert_eq!(q("2e-3").millis(), Some(2));
        assert_eq!(q("2e+3").whole(), Some(2000));
        assert_eq!(q("128974848").whole(), Some(128_974_848));
        assert_eq!(q("16302404Ki").whole(), Some(16_302_404 * 1024));
        assert_eq!(q("64Gi").whole(), Some(64 << 30));
        assert_eq!(q("1.5Gi").whole(), Some(1_610_612_736));
        assert_eq!(q("1k").whole(), Some(1000));
        assert_eq!(q("1M").whole(), Some(1_000_000));
        assert_eq!(q("1G").whole(), Some(1_000_000_000));
        assert_eq!(q("1T").whole(), Some(1_000_000_000_000));
        assert_eq!(q("1P").whole(), Some(1_000_000_000_000_000));
        assert_eq!(q("1E").whole(), Some(1_000_000_000_000_000_000));
        assert_eq!(q("1Ei").whole(), Some(1 << 60));
        assert_eq!(q("1Ti").whole(), Some(1 << 40));
        assert_eq!(q("1Pi").whole(), Some(1 << 50));
        assert_eq!(q("1Mi").whole(), Some(1 << 20));
        assert_eq!(q(".5").millis(), Some(500));
        assert_eq!(q("5.").whole(), Some(5));
        assert_eq!(q("+7").whole(), Some(7));
        assert_eq!(q("0").whole(), Some(0));
        assert_eq!(q("-1").whole(), Some(-1));
        assert!(q("-1").is_negative());
        assert!(!q("-0").is_negative());
        // Rounded up, as Kubernetes does: 1.5 millicores is 2.
        assert_eq!(q("1.5m").millis(), Some(2));
        assert_eq!(q("1e-30").whole(), Some(1));
        assert_eq!(q("1e-300").whole(), Some(1));
    }

    #[test]
    fn garbage_is_refused_with_a_message() {
        for bad in [
            "",
            " ",
            "Gi",
            "abc",
            "1Kii",
            "1 Gi",
            "1.2.3",
            ".",
            "-",
            "+",
            "1e",
            "1e+",
            "1e1.5",
            "1ki",
            "1Ki ",
            "0x10",
            "1,5",
            "∞",
            "1e99999999999",
            "--1",
            "1m1",
        ] {
            let trimmed_ok = bad == "1Ki ";
            let result = Quantity::parse(bad);
            assert_eq!(result.is_ok(), trimmed_ok, "{bad:?}: {result:?}");
        }
        assert_eq!(
            Quantity::parse("12Gb").expect_err("should fail"),
            "unknown suffix \"Gb\" (expected m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei or an exponent)"
        );
        let digits = "9".repeat(60);
        assert_eq!(
            Quantity::parse(&digits).expect_err("should fail"),
            "too many digits"
        );
    }

    #[test]
    fn values_too_large_do_not_panic() {
        assert_eq!(q("1e300").whole(), None);
        assert_eq!(q("99999999999999999999999999999999999999Ei").whole(), None);
        assert_eq!(q("1e2147483647").millis(), None);
        assert!(Quantity::parse("1e-2147483648").is_ok());
        assert_eq!(q("1e-2147483648").millis(), Some(1));
    }

    proptest::proptest! {
        /// Whatever a file holds, parsing and scaling answer without panicking.
        #[test]
        fn any_text_parses_or_is_refused(text in "\\PC{0,24}|[-+]?[0-9.]{0,20}([eE][-+]?[0-9]{0,12}|[mkMGTPE]i?)?") {
            if let Ok(quantity) = Quantity::parse(&text) {
                let _ = (quantity.millis(), quantity.whole(), quantity.scaled(i32::MIN));
            }
        }

        /// Binary suffixes are exact powers of two, decimal ones exact powers of ten.
        #[test]
        fn suffixes_scale_exactly(n in 0u64..(1 << 40), i in 0usize..6) {
            let binary = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][i];
            let decimal = ["k", "M", "G", "T", "P", "E"][i];
            let exact = |q: Quantity| q.whole();
            let shift = 10 * (i as u32 + 1);
            proptest::prop_assert_eq!(
                exact(q(&format!("{n}{binary}"))),
                i128::from(n).checked_mul(1i128 << shift)
            );
            proptest::prop_assert_eq!(
                exact(q(&format!("{n}{decimal}"))),
                i128::from(n).checked_mul(10i128.pow(3 * (i as u32 + 1)))
            );
            proptest::prop_assert_eq!(exact(q(&format!("{n}e{}", 3 * (i + 1)))), exact(q(&format!("{n}{decimal}"))));
            proptest::prop_assert_eq!(q(&format!("{n}m")).millis(), Some(i128::from(n)));
        }
    }

    fn node(name: &str, labels: Value, cpu: &str, memory: &str) -> Value {
        serde_json::json!({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": labels},
            "status": {"capacity": {"cpu": cpu, "memory": memory, "pods": "110"}}
        })
    }

    fn list(items: Vec<Value>) -> String {
        serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string()
    }

    fn claim(ns: &str, name: &str, storage: Option<&str>) -> Value {
        let status = match storage {
            Some(s) => serde_json::json!({"phase": "Bound", "capacity": {"storage": s}}),
            None => serde_json::json!({"phase": "Pending"}),
        };
        serde_json::json!({
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": name, "namespace": ns},
            "status": status
        })
    }

    #[test]
    fn nodes_are_grouped_and_summed() {
        let ga = |t: &str| serde_json::json!({"node.kubernetes.io/instance-type": t});
        let beta = |t: &str| serde_json::json!({"beta.kubernetes.io/instance-type": t});
        let nodes = list(vec![
            node("a", ga("m6a.4xlarge"), "16", "64Gi"),
            node("b", ga("m6a.4xlarge"), "16", "64Gi"),
            node("c", beta("m6a.2xlarge"), "3800m", "16302404Ki"),
            node("d", serde_json::json!({}), "2", "128974848"),
            node("e", ga("m6a.4xlarge"), "16", "64Gi"),
        ]);
        let claims = list(vec![claim("sg", "data", Some("200Gi"))]);
        let found = findings(Ok(nodes), Ok(claims), None);
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        let value = |f: &str| found.proposal(STEP, f).map(|p| p.value.clone());
        assert_eq!(
            value("instance_types"),
            Some(FieldValue::List(vec![
                "m6a.4xlarge ×3".into(),
                "m6a.2xlarge ×1".into(),
                "unknown ×1".into()
            ]))
        );
        assert_eq!(value("total_cpu"), Some(FieldValue::Number(53.8)));
        // 3×64 GiB + 16302404 KiB + 128974848 B = 207.668… GiB
        assert_eq!(value("total_memory_gb"), Some(FieldValue::Number(207.7)));
        assert_eq!(value("total_disk_gb"), Some(FieldValue::Number(200.0)));
    }

    #[test]
    fn a_bad_node_fails_only_its_fields() {
        let nodes = list(vec![
            node("ok", serde_json::json!({}), "4", "16Gi"),
            node("weird", serde_json::json!({}), "four", "16Gi"),
        ]);
        let found = findings(
            Ok(nodes),
            Err("kubectl get pvc failed (exit status 1): forbidden".into()),
            None,
        );
        assert!(found.proposal(STEP, "total_cpu").is_none());
        assert_eq!(
            found
                .proposal(STEP, "total_memory_gb")
                .map(|p| p.value.clone()),
            Some(FieldValue::Number(32.0))
        );
        assert!(found.proposal(STEP, "total_disk_gb").is_none());
        assert_eq!(
            found.problems,
            [
                "total CPU not filled: node weird: cpu capacity \"four\": no number (expected e.g. 16, 3800m or 64Gi)",
                "kubectl get pvc failed (exit status 1): forbidden",
            ]
        );
    }

    #[test]
    fn claims_respect_the_namespace_and_skip_pending_ones() {
        let claims = list(vec![
            claim("sourcegraph", "gitserver-0", Some("1Ti")),
            claim("sourcegraph", "indexed-search-0", Some("512Gi")),
            claim("monitoring", "prometheus", Some("200Gi")),
            claim("sourcegraph", "new-one", None),
        ]);
        let all = findings(Ok(list(vec![])), Ok(claims.clone()), None);
        assert_eq!(
            all.proposal(STEP, "total_disk_gb").map(|p| p.value.clone()),
            Some(FieldValue::Number(1736.0))
        );
        assert_eq!(
            all.problems,
            ["kubectl found no nodes; instance types, CPU and memory not filled"]
        );
        assert_eq!(
            all.info,
            ["1 claim without capacity (not bound yet) not counted: new-one"]
        );
        let one = findings(Ok(list(vec![])), Ok(claims.clone()), Some("sourcegraph"));
        assert_eq!(
            one.proposal(STEP, "total_disk_gb").map(|p| p.value.clone()),
            Some(FieldValue::Number(1536.0))
        );
        let none = findings(Ok(list(vec![])), Ok(claims), Some("elsewhere"));
        assert!(
            none.problems.contains(
                &"no bound PersistentVolumeClaims in namespace elsewhere; total disk not filled"
                    .to_string()
            )
        );
    }

    #[test]
    fn wrong_inputs_are_one_line_each() {
        let pvc_list = list(vec![claim("a", "b", Some("1Gi"))]);
        let found = findings(Ok(pvc_list), Ok("<html>".into()), None);
        assert_eq!(found.problems.len(), 2);
        assert_eq!(
            found.problems[0],
            "the nodes input holds PersistentVolumeClaim objects, not Node"
        );
        assert!(found.problems[1].starts_with("the claims input is not JSON"));
        let single = node("solo", serde_json::json!({}), "8", "32Gi").to_string();
        let found = findings(Ok(single), Ok(list(vec![])), None);
        assert_eq!(
            found.proposal(STEP, "total_cpu").map(|p| p.value.clone()),
            Some(FieldValue::Number(8.0))
        );
        let found = findings(Ok("{\"items\": 3}".into()), Ok("[]".into()), None);
        assert_eq!(found.problems.len(), 2);
        assert!(found.proposals.is_empty());
    }

    #[test]
    fn both_inputs_from_stdin_is_refused() {
        let found = fill(&Options {
            nodes: Some(Input::Stdin),
            pvcs: Some(Input::Stdin),
            ..Options::default()
        });
        assert_eq!(
            found.problems,
            ["--nodes and --pvcs cannot both read standard input"]
        );
    }
}
