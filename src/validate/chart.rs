//! A chart's `values.schema.json` under a budget.
//!
//! The schema comes with a chart from anyone, and so do the values; JSON Schema lets a few
//! hundred bytes of either ask for exponential work (an `anyOf` of two `$ref`s to the next
//! definition, thirty definitions deep), a stack deeper than any thread has, or millions of
//! errors. The `jsonschema` crate has no limit of its own, so the schema is rewritten before it
//! is compiled so that every application of a subschema first spends from a budget:
//!
//! - Every non-empty schema object `S` becomes a *wrapper* `{"if": {GUARD: cost}, "then": S'}`
//!   (drafts 7, 2019-09 and 2020-12) or `{"anyOf": [{SPENT: cost}, S']}` (drafts 4 and 6, which
//!   have no `if`). `GUARD` and `SPENT` are private keywords whose validator charges the
//!   application's cost to a per-evaluation meter held by the thread. While the budget lasts,
//!   `GUARD` holds (and `SPENT` fails), so the wrapper means exactly `S'`; once it is spent,
//!   every further application is valid at once, so work stops growing, and no new error is
//!   made. The verdict of an evaluation that ran out is thrown away.
//! - `S'` is `S` without what must stay at the resource root (`$schema`, `$id`, anchors,
//!   `$defs`, `definitions`, `$comment`, `$vocabulary`), so identifiers and anchors still name
//!   the wrapper, where the guard is. JSON-pointer `$ref`s are rewritten to the new places
//!   (`then` or `anyOf/1` inserted where a pointer steps from a wrapper into a moved keyword).
//! - The cost of an application is the schema's own size (its keywords and the data of `enum`,
//!   `const`, `required`…) plus what it reads of the value (members, items, string length for
//!   `pattern`/`format`/lengths, a deep walk for `uniqueItems`), so "steps" measure time, not
//!   only recursion. The guard also measures the stack below the point where the evaluation
//!   started, and counts as spent past a limit, so recursion stops before the thread's stack
//!   ends.
//! - The error pass counts, separately, how many errors its applications could produce
//!   (each `jsonschema` error costs some 400 bytes), so listing findings is bounded in memory.
//!
//! Compiling is bounded too: the document's size, depth, number of schema objects and of
//! `$ref`s have limits, checked before `jsonschema` sees it. A schema that mixes drafts, names
//! a meta-schema of its own, or points a `$ref` into data (`default`, `enum`…) is refused: the
//! rewrite could not promise to keep its meaning.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, Keyword, Uri, ValidationError};
use serde_json::{Map, Value};

use crate::Error;

/// The private keyword of the `if` form: valid while the budget lasts.
const GUARD: &str = "$cceReleaseBudget";
/// The private keyword of the `anyOf` form: valid once the budget is spent.
const SPENT: &str = "$cceReleaseSpent";

/// The largest schema document [`compile`](ChartSchema::compile) takes, in bytes of its JSON text
/// (checked by the caller that has the text).
pub(crate) const MAX_SCHEMA_BYTES: usize = 8 << 20;
/// The deepest nesting of arrays and objects in a schema document (serde_json's own limit).
const MAX_DEPTH: usize = 128;
/// The most JSON values (objects, arrays, strings, numbers…) in a schema document.
const MAX_NODES: usize = 1 << 20;
/// The most schema objects (each becomes a guarded subschema).
const MAX_OBJECTS: usize = 50_000;
/// The most references (`$ref`, `$dynamicRef`, `$recursiveRef`).
const MAX_REFS: usize = 10_000;
/// The most regular expressions (`pattern` values and `patternProperties` names): each is
/// compiled, at up to [`PATTERN_SIZE`] bytes.
const MAX_PATTERNS: usize = 1_000;
/// The largest compiled size of one regular expression (the `regex` crate's own default is
/// 10 MiB); a pattern that compiles larger is an error naming it.
const PATTERN_SIZE: usize = 64 << 10;

/// How much work applying a chart's `values.schema.json` to one payload may take.
///
/// Three limits, each with a default:
///
/// - **steps** (time): each application of a subschema costs its own size plus what it reads of
///   the value. A payload is allowed `base_steps` plus `steps_per_unit` for every unit of its
///   values' weight (one per value, one per member or item, one per 64 bytes of string).
///   Defaults: 2²⁰ + 32 per unit, about 30 ms plus a few times the cost of a plain walk.
/// - **errors** (memory): when the values are invalid, listing the findings makes one error
///   object per failure (about 400 bytes each); the listing may make at most `errors` of them
///   (default 2¹⁵, about 13 MiB at worst). Beyond, the report says the values are invalid
///   without listing why.
/// - **stack**: recursion may use at most `stack_bytes` below the point where the evaluation
///   starts (default 512 KiB, for the 2 MiB threads servers run; lower it on smaller threads).
///
/// Past any of them, the report has one `values_schema_budget` finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValuesSchemaBudget {
    base_steps: u64,
    steps_per_unit: u64,
    errors: u64,
    stack_bytes: usize,
}

impl Default for ValuesSchemaBudget {
    fn default() -> Self {
        ValuesSchemaBudget {
            base_steps: 1 << 20,
            steps_per_unit: 32,
            errors: 1 << 15,
            stack_bytes: 512 << 10,
        }
    }
}

impl ValuesSchemaBudget {
    /// Steps allowed to any payload, and steps per unit of the values' weight.
    #[must_use]
    pub fn steps(mut self, base: u64, per_unit: u64) -> Self {
        self.base_steps = base;
        self.steps_per_unit = per_unit;
        self
    }

    /// The most errors the pass that lists findings may make.
    #[must_use]
    pub fn errors(mut self, errors: u64) -> Self {
        self.errors = errors;
        self
    }

    /// The most stack, in bytes, the evaluation may use below where it starts.
    #[must_use]
    pub fn stack_bytes(mut self, bytes: usize) -> Self {
        self.stack_bytes = bytes;
        self
    }

    /// The limits for these values.
    pub(crate) fn for_values(&self, values: &Value) -> Budget {
        let steps = self
            .base_steps
            .saturating_add(self.steps_per_unit.saturating_mul(weight(values)));
        Budget {
            steps,
            errors: self.errors,
            stack: self.stack_bytes,
        }
    }
}

/// The limits of one evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Budget {
    pub steps: u64,
    pub errors: u64,
    pub stack: usize,
}

/// Which limit an evaluation reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    Steps(u64),
    Errors(u64),
    Stack(usize),
    /// The values read from text hold more than this many values: too many to build for the
    /// schema to apply to (each costs some 80 bytes as a `serde_json::Value`).
    Values(usize),
}

/// What applying the schema found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Valid,
    /// Every error was passed to the callback.
    Invalid,
    /// The budget ran out. `invalid`: the values are known to be invalid (the budget ran out
    /// while listing why); otherwise the verdict is unknown. No error was passed on.
    BudgetExceeded {
        limit: Limit,
        invalid: bool,
    },
}

/// Which of the two wrapper shapes a schema uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `{"if": {GUARD: cost}, "then": S'}`: drafts 7, 2019-09, 2020-12.
    IfThen,
    /// `{"anyOf": [{SPENT: cost}, S']}`: drafts 4 and 6.
    AnyOf,
}

/// A chart's values schema, rewritten and compiled. `Send + Sync`: one compiled schema serves
/// every thread, each evaluation with its own meter.
pub(crate) struct ChartSchema {
    validator: jsonschema::Validator,
    form: Form,
}

impl fmt::Debug for ChartSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChartSchema")
            .field("form", &self.form)
            .finish_non_exhaustive()
    }
}

impl ChartSchema {
    /// Checks the limits, rewrites and compiles `schema`.
    pub(crate) fn compile(schema: &Value) -> Result<Self, Error> {
        let (rewritten, form, refused) = rewrite(schema)?;
        match options().build(&rewritten) {
            Ok(validator) => Ok(ChartSchema { validator, form }),
            Err(error) => {
                // Said of the schema as the user wrote it, when the original fails the same way
                // (its size limits hold, so compiling it is bounded too).
                let described = match (plain_options().build(schema), refused.first()) {
                    (Err(original), _) => describe(&original, |at| at.to_owned()),
                    (Ok(_), Some(refused)) => refused.clone(),
                    (Ok(_), None) => describe(&error, |at| original_path(&rewritten, at, form)),
                };
                Err(Error::ValuesSchema(described))
            }
        }
    }

    /// Applies the schema to `values` within `budget`. When the values are invalid, every
    /// error (as the original schema would report it) goes to `on_error` as it is found. If the
    /// budget runs out while they are listed (`BudgetExceeded { invalid: true }`), the errors
    /// given so far must be dropped: past that point a `not` or `oneOf` may fail for nothing.
    pub(crate) fn check(
        &self,
        values: &Value,
        budget: Budget,
        on_error: &mut dyn FnMut(&ValidationError<'_>),
    ) -> Outcome {
        let (valid, spent) = metered(budget, false, || self.validator.is_valid(values));
        if let Some(limit) = spent {
            return Outcome::BudgetExceeded {
                limit,
                invalid: false,
            };
        }
        if valid {
            return Outcome::Valid;
        }
        // Errors go to `on_error` as they come (none is kept here: a schema can make one per
        // value). Should the budget run out midway, the caller takes back what it was given.
        let form = self.form;
        let ((), spent) = metered(budget, true, || {
            for error in self.validator.iter_errors(values) {
                match form {
                    Form::IfThen => on_error(&error),
                    Form::AnyOf => unwrap(error, on_error),
                }
            }
        });
        if let Some(limit) = spent {
            // Once spent, `not` and `oneOf` may fail for nothing: none of it is reported.
            return Outcome::BudgetExceeded {
                limit,
                invalid: true,
            };
        }
        Outcome::Invalid
    }
}

/// A compile error, with where in the schema it is.
fn describe(error: &ValidationError<'_>, path: impl Fn(&str) -> String) -> String {
    let at = error.instance_path().as_str();
    let mut text = error.to_string();
    if text.ends_with("is not a \"regex\"") {
        text.push_str(&format!(
            " (or compiles to more than {PATTERN_SIZE} bytes, the most a chart's pattern may)"
        ));
    }
    if at.is_empty() {
        text
    } else {
        format!("{text} (at `{}` in the schema)", path(at))
    }
}

/// The options of the original schema: no network or files, linear-time patterns.
fn plain_options() -> jsonschema::ValidationOptions<'static> {
    jsonschema::options()
        .with_pattern_options(jsonschema::PatternOptions::regex().size_limit(PATTERN_SIZE))
}

/// The options of the guarded schema: the same, and the two private keywords.
fn options() -> jsonschema::ValidationOptions<'static> {
    plain_options()
        .with_keyword(GUARD, |_, value, _| {
            Ok(Box::new(Guard {
                cost: Cost::from_value(value),
                valid_while_left: true,
            }))
        })
        .with_keyword(SPENT, |_, value, _| {
            Ok(Box::new(Guard {
                cost: Cost::from_value(value),
                valid_while_left: false,
            }))
        })
}

/// A path in the guarded schema as the user wrote it: without the steps into wrappers.
fn original_path(document: &Value, path: &str, form: Form) -> String {
    let mut out = String::new();
    let mut at = Some(document);
    let mut tokens = path.split('/').skip(1).peekable();
    while let Some(token) = tokens.next() {
        if at
            .and_then(Value::as_object)
            .is_some_and(|m| is_wrapper(m, form))
        {
            match form {
                Form::IfThen if token == "then" => {
                    at = at.and_then(|v| v.get("then"));
                    continue;
                }
                Form::AnyOf if token == "anyOf" && tokens.peek() == Some(&"1") => {
                    tokens.next();
                    at = at.and_then(|v| v.pointer("/anyOf/1"));
                    continue;
                }
                _ => {}
            }
        }
        out.push('/');
        out.push_str(token);
        at = at.and_then(|v| match v {
            Value::Object(m) => m.get(unescape(token).as_str()),
            Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        });
    }
    out
}

fn is_wrapper(map: &Map<String, Value>, form: Form) -> bool {
    match form {
        Form::IfThen => map.get("if").and_then(|v| v.get(GUARD)).is_some(),
        Form::AnyOf => map
            .get("anyOf")
            .and_then(|v| v.get(0))
            .and_then(|v| v.get(SPENT))
            .is_some(),
    }
}

/// Replaces an error of a wrapper (`anyOf` form) by the errors of the schema it wraps.
fn unwrap(error: ValidationError<'_>, on_error: &mut dyn FnMut(&ValidationError<'_>)) {
    let mut pending: Vec<ValidationError<'_>> = vec![error];
    while let Some(error) = pending.pop() {
        let is_wrapper = matches!(
            error.kind(),
            ValidationErrorKind::AnyOf { context } if context.len() == 2 && context[0].is_empty()
        ) && error.schema_path().as_str().ends_with("/anyOf");
        if !is_wrapper {
            on_error(&error);
            continue;
        }
        if let ValidationErrorKind::AnyOf { mut context } = error.into_parts().kind
            && let Some(inner) = context.pop()
        {
            pending.extend(inner.into_iter().rev());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The meter.

#[derive(Debug, Clone, Copy)]
struct Meter {
    /// Set while an evaluation runs on this thread; a guard outside one counts as spent.
    armed: bool,
    steps_left: u64,
    /// Counted only in the error pass.
    errors_left: Option<u64>,
    stack_base: usize,
    stack_limit: usize,
    spent: Option<Limit>,
    budget: Budget,
}

impl Meter {
    const IDLE: Meter = Meter {
        armed: false,
        steps_left: 0,
        errors_left: None,
        stack_base: 0,
        stack_limit: 0,
        spent: None,
        budget: Budget {
            steps: 0,
            errors: 0,
            stack: 0,
        },
    };
}

thread_local! {
    static METER: Cell<Meter> = const { Cell::new(Meter::IDLE) };
}

/// An address on the current stack frame (safe: the address is only compared, never read).
#[inline(never)]
fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(std::ptr::addr_of!(marker)) as usize
}

/// Restores the meter that was there before, even if the evaluation unwinds.
struct Restore(Meter);

impl Drop for Restore {
    fn drop(&mut self) {
        METER.with(|m| m.set(self.0));
    }
}

/// Runs `f` with a fresh meter for `budget`; returns its result and the limit it reached.
fn metered<T>(budget: Budget, count_errors: bool, f: impl FnOnce() -> T) -> (T, Option<Limit>) {
    let meter = Meter {
        armed: true,
        steps_left: budget.steps,
        errors_left: count_errors.then_some(budget.errors),
        stack_base: stack_address(),
        stack_limit: budget.stack,
        spent: None,
        budget,
    };
    let restore = Restore(METER.with(|m| m.replace(meter)));
    let result = f();
    let spent = METER.with(|m| m.get()).spent;
    drop(restore);
    (result, spent)
}

/// What one application of a wrapped schema costs, from the numbers the rewrite put in the
/// guard: `[weight, errors, scans, patterns, unique, per_child]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cost {
    /// The schema's own size: its keywords, their data, its direct subschemas (with the
    /// keywords of those left unwrapped).
    weight: u64,
    /// The errors it can make by itself (and its unwrapped in-place subschemas).
    errors: u64,
    /// Keywords that read a string whole (`pattern`, `format`, lengths, content).
    scans: u64,
    /// `patternProperties` patterns, each matched against every member name.
    patterns: u64,
    /// `uniqueItems`: compares whole items.
    unique: bool,
    /// The most keywords of an unwrapped subschema applied to each member or item (`false`
    /// counts one): work and errors per member or item that no guard of its own counts.
    per_child: u64,
}

impl Cost {
    fn to_value(self) -> Value {
        Value::from(vec![
            self.weight,
            self.errors,
            self.scans,
            self.patterns,
            u64::from(self.unique),
            self.per_child,
        ])
    }

    fn from_value(value: &Value) -> Cost {
        let n = |i: usize| value.get(i).and_then(Value::as_u64).unwrap_or(u64::MAX);
        Cost {
            weight: n(0),
            errors: n(1),
            scans: n(2),
            patterns: n(3),
            unique: n(4) != 0,
            per_child: n(5),
        }
    }

    /// Steps and errors of one application to `instance`.
    fn charge(&self, instance: &Value) -> (u64, u64) {
        let wide = size1(instance);
        let children = self.per_child.saturating_mul(wide);
        let mut steps = self.weight.saturating_add(wide).saturating_add(children);
        match instance {
            Value::String(s) => {
                let len = 1 + (s.len() as u64) / 64;
                steps = steps.saturating_add(self.scans.saturating_mul(len));
            }
            Value::Object(map) if self.patterns > 0 => {
                let names: u64 = map.keys().map(|k| 1 + (k.len() as u64) / 64).sum();
                steps = steps.saturating_add(self.patterns.saturating_mul(names));
            }
            Value::Array(_) if self.unique => {
                steps = steps.saturating_add(weight(instance));
            }
            _ => {}
        }
        (steps, self.errors.saturating_add(children))
    }
}

/// Members, items, or 64-byte blocks of a string: what reading a value once costs.
fn size1(value: &Value) -> u64 {
    match value {
        Value::String(s) => (s.len() as u64) / 64,
        Value::Array(a) => a.len() as u64,
        Value::Object(o) => o.len() as u64,
        _ => 0,
    }
}

/// The weight of values: one per value plus what reading each costs, without recursion (and
/// with memory for one iterator per level, not per value).
pub(crate) fn weight(values: &Value) -> u64 {
    enum Children<'a> {
        Items(std::slice::Iter<'a, Value>),
        Members(serde_json::map::Values<'a>),
    }
    let mut total: u64 = 0;
    let mut stack: Vec<Children<'_>> = Vec::new();
    let mut next = Some(values);
    loop {
        if let Some(v) = next.take() {
            total = total.saturating_add(1 + size1(v));
            match v {
                Value::Array(a) => stack.push(Children::Items(a.iter())),
                Value::Object(o) => stack.push(Children::Members(o.values())),
                _ => {}
            }
        }
        let Some(top) = stack.last_mut() else {
            return total;
        };
        next = match top {
            Children::Items(items) => items.next(),
            Children::Members(members) => members.next(),
        };
        if next.is_none() {
            stack.pop();
        }
    }
}

/// The private keyword's validator.
struct Guard {
    cost: Cost,
    /// `GUARD` (valid while the budget lasts) or `SPENT` (valid once it is spent).
    valid_while_left: bool,
}

impl Guard {
    /// Charges one application; whether the budget still lasts.
    fn spend(&self, instance: &Value) -> bool {
        let (steps, errors) = self.cost.charge(instance);
        charge(steps, errors)
    }

    fn holds(&self, instance: &Value) -> bool {
        self.spend(instance) == self.valid_while_left
    }
}

/// Charges the meter; whether the budget still lasts.
fn charge(steps: u64, errors: u64) -> bool {
    METER.with(|cell| {
        let mut m = cell.get();
        if !m.armed || m.spent.is_some() {
            return false;
        }
        if m.stack_base.abs_diff(stack_address()) > m.stack_limit {
            m.spent = Some(Limit::Stack(m.budget.stack));
        } else if steps > m.steps_left {
            m.spent = Some(Limit::Steps(m.budget.steps));
        } else if let Some(left) = m.errors_left
            && errors > left
        {
            m.spent = Some(Limit::Errors(m.budget.errors));
        } else {
            m.steps_left -= steps;
            m.errors_left = m.errors_left.map(|left| left - errors);
        }
        cell.set(m);
        m.spent.is_none()
    })
}

/// Weight units per error unit: an error is some 400 bytes, a unit of weight some 50 bytes of a
/// copied value.
const WEIGHT_PER_ERROR: u64 = 8;

impl<'i> Keyword<'i> for Guard {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.holds(instance) {
            Ok(())
        } else {
            Err(ValidationError::custom("the evaluation budget"))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.holds(instance)
    }

    /// In the error pass, a wrapper's guard makes no error of its own (the wrapper's errors are
    /// those of the schema it wraps), so no copy of the value is made for one.
    ///
    /// Only `SPENT` gets here, and only for a wrapper whose schema failed: its errors are about
    /// to be made, then kept inside the wrapper's `anyOf` error, which copies the value each is
    /// about. Those copies are counted: the wrapper's own error and each error the schema can
    /// make, each a copy of the value.
    fn iter_errors(
        &self,
        instance: &'i Value,
    ) -> Box<dyn Iterator<Item = ValidationError<'i>> + 'i> {
        if self.spend(instance) && !self.valid_while_left {
            let size = weight(instance);
            let copies = self
                .cost
                .errors
                .saturating_add(1)
                .saturating_mul(1 + size / WEIGHT_PER_ERROR);
            let _ = charge(size, copies);
        }
        Box::new(std::iter::empty())
    }
}

// ---------------------------------------------------------------------------------------------
// The rewrite.

/// A schema that costs a few comparisons whatever the value: only these keywords, with
/// scalar values (`type` may list names). It is left unwrapped; whatever applies it pays for
/// it (see `Cost::per_child`).
fn trivial(map: &Map<String, Value>) -> bool {
    !map.is_empty()
        && map.iter().all(|(key, value)| match key.as_str() {
            "type" => {
                value.is_string()
                    || value
                        .as_array()
                        .is_some_and(|names| names.iter().all(Value::is_string))
            }
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf"
            | "minItems" | "maxItems" | "minProperties" | "maxProperties" | "title"
            | "description" | "$comment" | "readOnly" | "writeOnly" | "deprecated" | "nullable" => {
                !(value.is_object() || value.is_array())
            }
            "default" | "examples" => true,
            _ => false,
        })
}

/// The keywords of a subschema left unwrapped (0 for a wrapped one, which counts for itself).
fn unguarded_keywords(schema: &Value) -> u64 {
    match schema {
        Value::Bool(false) => 1,
        Value::Object(map) if trivial(map) => map.len() as u64,
        _ => 0,
    }
}

/// Keywords that stay on the wrapper: they name or hold resources, or say nothing.
fn stays_on_wrapper(key: &str) -> bool {
    matches!(
        key,
        "$schema"
            | "$id"
            | "id"
            | "$anchor"
            | "$dynamicAnchor"
            | "$recursiveAnchor"
            | "$defs"
            | "definitions"
            | "$comment"
            | "$vocabulary"
    )
}

/// Where a keyword's value holds subschemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// One subschema.
    Single,
    /// An array of subschemas.
    Array,
    /// An object whose values are subschemas (`dependencies`: those that are objects).
    Map,
    /// Data, never a subschema.
    Data,
    /// A keyword this crate does not know: its objects are treated as subschemas (a `$ref` may
    /// point there), but are no resources.
    Unknown,
}

fn slot(key: &str, value: &Value) -> Slot {
    match key {
        "additionalItems"
        | "additionalProperties"
        | "not"
        | "if"
        | "then"
        | "else"
        | "contains"
        | "propertyNames"
        | "unevaluatedItems"
        | "unevaluatedProperties"
        | "contentSchema" => Slot::Single,
        "items" if value.is_array() => Slot::Array,
        "items" => Slot::Single,
        "allOf" | "anyOf" | "oneOf" | "prefixItems" => Slot::Array,
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas"
        | "dependencies" => Slot::Map,
        "const" | "enum" | "default" | "examples" | "required" | "type" | "dependentRequired"
        | "$vocabulary" | "$schema" | "$id" | "id" | "$anchor" | "$dynamicAnchor"
        | "$recursiveAnchor" | "$comment" | "$ref" | "$dynamicRef" | "$recursiveRef" | "title"
        | "description" | "format" | "pattern" | "enumNames" => Slot::Data,
        _ => Slot::Unknown,
    }
}

/// Whether a subschema under `key` is at a place the draft looks for resources (`$id`).
fn finds_resources(draft: Draft, key: &str) -> bool {
    let common = matches!(
        key,
        "additionalItems"
            | "additionalProperties"
            | "not"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "definitions"
            | "patternProperties"
            | "properties"
    );
    common
        || match draft {
            Draft::Draft4 => matches!(key, "items" | "dependencies"),
            Draft::Draft6 => matches!(key, "items" | "dependencies" | "contains" | "propertyNames"),
            Draft::Draft7 => matches!(
                key,
                "items" | "dependencies" | "contains" | "propertyNames" | "if" | "then" | "else"
            ),
            Draft::Draft201909 => matches!(
                key,
                "items"
                    | "dependencies"
                    | "contains"
                    | "propertyNames"
                    | "if"
                    | "then"
                    | "else"
                    | "contentSchema"
                    | "unevaluatedItems"
                    | "unevaluatedProperties"
                    | "$defs"
                    | "dependentSchemas"
            ),
            _ => matches!(
                key,
                "items"
                    | "contains"
                    | "propertyNames"
                    | "if"
                    | "then"
                    | "else"
                    | "contentSchema"
                    | "unevaluatedItems"
                    | "unevaluatedProperties"
                    | "$defs"
                    | "dependentSchemas"
                    | "prefixItems"
            ),
        }
}

/// The identifier that makes `object` a resource of its own, as the draft reads it.
fn resource_id(draft: Draft, object: &Map<String, Value>) -> Option<&str> {
    match draft {
        Draft::Draft4 | Draft::Draft6 | Draft::Draft7 => {
            let key = if draft == Draft::Draft4 { "id" } else { "$id" };
            let id = object.get(key)?.as_str()?;
            (!object.contains_key("$ref") && !id.starts_with('#')).then_some(id)
        }
        _ => object.get("$id")?.as_str(),
    }
}

fn schema_error(message: impl Into<String>) -> Error {
    Error::ValuesSchema(message.into())
}

/// Checks the document's size limits without recursion.
fn check_limits(schema: &Value) -> Result<(), Error> {
    let (mut nodes, mut objects, mut refs, mut patterns) = (0usize, 0usize, 0usize, 0usize);
    let mut stack = vec![(schema, 1usize)];
    let too_deep = || {
        schema_error(format!(
            "the schema nests deeper than {MAX_DEPTH} levels of objects and arrays"
        ))
    };
    while let Some((value, depth)) = stack.pop() {
        nodes += 1;
        if nodes > MAX_NODES {
            return Err(schema_error(format!(
                "the schema has more than {MAX_NODES} JSON values, the most a chart schema may have"
            )));
        }
        match value {
            Value::Object(map) => {
                objects += 1;
                refs += ["$ref", "$dynamicRef", "$recursiveRef"]
                    .iter()
                    .filter(|k| map.contains_key(**k))
                    .count();
                patterns += usize::from(map.get("pattern").is_some_and(Value::is_string))
                    + map
                        .get("patternProperties")
                        .and_then(Value::as_object)
                        .map_or(0, Map::len);
                if !map.is_empty() && depth >= MAX_DEPTH {
                    return Err(too_deep());
                }
                stack.extend(map.values().map(|child| (child, depth + 1)));
            }
            Value::Array(items) => {
                if !items.is_empty() && depth >= MAX_DEPTH {
                    return Err(too_deep());
                }
                stack.extend(items.iter().map(|child| (child, depth + 1)));
            }
            _ => {}
        }
    }
    if objects > MAX_OBJECTS {
        return Err(schema_error(format!(
            "the schema has {objects} objects, over the {MAX_OBJECTS} a chart schema may have"
        )));
    }
    if patterns > MAX_PATTERNS {
        return Err(schema_error(format!(
            "the schema has {patterns} regular expressions (`pattern`, `patternProperties`), over \
             the {MAX_PATTERNS} a chart schema may have"
        )));
    }
    if refs > MAX_REFS {
        return Err(schema_error(format!(
            "the schema has {refs} references (`$ref`, `$dynamicRef`, `$recursiveRef`), over the \
             {MAX_REFS} a chart schema may have"
        )));
    }
    Ok(())
}

/// The guarded schema, its form, and why references were refused (see `Rewriter::refused`).
fn rewrite(schema: &Value) -> Result<(Value, Form, Vec<String>), Error> {
    check_limits(schema)?;
    let draft = Draft::default().detect(schema);
    if draft == Draft::Unknown {
        return Err(schema_error(
            "`$schema` names a meta-schema of its own; a chart schema may only name draft 4, 6, \
             7, 2019-09 or 2020-12",
        ));
    }
    let form = match draft {
        Draft::Draft4 | Draft::Draft6 => Form::AnyOf,
        _ => Form::IfThen,
    };
    let mut rewriter = Rewriter {
        draft,
        form,
        resources: HashMap::new(),
        refused: RefCell::new(Vec::new()),
    };
    let base = match schema.as_object().and_then(|o| resource_id(draft, o)) {
        Some(id) => jsonschema::uri::from_str(id).map_err(|e| schema_error(e.to_string()))?,
        None => {
            jsonschema::uri::from_str("json-schema:///").map_err(|e| schema_error(e.to_string()))?
        }
    };
    let scope = Scope {
        base,
        resource: schema,
        finds_resources: true,
    };
    rewriter.index(schema, &scope)?;
    let rewritten = rewriter.value(schema, &scope, Slot::Single)?;
    Ok((rewritten, form, rewriter.refused.into_inner()))
}

struct Rewriter<'a> {
    draft: Draft,
    form: Form,
    /// Resources by absolute URI (without fragment), for `uri#/pointer` references.
    resources: HashMap<String, &'a Value>,
    /// References that could not be rewritten (into data, or to a resource not found): they
    /// become references that resolve nowhere, so the guarded schema fails to compile exactly
    /// when one of them is used, and this says why. Unused, they are harmless, as they were.
    refused: RefCell<Vec<String>>,
}

/// Where in the document a subschema is: the base URI, the resource a `#/…` pointer starts
/// from, and whether `$id`s count here.
#[derive(Clone)]
struct Scope<'a> {
    base: Uri<String>,
    resource: &'a Value,
    finds_resources: bool,
}

impl<'a> Rewriter<'a> {
    /// The scope inside `object`, which is a subschema in `scope`.
    fn enter(&self, object: &'a Value, scope: &Scope<'a>) -> Result<Scope<'a>, Error> {
        let Some(map) = object.as_object() else {
            return Ok(scope.clone());
        };
        if let Some(uri) = map.get("$schema").and_then(Value::as_str)
            && Draft::from_schema_uri(uri) != self.draft
        {
            return Err(schema_error(format!(
                "`$schema` `{uri}` below the root names another draft than the root's; a chart \
                 schema must use one draft throughout"
            )));
        }
        if !scope.finds_resources || std::ptr::eq(object, scope.resource) {
            return Ok(scope.clone());
        }
        match resource_id(self.draft, map) {
            Some(id) => {
                let base = jsonschema::uri::resolve_against(&scope.base.borrow(), id)
                    .map_err(|e| schema_error(format!("`$id` `{id}`: {e}")))?;
                Ok(Scope {
                    base,
                    resource: object,
                    finds_resources: true,
                })
            }
            None => Ok(scope.clone()),
        }
    }

    /// The scope of the subschemas under `key` of an object in `scope`.
    fn below(&self, key: &str, scope: &Scope<'a>) -> Scope<'a> {
        Scope {
            finds_resources: scope.finds_resources && finds_resources(self.draft, key),
            ..scope.clone()
        }
    }

    /// First pass: every resource by its URI.
    fn index(&mut self, value: &'a Value, scope: &Scope<'a>) -> Result<(), Error> {
        let Value::Object(map) = value else {
            return Ok(());
        };
        let scope = self.enter(value, scope)?;
        if std::ptr::eq(scope.resource, value) {
            let mut uri = scope.base.clone();
            uri.set_fragment(None);
            self.resources
                .entry(uri.as_str().to_owned())
                .or_insert(value);
        }
        for (key, child) in map {
            let below = self.below(key, &scope);
            match (slot(key, child), child) {
                (Slot::Single, _) => self.index(child, &below)?,
                (Slot::Array | Slot::Unknown, Value::Array(items)) => {
                    for item in items {
                        self.index(item, &below)?;
                    }
                }
                (Slot::Map, Value::Object(members)) => {
                    for member in members.values() {
                        self.index(member, &below)?;
                    }
                }
                (Slot::Unknown, Value::Object(_)) => self.index(child, &below)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Second pass: a value at a subschema's place (`slot` says how its children are read).
    fn value(&self, value: &'a Value, scope: &Scope<'a>, slot: Slot) -> Result<Value, Error> {
        match (slot, value) {
            (Slot::Single | Slot::Unknown, Value::Object(_)) => self.schema(value, scope),
            (Slot::Array | Slot::Unknown, Value::Array(items)) => Ok(Value::Array(
                items
                    .iter()
                    .map(|item| self.value(item, scope, slot_of_item(slot)))
                    .collect::<Result<_, _>>()?,
            )),
            (Slot::Map, Value::Object(members)) => Ok(Value::Object(
                members
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.value(v, scope, Slot::Single)?)))
                    .collect::<Result<_, Error>>()?,
            )),
            _ => Ok(value.clone()),
        }
    }

    /// A schema object: its children rewritten, then wrapped.
    fn schema(&self, value: &'a Value, scope: &Scope<'a>) -> Result<Value, Error> {
        let Value::Object(map) = value else {
            return Ok(value.clone());
        };
        if trivial(map) {
            return Ok(value.clone());
        }
        let scope = self.enter(value, scope)?;
        let has_ref = map.contains_key("$ref");
        let mut wrapper = Map::new();
        let mut inner = Map::new();
        for (key, child) in map {
            if key == GUARD || key == SPENT {
                continue;
            }
            let rewritten = match key.as_str() {
                "$ref" | "$dynamicRef" => match child {
                    Value::String(reference) => Value::String(self.reference(reference, &scope)?),
                    other => other.clone(),
                },
                _ => self.value(child, &self.below(key, &scope), slot(key, child))?,
            };
            if self.stays(key, child, has_ref) {
                wrapper.insert(key.clone(), rewritten);
            } else {
                inner.insert(key.clone(), rewritten);
            }
        }
        if wrapper.is_empty() && inner.is_empty() {
            return Ok(Value::Object(Map::new()));
        }
        let cost = cost(map, has_ref && self.ignores_ref_siblings()).to_value();
        match self.form {
            Form::IfThen => {
                let mut guard = Map::new();
                guard.insert(GUARD.to_owned(), cost);
                wrapper.insert("if".to_owned(), Value::Object(guard));
                wrapper.insert("then".to_owned(), Value::Object(inner));
            }
            Form::AnyOf => {
                let mut guard = Map::new();
                guard.insert(SPENT.to_owned(), cost);
                wrapper.insert(
                    "anyOf".to_owned(),
                    Value::Array(vec![Value::Object(guard), Value::Object(inner)]),
                );
            }
        }
        Ok(Value::Object(wrapper))
    }

    fn ignores_ref_siblings(&self) -> bool {
        matches!(self.draft, Draft::Draft4 | Draft::Draft6 | Draft::Draft7)
    }

    /// Whether `key` stays on the wrapper. Drafts 4 to 7 ignore an `$id` beside `$ref`, so it
    /// moves in with the `$ref` (anchors, `#…`, count all the same and stay).
    fn stays(&self, key: &str, value: &Value, has_ref: bool) -> bool {
        if has_ref
            && self.ignores_ref_siblings()
            && matches!(key, "$id" | "id")
            && !value.as_str().is_some_and(|id| id.starts_with('#'))
        {
            return false;
        }
        stays_on_wrapper(key)
    }

    /// A reference, its JSON-pointer fragment (if any) rewritten to the guarded document.
    fn reference(&self, reference: &str, scope: &Scope<'a>) -> Result<String, Error> {
        let (uri, fragment) = match reference.strip_prefix('#') {
            Some(fragment) => ("", fragment),
            None => reference.rsplit_once('#').unwrap_or((reference, "")),
        };
        if !fragment.starts_with('/') {
            return Ok(reference.to_owned());
        }
        // Nowhere: a pointer to a private keyword, which no document position has.
        let nowhere = format!("{uri}#/{GUARD}");
        let resource = if uri.is_empty() {
            scope.resource
        } else {
            let found = jsonschema::uri::resolve_against(&scope.base.borrow(), uri)
                .ok()
                .and_then(|mut absolute| {
                    absolute.set_fragment(None);
                    self.resources.get(absolute.as_str()).copied()
                });
            match found {
                Some(resource) => resource,
                None => {
                    self.refused.borrow_mut().push(format!(
                        "`$ref` `{reference}` names a resource that is not in the schema; only \
                         references inside the schema are followed"
                    ));
                    return Ok(nowhere);
                }
            }
        };
        match self.pointer(reference, fragment, resource) {
            Ok(pointer) => Ok(format!("{uri}#{pointer}")),
            Err(why) => {
                self.refused.borrow_mut().push(why);
                Ok(nowhere)
            }
        }
    }

    /// Walks a JSON pointer as `referencing` does, and writes it for the guarded document; or
    /// why it is refused.
    fn pointer(&self, reference: &str, fragment: &str, resource: &Value) -> Result<String, String> {
        let decoded: String;
        let (text, was_encoded) = if fragment.contains('%') {
            match percent_decode(&fragment[1..]) {
                Some(text) => {
                    decoded = text;
                    (decoded.as_str(), true)
                }
                // Invalid UTF-8: jsonschema refuses it the same way in either document.
                None => return Ok(fragment.to_owned()),
            }
        } else {
            (&fragment[1..], false)
        };
        let mut out = String::new();
        let push = |out: &mut String, segment: &str| {
            out.push('/');
            if was_encoded {
                percent_encode(segment, out);
            } else {
                out.push_str(segment);
            }
        };
        let mut at = Place::Schema(resource);
        // A step that names nothing: the reference names nothing in either document.
        let mut lost = false;
        let mut segments = text.split('/');
        for segment in segments.by_ref() {
            let next = match at {
                Place::Schema(Value::Object(map)) => {
                    let token = unescape(segment);
                    let wrapped = !trivial(map) && map.keys().any(|k| k != GUARD && k != SPENT);
                    let private = token == GUARD || token == SPENT;
                    let Some(child) = map.get(token.as_str()).filter(|_| !private) else {
                        push(&mut out, segment);
                        lost = true;
                        break;
                    };
                    let has_ref = map.contains_key("$ref");
                    if wrapped && !self.stays(&token, child, has_ref) {
                        match self.form {
                            Form::IfThen => push(&mut out, "then"),
                            Form::AnyOf => {
                                push(&mut out, "anyOf");
                                push(&mut out, "1");
                            }
                        }
                    }
                    push(&mut out, segment);
                    match slot(&token, child) {
                        Slot::Single => Place::Schema(child),
                        Slot::Array => Place::Schemas(child),
                        Slot::Map => Place::Map(child),
                        Slot::Unknown => match child {
                            Value::Array(_) => Place::Unknown(child),
                            _ => Place::Schema(child),
                        },
                        Slot::Data => Place::Data,
                    }
                }
                Place::Schemas(Value::Array(items)) | Place::Unknown(Value::Array(items)) => {
                    push(&mut out, segment);
                    let Some(item) = segment.parse::<usize>().ok().and_then(|i| items.get(i))
                    else {
                        lost = true;
                        break;
                    };
                    match (at, item) {
                        (Place::Unknown(_), Value::Array(_)) => Place::Unknown(item),
                        (_, Value::Array(_)) => Place::Data,
                        _ => Place::Schema(item),
                    }
                }
                Place::Map(Value::Object(members)) => {
                    push(&mut out, segment);
                    match members.get(unescape(segment).as_str()) {
                        Some(member @ (Value::Object(_) | Value::Bool(_))) => Place::Schema(member),
                        Some(_) => Place::Data,
                        None => {
                            lost = true;
                            break;
                        }
                    }
                }
                _ => {
                    push(&mut out, segment);
                    Place::Data
                }
            };
            at = next;
        }
        // What is left after a step that names nothing: written as it was (it names nothing
        // in the guarded document either).
        for segment in segments {
            push(&mut out, segment);
        }
        let lands_on_schema = matches!(at, Place::Schema(v) if v.is_object() || v.is_boolean());
        if !lost && !lands_on_schema {
            return Err(format!(
                "`$ref` `{reference}` does not point to a schema (it points into data, a list or \
                 a map of schemas), which this validator cannot guard"
            ));
        }
        Ok(out)
    }
}

fn slot_of_item(slot: Slot) -> Slot {
    match slot {
        Slot::Unknown => Slot::Unknown,
        _ => Slot::Single,
    }
}

/// Where a pointer has got to in the original document.
#[derive(Clone, Copy)]
enum Place<'a> {
    /// A subschema (an object or a boolean).
    Schema(&'a Value),
    /// An array of subschemas.
    Schemas(&'a Value),
    /// An object of subschemas.
    Map(&'a Value),
    /// An array under a keyword this crate does not know.
    Unknown(&'a Value),
    /// Data.
    Data,
}

/// `~1` → `/`, `~0` → `~`.
fn unescape(segment: &str) -> String {
    if segment.contains('~') {
        segment.replace("~1", "/").replace("~0", "~")
    } else {
        segment.to_owned()
    }
}

/// `%XX` decoded (an invalid escape is kept as it is); `None` if the bytes are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Writes a pointer segment that a URI fragment can carry (RFC 3986 `pchar`).
fn percent_encode(segment: &str, out: &mut String) {
    for &b in segment.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// The cost of applying `schema` (the user's object) once.
fn cost(schema: &Map<String, Value>, only_ref: bool) -> Cost {
    let mut cost = Cost {
        weight: 1,
        ..Cost::default()
    };
    let nodes = |v: &Value| -> u64 {
        let mut n = 0u64;
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            n += 1;
            match v {
                Value::Array(a) => stack.extend(a.iter()),
                Value::Object(o) => stack.extend(o.values()),
                _ => {}
            }
        }
        n
    };
    for (key, value) in schema {
        if stays_on_wrapper(key) || key == GUARD || key == SPENT {
            continue;
        }
        if only_ref && key != "$ref" {
            continue;
        }
        cost.weight += 1;
        cost.errors += 1;
        match key.as_str() {
            "enum" | "const" | "type" => cost.weight += nodes(value),
            "required" | "dependentRequired" | "dependencies" => {
                let n = nodes(value);
                cost.weight += n;
                cost.errors += n;
            }
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                cost.weight += value.as_array().map_or(0, |a| a.len() as u64);
            }
            "properties" | "dependentSchemas" => {
                cost.weight += value.as_object().map_or(0, |o| o.len() as u64);
            }
            "patternProperties" => {
                cost.patterns = value.as_object().map_or(0, |o| o.len() as u64);
            }
            "pattern" | "format" | "minLength" | "maxLength" | "contentEncoding"
            | "contentMediaType" => cost.scans += 1,
            "uniqueItems" => cost.unique = value == &Value::Bool(true),
            _ => {}
        }
        // Subschemas left unwrapped are paid for here: once (in place, or a named property)
        // or once per member or item.
        let per_child = matches!(
            key.as_str(),
            "items"
                | "additionalItems"
                | "additionalProperties"
                | "patternProperties"
                | "propertyNames"
                | "contains"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "prefixItems"
        );
        let subschemas: Vec<&Value> = match (slot(key, value), value) {
            (Slot::Single, _) => vec![value],
            (Slot::Array, Value::Array(items)) => items.iter().collect(),
            (Slot::Map, Value::Object(members)) => members.values().collect(),
            _ => Vec::new(),
        };
        for subschema in subschemas {
            let k = unguarded_keywords(subschema);
            if per_child {
                cost.per_child = cost.per_child.max(k);
            } else {
                cost.weight += k;
                cost.errors += k;
            }
        }
    }
    cost
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use proptest::prelude::*;
    use serde_json::json;
    use std::collections::BTreeSet;

    const PLENTY: Budget = Budget {
        steps: u64::MAX,
        errors: u64::MAX,
        stack: 1 << 30,
    };

    /// (instance path, keyword) of every error, as a set.
    type Errors = BTreeSet<(String, String)>;

    fn key(error: &ValidationError<'_>) -> (String, String) {
        (
            error.instance_path().as_str().to_owned(),
            error.kind().keyword().to_owned(),
        )
    }

    /// What the original schema says: validity and errors (none if it does not compile).
    fn original(schema: &Value, instance: &Value) -> Option<(bool, Errors)> {
        let validator = plain_options().build(schema).ok()?;
        let errors = validator.iter_errors(instance).map(|e| key(&e)).collect();
        Some((validator.is_valid(instance), errors))
    }

    fn guarded(chart: &ChartSchema, instance: &Value, budget: Budget) -> (Outcome, Errors) {
        let mut errors = Errors::new();
        let outcome = chart.check(instance, budget, &mut |e| {
            errors.insert(key(e));
        });
        // What the validator does: an error pass that ran out of budget reports nothing.
        if let Outcome::BudgetExceeded { invalid: true, .. } = outcome {
            errors.clear();
        }
        (outcome, errors)
    }

    /// The rewritten schema accepts what the original accepts, and reports the same errors.
    fn assert_same(schema: &Value, instance: &Value) {
        let Some((valid, errors)) = original(schema, instance) else {
            return;
        };
        let chart = match ChartSchema::compile(schema) {
            Ok(chart) => chart,
            // Refused on purpose (a `$ref` into data, mixed drafts): nothing to compare.
            Err(Error::ValuesSchema(message))
                if message.contains("does not point to a schema")
                    || message.contains("another draft") =>
            {
                return;
            }
            Err(e) => panic!("{schema}: {e}"),
        };
        let (outcome, guarded_errors) = guarded(&chart, instance, PLENTY);
        let expected = if valid {
            Outcome::Valid
        } else {
            Outcome::Invalid
        };
        assert_eq!(outcome, expected, "schema {schema}\ninstance {instance}");
        assert_eq!(
            guarded_errors,
            errors,
            "schema {schema}\ninstance {instance}\nrewritten {}",
            rewrite(schema).unwrap().0
        );
    }

    fn draft(uri: &str, mut schema: Value) -> Value {
        if let Value::Object(map) = &mut schema {
            map.insert("$schema".into(), Value::String(uri.into()));
        }
        schema
    }

    const DRAFTS: [&str; 5] = [
        "http://json-schema.org/draft-04/schema#",
        "http://json-schema.org/draft-06/schema#",
        "http://json-schema.org/draft-07/schema#",
        "https://json-schema.org/draft/2019-09/schema",
        "https://json-schema.org/draft/2020-12/schema",
    ];

    #[test]
    fn wrappers_keep_identifiers_and_move_the_rest() {
        let (rewritten, form, _) = rewrite(&json!({
            "$id": "https://example.com/v.json",
            "$defs": {"a": {"type": "string"}},
            "type": "object",
            "properties": {"x": {"$ref": "#/$defs/a"}, "y": {"$ref": "#/properties/x"}}
        }))
        .unwrap();
        assert_eq!(form, Form::IfThen);
        let cost = |w: u64, e: u64| json!({GUARD: [w, e, 0, 0, 0, 0]});
        assert_eq!(
            rewritten,
            json!({
                "$id": "https://example.com/v.json",
                // A schema that only compares is left as it is.
                "$defs": {"a": {"type": "string"}},
                "if": cost(6, 2),
                "then": {
                    "type": "object",
                    "properties": {
                        "x": {"if": cost(2, 1), "then": {"$ref": "#/$defs/a"}},
                        "y": {"if": cost(2, 1), "then": {"$ref": "#/then/properties/x"}}
                    }
                }
            })
        );
    }

    #[test]
    fn draft_4_and_6_use_any_of_and_drop_an_id_beside_a_ref_into_the_inner_schema() {
        let (rewritten, form, _) = rewrite(&json!({
            "$schema": "http://json-schema.org/draft-04/schema#",
            "definitions": {"a": {"id": "a.json", "$ref": "#/definitions/b", "minimum": 3},
                            "b": {"id": "#b"}},
            "items": [{"$ref": "#/definitions/a"}]
        }))
        .unwrap();
        assert_eq!(form, Form::AnyOf);
        // `id` beside `$ref` means nothing in draft 4: it moves in with the `$ref`. An anchor
        // (`#b`) stays on the wrapper.
        assert_eq!(
            rewritten["definitions"]["a"],
            json!({"anyOf": [{SPENT: [2, 1, 0, 0, 0, 0]},
                             {"id": "a.json", "$ref": "#/definitions/b", "minimum": 3}]})
        );
        assert_eq!(
            rewritten["definitions"]["b"],
            json!({"id": "#b", "anyOf": [{SPENT: [1, 0, 0, 0, 0, 0]}, {}]})
        );
        assert_eq!(
            rewritten["anyOf"][1]["items"][0]["anyOf"][1]["$ref"],
            "#/definitions/a"
        );
    }

    #[test]
    fn pointers_are_rewritten_through_wrappers_escapes_and_resources() {
        let schema = json!({
            "properties": {
                "a/b": {"items": [{"type": "string"}]},
                "c%d": {"type": "integer"},
                "r1": {"$ref": "#/properties/a~1b/items/0"},
                "r2": {"$ref": "#/properties/c%25d"},
                "r3": {"$ref": "sub.json#/properties/s"},
                "r4": {"$ref": "#anchor"},
                "r5": {"$ref": "#"}
            },
            "$defs": {"sub": {"$id": "sub.json", "properties": {"s": {"$ref": "#/properties/t"},
                                                                  "t": {"minimum": 1}}}}
        });
        let (rewritten, _, _) = rewrite(&schema).unwrap();
        let props = &rewritten["then"]["properties"];
        let refs: Vec<&str> = ["r1", "r2", "r3", "r4", "r5"]
            .iter()
            .map(|k| props[k]["then"]["$ref"].as_str().unwrap())
            .collect();
        assert_eq!(
            refs,
            [
                "#/then/properties/a~1b/then/items/0",
                "#/then/properties/c%25d",
                "sub.json#/then/properties/s",
                "#anchor",
                "#"
            ]
        );
        // Inside the embedded resource, `#/…` starts from it.
        assert_eq!(
            rewritten["$defs"]["sub"]["then"]["properties"]["s"]["then"]["$ref"],
            "#/then/properties/t"
        );
    }

    #[test]
    fn refusals_say_why() {
        for (schema, needle) in [
            (
                json!({"$ref": "#/default", "default": {"type": "string"}}),
                "does not point to a schema",
            ),
            (
                json!({"$ref": "#/properties", "properties": {}}),
                "does not point to a schema",
            ),
            (
                json!({"$schema": "http://json-schema.org/draft-07/schema#",
                       "items": [{"minimum": 1}, {"$ref": "#/items/0/minimum"}]}),
                // The original fails too, and says it its way.
                "1 is not of types",
            ),
            // Not in the document: the original's own error (nothing is fetched).
            (json!({"$ref": "other.json#/x"}), "other.json"),
            (
                json!({"$schema": "https://example.com/meta"}),
                "meta-schema of its own",
            ),
            (
                json!({"properties": {"a": {"$schema": "http://json-schema.org/draft-04/schema#"}}}),
                "another draft",
            ),
        ] {
            let e = ChartSchema::compile(&schema).unwrap_err().to_string();
            assert!(e.contains(needle), "{schema}: {e}");
        }
        // Limits.
        let mut deep = json!(1);
        for _ in 0..200 {
            deep = json!({"not": deep});
        }
        let e = ChartSchema::compile(&deep).unwrap_err().to_string();
        assert!(e.contains("deeper than 128"), "{e}");
        let defs: Map<String, Value> = (0..MAX_REFS + 1)
            .map(|i| {
                (
                    format!("d{i}"),
                    json!({"$ref": format!("#/$defs/d{}", i + 1)}),
                )
            })
            .collect();
        let e = ChartSchema::compile(&json!({"$defs": defs}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("references"), "{e}");
        // A compile error is placed where the user wrote it.
        let e = ChartSchema::compile(&json!({"properties": {"a": {"type": "strin"}}}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("`/properties/a/type`"), "{e}");
        // And in the user's words, with no trace of the wrappers.
        let e = ChartSchema::compile(&json!({"items": [{"minimum": 1}]}))
            .unwrap_err()
            .to_string();
        assert!(e.contains(r#"[{"minimum":1}] is not of types"#), "{e}");
        assert!(!e.contains(GUARD), "{e}");
    }

    #[test]
    fn patterns_as_charts_write_them_fit_the_size_limit() {
        for pattern in [
            r"^(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$",
            r"^\w{0,253}$",
            r"^[\w.-]{1,128}$",
            r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$",
            r"^([0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?)$",
        ] {
            let compiled = ChartSchema::compile(&json!({"pattern": pattern}));
            assert!(compiled.is_ok(), "{pattern}: {compiled:?}");
        }
        // A pattern that compiles larger is refused, naming it.
        let e = ChartSchema::compile(&json!({"pattern": r"^(\w{50}|[a-z0-9]{1,600}x)+$"}))
            .unwrap_err()
            .to_string();
        assert!(e.contains("[a-z0-9]{1,600}x"), "{e}");
        assert!(e.contains("65536 bytes"), "{e}");
    }

    #[test]
    fn a_user_occurrence_of_the_private_keywords_is_dropped() {
        let chart =
            ChartSchema::compile(&json!({GUARD: [0, 0, 0, 0, 0, 0], SPENT: 1, "pattern": "^a"}))
                .unwrap();
        assert_eq!(guarded(&chart, &json!("a"), PLENTY).0, Outcome::Valid);
        assert_eq!(guarded(&chart, &json!("b"), PLENTY).0, Outcome::Invalid);
    }

    fn chain(n: usize) -> Value {
        let mut defs = Map::new();
        for i in 0..n {
            let next = json!({"$ref": format!("#/$defs/d{}", i + 1)});
            defs.insert(format!("d{i}"), json!({"anyOf": [next, next]}));
        }
        defs.insert(format!("d{n}"), json!({"type": "string"}));
        json!({"$defs": defs, "$ref": "#/$defs/d0"})
    }

    #[test]
    fn exponential_schemas_stop_at_the_budget() {
        let budget = Budget {
            steps: 100_000,
            errors: 10_000,
            stack: 1 << 20,
        };
        for n in [30, 60] {
            let chart = ChartSchema::compile(&chain(n)).unwrap();
            let (outcome, errors) = guarded(&chart, &json!(1), budget);
            assert_eq!(
                outcome,
                Outcome::BudgetExceeded {
                    limit: Limit::Steps(100_000),
                    invalid: false
                }
            );
            assert!(errors.is_empty());
        }
        // A short chain fits, and says what the original says.
        assert_same(&chain(4), &json!(1));
        assert_same(&chain(4), &json!("x"));
    }

    #[test]
    fn the_error_pass_stops_at_its_own_budget() {
        let chart = ChartSchema::compile(&json!({"items": {"type": "string"}})).unwrap();
        let values = Value::Array(vec![json!(1); 1000]);
        let budget = Budget {
            steps: u64::MAX,
            errors: 100,
            stack: 1 << 20,
        };
        let (outcome, errors) = guarded(&chart, &values, budget);
        assert_eq!(
            outcome,
            Outcome::BudgetExceeded {
                limit: Limit::Errors(100),
                invalid: true
            }
        );
        assert!(errors.is_empty());
        let (outcome, errors) = guarded(&chart, &values, PLENTY);
        assert_eq!((outcome, errors.len()), (Outcome::Invalid, 1000));
    }

    #[test]
    fn draft_4_copies_of_large_values_count_against_the_error_budget() {
        // Each error kept inside a draft-4 wrapper holds a copy of the value it is about: fifty
        // missing names at the root of a large value would be fifty copies of it.
        let required: Vec<String> = (0..50).map(|i| format!("r{i}")).collect();
        let schema = json!({"$schema": "http://json-schema.org/draft-04/schema#",
                            "required": required});
        let chart = ChartSchema::compile(&schema).unwrap();
        let large: Map<String, Value> = (0..100_000).map(|i| (format!("k{i}"), json!(i))).collect();
        let budget = Budget {
            steps: u64::MAX,
            errors: 1 << 15,
            stack: 1 << 20,
        };
        let (outcome, errors) = guarded(&chart, &Value::Object(large), budget);
        assert_eq!(
            outcome,
            Outcome::BudgetExceeded {
                limit: Limit::Errors(1 << 15),
                invalid: true
            }
        );
        assert!(errors.is_empty());
        // A small value's findings are all listed.
        let mut count = 0;
        let outcome = chart.check(&json!({"k": 1}), budget, &mut |_| count += 1);
        assert_eq!((outcome, count), (Outcome::Invalid, 50));
    }

    #[test]
    fn recursion_stops_at_the_stack_budget() {
        // Each definition applies the next to the same value: recursion without end in sight.
        let n = 5_000;
        let defs: Map<String, Value> = (0..n)
            .map(|i| {
                (
                    format!("d{i}"),
                    json!({"$ref": format!("#/$defs/d{}", (i + 1) % n), "minimum": 0}),
                )
            })
            .collect();
        let schema = json!({"$defs": defs, "$ref": "#/$defs/d0"});
        let chart = ChartSchema::compile(&schema).unwrap();
        let budget = Budget {
            steps: u64::MAX,
            errors: u64::MAX,
            stack: 64 << 10,
        };
        let (outcome, _) = guarded(&chart, &json!(1), budget);
        assert_eq!(
            outcome,
            Outcome::BudgetExceeded {
                limit: Limit::Stack(64 << 10),
                invalid: false
            }
        );
    }

    #[test]
    fn the_meter_is_per_call_and_restored() {
        let chart = ChartSchema::compile(&json!({"items": {"type": "string"}})).unwrap();
        let values = Value::Array(vec![json!("a"); 10]);
        let tiny = Budget {
            steps: 3,
            errors: 3,
            stack: 1 << 20,
        };
        assert!(matches!(
            guarded(&chart, &values, tiny).0,
            Outcome::BudgetExceeded { .. }
        ));
        // A fresh call has a fresh meter, and no meter is left armed.
        assert_eq!(guarded(&chart, &values, PLENTY).0, Outcome::Valid);
        assert!(!METER.with(|m| m.get()).armed);
        // Nested evaluations (a callback that checks again) keep their own meters.
        let invalid = Value::Array(vec![json!(1); 3]);
        let mut inner = Vec::new();
        let outcome = chart.check(&invalid, PLENTY, &mut |_| {
            inner.push(guarded(&chart, &values, tiny).0);
        });
        assert_eq!(outcome, Outcome::Invalid);
        assert_eq!(inner.len(), 3);
    }

    #[test]
    fn costs_count_what_the_schema_reads() {
        let c = cost(
            json!({"type": "string", "pattern": "a", "enum": ["a", "b"], "required": ["x", "y"],
                   "patternProperties": {"^a": false}, "uniqueItems": true})
            .as_object()
            .unwrap(),
            false,
        );
        assert_eq!(
            c,
            Cost {
                weight: 1 + 6 + 1 + 3 + 3,
                errors: 6 + 3,
                scans: 1,
                patterns: 1,
                unique: true,
                per_child: 1,
            }
        );
        assert_eq!(Cost::from_value(&c.to_value()), c);
        // Reading a long string costs a step per 64 bytes per scanning keyword.
        let long = Value::String("x".repeat(6400));
        // A string is no container: `false` under `patternProperties` costs nothing here.
        assert_eq!(
            c.charge(&long),
            (c.weight + 100 + 100 + 101, c.errors + 100)
        );
        assert_eq!(
            c.charge(&json!({"a": 1, "b": 2})),
            (c.weight + 2 + 2 + 2, c.errors + 2)
        );
        // The object (1 + 2 members), the array (1 + 2 items), three scalars.
        assert_eq!(weight(&json!({"a": [1, 2], "b": "x"})), 3 + 3 + 3);
    }

    #[test]
    fn the_fixture_chart_schema_agrees() {
        let schema: Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/charts/values.schema.json"
        ))
        .unwrap();
        for instance in [
            json!({}),
            json!({"replicaCount": "three"}),
            json!({"image": {"tag": 1}, "extra": true}),
            json!({"persistence": {"enabled": true}}),
        ] {
            assert_same(&schema, &instance);
        }
    }

    #[test]
    fn drafts_agree_on_ref_siblings_ids_and_unevaluated() {
        let cases = [
            json!({"$ref": "#/$defs/s", "$defs": {"s": {"type": "string"}}, "minLength": 3}),
            json!({"definitions": {"s": {"type": "string"}}, "$ref": "#/definitions/s", "maxLength": 1}),
            json!({"properties": {"a": {"$id": "x.json", "$ref": "#/definitions/n",
                   "definitions": {"n": {"type": "number"}}}}, "definitions": {"n": {"type": "string"}}}),
            json!({"allOf": [{"properties": {"a": true}}], "unevaluatedProperties": false}),
            json!({"anyOf": [{"properties": {"a": {"type": "string"}}, "required": ["a"]},
                             {"properties": {"b": true}}], "unevaluatedProperties": false}),
            json!({"prefixItems": [{"type": "string"}], "unevaluatedItems": false}),
            json!({"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}}),
            json!({"not": {"required": ["a"]}, "oneOf": [{"minProperties": 1}, {"maxProperties": 1}]}),
            json!({"dependencies": {"a": ["b"], "c": {"required": ["d"]}}}),
            json!({"dependentSchemas": {"a": {"required": ["b"]}}, "dependentRequired": {"c": ["d"]}}),
            json!({"contains": {"type": "string"}, "minContains": 2}),
            json!({"propertyNames": {"pattern": "^[a-c]$"}, "additionalProperties": {"type": "integer"}}),
            json!({"$id": "https://x.test/root", "$defs": {"n": {"$id": "node", "$anchor": "n",
                   "properties": {"next": {"$ref": "node"}}, "required": ["v"]}}, "$ref": "#n"}),
            json!({"$dynamicAnchor": "m", "properties": {"k": {"$dynamicRef": "#m"}}, "type": "object"}),
            json!({"$recursiveAnchor": true, "properties": {"k": {"$recursiveRef": "#"}}, "type": "object"}),
        ];
        let instances = [
            json!({}),
            json!("ab"),
            json!("abcd"),
            json!(1),
            json!({"a": "x"}),
            json!({"a": 1, "b": 2}),
            json!({"a": {"a": 1}, "c": 1}),
            json!({"b": 1, "z": 2}),
            json!(["a", "b", 1]),
            json!([1, 2]),
            json!({"next": {"v": 1, "next": {}}, "v": 2}),
            json!({"k": {"k": 1}}),
        ];
        for schema in &cases {
            for uri in DRAFTS {
                let schema = draft(uri, schema.clone());
                for instance in &instances {
                    assert_same(&schema, instance);
                }
            }
        }
    }

    fn arb_schema() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(json!(true)),
            Just(json!(false)),
            Just(json!({})),
            Just(json!({"type": "string"})),
            Just(json!({"type": ["integer", "object"]})),
            Just(json!({"minimum": 2})),
            Just(json!({"minLength": 2, "pattern": "^a"})),
            Just(json!({"required": ["a"]})),
            Just(json!({"enum": [1, "a", {"a": 1}]})),
            Just(json!({"const": [1]})),
            Just(json!({"maxProperties": 1, "uniqueItems": true})),
            Just(json!({"$ref": "#"})),
            Just(json!({"$ref": "#/$defs/x"})),
            Just(json!({"$ref": "#/definitions/y"})),
            Just(json!({"$ref": "#/properties/a"})),
        ];
        leaf.prop_recursive(4, 40, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"anyOf": v})),
                prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"allOf": v})),
                prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"oneOf": v})),
                inner.clone().prop_map(|s| json!({"not": s})),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({"properties": {"a": a, "b": b}})),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| json!({"properties": {"a": a}, "additionalProperties": b})),
                inner.clone().prop_map(|s| json!({"patternProperties": {"^b": s}})),
                inner.clone().prop_map(|s| json!({"items": s, "type": "array"})),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({"items": [a], "additionalItems": b})),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({"prefixItems": [a], "items": b})),
                (inner.clone(), inner.clone(), inner.clone())
                    .prop_map(|(a, b, c)| json!({"if": a, "then": b, "else": c})),
                inner.clone().prop_map(|s| json!({"contains": s})),
                inner.clone().prop_map(|s| json!({"propertyNames": s})),
                inner.clone().prop_map(|s| json!({"dependentSchemas": {"a": s}})),
                inner.clone().prop_map(|s| json!({"dependencies": {"b": s, "a": ["b"]}})),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| json!({"allOf": [a], "unevaluatedProperties": b})),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| json!({"anyOf": [a], "unevaluatedItems": b})),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| json!({"$ref": "#/$defs/x", "type": "object", "properties": {"a": a}, "$defs": {"x": b}})),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({"$defs": {"x": a}, "definitions": {"y": b}, "$ref": "#/$defs/x"})),
                // References into a keyword nobody knows, through escapes, to embedded
                // resources, by anchor; `$id` beside `$ref`.
                inner.clone().prop_map(|a| json!({"x-defs": {"a": a}, "not": {"$ref": "#/x-defs/a"}})),
                inner.clone().prop_map(|a| json!({"properties": {"a/b~c%d": a, "b": {"$ref": "#/properties/a~1b~0c%25d"}}})),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| json!({
                    "$defs": {"r": {"$id": "r.json", "$defs": {"i": a}, "$ref": "#/$defs/i", "items": b}},
                    "properties": {"a": {"$ref": "r.json"}, "b": {"$ref": "r.json#/$defs/i"}}})),
                inner.clone().prop_map(|a| json!({
                    "definitions": {"r": {"$id": "s.json", "definitions": {"i": a}, "$ref": "#/definitions/i"}},
                    "allOf": [{"$ref": "s.json"}, {"$ref": "#/definitions/r/definitions/i"}]})),
                inner.clone().prop_map(|a| json!({"$defs": {"k": {"$anchor": "K", "$id": "#K", "allOf": [a]}},
                                                  "anyOf": [{"$ref": "#K"}, {"type": "null"}]})),
            ]
        })
    }

    fn arb_instance() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(json!(null)),
            Just(json!(1)),
            Just(json!(2.5)),
            Just(json!("a")),
            Just(json!("ab")),
            Just(json!("b")),
            Just(json!(true)),
        ];
        leaf.prop_recursive(3, 20, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop_oneof![Just("a"), Just("b"), Just("c")],
                    inner,
                    0..3
                )
                .prop_map(|m| Value::Object(
                    m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
                )),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// For random schemas in every draft and random values, the guarded schema gives the
        /// original's verdict and the same (instance path, keyword) errors.
        #[test]
        fn the_rewrite_keeps_the_meaning(
            schema in arb_schema(),
            draft_index in 0..DRAFTS.len(),
            instance in arb_instance(),
        ) {
            let mut schema = schema;
            if let Value::Object(map) = &mut schema {
                map.entry("$defs").or_insert(json!({"x": {"type": "integer"}}));
                map.entry("definitions").or_insert(json!({"y": {"minItems": 1}}));
            } else {
                schema = json!({"allOf": [schema], "$defs": {"x": {"type": "integer"}},
                                "definitions": {"y": {"minItems": 1}}});
            }
            assert_same(&draft(DRAFTS[draft_index], schema), &instance);
        }
    }
}
