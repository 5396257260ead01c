// Validates Kubernetes objects (a JSON array on standard input) against the
// Kubernetes 1.27 schemas of the kubernetes-models package (NODE_PATH points
// at its node_modules). Kinds it has no schema for (ServiceMonitor, a CRD) are
// listed and skipped. Exit 1 on the first file with invalid objects.
"use strict";

const fs = require("fs");

const objects = JSON.parse(fs.readFileSync(0, "utf8"));
let failures = 0;
let checked = 0;
for (const obj of objects) {
  const apiVersion = obj.apiVersion || "";
  const group = apiVersion.includes("/") ? apiVersion : `v1`;
  const modulePath = `kubernetes-models/${group}`;
  let models;
  try {
    models = require(modulePath);
  } catch (e) {
    console.log(`skip: ${obj.kind} ${obj.metadata?.name}: no schema for ${apiVersion}`);
    continue;
  }
  const Model = models[obj.kind];
  if (Model === undefined) {
    console.log(`skip: ${obj.kind} ${obj.metadata?.name}: no schema for ${apiVersion} ${obj.kind}`);
    continue;
  }
  try {
    new Model(obj).validate();
    checked += 1;
  } catch (e) {
    failures += 1;
    console.log(`FAIL: ${obj.kind} ${obj.metadata?.name}: ${e.message}`);
  }
}
console.log(`validated ${checked} objects against the Kubernetes schemas: ${failures} invalid`);
process.exit(failures === 0 ? 0 : 1);
