#!/usr/bin/env python3
"""A Tradeplane bus client in Python, written from docs/protocol.md.

Needs pyzmq and protobuf, and the Python classes generated from the contracts:

    protoc -I proto --python_out=OUT $(find proto -name '*.proto')
    PYTHONPATH=OUT python3 docs/examples/bus_client.py subscribe \
        --endpoint tcp://localhost:7100 --topic md.quote.BINANCE.NKNUSDT --count 5
    PYTHONPATH=OUT python3 docs/examples/bus_client.py request \
        --endpoint tcp://localhost:7101 \
        --type tradeplane.marketdata.v1.SnapshotRequest --json '{}' \
        --reply-type tradeplane.marketdata.v1.SnapshotReply

Each received message is printed as one JSON line.
"""
import argparse
import importlib
import json
import os
import pkgutil
import sys
import time
import uuid

import zmq
from google.protobuf import json_format, symbol_database

SCHEMA_VERSION = 1


def load_contracts():
    """Imports every generated *_pb2 module on the path, so types resolve by name."""
    for entry in sys.path:
        root = os.path.join(entry or ".", "tradeplane")
        if not os.path.isdir(root):
            continue
        for dirpath, _, files in os.walk(root):
            for f in files:
                if f.endswith("_pb2.py"):
                    rel = os.path.relpath(os.path.join(dirpath, f[:-3]), entry or ".")
                    importlib.import_module(rel.replace(os.sep, "."))
    return symbol_database.Default()


def message_class(db, full_name):
    return db.GetSymbol(full_name)


def subscribe(args, db):
    from tradeplane.bus.v1 import envelope_pb2

    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.connect(args.endpoint)
    # ZeroMQ matches prefixes; compare the topic exactly below.
    sub.setsockopt(zmq.SUBSCRIBE, args.topic.encode())
    last = {}
    received = 0
    while received < args.count:
        frames = sub.recv_multipart()
        if len(frames) != 2:
            continue  # not a bus message
        topic = frames[0].decode()
        if topic != args.topic:
            continue
        env = envelope_pb2.Envelope()
        env.ParseFromString(frames[1])
        h = env.header
        if h.schema_version != SCHEMA_VERSION or h.topic not in ("", topic):
            continue
        key = (h.source_service, h.source_instance, topic)
        gap = None
        if key in last and last[key][0] == h.incarnation:
            if h.sequence <= last[key][1]:
                continue  # duplicate or out of order: dropped
            if h.sequence != last[key][1] + 1:
                gap = h.sequence - last[key][1] - 1
        last[key] = (h.incarnation, h.sequence)
        payload = message_class(db, h.message_type)()
        payload.ParseFromString(env.payload)
        print(json.dumps({
            "topic": topic,
            "sequence": h.sequence,
            "message_type": h.message_type,
            "source_service": h.source_service,
            "gap": gap,
            "payload": json_format.MessageToDict(payload, preserving_proto_field_name=True),
        }), flush=True)
        received += 1


def request(args, db):
    from tradeplane.bus.v1 import envelope_pb2

    req = message_class(db, args.type)()
    json_format.Parse(args.json, req)
    env = envelope_pb2.Envelope()
    h = env.header
    h.message_type = args.type
    h.schema_version = SCHEMA_VERSION
    h.source_service = "python-example"
    h.request_id = args.request_id or str(uuid.uuid4())
    h.publish_time_ns = time.time_ns()
    h.event_time_ns = h.publish_time_ns
    env.payload = req.SerializeToString()
    data = env.SerializeToString()

    ctx = zmq.Context()
    for attempt in range(args.retries + 1):
        # Lazy pirate: a fresh REQ socket per attempt, the same request id.
        sock = ctx.socket(zmq.REQ)
        sock.setsockopt(zmq.LINGER, 0)
        sock.connect(args.endpoint)
        sock.send(data)
        if sock.poll(args.timeout_ms, zmq.POLLIN):
            reply = envelope_pb2.Envelope()
            reply.ParseFromString(sock.recv())
            sock.close()
            if reply.header.request_id != h.request_id:
                continue
            if reply.header.reply_status.code != 0:
                print(json.dumps({"error_code": reply.header.reply_status.code,
                                  "error": reply.header.reply_status.message}), flush=True)
                return 1
            payload = message_class(db, args.reply_type)()
            payload.ParseFromString(reply.payload)
            print(json.dumps({
                "request_id": reply.header.request_id,
                "message_type": reply.header.message_type,
                "payload": json_format.MessageToDict(payload, preserving_proto_field_name=True),
            }), flush=True)
            return 0
        sock.close()
    print(json.dumps({"error": "no reply after %d attempts" % (args.retries + 1)}), flush=True)
    return 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("subscribe")
    s.add_argument("--endpoint", required=True)
    s.add_argument("--topic", required=True)
    s.add_argument("--count", type=int, default=1)
    r = sub.add_parser("request")
    r.add_argument("--endpoint", required=True)
    r.add_argument("--type", required=True)
    r.add_argument("--json", default="{}")
    r.add_argument("--reply-type", required=True)
    r.add_argument("--request-id", default="")
    r.add_argument("--timeout-ms", type=int, default=1000)
    r.add_argument("--retries", type=int, default=3)
    args = p.parse_args()
    db = load_contracts()
    if args.command == "subscribe":
        subscribe(args, db)
        return 0
    return request(args, db)


if __name__ == "__main__":
    sys.exit(main())
