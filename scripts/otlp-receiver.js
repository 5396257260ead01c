#!/usr/bin/env node
// A minimal OTLP/HTTP trace receiver for the demo and the tests, standing in
// for an OpenTelemetry Collector or Jaeger (neither is packaged by Debian).
//
//   NODE_PATH=$(scripts/fetch-otlp-receiver.sh) \
//     node scripts/otlp-receiver.js --port 4318 --out spans.jsonl
//
// Accepts POST /v1/traces with a binary ExportTraceServiceRequest
// (application/x-protobuf), decodes it with the upstream OTLP message
// definitions (@opentelemetry/otlp-transformer's generated protobufjs module),
// and appends one JSON line per span to --out:
//
//   {"service":"risk","instance":"0","trace_id":"<32 hex>","span_id":"<16 hex>",
//    "parent_span_id":"<16 hex or empty>","name":"risk.check","kind":2,
//    "start_ns":"...","end_ns":"...","status":0,"attributes":{...}}
//
// Answers 200 with an empty ExportTraceServiceResponse; a body that does not
// decode gets 400 with the reason (and is counted in the stats), anything but
// POST /v1/traces 404. Prints "listening HOST:PORT" on standard output once
// it accepts connections (--port 0 picks a free port). GET /stats gives
// {"requests":N,"spans":N,"rejected":N}. Stops on SIGTERM/SIGINT.
"use strict";

const fs = require("fs");
const http = require("http");

function usage(message) {
  process.stderr.write(`otlp-receiver: ${message}\n` +
    "usage: otlp-receiver.js --out FILE [--port N] [--host ADDR]\n");
  process.exit(2);
}

function parseArgs(argv) {
  const args = { host: "127.0.0.1", port: 4318, out: "" };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (value === undefined) usage(`${key} needs a value`);
    if (key === "--out") args.out = value;
    else if (key === "--host") args.host = value;
    else if (key === "--port") {
      if (!/^\d+$/.test(value) || Number(value) > 65535) usage(`--port ${value}: not a port`);
      args.port = Number(value);
    } else usage(`unknown option ${key}`);
  }
  if (!args.out) usage("--out is required");
  return args;
}

function loadMessages() {
  let root;
  try {
    root = require("@opentelemetry/otlp-transformer/build/src/generated/root.js");
  } catch (e) {
    process.stderr.write("otlp-receiver: cannot load the OTLP definitions " +
      "(set NODE_PATH to the output of scripts/fetch-otlp-receiver.sh): " + e.message + "\n");
    process.exit(3);
  }
  const collector = root.opentelemetry.proto.collector.trace.v1;
  return { request: collector.ExportTraceServiceRequest, response: collector.ExportTraceServiceResponse };
}

const hex = (bytes) => Buffer.from(bytes || []).toString("hex");

function attributeValue(v) {
  if (v == null) return null;
  if (v.stringValue != null) return v.stringValue;
  if (v.boolValue != null) return v.boolValue;
  if (v.intValue != null) return v.intValue.toString();
  if (v.doubleValue != null) return v.doubleValue;
  return null;
}

function attributes(list) {
  const out = {};
  for (const kv of list || []) out[kv.key] = attributeValue(kv.value);
  return out;
}

function spanLines(request) {
  const lines = [];
  for (const rs of request.resourceSpans || []) {
    const resource = attributes(rs.resource && rs.resource.attributes);
    for (const ss of rs.scopeSpans || []) {
      for (const s of ss.spans || []) {
        lines.push(JSON.stringify({
          service: resource["service.name"] || "",
          instance: resource["service.instance.id"] || "",
          trace_id: hex(s.traceId),
          span_id: hex(s.spanId),
          parent_span_id: hex(s.parentSpanId),
          name: s.name,
          kind: s.kind,
          start_ns: String(s.startTimeUnixNano),
          end_ns: String(s.endTimeUnixNano),
          status: s.status ? s.status.code || 0 : 0,
          status_message: s.status ? s.status.message || "" : "",
          attributes: attributes(s.attributes),
        }));
      }
    }
  }
  return lines;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const messages = loadMessages();
  const out = fs.openSync(args.out, "a");
  const stats = { requests: 0, spans: 0, rejected: 0 };
  const emptyResponse = Buffer.from(messages.response.encode({}).finish());

  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/stats") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(stats));
      return;
    }
    if (req.method !== "POST" || req.url !== "/v1/traces") {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(`no such endpoint: ${req.method} ${req.url}\n`);
      return;
    }
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      stats.requests += 1;
      let lines;
      try {
        lines = spanLines(messages.request.decode(Buffer.concat(chunks)));
      } catch (e) {
        stats.rejected += 1;
        res.writeHead(400, { "content-type": "text/plain" });
        res.end(`the body is not an ExportTraceServiceRequest: ${e.message}\n`);
        return;
      }
      if (lines.length > 0) fs.writeSync(out, lines.join("\n") + "\n");
      stats.spans += lines.length;
      res.writeHead(200, { "content-type": "application/x-protobuf" });
      res.end(emptyResponse);
    });
  });
  server.on("error", (e) => {
    process.stderr.write(`otlp-receiver: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(args.port, args.host, () => {
    const a = server.address();
    process.stdout.write(`listening ${a.address}:${a.port}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main();
