//! What the nodes and claims say: `kubectl get nodes|pvc -o json` answers read into
//! proposals for the deployment step.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::Quantity;
use crate::fill::{Findings, GB, Proposal, Source, count, round1, short};
use crate::handoff::FieldValue;
use crate::tui::text::printable;

const STEP: &str = "deployment";
const INSTANCE_TYPE_LABELS: [&str; 2] = [
    "node.kubernetes.io/instance-type",
    "beta.kubernetes.io/instance-type",
];
const UNKNOWN_TYPE: &str = "unknown";

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
