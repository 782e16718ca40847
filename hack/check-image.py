#!/usr/bin/env python3
"""Checks the operator image tar (target/jib-image.tar) without a container engine.

1. The tag is the chart's default image: values.yaml image.repository ":" Chart.yaml appVersion, and that
   appVersion is the project version in pom.xml.
2. The image config: entrypoint java -jar /deployments/quarkus-run.jar, user = the chart's
   podSecurityContext runAsUser:runAsGroup, port 8080/tcp, working directory, version label.
3. The layers, unpacked in order into a temporary root: the fast-jar is complete, Jib's /app is not there,
   and every file under /deployments is readable by that user.
4. As that user, chrooted into the root mounted read-only (like readOnlyRootFilesystem, with a tmpfs on /tmp
   like the chart's emptyDir), with only the image's environment: `java -version`; then the entrypoint with
   QUARKUS_HTTP_PORT=18080 and no kubeconfig, twice. Run 1, unchanged: the operator starts, registers its
   reconcilers and stops because no Kubernetes API is reachable (as it would in a pod without one). Run 2,
   with QUARKUS_OPERATOR_SDK_ASYNC_START=true so that Quarkus finishes starting anyway: /q/health/live
   answers UP on that port and the process runs until SIGTERM.
   Logs: image-check-run1.log and image-check-run2.log beside the image tar.
   While it runs, an operator process (java -jar .../quarkus-run.jar) exists on this machine: do not run it
   during the e2e tests, which refuse to start next to a foreign operator.

Needs root (chroot, mounts). Prints each check; exits 1 if any fails.
Usage: hack/check-image.py [IMAGE_TAR] [--run-seconds N]
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHART = os.path.join(REPO, "deploy", "helm", "hpc-bridge")
PORT = 18080

results = []


def check(ok, what, detail=""):
    results.append(bool(ok))
    print("%s  %s%s" % ("ok  " if ok else "FAIL", what, (": " + detail) if detail else ""), flush=True)
    return ok


def project_version():
    root = ET.parse(os.path.join(REPO, "pom.xml")).getroot()
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    v = root.find("m:version", ns)
    if v is None:
        v = root.find("version")
    return v.text.strip()


def yaml_scalar(path, keys):
    """A scalar at keys (a path of mapping keys) in a simple block-style YAML file, without a YAML library."""
    indent_stack = []
    with open(path) as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            m = re.match(r"^( *)([A-Za-z0-9_.-]+):\s*(.*?)\s*$", line)
            if not m:
                continue
            ind, key, val = len(m.group(1)), m.group(2), m.group(3)
            while indent_stack and indent_stack[-1][0] >= ind:
                indent_stack.pop()
            indent_stack.append((ind, key))
            if [k for _, k in indent_stack] == keys:
                val = re.sub(r"\s+#.*$", "", val)
                return val.strip('"').strip("'")
    return None


def read_image(tar_path):
    with tarfile.open(tar_path) as t:
        manifest = json.load(t.extractfile("manifest.json"))[0]
        config = json.load(t.extractfile(manifest["Config"]))
    return manifest, config


def unpack_layers(tar_path, layers, root):
    """Unpacks the layers in order, applying whiteouts (.wh.NAME deletes NAME; opaque dirs are not expected)."""
    with tarfile.open(tar_path) as outer:
        for name in layers:
            data = outer.extractfile(name)
            head = data.peek(2)[:2] if hasattr(data, "peek") else b""
            with tarfile.open(fileobj=outer.extractfile(name), mode="r|*") as lt:
                whiteouts = [m.name for m in lt if os.path.basename(m.name).startswith(".wh.")]
            if any(os.path.basename(w) == ".wh..wh..opq" for w in whiteouts):
                raise SystemExit("layer %s has an opaque whiteout, which this check does not handle" % name)
            for w in whiteouts:
                target = os.path.join(root, os.path.dirname(w), os.path.basename(w)[4:])
                if os.path.isdir(target) and not os.path.islink(target):
                    shutil.rmtree(target)
                elif os.path.lexists(target):
                    os.remove(target)
            cmd = ["tar", "-x", "--numeric-owner", "--warning=no-unknown-keyword", "-C", root, "-f", "-"]
            if head == b"\x1f\x8b":
                cmd.insert(1, "-z")
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
            shutil.copyfileobj(outer.extractfile(name), proc.stdin, 1 << 20)
            proc.stdin.close()
            if proc.wait() != 0:
                raise SystemExit("tar failed on layer " + name)
            for w in whiteouts:
                p = os.path.join(root, w)
                if os.path.lexists(p):
                    os.remove(p)


def mounts_under(d):
    with open("/proc/self/mounts") as f:
        return sorted((l.split()[1] for l in f if l.split()[1] == d or l.split()[1].startswith(d + "/")), reverse=True)


def unmount_all(d):
    for m in mounts_under(d):
        if subprocess.call(["umount", m], stderr=subprocess.DEVNULL) != 0:
            subprocess.call(["umount", "-l", m])


def as_user(root, workdir, uid, gid):
    def preexec():
        os.chroot(root)
        os.chdir(workdir or "/")
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
    return preexec


RECONCILERS = {"campaign", "task", "taskattempt", "hpccluster", "processingblock"}
RUNNING = []


def run_entrypoint(cmd, env, preexec, log_path, seconds, wait_for_exit):
    """Starts cmd as the image would, polls /q/health/live until it answers (or the process ends), then either
    waits for the process to end by itself (wait_for_exit) or stops it with SIGTERM 3 s after the answer."""
    log = open(log_path, "w")
    t0 = time.time()
    proc = subprocess.Popen(cmd, env=env, preexec_fn=preexec, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    RUNNING.append(proc)
    proc.stopped_by_us = False
    status, body = None, ""
    while time.time() - t0 < seconds and proc.poll() is None:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/q/health/live" % PORT, timeout=3) as resp:
                status, body = resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read().decode()
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
            continue
        if not wait_for_exit:
            break
        time.sleep(0.5)
    elapsed = time.time() - t0
    if not wait_for_exit and proc.poll() is None:
        time.sleep(3)
        if proc.poll() is None:
            proc.stopped_by_us = True
            proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(max(1, seconds - (time.time() - t0)) if wait_for_exit else 30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    log.close()
    return proc, log_path, status, body, elapsed


def show_log(path, head=4, tail=3):
    lines = open(path, errors="replace").read().splitlines()
    print("      %s (%d lines), first and last:" % (path, len(lines)))
    for l in lines[:head] + (["..."] if len(lines) > head + tail else []) + lines[max(head, len(lines) - tail):]:
        print("      | " + l[:160])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("image", nargs="?", default=os.path.join(REPO, "target", "jib-image.tar"))
    ap.add_argument("--run-seconds", type=int, default=90, help="longest wait for /q/health/live")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("check-image.py needs root (chroot, mounts)")
    if not os.path.isfile(args.image):
        raise SystemExit(args.image + " is missing: run hack/build-image.sh first")

    version = project_version()
    repo = yaml_scalar(os.path.join(CHART, "values.yaml"), ["image", "repository"])
    tag = yaml_scalar(os.path.join(CHART, "values.yaml"), ["image", "tag"])
    app_version = yaml_scalar(os.path.join(CHART, "Chart.yaml"), ["appVersion"])
    uid = int(yaml_scalar(os.path.join(CHART, "values.yaml"), ["podSecurityContext", "runAsUser"]))
    gid = int(yaml_scalar(os.path.join(CHART, "values.yaml"), ["podSecurityContext", "runAsGroup"]))
    chart_image = "%s:%s" % (repo, tag or app_version)

    print("== %s (%.1f MiB)" % (args.image, os.path.getsize(args.image) / 2**20))
    manifest, config = read_image(args.image)
    c = config.get("config", {})
    check(app_version == version, "Chart.yaml appVersion is the project version", "%s / %s" % (app_version, version))
    check(manifest.get("RepoTags") == [chart_image], "image tag is the chart's default image",
          "%s / %s" % (manifest.get("RepoTags"), chart_image))
    ep = c.get("Entrypoint") or []
    check(ep[:1] == ["java"] and ep[-2:] == ["-jar", "/deployments/quarkus-run.jar"],
          "entrypoint runs the fast-jar", " ".join(ep))
    check(not c.get("Cmd"), "no Cmd appended to the entrypoint", str(c.get("Cmd")))
    check(c.get("User") == "%d:%d" % (uid, gid), "user is the chart's runAsUser:runAsGroup",
          "%s / %d:%d" % (c.get("User"), uid, gid))
    check(c.get("ExposedPorts") == {"8080/tcp": {}}, "exposed ports", str(c.get("ExposedPorts")))
    check(c.get("WorkingDir") == "/deployments", "working directory", str(c.get("WorkingDir")))
    labels = c.get("Labels") or {}
    check(labels.get("org.opencontainers.image.version") == version, "version label",
          str(labels.get("org.opencontainers.image.version")))
    check(labels.get("org.opencontainers.image.title") == "hpc-bridge", "title label",
          str(labels.get("org.opencontainers.image.title")))
    check(config.get("os") == "linux" and config.get("architecture") == "amd64", "platform",
          "%s/%s" % (config.get("os"), config.get("architecture")))
    check(len(manifest["Layers"]) == len(config["rootfs"]["diff_ids"]), "layer count matches the config",
          str(len(manifest["Layers"])))

    tmp = tempfile.mkdtemp(prefix="hpcb-image-check-")
    try:
        root = os.path.join(tmp, "root")
        os.mkdir(root)
        unpack_layers(args.image, manifest["Layers"], root)
        d = os.path.join(root, "deployments")
        for rel in ["quarkus-run.jar", "lib/boot", "lib/main", "quarkus/quarkus-application.dat", "app"]:
            check(os.path.exists(os.path.join(d, rel)), "/deployments/" + rel + " exists")
        app_jars = [f for f in os.listdir(os.path.join(d, "app"))] if os.path.isdir(os.path.join(d, "app")) else []
        check(any(f.startswith("hpc-bridge-") and f.endswith(".jar") for f in app_jars),
              "the operator's own jar is in /deployments/app", ", ".join(app_jars))
        check(not os.path.exists(os.path.join(root, "app")), "Jib's default /app is not in the image")
        unreadable = []
        for dirpath, dirnames, filenames in os.walk(d):
            for n in filenames + dirnames:
                p = os.path.join(dirpath, n)
                st = os.lstat(p)
                need = 0o005 if os.path.isdir(p) else 0o004
                if (st.st_mode & need) != need and st.st_uid != uid:
                    unreadable.append(p[len(root):])
        check(not unreadable, "everything under /deployments is readable by uid %d" % uid,
              ", ".join(unreadable[:5]))
        passwd = open(os.path.join(root, "etc", "passwd")).read()
        if re.search(r"^[^:]*:[^:]*:%d:%d:" % (uid, gid), passwd, re.M):
            print("info  /etc/passwd has uid %d" % uid)
        else:
            print("info  /etc/passwd has no uid %d (the chart sets runAsUser, so it still runs)" % uid)

        # The root as the pod would see it: read-only, /tmp an emptyDir, /proc and /dev from the runtime.
        subprocess.check_call(["mount", "--bind", root, root])
        subprocess.check_call(["mount", "-o", "remount,bind,ro", root])
        subprocess.check_call(["mount", "-t", "proc", "proc", os.path.join(root, "proc")])
        subprocess.check_call(["mount", "--bind", "/dev", os.path.join(root, "dev")])
        subprocess.check_call(["mount", "-t", "tmpfs", "-o", "mode=1777,size=256m", "tmpfs", os.path.join(root, "tmp")])
        env = dict(e.split("=", 1) for e in c.get("Env") or [])
        env.setdefault("HOME", "/")
        preexec = as_user(root, c.get("WorkingDir"), uid, gid)

        r = subprocess.run(["java", "-version"], env=env, preexec_fn=preexec, capture_output=True, text=True)
        check(r.returncode == 0, "java -version as uid %d in the read-only root" % uid,
              (r.stderr.strip().splitlines() or ["?"])[0] + ("" if r.returncode == 0 else " / " + r.stderr.strip()))

        try:
            urllib.request.urlopen("http://127.0.0.1:%d/" % PORT, timeout=2)
            raise SystemExit("port %d is already in use on this machine" % PORT)
        except urllib.error.HTTPError:
            raise SystemExit("port %d is already in use on this machine" % PORT)
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        out_dir = os.path.dirname(os.path.abspath(args.image))

        # Run 1, the image as it is: the operator starts, registers its reconcilers and, with no Kubernetes API
        # (no kubeconfig, no service account, kubernetes.default.svc does not resolve), stops with an error.
        print("      run 1: %s (QUARKUS_HTTP_PORT=%d, no kubeconfig)" % (" ".join(ep), PORT), flush=True)
        proc, log_path, status, body, elapsed = run_entrypoint(
            ep + (c.get("Cmd") or []), dict(env, QUARKUS_HTTP_PORT=str(PORT)), preexec,
            os.path.join(out_dir, "image-check-run1.log"), args.run_seconds, wait_for_exit=True)
        text = open(log_path, errors="replace").read()
        registered = set(re.findall(r"Registered reconciler: '([a-z]+)'", text))
        check(registered >= RECONCILERS, "run 1: the operator registered its reconcilers", ", ".join(sorted(registered)))
        check("Starting operator" in text, "run 1: the operator started")
        check(proc.returncode not in (None, 0) and "UnknownHostException: kubernetes.default.svc" in text,
              "run 1: it stopped because no Kubernetes API is reachable",
              "exit code %s after %.1fs" % (proc.returncode, elapsed))
        show_log(log_path)

        # Run 2, the same with QUARKUS_OPERATOR_SDK_ASYNC_START=true: Quarkus finishes starting while the
        # informers fail in the background, so the HTTP side can be checked: /q/health/live on the port.
        print("      run 2: the same with QUARKUS_OPERATOR_SDK_ASYNC_START=true", flush=True)
        proc, log_path, status, body, elapsed = run_entrypoint(
            ep + (c.get("Cmd") or []), dict(env, QUARKUS_HTTP_PORT=str(PORT), QUARKUS_OPERATOR_SDK_ASYNC_START="true"),
            preexec, os.path.join(out_dir, "image-check-run2.log"), args.run_seconds, wait_for_exit=False)
        check(status == 200 and '"UP"' in body, "run 2: /q/health/live answers on port %d" % PORT,
              "HTTP %s after %.1fs: %s" % (status, elapsed, " ".join(body.split())[:200]))
        check(proc.returncode is not None and proc.stopped_by_us, "run 2: it ran until stopped with SIGTERM",
              "exit code %s" % proc.returncode)
        show_log(log_path)
    finally:
        for p in RUNNING:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        unmount_all(tmp)
        if mounts_under(tmp):
            print("FAIL  could not unmount everything under %s; left in place" % tmp)
            results.append(False)
        else:
            shutil.rmtree(tmp)

    failed = results.count(False)
    print("%d passed, %d failed" % (results.count(True), failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
