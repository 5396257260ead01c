#!/usr/bin/env python3
"""Checks service config YAML files against the config protos, key by key.

    check_config_keys.py SOURCE_DIR [--helm HELM] [--kubernetes-models DIR]

Checks deploy/compose/<service>.yaml and, when a helm binary is given, the
configs the Helm chart renders into its ConfigMaps (default and HA values):
every key must be a field of the message it sits in (what the services'
loader refuses at start with the key's path), every enum value a value's
name (with or without the enum's prefix), every nested section a mapping,
repeated fields lists. Scalars' ranges are left to the services.

The contracts come from `protoc --descriptor_set_out` and are read with the
protobuf Python package: /usr/bin/python3 has it on Debian (python3-protobuf).
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

try:
    from google.protobuf import descriptor_pb2, descriptor_pool
    from google.protobuf.descriptor import FieldDescriptor
except ImportError:  # the python3 first on PATH may lack python3-protobuf
    print("SKIP: the protobuf Python package is missing (apt-get install python3-protobuf)")
    sys.exit(77)

# Service name -> the config message its --config file maps onto.
MESSAGES = {
    "market-data": "MarketDataConfig",
    "signal": "SignalConfig",
    "risk": "RiskConfig",
    "execution": "ExecutionConfig",
    "signer": "SignerConfig",
    "sentinel": "SentinelConfig",
    "reconciler": "ReconcilerConfig",
    "venue-sim": "VenueSimConfig",
}
PACKAGE = "tradeplane.config.v1"


def load_pool(source: Path):
    protoc = shutil.which("protoc")
    if protoc is None:
        print("SKIP: protoc is not installed")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "config.pb"
        subprocess.run([protoc, f"-I{source / 'proto'}", "-I/usr/include", "--include_imports",
                        f"--descriptor_set_out={out}",
                        str(source / "proto/tradeplane/config/v1/services.proto")], check=True)
        fds = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:
        pool.Add(f)
    return pool


def enum_ok(enum_desc, value) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return value in enum_desc.values_by_number
    if not isinstance(value, str):
        return False
    prefix = "".join("_" + c if c.isupper() and i else c for i, c in enumerate(enum_desc.name))
    prefix = prefix.upper() + "_"
    return value in enum_desc.values_by_name or (prefix + value) in enum_desc.values_by_name


def check_value(field, value, path, problems):
    if field.message_type is not None:
        check_message(field.message_type, value, path, problems)
    elif field.enum_type is not None:
        if not enum_ok(field.enum_type, value):
            names = ", ".join(v.name for v in field.enum_type.values)
            problems.append(f"{path}: '{value}' is not a value of {field.enum_type.name} ({names})")
    elif isinstance(value, (dict, list)):
        problems.append(f"{path}: a scalar ({field.name}) was expected, got a {type(value).__name__}")


def check_message(desc, node, path, problems):
    if node is None:
        return
    if not isinstance(node, dict):
        problems.append(f"{path}: {desc.name} must be a mapping, got {type(node).__name__}")
        return
    for key, value in node.items():
        where = f"{path}.{key}" if path else str(key)
        field = desc.fields_by_name.get(key)
        if field is None:
            problems.append(f"{where}: unknown key (no field '{key}' in {desc.full_name})")
            continue
        is_map = field.message_type is not None and field.message_type.GetOptions().map_entry
        if is_map:
            if not isinstance(value, dict):
                problems.append(f"{where}: a map was expected")
                continue
            value_field = field.message_type.fields_by_name["value"]
            for k, v in value.items():
                check_value(value_field, v, f"{where}.{k}", problems)
        elif field.label == FieldDescriptor.LABEL_REPEATED:
            if not isinstance(value, list):
                problems.append(f"{where}: a list was expected")
                continue
            for i, item in enumerate(value):
                check_value(field, item, f"{where}[{i}]", problems)
        else:
            check_value(field, value, where, problems)


def check_file(pool, service: str, text: str, label: str, problems):
    desc = pool.FindMessageTypeByName(f"{PACKAGE}.{MESSAGES[service]}")
    try:
        node = yaml.safe_load(text)
    except yaml.YAMLError as e:
        problems.append(f"{label}: not YAML: {e}")
        return
    found = []
    check_message(desc, node, "", found)
    problems.extend(f"{label}: {p}" for p in found)


def helm_configs(helm: str, chart: Path, values):
    """Yields (service, config text, label) from the chart's rendered ConfigMaps."""
    argv = [helm, "template", "tp", str(chart)]
    for v in values:
        argv += ["-f", str(v)]
    rendered = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    for doc in yaml.safe_load_all(rendered):
        if not doc or doc.get("kind") != "ConfigMap":
            continue
        service = doc["metadata"].get("labels", {}).get("app.kubernetes.io/component")
        for key, text in (doc.get("data") or {}).items():
            if key == "config.yaml" and service in MESSAGES:
                yield service, text, f"helm {'+'.join(Path(v).name for v in values) or 'defaults'}: {service}"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("source", type=Path)
    p.add_argument("--helm")
    args = p.parse_args()
    pool = load_pool(args.source)
    problems = []
    checked = 0
    for service in MESSAGES:
        path = args.source / "deploy/compose" / f"{service}.yaml"
        if not path.exists():
            problems.append(f"{path}: missing")
            continue
        check_file(pool, service, path.read_text(), str(path.relative_to(args.source)), problems)
        checked += 1
    if args.helm:
        chart = args.source / "helm/tradeplane"
        for values in ([], [chart / "values-ha.yaml"]):
            seen = set()
            for service, text, label in helm_configs(args.helm, chart, values):
                check_file(pool, service, text, label, problems)
                seen.add(service)
                checked += 1
            missing = set(MESSAGES) - {"venue-sim"} - seen
            if missing:
                problems.append(f"helm {values}: no config rendered for {sorted(missing)}")
    for problem in problems:
        print(f"FAIL: {problem}")
    print(f"checked {checked} config files: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
