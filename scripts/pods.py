#!/usr/bin/env python3
"""Starts a rendered Kubernetes overlay's pods with docker, as a kubelet would start them, where no cluster runs.

    kubectl kustomize k8s/overlays/local | scripts/pods.py up --project NAME [--stand-ins FILE]
    scripts/pods.py down --project NAME
    scripts/pods.py selftest

For every Deployment, StatefulSet and Job (one replica each) it starts each container with the pod's and the
container's securityContext (user, group, read-only root, capabilities, no privilege escalation), the memory limit,
command and args, env and envFrom resolved from the rendered ConfigMaps and Secrets (with $(VAR) references), and
the volumes: an emptyDir is a docker volume (tmpfs when its medium is Memory), a ConfigMap or Secret is its keys
written as files and mounted read-only. Containers reach each other by the names of the Services that select
them, on one user-defined bridge network. Then it hits every startup, readiness and liveness probe on the path,
port or command the manifest names until each passes, waits for Jobs to complete, and reads every container back
with `docker inspect`: a field of the spec that the running container does not show fails the run (`selftest`
proves that check catches a dropped field).

Images no registry here serves are replaced by stand-ins (a JSON file: image -> {"image", "command"?, "probes"?}):
a stand-in's command and probe actions are its own where it names them; peftflow's images are only mapped to their
builds on the local base, their pods run as written.
"""
import argparse
import copy
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

WORKLOADS = ("Deployment", "StatefulSet", "Job")


def log(msg):
    print("[pods] " + msg, flush=True)


def docker(*args, check=True, capture=True):
    r = subprocess.run(["docker", *args], text=True, capture_output=capture)
    if check and r.returncode != 0:
        raise RuntimeError("docker %s: %s" % (" ".join(args[:3]), (r.stderr or "").strip()))
    return (r.stdout or "").strip()


def quantity_bytes(q):
    m = re.fullmatch(r"(\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?", str(q))
    if not m:
        raise ValueError("memory quantity %r" % q)
    units = {None: 1, "Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "Ti": 1 << 40, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}
    return int(m.group(1)) * units[m.group(2)]


class Overlay:
    def __init__(self, docs):
        self.docs = [d for d in docs if d]
        self.config_maps = {d["metadata"]["name"]: d.get("data", {}) for d in self.docs if d["kind"] == "ConfigMap"}
        self.secrets = {}
        for d in self.docs:
            if d["kind"] == "Secret":
                import base64
                data = {k: base64.b64decode(v).decode() for k, v in (d.get("data") or {}).items()}
                data.update(d.get("stringData") or {})
                self.secrets[d["metadata"]["name"]] = data
        self.services = [d for d in self.docs if d["kind"] == "Service"]

    def workloads(self):
        return [d for d in self.docs if d["kind"] in WORKLOADS]

    def aliases(self, labels):
        """The Services whose selector picks a pod with these labels."""
        return [s["metadata"]["name"] for s in self.services
                if s["spec"].get("selector") and all(labels.get(k) == v for k, v in s["spec"]["selector"].items())]


def expand(value, env):
    """Kubernetes' $(VAR) references to variables defined before; $$(VAR) stays literal."""
    return re.sub(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)",
                  lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), value)


def container_env(overlay, c):
    env = {}
    for src in c.get("envFrom", []):
        if "configMapRef" in src:
            env.update(overlay.config_maps[src["configMapRef"]["name"]])
        else:
            env.update(overlay.secrets[src["secretRef"]["name"]])
    for e in c.get("env", []):
        if "value" in e:
            env[e["name"]] = expand(str(e["value"]), env)
        elif "secretKeyRef" in e.get("valueFrom", {}):
            ref = e["valueFrom"]["secretKeyRef"]
            env[e["name"]] = overlay.secrets[ref["name"]][ref["key"]]
        elif "configMapKeyRef" in e.get("valueFrom", {}):
            ref = e["valueFrom"]["configMapKeyRef"]
            env[e["name"]] = overlay.config_maps[ref["name"]][ref["key"]]
        else:
            raise ValueError("%s: env %s from %s is not supported here" % (c["name"], e["name"], list(e.get("valueFrom", {}))))
    return env


def security(pod, c):
    """The effective securityContext: the container's fields over the pod's."""
    merged = dict(pod.get("securityContext") or {})
    merged.update(c.get("securityContext") or {})
    return merged


class Pod:
    """One workload's pod, as docker run arguments and what `docker inspect` must show afterwards."""

    def __init__(self, overlay, workload, project, files_dir, stand_ins):
        self.overlay, self.workload, self.project = overlay, workload, project
        self.kind, self.name = workload["kind"], workload["metadata"]["name"]
        self.spec = copy.deepcopy(workload["spec"]["template"]["spec"])
        self.labels = workload["spec"]["template"].get("metadata", {}).get("labels", {})
        self.files_dir = os.path.join(files_dir, self.name)
        # A StatefulSet's claims are volumes of the pod (a docker volume each, as an emptyDir here).
        for claim in workload["spec"].get("volumeClaimTemplates", []):
            self.spec.setdefault("volumes", []).append({"name": claim["metadata"]["name"], "emptyDir": {}})
        self.containers = []
        for c in self.spec.get("initContainers", []) + self.spec["containers"]:
            stand_in = stand_ins.get(c["image"])
            if stand_in:
                c = dict(c, image=stand_in["image"])
                if "command" in stand_in:
                    c["command"], c["args"] = stand_in["command"], []
                for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                    if probe in c and probe in stand_in.get("probes", {}):
                        timing = {k: v for k, v in c[probe].items() if k not in ("httpGet", "tcpSocket", "exec")}
                        c[probe] = dict(timing, **stand_in["probes"][probe])
            self.containers.append(c)

    def container_name(self, c):
        return "%s-%s-%s" % (self.project, self.name, c["name"])

    def volume_args(self, c):
        args = []
        volumes = {v["name"]: v for v in self.spec.get("volumes", [])}
        for m in c.get("volumeMounts", []):
            v = volumes[m["name"]]
            target = m["mountPath"]
            if "emptyDir" in v:
                if (v["emptyDir"] or {}).get("medium") == "Memory":
                    args += ["--tmpfs", target + ":exec,mode=1777"]
                else:
                    args += ["--mount", "type=volume,dst=" + target]
            elif "configMap" in v or "secret" in v:
                data = self.overlay.config_maps[v["configMap"]["name"]] if "configMap" in v else \
                    self.overlay.secrets[v["secret"]["secretName"]]
                src = os.path.join(self.files_dir, v["name"])
                os.makedirs(src, exist_ok=True)
                for key, value in data.items():
                    path = os.path.join(src, key)
                    with open(path, "w") as f:
                        f.write(value)
                    os.chmod(path, 0o644)
                os.chmod(src, 0o755)
                source = os.path.join(src, m["subPath"]) if m.get("subPath") else src
                args += ["--mount", "type=bind,src=%s,dst=%s,readonly" % (source, target)]
            else:
                raise ValueError("%s: volume %s (%s) is not supported here" % (self.name, v["name"], list(v)))
        return args

    def run_args(self, c, network):
        sec = security(self.spec, c)
        args = ["run", "-d", "--name", self.container_name(c), "--network", network,
                "--label", "peftflow.pods=" + self.project, "--hostname", self.name]
        for alias in self.overlay.aliases(self.labels) + [self.name]:
            args += ["--network-alias", alias]
        if "runAsUser" in sec:
            args += ["--user", "%s:%s" % (sec["runAsUser"], sec.get("runAsGroup", 0))]
        if sec.get("readOnlyRootFilesystem"):
            args.append("--read-only")
        for cap in sec.get("capabilities", {}).get("drop", []):
            args += ["--cap-drop", cap]
        for cap in sec.get("capabilities", {}).get("add", []):
            args += ["--cap-add", cap]
        if sec.get("allowPrivilegeEscalation") is False:
            args += ["--security-opt", "no-new-privileges:true"]
        limits = c.get("resources", {}).get("limits", {})
        if "memory" in limits:
            args += ["--memory", str(quantity_bytes(limits["memory"]))]
        if self.kind != "Job":
            args += ["--restart", "unless-stopped"]
        for k, v in container_env(self.overlay, c).items():
            args += ["--env", "%s=%s" % (k, v)]
        args += self.volume_args(c)
        command = c.get("command")
        if command:
            args += ["--entrypoint", command[0]]
        args.append(c["image"])
        args += (command[1:] if command else []) + c.get("args", [])
        return args

    def differences(self, c, inspect):
        """Every field of the spec the running container does not show."""
        out = []
        sec = security(self.spec, c)
        hc, cfg = inspect["HostConfig"], inspect["Config"]
        if "runAsUser" in sec and cfg["User"] != "%s:%s" % (sec["runAsUser"], sec.get("runAsGroup", 0)):
            out.append("user %r" % cfg["User"])
        if bool(sec.get("readOnlyRootFilesystem")) != bool(hc["ReadonlyRootfs"]):
            out.append("readOnlyRootFilesystem")
        if set(sec.get("capabilities", {}).get("drop", [])) != set(hc.get("CapDrop") or []):
            out.append("capabilities.drop %s" % hc.get("CapDrop"))
        if (sec.get("allowPrivilegeEscalation") is False) != ("no-new-privileges:true" in (hc.get("SecurityOpt") or [])):
            out.append("allowPrivilegeEscalation")
        limit = c.get("resources", {}).get("limits", {}).get("memory")
        if limit and hc["Memory"] != quantity_bytes(limit):
            out.append("memory limit %s" % hc["Memory"])
        running_env = dict(e.split("=", 1) for e in cfg["Env"])
        for k, v in container_env(self.overlay, c).items():
            if running_env.get(k) != v:
                out.append("env %s" % k)
        mounted = {m["Destination"] for m in inspect["Mounts"]} | set(hc.get("Tmpfs") or {})
        for m in c.get("volumeMounts", []):
            if m["mountPath"] not in mounted:
                out.append("volumeMount %s" % m["mountPath"])
        if c.get("command") and [cfg["Entrypoint"][0]] + list(cfg["Cmd"] or [])[:len(c["command"]) - 1] != c["command"]:
            out.append("command")
        return ["%s/%s container %s: %s" % (self.kind, self.name, c["name"], d) for d in out]


def probe_ok(container, c, probe, timeout=3):
    if "exec" in probe:
        return subprocess.run(["docker", "exec", container] + probe["exec"]["command"],
                               capture_output=True, timeout=timeout + 10).returncode == 0
    ip = docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container)
    if not ip:
        return False
    action = probe.get("httpGet") or probe.get("tcpSocket")
    port = action["port"]
    if not str(port).isdigit():
        port = next(p["containerPort"] for p in c.get("ports", []) if p.get("name") == port)
    if "tcpSocket" in probe:
        try:
            socket.create_connection((ip, int(port)), timeout=timeout).close()
            return True
        except OSError:
            return False
    try:
        with urllib.request.urlopen("http://%s:%s%s" % (ip, port, action.get("path", "/")), timeout=timeout) as r:
            return 200 <= r.status < 400
    except Exception:
        return False


def up(args):
    overlay = Overlay(yaml.safe_load_all(sys.stdin))
    stand_ins = json.load(open(args.stand_ins)) if args.stand_ins else {}
    network = args.project
    down(args, quiet=True)
    docker("network", "create", "--label", "peftflow.pods=" + args.project, network)
    files = files_dir(args.project)
    os.makedirs(files, mode=0o755)
    pods = [Pod(overlay, w, args.project, files, stand_ins) for w in overlay.workloads()]
    started = time.time()
    for pod in pods:
        for c in pod.containers:
            docker(*pod.run_args(c, network))
        log("%s/%s started (%s)" % (pod.kind, pod.name, ", ".join(c["image"] for c in pod.containers)))
    problems = []
    for pod in pods:
        for c in pod.containers:
            problems += pod.differences(c, json.loads(docker("inspect", pod.container_name(c)))[0])
    if problems:
        raise SystemExit("[pods] FAILED: the runner dropped fields it was given:\n  " + "\n  ".join(problems))
    log("every container runs with its spec's user, read-only root, capabilities, memory limit, env, mounts")
    pending = {(pod.name, c["name"], kind): (pod, c, c[kind]) for pod in pods for c in pod.containers
               for kind in ("startupProbe", "readinessProbe", "livenessProbe") if kind in c}
    jobs = {pod.container_name(c): pod for pod in pods if pod.kind == "Job" for c in pod.containers}
    deadline = time.time() + args.timeout
    while (pending or jobs) and time.time() < deadline:
        for key, (pod, c, probe) in list(pending.items()):
            if probe_ok(pod.container_name(c), c, probe):
                what = probe.get("httpGet", {}).get("path") or ("exec" if "exec" in probe else "tcp")
                log("%s/%s %s passed (%s) after %.0f s" % (pod.kind, pod.name, key[2], what, time.time() - started))
                del pending[key]
        for name, pod in list(jobs.items()):
            state = json.loads(docker("inspect", "-f", "{{json .State}}", name))
            if state["Status"] == "exited":
                if state["ExitCode"] != 0:
                    raise SystemExit("[pods] FAILED: Job %s exited %d:\n%s" % (pod.name, state["ExitCode"], docker("logs", "--tail", "30", name)))
                log("Job/%s completed after %.0f s" % (pod.name, time.time() - started))
                del jobs[name]
        time.sleep(2)
    if pending or jobs:
        for pod, c, _ in pending.values():
            print(docker("logs", "--tail", "20", pod.container_name(c), check=False), file=sys.stderr)
        raise SystemExit("[pods] FAILED: not passed after %d s: %s" % (args.timeout, sorted(set("%s %s" % (k[0], k[2]) for k in pending)) + sorted(jobs)))
    log("every probe passed; every Job completed (%.0f s)" % (time.time() - started))


def files_dir(project):
    """Where a project's ConfigMap and Secret files live while its containers run (bind-mounted read-only)."""
    return os.path.join(tempfile.gettempdir(), "peftflow-pods-" + project)


def down(args, quiet=False):
    ids = docker("ps", "-aq", "--filter", "label=peftflow.pods=" + args.project).split()
    if ids:
        docker("rm", "-f", "-v", *ids)
    docker("network", "rm", args.project, check=False)
    shutil.rmtree(files_dir(args.project), ignore_errors=True)
    if not quiet:
        left = docker("ps", "-aq", "--filter", "label=peftflow.pods=" + args.project)
        if left:
            raise SystemExit("[pods] FAILED: containers left: " + left)
        log("%s: %d containers and their volumes removed" % (args.project, len(ids)))


def selftest(_args):
    """The check that compares a running container with its spec finds each field the runner could drop."""
    overlay = Overlay([
        {"kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"A": "a", "HOST": "db"}},
        {"kind": "Secret", "metadata": {"name": "sec"}, "stringData": {"password": "p"}},
    ])
    workload = {"kind": "Deployment", "metadata": {"name": "svc"}, "spec": {"template": {"metadata": {"labels": {}}, "spec": {
        "securityContext": {"runAsUser": 185, "runAsGroup": 185},
        "containers": [{"name": "app", "image": "x", "envFrom": [{"configMapRef": {"name": "cfg"}}],
                        "env": [{"name": "URL", "value": "jdbc://$(HOST)/x"},
                                {"name": "PW", "valueFrom": {"secretKeyRef": {"name": "sec", "key": "password"}}}],
                        "securityContext": {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False,
                                            "capabilities": {"drop": ["ALL"]}},
                        "resources": {"limits": {"memory": "1Gi"}},
                        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}]}],
        "volumes": [{"name": "tmp", "emptyDir": {}}]}}}}
    pod = Pod(overlay, workload, "selftest", tempfile.gettempdir(), {})
    c = pod.containers[0]
    args = pod.run_args(c, "net")  # writes no files: the container has no ConfigMap or Secret volume
    assert "jdbc://db/x" in " ".join(args), args
    faithful = {"Config": {"User": "185:185", "Env": ["A=a", "HOST=db", "URL=jdbc://db/x", "PW=p"], "Entrypoint": None, "Cmd": None},
                "HostConfig": {"ReadonlyRootfs": True, "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges:true"],
                               "Memory": 1 << 30, "Tmpfs": None},
                "Mounts": [{"Destination": "/tmp"}]}
    assert pod.differences(c, faithful) == [], pod.differences(c, faithful)
    drops = [("Config", "User", "185:0"), ("Config", "Env", ["A=a", "HOST=db", "URL=jdbc://db/x"]),
             ("HostConfig", "ReadonlyRootfs", False), ("HostConfig", "CapDrop", None),
             ("HostConfig", "SecurityOpt", None), ("HostConfig", "Memory", 0)]
    for section, field, value in drops:
        dropped = copy.deepcopy(faithful)
        dropped[section][field] = value
        assert len(pod.differences(c, dropped)) == 1, (field, pod.differences(c, dropped))
    dropped = copy.deepcopy(faithful)
    dropped["Mounts"] = []
    assert pod.differences(c, dropped) == ["Deployment/svc container app: volumeMount /tmp"]
    log("selftest: each of %d dropped fields is found" % (len(drops) + 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_up = sub.add_parser("up")
    p_up.add_argument("--project", required=True)
    p_up.add_argument("--stand-ins")
    p_up.add_argument("--timeout", type=int, default=600)
    p_down = sub.add_parser("down")
    p_down.add_argument("--project", required=True)
    sub.add_parser("selftest")
    args = parser.parse_args()
    {"up": up, "down": down, "selftest": selftest}[args.command](args)


if __name__ == "__main__":
    main()
