#!/usr/bin/env node
// Validate the corpus with Ajv 8 (draft 2020-12, strict mode) and write the verdicts.
//
// Usage: node check_ajv.js --modules DIR/node_modules --schemas DIR --corpus DIR --out FILE
//
// 1. Each committed schema must compile in `new Ajv2020({strict: true, allErrors: true})` with
//    `ajv-formats` added: strict mode throws on unknown keywords, unknown formats, ambiguous
//    union types, `required` members that `properties` does not define, and so on; compiling
//    also meta-validates the schema.
// 2. Each payload is decoded as strict UTF-8 (a BOM is kept, so it fails JSON.parse, as in the
//    other two tools), parsed with JSON.parse and validated.
//
// Output: {"tool": "ajv X.Y.Z", "results": {"<id>": {"parsed": true, "valid": bool,
// "errors": [...]}}}, or {"parsed": false, "error": "..."} for a payload that does not parse.
// Exit 0 when every schema compiles (verdicts are judged by compare.py), 1 when one does not,
// 2 when the checker itself fails.
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

// {kind: schema file name}, from the linter's `--list kinds` (never a copied list).
function schemaFiles(kindsFile) {
  const kinds = JSON.parse(fs.readFileSync(kindsFile, "utf8"));
  return Object.fromEntries(kinds.map((k) => [k.kind, k.schema]));
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith("--") || argv[i + 1] === undefined) {
      throw new Error(
        `usage: check_ajv.js --modules DIR --schemas DIR --corpus DIR --out FILE --kinds FILE`,
      );
    }
    args[argv[i].slice(2)] = argv[i + 1];
  }
  for (const k of ["modules", "schemas", "corpus", "out", "kinds"]) {
    if (!args[k]) throw new Error(`missing --${k}`);
  }
  return args;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  // Ajv is installed in a scratch prefix, not next to this script: resolve from there.
  const req = createRequire(path.join(path.resolve(args.modules), "noop.js"));
  const ajvModule = req("ajv/dist/2020");
  const Ajv2020 = ajvModule.default || ajvModule;
  const formatsModule = req("ajv-formats");
  const addFormats = formatsModule.default || formatsModule;
  const ajvVersion = req("ajv/package.json").version;
  const formatsVersion = req("ajv-formats/package.json").version;

  const validators = {};
  let ok = true;
  for (const [kind, file] of Object.entries(schemaFiles(args.kinds))) {
    const schema = JSON.parse(fs.readFileSync(path.join(args.schemas, file), "utf8"));
    // One Ajv instance per schema: the schemas have no $id, nothing to share.
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    try {
      validators[kind] = ajv.compile(schema);
    } catch (e) {
      console.error(`ajv ${ajvVersion}: ${file} does not compile in strict mode: ${e.message}`);
      ok = false;
    }
  }
  if (!ok) return 1;

  const manifest = JSON.parse(fs.readFileSync(path.join(args.corpus, "manifest.json"), "utf8"));
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const results = {};
  for (const item of manifest.payloads) {
    let instance;
    try {
      const text = decoder.decode(fs.readFileSync(path.join(args.corpus, item.file)));
      instance = JSON.parse(text); // a leading U+FEFF is a syntax error here
    } catch (e) {
      results[String(item.id)] = { parsed: false, error: String(e.message).slice(0, 200) };
      continue;
    }
    const validate = validators[item.kind];
    const valid = validate(instance);
    const errors = (validate.errors || [])
      .slice(0, 10)
      .map((e) => `${e.instancePath || "/"} ${e.keyword}: ${e.message}` +
        (e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ""));
    results[String(item.id)] = { parsed: true, valid, errors };
  }
  fs.writeFileSync(args.out, JSON.stringify({ tool: `ajv ${ajvVersion}`, results }));
  console.error(
    `ajv ${ajvVersion} + ajv-formats ${formatsVersion} (strict): every schema compiles; ` +
      `${Object.keys(results).length} payloads checked`
  );
  return 0;
}

try {
  process.exitCode = main();
} catch (e) {
  // A crash is "could not run" (2), not "a schema does not compile" (1).
  console.error(`check_ajv.js: ${e.stack || e}`);
  process.exitCode = 2;
}
