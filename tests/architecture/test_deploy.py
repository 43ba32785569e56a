"""The Kubernetes manifests in deploy/kubernetes keep their safety properties and agree with the
image (Dockerfile) and the app (probe routes, settings).

Schema validation uses kubernetes-validate (PyPI; bundles the Kubernetes JSON schemas, so it works
offline) when it is installed, and `kubectl kustomize` when kubectl is on PATH; each is skipped
otherwise. The structural checks below always run.
"""

import ipaddress
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from app.api import health
from app.config import Settings
from tests.architecture.test_dockerfile import SERVICE_UID, only, option, runtime, runtime_command, runtime_env

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"
MIN_KUBERNETES = "1.30.0"  # lifecycle.preStop.sleep


def _load() -> dict[str, list[dict[str, Any]]]:
    yaml = YAML(typ="safe", pure=True)
    return {
        path.name: [doc for doc in yaml.load_all(path.read_text(encoding="utf-8")) if doc is not None]
        for path in sorted(MANIFESTS.glob("*.yaml"))
    }


FILES = _load()
RESOURCES = [doc for name, docs in FILES.items() if name != "kustomization.yaml" for doc in docs]


def one(kind: str) -> dict[str, Any]:
    (resource,) = [doc for doc in RESOURCES if doc["kind"] == kind]
    return resource


DEPLOYMENT = one("Deployment")
POD = DEPLOYMENT["spec"]["template"]["spec"]
(CONTAINER,) = POD["containers"]
KUSTOMIZATION = FILES["kustomization.yaml"][0]


def routes() -> set[str]:
    return {route.path for route in health.router.routes}  # type: ignore[attr-defined]


def quantity(value: str | int | float) -> float:
    """A Kubernetes resource quantity as a number (cores or bytes)."""
    suffixes = {"m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    match = re.fullmatch(r"([0-9.]+)([a-zA-Z]*)", str(value))
    assert match, value
    return float(match.group(1)) * suffixes.get(match.group(2), 1.0 if not match.group(2) else float("nan"))


# --- the set of manifests ---------------------------------------------------------------------


def test_every_manifest_is_a_named_resource_listed_in_the_kustomization() -> None:
    assert {"deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml", "kustomization.yaml"} <= set(FILES)
    for doc in RESOURCES:
        assert doc["apiVersion"] and doc["kind"] and doc["metadata"]["name"], doc
    assert KUSTOMIZATION["kind"] == "Kustomization"
    assert sorted(KUSTOMIZATION["resources"]) == sorted(name for name in FILES if name != "kustomization.yaml")


def test_pod_security_restricted_namespace() -> None:
    namespace = one("Namespace")
    assert KUSTOMIZATION["namespace"] == namespace["metadata"]["name"]
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"


def test_image_is_tagged_not_latest() -> None:
    image = CONTAINER["image"]
    assert re.fullmatch(r"[\w./-]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?", image) and (":" in image or "@" in image)
    assert not image.endswith(":latest")
    for entry in KUSTOMIZATION.get("images", []):
        assert entry.get("newTag") != "latest" and ("newTag" in entry or "digest" in entry)


# --- deployment -------------------------------------------------------------------------------


def test_rolling_update_never_drops_capacity() -> None:
    spec = DEPLOYMENT["spec"]
    assert spec["replicas"] == 3
    assert spec["strategy"]["type"] == "RollingUpdate"
    assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert spec["selector"]["matchLabels"].items() <= spec["template"]["metadata"]["labels"].items()


def test_runs_non_root_with_a_read_only_root_filesystem() -> None:
    pod, container = POD["securityContext"], CONTAINER["securityContext"]
    for context in (pod, container):
        assert context["runAsNonRoot"] is True
        assert context["runAsUser"] == SERVICE_UID
        assert context["seccompProfile"]["type"] == "RuntimeDefault"
    assert only("USER", runtime()) == [f"{pod['runAsUser']}:{pod['runAsGroup']}"], "same user as the image"
    assert container["readOnlyRootFilesystem"] is True
    assert container["allowPrivilegeEscalation"] is False
    assert container.get("privileged", False) is False
    assert container["capabilities"]["drop"] == ["ALL"] and not container["capabilities"].get("add")
    for host_namespace in ("hostNetwork", "hostPID", "hostIPC"):
        assert not POD.get(host_namespace)
    assert POD["automountServiceAccountToken"] is False


def test_tmp_is_a_writable_empty_dir() -> None:
    volumes = {volume["name"]: volume for volume in POD["volumes"]}
    (tmp,) = [mount for mount in CONTAINER["volumeMounts"] if mount["mountPath"] == "/tmp"]  # noqa: S108 (a manifest path, not a temp file)
    assert "emptyDir" in volumes[tmp["name"]] and not tmp.get("readOnly")
    assert volumes[tmp["name"]]["emptyDir"].get("sizeLimit")


def test_resources_are_requested_and_limited() -> None:
    resources = CONTAINER["resources"]
    for name in ("cpu", "memory"):
        request, limit = quantity(resources["requests"][name]), quantity(resources["limits"][name])
        assert 0 < request <= limit, name
    assert quantity(resources["requests"]["memory"]) >= 128 * 2**20


def test_probes_hit_routes_that_exist_on_the_served_port() -> None:
    ports = {port["name"]: port["containerPort"] for port in CONTAINER["ports"]}
    expected = {"startupProbe": "/readyz", "readinessProbe": "/readyz", "livenessProbe": "/livez"}
    for probe_name, path in expected.items():
        probe = CONTAINER[probe_name]["httpGet"]
        assert probe["path"] == path and path in routes()
        assert ports.get(probe["port"], probe["port"]) == int(option(runtime_command(), "--port"))
        assert CONTAINER[probe_name]["timeoutSeconds"] <= CONTAINER[probe_name]["periodSeconds"]


def test_container_port_is_the_image_port() -> None:
    (http,) = CONTAINER["ports"]
    assert http["name"] == "http"
    assert http["containerPort"] == int(option(runtime_command(), "--port")) == int(only("EXPOSE", runtime())[0])


def test_graceful_shutdown_fits_in_the_grace_period() -> None:
    pre_stop = CONTAINER["lifecycle"]["preStop"]
    assert "exec" not in pre_stop, "the image needs no shell or sleep binary: use the kubelet's sleep action"
    drain = pre_stop["sleep"]["seconds"]
    assert drain >= 3, "time for endpoint removal to reach kube-proxy and the ingress"
    graceful = int(option(runtime_command(), "--timeout-graceful-shutdown"))
    assert drain + graceful < POD["terminationGracePeriodSeconds"]


def test_settings_in_env_are_real_and_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {item["name"]: item["value"] for item in CONTAINER["env"] if "value" in item}
    screener = {name: value for name, value in env.items() if name.startswith("SCREENER_")}
    known = {f"SCREENER_{field.upper()}" for field in Settings.model_fields}
    assert screener and set(screener) <= known, f"unknown settings (typo?): {set(screener) - known}"
    # Settings from a Secret (the receipt keys, which every replica must share).
    secrets = {item["name"] for item in CONTAINER["env"] if "secretKeyRef" in item.get("valueFrom", {})}
    assert secrets == {"SCREENER_RECEIPT_KEYS"} and secrets <= known
    for name, value in screener.items():
        assert isinstance(value, str), f"{name}: env values must be strings in YAML"
        monkeypatch.setenv(name, value)
    Settings()  # validates every value
    # Behind an ingress the image's loopback-only default would make every client look like the
    # ingress to the per-client rate limit; "*" would let any client forge its address.
    trusted = [ipaddress.ip_network(item.strip()) for item in env["FORWARDED_ALLOW_IPS"].split(",")]
    assert any(not network.is_loopback for network in trusted)
    assert all(network.prefixlen >= 8 for network in trusted), "no catch-all ranges such as 0.0.0.0/0"
    assert runtime_env()["FORWARDED_ALLOW_IPS"] == "127.0.0.1,::1"


def test_topology_spread_selects_this_deployment() -> None:
    labels = DEPLOYMENT["spec"]["template"]["metadata"]["labels"]
    constraints = POD["topologySpreadConstraints"]
    assert {c["topologyKey"] for c in constraints} >= {"kubernetes.io/hostname", "topology.kubernetes.io/zone"}
    for constraint in constraints:
        assert constraint["labelSelector"]["matchLabels"].items() <= labels.items()


# --- service, autoscaler, disruption budget ---------------------------------------------------


def test_service_targets_the_container_port_without_affinity() -> None:
    service = one("Service")
    labels = DEPLOYMENT["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"].get("sessionAffinity", "None") == "None"
    ports = {port["name"]: port["containerPort"] for port in CONTAINER["ports"]}
    (port,) = service["spec"]["ports"]
    target = port["targetPort"]
    assert ports.get(target, target) == CONTAINER["ports"][0]["containerPort"]


def test_hpa_scales_the_deployment_on_cpu() -> None:
    hpa = one("HorizontalPodAutoscaler")
    assert hpa["apiVersion"] == "autoscaling/v2"
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["apiVersion"], target["kind"], target["name"]) == (
        DEPLOYMENT["apiVersion"],
        "Deployment",
        DEPLOYMENT["metadata"]["name"],
    )
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (3, 20)
    assert hpa["spec"]["minReplicas"] <= DEPLOYMENT["spec"]["replicas"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu" and metric["resource"]["target"]["averageUtilization"] == 70
    assert "cpu" in CONTAINER["resources"]["requests"], "utilization is measured against the request"


def test_pdb_selects_the_deployment_and_lets_drains_progress() -> None:
    pdb = one("PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"] == DEPLOYMENT["spec"]["selector"]["matchLabels"]
    if "maxUnavailable" in pdb["spec"]:
        assert pdb["spec"]["maxUnavailable"] == 1
    else:
        assert 0 < pdb["spec"]["minAvailable"] < one("HorizontalPodAutoscaler")["spec"]["minReplicas"]


# --- real validators, when installed ----------------------------------------------------------


@pytest.mark.parametrize("version", [MIN_KUBERNETES, "latest"])
def test_manifests_validate_against_the_kubernetes_schemas(version: str) -> None:
    validator = pytest.importorskip("kubernetes_validate.utils", reason="kubernetes-validate is not installed")
    version = validator.latest_version() if version == "latest" else version
    for resource in RESOURCES:
        validator.validate(resource, version, strict=True)  # raises on any error or unknown field


def test_kustomization_renders() -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    rendered = subprocess.run(
        [kubectl, "kustomize", str(MANIFESTS)], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    docs = [doc for doc in YAML(typ="safe", pure=True).load_all(rendered) if doc is not None]
    assert sorted(doc["kind"] for doc in docs) == sorted(doc["kind"] for doc in RESOURCES)
    namespaced = [doc for doc in docs if doc["kind"] != "Namespace"]
    assert {doc["metadata"]["namespace"] for doc in namespaced} == {KUSTOMIZATION["namespace"]}
