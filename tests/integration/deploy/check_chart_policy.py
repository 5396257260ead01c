#!/usr/bin/env python3
"""The rendered chart (default and HA values) keeps the deployment rules:

- every container and init container: runAsNonRoot, runAsUser 10001,
  readOnlyRootFilesystem, no privilege escalation, capabilities drop ALL,
  seccompProfile RuntimeDefault (its own or the pod's);
- every Deployment has a PodDisruptionBudget and a NetworkPolicy selecting
  its pods, and a default-deny policy covers the release;
- with HA values, risk, execution, signer and reconciler run 2 replicas and
  their PDB keeps one available;
- a service runs with leader election exactly when it has more than one
  replica;
- the signer's bus port admits only execution and the reconciler.

    check_chart_policy.py SOURCE_DIR        (exit 77: helm cannot be fetched)
"""

import subprocess
import sys
from pathlib import Path

import yaml


def render(helm, chart, *values):
    argv = [helm, "template", "tp", str(chart)]
    for v in values:
        argv += ["-f", str(v)]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def selects(selector, labels):
    return all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items())


def check(docs, label, ha, problems):
    def fail(msg):
        problems.append(f"{label}: {msg}")

    deployments = [d for d in docs if d["kind"] == "Deployment"]
    pdbs = [d for d in docs if d["kind"] == "PodDisruptionBudget"]
    policies = [d for d in docs if d["kind"] == "NetworkPolicy"]
    configmaps = [d for d in docs if d["kind"] == "ConfigMap"]
    if len(deployments) != 7:
        fail(f"{len(deployments)} Deployments, expected 7")
    if not any(p["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/component") is None
               and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
               and "ingress" not in p["spec"] and "egress" not in p["spec"] for p in policies):
        fail("no default-deny NetworkPolicy (Ingress and Egress) for the release")
    for d in deployments:
        name = d["metadata"]["name"]
        pod = d["spec"]["template"]["spec"]
        labels = d["spec"]["template"]["metadata"]["labels"]
        pod_sc = pod.get("securityContext") or {}
        for c in pod.get("containers", []) + pod.get("initContainers", []):
            sc = c.get("securityContext") or {}
            where = f"{name}/{c['name']}"
            if not (sc.get("runAsNonRoot") or pod_sc.get("runAsNonRoot")):
                fail(f"{where}: runAsNonRoot is not true")
            if sc.get("runAsUser", pod_sc.get("runAsUser")) != 10001:
                fail(f"{where}: runAsUser is not 10001")
            if sc.get("readOnlyRootFilesystem") is not True:
                fail(f"{where}: readOnlyRootFilesystem is not true")
            if sc.get("allowPrivilegeEscalation") is not False:
                fail(f"{where}: allowPrivilegeEscalation is not false")
            if (sc.get("capabilities") or {}).get("drop") != ["ALL"]:
                fail(f"{where}: capabilities do not drop ALL")
            seccomp = (sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}).get("type")
            if seccomp != "RuntimeDefault":
                fail(f"{where}: seccompProfile is {seccomp}, not RuntimeDefault")
            for probe in ("readinessProbe", "livenessProbe"):
                if probe not in c:
                    fail(f"{where}: no {probe}")
        my_pdbs = [p for p in pdbs if selects(p["spec"]["selector"], labels)]
        if not my_pdbs:
            fail(f"{name}: no PodDisruptionBudget")
        if not any(selects(p["spec"]["podSelector"], labels) and
                   labels.get("app.kubernetes.io/component") in
                   (p["spec"]["podSelector"].get("matchLabels") or {}).values() for p in policies):
            fail(f"{name}: no NetworkPolicy of its own")
        component = labels["app.kubernetes.io/component"]
        config = next((yaml.safe_load(c["data"]["config.yaml"]) for c in configmaps
                       if c["metadata"]["name"] == name), None)
        electing = bool(((config or {}).get("common") or {}).get("leader_election",
                                                                  {}).get("enabled"))
        if electing != (d["spec"]["replicas"] > 1):
            fail(f"{name}: {d['spec']['replicas']} replicas but leader election "
                 f"{'on' if electing else 'off'} in its config")
        if ha and component in ("risk", "execution", "signer", "reconciler"):
            if d["spec"]["replicas"] != 2:
                fail(f"{name}: {d['spec']['replicas']} replicas with HA values, expected 2")
            if any(p["spec"].get("minAvailable") != 1 for p in my_pdbs):
                fail(f"{name}: its PDB does not keep one replica available")
            if "requiredDuringSchedulingIgnoredDuringExecution" not in pod["affinity"]["podAntiAffinity"]:
                fail(f"{name}: no required pod anti-affinity with HA values")
    signer = [p for p in policies if p["metadata"]["name"].endswith("-signer")]
    if len(signer) != 1:
        fail("no NetworkPolicy for the signer")
    else:
        for rule in signer[0]["spec"].get("ingress", []):
            ports = {p["port"] for p in rule.get("ports", [])}
            if 7500 in ports:
                peers = sorted(f["podSelector"]["matchLabels"]["app.kubernetes.io/component"]
                               for f in rule["from"])
                if peers != ["execution", "reconciler"]:
                    fail(f"signer bus port 7500 admits {peers}, expected execution and reconciler")


def main():
    src = Path(sys.argv[1])
    r = subprocess.run([str(src / "scripts/fetch-helm.sh")], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"SKIP: helm cannot be fetched: {r.stderr.strip()}")
        return 77
    helm = r.stdout.strip()
    chart = src / "helm/tradeplane"
    problems = []
    check(render(helm, chart), "default values", False, problems)
    check(render(helm, chart, chart / "values-ha.yaml"), "HA values", True, problems)
    for p in problems:
        print(f"FAIL: {p}")
    print(f"chart policy: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
