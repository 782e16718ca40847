#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: unit tests, integration tests (Fabric8 mock
# server) and end-to-end tests against the local stack of real parts (kube-apiserver, Slurm with
# accounting, sshd). .ci/run calls exactly this.
set -euo pipefail
HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HACK_DIR/.."

hack/stack-up.sh
# Jobs that earlier runs left on the HTCondor pool would queue ahead of this run's (the pool has 8 slots).
(. "$HACK_DIR/lib.sh" && . "$HACK_DIR/components.sh" && remove_condor_test_leftovers)
# shellcheck disable=SC1091
. "$HACK_DIR/build.sh"
ensure_build_tools
# README command one is part of the suite: the demo must end with campaign/hello Succeeded on both schedulers.
# A fresh namespace each run, so an earlier run's finished campaign cannot pass for this one.
demo_ns="hpcb-demo-test-$(date +%s)"
HPCB_DEMO_NAMESPACE=$demo_ns hack/demo.sh
# shellcheck disable=SC1091
. /var/tmp/hpcb-stack/env
# Deleted while its operator still runs, so the attempts' finalizers come off; then that operator stops:
# it must not compete with the ones the e2e tests start.
KUBECONFIG=$KUBECONFIG "$KUBECTL" delete namespace "$demo_ns" "$demo_ns-htcondor" --timeout=120s 2>/dev/null || true
hack/operator.sh stop
# Retries cover downloads only (the build before); the suite itself runs exactly once.
mvn_retry -q package -DskipTests
mvn -B verify -Pe2e
