//! The values Helm installs with, and where each of them came from.
//!
//! Helm 3 (`pkg/chartutil/dependencies.go`, `coalesce.go`, `jsonschema.go`) does, at install:
//!
//! 1. **Which subcharts** (`processDependencyEnabled`): every chart under `charts/` that a
//!    dependency names is included under the dependency's alias (or its name), once per
//!    dependency; a chart no dependency names is included under its own name. With every
//!    subchart enabled, the values are coalesced; then `tags` disable a dependency when one of
//!    its tags is `false` and none is `true`, and the first path of its comma-separated
//!    `condition` that holds a boolean (read in the coalesced values, below the parent's key)
//!    decides, over the tags. Disabled subcharts are left out, recursively.
//! 2. **Coalesce** (`CoalesceValues`): the release's values over the chart's `values.yaml`,
//!    maps merged recursively, anything else replaced (the higher source wins, a map over a
//!    scalar as a scalar over a map); then for each enabled subchart, its values under its key
//!    (created empty when absent; anything but a map there is an error, "type mismatch"), with
//!    the parent's `global` merged over the subchart's own `global`, over the subchart's
//!    `values.yaml`, recursively.
//! 3. A `null` deletes: a key whose highest source is `null` is removed when a lower source has
//!    it (`coalesceValues`, `coalesceTablesFullKey`, the subchart's stanza kept with its nulls
//!    until the subchart's own defaults are merged, as since helm/helm#12879). A `null` that no
//!    lower source has: from the release's values it is removed here (the documented meaning
//!    of `null`, and what Helm releases that clean up leftover nulls do; earlier 3.x releases
//!    kept it); from a chart's `values.yaml` it is kept, as Helm keeps it.
//! 4. **Validate** (`ValidateAgainstSchema`): the chart's schema against the coalesced values,
//!    and each enabled subchart's schema against the values under its key.
//!
//! The merge here is written as one precedence list per key rather than as Helm's pairwise
//! passes; the two agree on every case of Helm's own tests (see `tests/chart_coalesce.rs`).
//! Not reproduced: `import-values`, dependency version ranges (a dependency matches the chart
//! of its name, whatever the version), and the shallow copy in `coalesceGlobals` through which
//! a subchart's nested `global` maps can leak into its parent's.

use serde_json::{Map, Value};

use super::Chart;
use crate::pointer::push_token;

/// The most values the coalesced values may hold (the release's, the charts' defaults, and each
/// subchart's copy of `global`): some 80 bytes each as `serde_json::Value`s, so about 80 MiB at
/// most. Past it nothing more is built, and the merge says so.
pub(crate) const MAX_COALESCED: usize = 1 << 20;

/// The coalesced values would hold more than [`MAX_COALESCED`] values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// What is left of [`MAX_COALESCED`] while merging.
struct Room {
    left: usize,
    out: bool,
}

impl Room {
    fn new() -> Self {
        Room {
            left: MAX_COALESCED,
            out: false,
        }
    }

    /// Takes room for `n` values; false (and out of room from then on) when there is none.
    fn take(&mut self, n: usize) -> bool {
        if self.out || n > self.left {
            self.out = true;
            self.left = 0;
            return false;
        }
        self.left -= n;
        true
    }

    /// Takes room for a copy of `value`, counting no further than the room left.
    fn copy(&mut self, value: &Value) -> bool {
        let n = count(value, self.left.saturating_add(1));
        self.take(n)
    }
}

/// The values in `value` (itself included), counted up to `cap`.
fn count(value: &Value, cap: usize) -> usize {
    let mut n = 0;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        n += 1;
        if n >= cap {
            return n;
        }
        match v {
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    n
}

/// A chart as installed: its key in its parent's values and its enabled subcharts.
#[derive(Debug)]
pub(crate) struct Mounted<'c> {
    pub chart: &'c Chart,
    /// The key of its values in its parent's (`""` for the chart given).
    pub key: String,
    /// The keys from the top down to it, joined by `/` (`""` for the chart given).
    pub label: String,
    /// The pointer of its values in the coalesced values.
    pub pointer: String,
    pub children: Vec<Mounted<'c>>,
}

impl Mounted<'_> {
    fn child(&self, key: &str) -> Option<&Self> {
        self.children.iter().find(|c| c.key == key)
    }

    fn is_root(&self) -> bool {
        self.pointer.is_empty() && self.key.is_empty()
    }

    /// Every mounted chart, depth first.
    pub(crate) fn each(&self, visit: &mut dyn FnMut(&Mounted<'_>)) {
        visit(self);
        for child in &self.children {
            child.each(visit);
        }
    }
}

/// The subcharts of `chart` as Helm includes them: charts no dependency names under their own
/// name, then one per dependency that names a chart under `charts/`, under its alias.
fn includes(chart: &Chart) -> Vec<(String, &Chart, Option<&super::Dependency>)> {
    let mut out: Vec<(String, &Chart, Option<&super::Dependency>)> = Vec::new();
    for sub in chart.subcharts() {
        if !chart.dependencies().iter().any(|d| d.name == sub.name()) {
            out.push((sub.name().to_owned(), sub, None));
        }
    }
    for dep in chart.dependencies() {
        if let Some(sub) = chart.subcharts().iter().find(|s| s.name() == dep.name) {
            out.push((dep.key().to_owned(), sub, Some(dep)));
        }
    }
    // Two includes under one key: Helm coalesces both into the same map; the first is kept.
    let mut seen = std::collections::HashSet::new();
    out.retain(|(key, _, _)| seen.insert(key.clone()));
    out
}

fn mount_all<'c>(
    chart: &'c Chart,
    key: &str,
    parent: Option<&Mounted<'_>>,
    depth: usize,
) -> Mounted<'c> {
    let (label, pointer) = match parent {
        None => (String::new(), String::new()),
        Some(p) => {
            let label = if p.label.is_empty() {
                key.to_owned()
            } else {
                format!("{}/{key}", p.label)
            };
            let mut pointer = p.pointer.clone();
            push_token(&mut pointer, key);
            (label, pointer)
        }
    };
    let mut mounted = Mounted {
        chart,
        key: key.to_owned(),
        label,
        pointer,
        children: Vec::new(),
    };
    if depth < super::MAX_CHART_DEPTH {
        let children = includes(chart)
            .into_iter()
            .map(|(key, sub, _)| mount_all(sub, &key, Some(&mounted), depth + 1))
            .collect();
        mounted.children = children;
    }
    mounted
}

/// The chart's enabled subcharts for these release values.
pub(crate) fn mount<'c>(chart: &'c Chart, user: &Value) -> Result<Mounted<'c>, TooLarge> {
    let all = mount_all(chart, "", None, 0);
    let gated = |c: &Chart| {
        c.dependencies().iter().any(|d| {
            d.condition.as_deref().is_some_and(|c| !c.trim().is_empty()) || !d.tags.is_empty()
        })
    };
    let mut any = false;
    all.each(&mut |m| any |= gated(m.chart));
    if !any {
        return Ok(all);
    }
    let merged = merge(&all, user)?.values;
    let root_tags = merged.get("tags").and_then(Value::as_object);
    Ok(prune(all, &merged, "", root_tags, true))
}

/// Leaves out the subcharts that tags or conditions disable, recursively. `path` is the dotted
/// prefix of the chart's values in the coalesced values (`""`, then `cache.`).
fn prune<'c>(
    mut m: Mounted<'c>,
    merged: &Value,
    path: &str,
    root_tags: Option<&Map<String, Value>>,
    root: bool,
) -> Mounted<'c> {
    let deps = includes(m.chart);
    // Helm reads `tags` in the values coalesced for this level: the release's over this
    // chart's own defaults.
    let own_tags = if root {
        None
    } else {
        m.chart
            .default_values()
            .get("tags")
            .and_then(Value::as_object)
    };
    let tag = |name: &str| -> Option<&Value> {
        root_tags
            .and_then(|t| t.get(name))
            .or_else(|| own_tags.and_then(|t| t.get(name)))
    };
    let children = std::mem::take(&mut m.children);
    let mut kept = Vec::new();
    for child in children {
        let dep = deps
            .iter()
            .find(|(key, _, _)| *key == child.key)
            .and_then(|(_, _, dep)| *dep);
        let mut enabled = true;
        if let Some(dep) = dep {
            let (mut has_true, mut has_false) = (false, false);
            for t in &dep.tags {
                match tag(t) {
                    Some(Value::Bool(true)) => has_true = true,
                    Some(Value::Bool(false)) => has_false = true,
                    _ => {}
                }
            }
            if !has_true && has_false {
                enabled = false;
            }
            if let Some(condition) = &dep.condition {
                for c in condition.trim().split(',') {
                    if c.is_empty() {
                        continue;
                    }
                    if let Some(Value::Bool(b)) = path_value(merged, &format!("{path}{c}")) {
                        enabled = *b;
                        break;
                    }
                }
            }
        }
        if enabled {
            let sub_path = format!("{path}{}.", child.key);
            kept.push(prune(child, merged, &sub_path, root_tags, false));
        }
    }
    m.children = kept;
    m
}

/// Helm's `Values.PathValue`: a dotted path through maps to a value that is not a map.
fn path_value<'v>(values: &'v Value, path: &str) -> Option<&'v Value> {
    let mut parts = path.split('.').peekable();
    let mut at = values;
    while let Some(part) = parts.next() {
        let next = at.as_object()?.get(part)?;
        if parts.peek().is_none() {
            return (!next.is_object()).then_some(next);
        }
        at = next;
    }
    None
}

/// A source of values at one place, highest first: the release's, a chart's default, or a
/// parent's coalesced `global`.
#[derive(Clone, Copy)]
struct Src<'v> {
    value: &'v Value,
}

/// Something Helm refuses while coalescing: the values under a subchart's key are not a map.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fault {
    /// The pointer of the subchart's key in the coalesced values.
    pub pointer: String,
    /// The value found there (`null` when nothing replaced a lone `null`).
    pub found: Value,
}

/// The coalesced values and what Helm would refuse.
#[derive(Debug)]
pub(crate) struct Coalesced {
    pub values: Value,
    pub faults: Vec<Fault>,
}

/// Coalesces `user` (the release's values, an object) over the charts' defaults.
///
/// While merging, every `null` is kept where no lower source has its key (a `null` stands for
/// "delete" down to the subcharts, through `global` too); at the end, those that came from the
/// release's values are removed, and those of a chart's `values.yaml` stay.
///
/// Within [`MAX_COALESCED`] values: past them, nothing more is built and the answer is
/// [`TooLarge`] (a subchart's `global` is a copy of its parent's, so a large `global` over many
/// subcharts could otherwise grow without bound).
pub(crate) fn merge(root: &Mounted<'_>, user: &Value) -> Result<Coalesced, TooLarge> {
    let mut faults = Vec::new();
    let top = [Src { value: user }];
    let mut room = Room::new();
    let merged = merge_level(root, &top, None, &mut faults, &mut room);
    if room.out {
        return Err(TooLarge);
    }
    let mut values = Value::Object(merged);
    let mut nulls = Vec::new();
    null_members(&values, &mut String::new(), &mut nulls);
    let from_user: Vec<String> = nulls
        .into_iter()
        .filter(|p| matches!(trace(root, user, &values, p), Origin::User { .. }))
        .collect();
    // Deepest first, so that a parent's pointer stays valid.
    for pointer in from_user.iter().rev() {
        let parent = crate::pointer::parent(pointer);
        let key = crate::pointer::tokens(&pointer[parent.len()..]).next();
        if let (Some(Value::Object(map)), Some(key)) = (values.pointer_mut(parent), key) {
            map.remove(key.as_ref());
        }
    }
    Ok(Coalesced { values, faults })
}

/// The pointers of the `null` members of objects (not inside arrays, which Helm does not
/// coalesce), parents before children.
fn null_members(value: &Value, pointer: &mut String, out: &mut Vec<String>) {
    if let Value::Object(map) = value {
        for (key, member) in map {
            let base = pointer.len();
            push_token(pointer, key);
            if member.is_null() {
                out.push(pointer.clone());
            } else {
                null_members(member, pointer, out);
            }
            pointer.truncate(base);
        }
    }
}

/// The object sources among `srcs` that have `key`, with their values there.
fn present<'v>(srcs: &[Src<'v>], key: &str) -> Vec<Src<'v>> {
    srcs.iter()
        .filter_map(|s| s.value.get(key).map(|value| Src { value }))
        .collect()
}

/// The keys of the object sources, each once, in order of the highest source that has it.
fn keys<'v>(srcs: &[Src<'v>]) -> Vec<&'v str> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for s in srcs {
        if let Value::Object(map) = s.value {
            for key in map.keys() {
                if seen.insert(key.as_str()) {
                    out.push(key.as_str());
                }
            }
        }
    }
    out
}

fn objects<'v>(srcs: &[Src<'v>]) -> Vec<Src<'v>> {
    srcs.iter()
        .copied()
        .filter(|s| s.value.is_object())
        .collect()
}

/// One chart's values: `above` are the sources above its own defaults (the release's values and
/// its ancestors' defaults at its key), `parent_global` the parent's coalesced `global`.
fn merge_level(
    m: &Mounted<'_>,
    above: &[Src<'_>],
    parent_global: Option<&Value>,
    faults: &mut Vec<Fault>,
    room: &mut Room,
) -> Map<String, Value> {
    let mut srcs = objects(above);
    srcs.push(Src {
        value: m.chart.default_values(),
    });
    let mut out = Map::new();
    let root = m.is_root();
    for key in keys(&srcs) {
        if room.out {
            return out;
        }
        if m.child(key).is_some() {
            continue;
        }
        let here = present(&srcs, key);
        if key == "global" && !root {
            let value =
                global(parent_global, &here, room).unwrap_or_else(|| Value::Object(Map::new()));
            out.insert(key.to_owned(), value);
        } else if let Some(value) = resolve(&here, room) {
            out.insert(key.to_owned(), value);
        }
    }
    if !root && !out.contains_key("global") {
        let value = global(parent_global, &[], room).unwrap_or_else(|| Value::Object(Map::new()));
        out.insert("global".to_owned(), value);
    }
    for child in &m.children {
        let here = present(&srcs, &child.key);
        let below = match here.first() {
            None => Vec::new(),
            Some(first) => match first.value {
                Value::Object(_) => objects(&here),
                // Deleted by a null that a lower source fills: the subchart starts empty.
                Value::Null if here.len() > 1 => Vec::new(),
                other => {
                    if !room.copy(other) {
                        return out;
                    }
                    faults.push(Fault {
                        pointer: child.pointer.clone(),
                        found: other.clone(),
                    });
                    if !other.is_null() {
                        out.insert(child.key.clone(), other.clone());
                    }
                    continue;
                }
            },
        };
        if !room.take(1) {
            return out;
        }
        let values = merge_level(child, &below, out.get("global"), faults, room);
        out.insert(child.key.clone(), Value::Object(values));
    }
    out
}

/// A subchart's `global`: the parent's coalesced `global` over the subchart's own sources.
fn global(parent: Option<&Value>, here: &[Src<'_>], room: &mut Room) -> Option<Value> {
    // A `global` that is not a map on either side: Helm skips passing globals down.
    let own_is_map = here
        .first()
        .is_none_or(|s| s.value.is_object() || s.value.is_null());
    match parent {
        Some(p @ Value::Object(_)) if own_is_map => {
            let mut all = vec![Src { value: p }];
            all.extend_from_slice(here);
            resolve(&all, room)
        }
        _ => (!here.is_empty()).then(|| resolve(here, room)).flatten(),
    }
}

/// The value of one key from its sources (highest first, each of which has the key): a `null`
/// deletes what lower sources have.
fn resolve(here: &[Src<'_>], room: &mut Room) -> Option<Value> {
    let first = here.first()?;
    match first.value {
        Value::Null => (here.len() == 1 && room.take(1)).then_some(Value::Null),
        Value::Object(_) => {
            if !room.take(1) {
                return None;
            }
            Some(Value::Object(merge_plain(&objects(here), room)))
        }
        other => room.copy(other).then(|| other.clone()),
    }
}

fn merge_plain(srcs: &[Src<'_>], room: &mut Room) -> Map<String, Value> {
    if let [only] = srcs
        && let Value::Object(map) = only.value
    {
        // One source: taken as it is (its own value was counted by the caller).
        if !map.values().all(|v| room.copy(v)) {
            return Map::new();
        }
        return map.clone();
    }
    let mut out = Map::new();
    for key in keys(srcs) {
        if room.out {
            break;
        }
        if let Some(value) = resolve(&present(srcs, key), room) {
            out.insert(key.to_owned(), value);
        }
    }
    out
}

/// Where a value of the coalesced values came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The release's values, at this pointer below `/values`; `null` when it is a `null` there
    /// (which deleted whatever the charts had).
    User { pointer: String, null: bool },
    /// A chart's `values.yaml`: the chart's label (`""` for the chart given, else its keys
    /// joined by `/`) and the pointer in its values.
    Default {
        chart: String,
        pointer: String,
        null: bool,
    },
    /// Added by Helm: a subchart's key (`global: false`) or `global` in a subchart's values.
    Injected { global: bool },
    /// No source has it.
    Nowhere,
}

#[derive(Clone)]
enum Who {
    User,
    Default(String),
    /// The parent's coalesced `global`, at this pointer of the coalesced values.
    Merged,
}

#[derive(Clone)]
struct Traced<'v> {
    value: &'v Value,
    who: Who,
    pointer: String,
}

impl Traced<'_> {
    fn at<'v>(&self, value: &'v Value, key: &str) -> Traced<'v> {
        let mut pointer = self.pointer.clone();
        push_token(&mut pointer, key);
        Traced {
            value,
            who: self.who.clone(),
            pointer,
        }
    }
}

/// Where the value at `pointer` of the coalesced values (`merged`) came from.
pub(crate) fn trace(root: &Mounted<'_>, user: &Value, merged: &Value, pointer: &str) -> Origin {
    trace_depth(root, user, merged, pointer, 0)
}

fn trace_depth(
    root: &Mounted<'_>,
    user: &Value,
    merged: &Value,
    pointer: &str,
    depth: usize,
) -> Origin {
    let tokens: Vec<String> = crate::pointer::tokens(pointer)
        .map(|t| t.into_owned())
        .collect();
    let mut srcs: Vec<Traced<'_>> = vec![
        Traced {
            value: user,
            who: Who::User,
            pointer: String::new(),
        },
        Traced {
            value: root.chart.default_values(),
            who: Who::Default(root.label.clone()),
            pointer: String::new(),
        },
    ];
    if tokens.is_empty() {
        return Origin::User {
            pointer: String::new(),
            null: false,
        };
    }
    let mut level: Option<(&Mounted<'_>, Option<&Mounted<'_>>)> = Some((root, None));
    let last = tokens.len() - 1;
    for (i, token) in tokens.iter().enumerate() {
        let objs: Vec<Traced<'_>> = srcs
            .iter()
            .filter(|s| s.value.is_object())
            .cloned()
            .collect();
        let mut here: Vec<Traced<'_>> = objs
            .iter()
            .filter_map(|s| s.value.get(token).map(|v| s.at(v, token)))
            .collect();
        let mut next_level = None;
        if let Some((m, parent)) = level {
            if let Some(child) = m.child(token) {
                if here.is_empty() && i == last {
                    return Origin::Injected { global: false };
                }
                if here.first().is_some_and(|s| s.value.is_null()) && here.len() > 1 {
                    here.clear();
                }
                // Not a map: what Helm refuses, about the value itself.
                if let Some(first) = here.first()
                    && !first.value.is_object()
                {
                    return origin(root, user, merged, first, depth);
                }
                here.retain(|s| s.value.is_object());
                here.push(Traced {
                    value: child.chart.default_values(),
                    who: Who::Default(child.label.clone()),
                    pointer: String::new(),
                });
                if i == last {
                    return origin(root, user, merged, &here[0], depth);
                }
                srcs = here;
                level = Some((child, Some(m)));
                continue;
            }
            if token == "global"
                && let Some(parent) = parent
            {
                let mut parent_pointer = parent.pointer.clone();
                push_token(&mut parent_pointer, "global");
                let own_is_map = here
                    .first()
                    .is_none_or(|s| s.value.is_object() || s.value.is_null());
                if let Some(p @ Value::Object(_)) = merged.pointer(&parent_pointer)
                    && own_is_map
                {
                    here.insert(
                        0,
                        Traced {
                            value: p,
                            who: Who::Merged,
                            pointer: parent_pointer,
                        },
                    );
                }
                if here.is_empty() {
                    return Origin::Injected { global: true };
                }
            }
            next_level = None;
        }
        level = next_level;
        let Some(first) = here.first() else {
            return Origin::Nowhere;
        };
        if i == last || !first.value.is_object() {
            return origin(root, user, merged, first, depth);
        }
        srcs = here;
    }
    Origin::Nowhere
}

fn origin(
    root: &Mounted<'_>,
    user: &Value,
    merged: &Value,
    first: &Traced<'_>,
    depth: usize,
) -> Origin {
    let null = first.value.is_null();
    match &first.who {
        Who::User => Origin::User {
            pointer: first.pointer.clone(),
            null,
        },
        Who::Default(chart) => Origin::Default {
            chart: chart.clone(),
            pointer: first.pointer.clone(),
            null,
        },
        Who::Merged if depth < super::MAX_CHART_DEPTH => {
            trace_depth(root, user, merged, &first.pointer, depth + 1)
        }
        _ => Origin::Nowhere,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Dependency;
    use serde_json::json;

    fn chart(name: &str, values: Value) -> Chart {
        Chart::new(name, "1.0.0")
            .values(values)
            .unwrap_or_else(|_| Chart::new(name, "1.0.0"))
    }

    #[test]
    fn path_values_follow_helm() {
        let v = json!({"a": {"b": true, "t": {}}, "c": 1});
        assert_eq!(path_value(&v, "a.b"), Some(&json!(true)));
        assert_eq!(path_value(&v, "a.t"), None);
        assert_eq!(path_value(&v, "c"), Some(&json!(1)));
        assert_eq!(path_value(&v, "a.x"), None);
        assert_eq!(path_value(&v, "c.d"), None);
    }

    #[test]
    fn a_large_global_over_many_subcharts_stops_at_the_limit() {
        // 64 subcharts, each given a copy of a `global` of 2^15 values: 2^21 values in all.
        let mut root = chart("root", json!({}));
        for i in 0..64 {
            root = root.dependency(
                Dependency::new(format!("s{i}")),
                chart(&format!("s{i}"), json!({})),
            );
        }
        let global: Vec<Value> = (0..1 << 15).map(Value::from).collect();
        let user = json!({"global": {"list": global}});
        let Ok(m) = mount(&root, &user) else {
            panic!("mounted")
        };
        assert_eq!(m.children.len(), 64);
        assert!(matches!(merge(&m, &user), Err(TooLarge)));
        // Half of them fit.
        let small: Vec<Value> = (0..1 << 13).map(Value::from).collect();
        let user = json!({"global": {"list": small}});
        assert!(merge(&m, &user).is_ok());
    }

    #[test]
    fn counting_stops_at_the_cap() {
        let v = json!({"a": [1, 2, 3], "b": {"c": null}});
        assert_eq!(count(&v, usize::MAX), 7);
        assert_eq!(count(&v, 3), 3);
    }

    #[test]
    fn traces_globals_to_the_release() {
        let sub = chart("sub", json!({"global": {"x": 2}}));
        let root = chart("root", json!({})).dependency(Dependency::new("sub"), sub);
        let user = json!({"global": {"x": 1}, "sub": {"y": 1}});
        let Ok(m) = mount(&root, &user) else {
            panic!("mounted")
        };
        let Ok(merged) = merge(&m, &user).map(|c| c.values) else {
            panic!("merged")
        };
        assert_eq!(merged.pointer("/sub/global/x"), Some(&json!(1)));
        assert_eq!(
            trace(&m, &user, &merged, "/sub/global/x"),
            Origin::User {
                pointer: "/global/x".into(),
                null: false
            }
        );
        assert_eq!(
            trace(&m, &user, &merged, "/sub/y"),
            Origin::User {
                pointer: "/sub/y".into(),
                null: false
            }
        );
        assert_eq!(
            trace(&m, &json!({}), &merged, "/sub"),
            Origin::Injected { global: false }
        );
    }
}
