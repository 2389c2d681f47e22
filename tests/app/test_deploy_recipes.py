"""The deploy recipes: Community Cloud's entry folder (CPU-only torch) and the Dockerfile.

Docker cannot build on the test machines (a client without a daemon), so the
Dockerfile is read here and its commands are run outside docker in
``tests/e2e/test_container_recipe.py``.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from tests.sources import app_files

from .helpers import no_errors
from .pages import ROOT, TIMEOUT

CLOUD = ROOT / "deploy" / "cloud"


def pins(path) -> dict[str, str]:
    """{package: version} of a requirements file's ``name==version`` lines (comments and options skipped)."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            name, version = line.split("==")
            found[name.strip().lower()] = version.strip()
    return found


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def exec_form(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def test_cloud_requirements_pin_the_cpu_build_of_the_same_torch_and_everything_else_alike():
    root, cloud = pins(ROOT / "requirements.txt"), pins(CLOUD / "requirements.txt")
    assert cloud["torch"] == root["torch"] + "+cpu"
    assert {k: v for k, v in cloud.items() if k != "torch"} == {k: v for k, v in root.items() if k != "torch"}
    options = [line.strip() for line in (CLOUD / "requirements.txt").read_text().splitlines() if line.startswith("-")]
    assert options == ["--extra-index-url https://download.pytorch.org/whl/cpu"]


def test_the_cloud_entry_point_runs_the_app_with_every_page():
    at = AppTest.from_file(str(CLOUD / "streamlit_app.py"), default_timeout=TIMEOUT)
    at.run()
    no_errors(at)
    assert at.title and at.title[0].value  # the home page drew
    # pages are named from the repository root, so they resolve from this folder too
    at.switch_page(str(ROOT / "lessons" / "query_attention" / "page.py")).run()
    no_errors(at)
    assert [el for el in at.get("plotly_chart") if el.proto.id.endswith("-chart.weights")]


def test_the_dockerfile_runs_cpu_torch_as_a_non_root_user_with_a_healthcheck():
    steps = dockerfile()
    kinds = [kind for kind, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    # torch from the CPU index: the image installs the cloud requirements file
    install = next(args for kind, args in steps if kind == "RUN" and "pip install" in args)
    assert "-r /tmp/requirements.txt" in install
    assert ("COPY", "deploy/cloud/requirements.txt /tmp/requirements.txt") in steps
    # a non-root user, set after every RUN, and the app's files not writable by it (copied as root)
    user = [args for kind, args in steps if kind == "USER"]
    assert user and user[-1] not in ("root", "0")
    assert kinds.index("USER") > max(i for i, kind in enumerate(kinds) if kind in ("RUN", "COPY"))
    # the healthcheck asks Streamlit's health endpoint on the served port
    health = next(args for kind, args in steps if kind == "HEALTHCHECK")
    assert "/_stcore/health" in health and "127.0.0.1:8501" in health
    command = exec_form(next(args for kind, args in steps if kind == "CMD"))
    # Streamlit's command line through deploy/streamlit_main.py, which keeps /_stcore/metrics to localhost
    assert command[:4] == ["python", "deploy/streamlit_main.py", "run", "app.py"]
    flags = dict(zip(command[4::2], command[5::2]))
    assert flags["--server.port"] == "8501" and flags["--server.fileWatcherType"] == "none"
    assert flags["--server.headless"] == "true"
    # every cache under /tmp, no bytecode next to the sources
    env = " ".join(args for kind, args in steps if kind == "ENV")
    for name in ("HOME", "XDG_CACHE_HOME", "HF_HOME"):
        assert re.search(rf"\b{name}=/tmp/", env), name
    assert "PYTHONDONTWRITEBYTECODE=1" in env


def test_the_image_leaves_out_what_the_app_does_not_need():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".git", ".venv", "tests", "lessons/*/tests", "conftest.py", "screenshots"} <= ignored
    assert not ignored & {"models", "lessons", "ui", "attention_core", "deploy", ".streamlit"}


def test_the_app_writes_files_only_through_downloads_and_proc():
    """No file is opened for writing in the app's code, except the kernel's /proc interface of the memory meter."""
    writes = []
    for path in [ROOT / "app.py", *app_files("ui", "lessons")]:
        writes += [
            f"{path.name}: {m[0]}"
            for m in re.finditer(
                r".*(open\([^)]*['\"][wa]b?['\"]|\.write_(text|bytes)\(|np\.save\((?!buffer)|\.to_csv\(['\"]).*",
                path.read_text(),
            )
        ]
    core = (ROOT / "attention_core").rglob("*.py")
    for path in core:
        for m in re.finditer(r".*open\(([^)]*)['\"][wa]b?['\"].*", path.read_text()):
            if "/proc/self/" not in m[0]:
                writes.append(f"{path.name}: {m[0]}")
    assert writes == []


# ------------------------------------------------------------------ the class recipe's supervisor (deploy/serve_class.py)

sys.path.insert(0, str(ROOT / "deploy"))
import serve_class  # noqa: E402


def routes_of(config: str) -> dict[str, list[str]]:
    """{upstream name: its server lines} of a generated nginx.conf."""
    found = {}
    for name, body in re.findall(r"upstream (\w+) \{(.*?)\}", config, re.S):
        found[name] = [
            line.strip().rstrip(";") for line in body.strip().splitlines() if line.strip().startswith("server")
        ]
    return found


def test_nginx_routes_new_browsers_to_live_processes_and_each_cookie_to_its_process_or_a_live_one(tmp_path):
    up, dead, draining = (
        serve_class.Route(9001, takes_new=True, serves_own=True),
        serve_class.Route(9002, takes_new=False, serves_own=False),
        serve_class.Route(9003, takes_new=False, serves_own=True),
    )
    config = serve_class.nginx_config(tmp_path, "0.0.0.0", 8501, [up, dead, draining], "/static-files")
    upstreams = routes_of(config)
    # new browsers: only the live process (the dead and the drained one are marked down)
    assert [line.split()[1:3] for line in upstreams["ae_new"]] == [
        ["127.0.0.1:9001", "max_fails=1"],
        ["127.0.0.1:9002", "down"],
        ["127.0.0.1:9003", "down"],
    ]
    # a browser of the dead process: its process is down, the live one is the backup
    assert upstreams["ae_b1"][0].split()[1:3] == ["127.0.0.1:9002", "down"]
    assert [line.split()[1:3] for line in upstreams["ae_b1"][1:]] == [["127.0.0.1:9001", "backup"]]
    # a browser of the drained process still reaches it (its session lives there)
    assert upstreams["ae_b2"][0].split()[1:3] == ["127.0.0.1:9003", "max_fails=1"]
    # the cookie names the process that answered last ($upstream_addr ends with it after a failover)
    assert "b1 ae_b1;" in config
    assert '"~127\\.0\\.0\\.1:9001$" "ae_backend=b0; Path=/; HttpOnly; SameSite=Lax";' in config
    assert config.count("add_header Set-Cookie $ae_backend_cookie always;") == 2  # pages and the websocket
    # Streamlit's metrics are not served to the network
    assert re.search(r"location = /_stcore/metrics \{\s*return 404;", config)


def test_the_generated_nginx_config_is_valid(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        pytest.skip("nginx is not installed")
    routes = [serve_class.Route(9001, True, True), serve_class.Route(9002, False, False)]
    conf = tmp_path / "nginx.conf"
    conf.write_text(serve_class.nginx_config(tmp_path, "127.0.0.1", 8799, routes, str(tmp_path)))
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_the_memory_ceiling_follows_the_memory_the_processes_share():
    GB = 1e9
    assert serve_class.default_max_rss_mb(2, int(24 * GB)) == 3000  # this 2-core, 24 GB machine
    assert serve_class.default_max_rss_mb(1, int(2.7 * GB)) == 2025  # Streamlit Cloud's ~2.7 GB
    assert serve_class.default_max_rss_mb(2, int(4 * GB)) == 1500  # docker run --memory 4g, 2 processes


@pytest.mark.parametrize(
    "code, words",
    [(-9, "SIGKILL (kill -9, or the kernel's out-of-memory killer"), (-11, "crashed with SIGSEGV"), (1, "code 1")],
)
def test_the_launcher_says_why_a_process_ended(code, words):
    assert words in serve_class.exit_reason(code)


class _Args:
    procs, port, address, python, script = 1, 8799, "127.0.0.1", sys.executable, "app.py"
    no_nginx, no_pin, pin, max_rss_mb = True, True, False, 0


def test_a_process_above_the_memory_ceiling_is_drained_then_restarted_at_a_quiet_moment(tmp_path, capsys, monkeypatch):
    args = _Args()
    args.max_rss_mb = 1000
    supervisor = serve_class.Supervisor(args, {}, tmp_path)
    backend = supervisor.backends[0]
    backend.proc = subprocess.Popen(["sleep", "60"])  # stands for a Streamlit process
    backend.state = "up"
    cpu = iter([10.0, 10.5, 10.5])  # its CPU seconds at three checks: busy, then quiet
    monkeypatch.setattr(serve_class, "rss_bytes", lambda pid: 1.2e9)  # above the ceiling, below 1.5 times it
    monkeypatch.setattr(serve_class, "cpu_seconds", lambda pid: next(cpu))
    try:
        supervisor.check_memory(backend, now=100.0)
        assert backend.state == "draining"  # nginx sends it no new browsers; its own still reach it
        assert backend.route() == serve_class.Route(backend.port, takes_new=False, serves_own=True)
        supervisor.check_memory(backend, now=100.5)  # a script ran (0.5 s of CPU): not now
        assert backend.state == "draining" and backend.proc.poll() is None
        supervisor.check_memory(backend, now=101.0)  # no CPU since: between reruns
        assert backend.state == "down" and backend.restart_at == 101.0  # restarted at once, no back-off
        assert backend.proc.poll() is not None
    finally:
        backend.proc.kill()
        backend.proc.wait()
    log = capsys.readouterr().err
    assert "holds 1200 MB, above the ceiling 1000 MB: drained" in log and "its students move to a live process" in log


def test_a_process_far_above_the_ceiling_is_restarted_without_waiting(tmp_path, monkeypatch):
    args = _Args()
    args.max_rss_mb = 1000
    supervisor = serve_class.Supervisor(args, {}, tmp_path)
    backend = supervisor.backends[0]
    backend.proc = subprocess.Popen(["sleep", "60"])
    backend.state = "up"
    cpu = iter([10.0, 11.0])  # busy all along
    monkeypatch.setattr(serve_class, "rss_bytes", lambda pid: 1.6e9)
    monkeypatch.setattr(serve_class, "cpu_seconds", lambda pid: next(cpu))
    try:
        supervisor.check_memory(backend, now=100.0)
        supervisor.check_memory(backend, now=100.5)
        assert backend.state == "down" and backend.proc.poll() is not None
    finally:
        backend.proc.kill()
        backend.proc.wait()


def test_a_process_that_keeps_dying_is_restarted_with_a_growing_back_off_until_it_cannot_start(tmp_path, capsys):
    supervisor = serve_class.Supervisor(_Args(), {}, tmp_path)
    backend = supervisor.backends[0]
    delays = []
    for attempt in range(serve_class.MAX_FAILED_STARTS - 1):
        backend.state = "starting"  # died before it answered "ok"
        supervisor.died(backend, now=0.0, why="process b0 exited with code 1")
        delays.append(backend.restart_at)
    assert delays == [0.5, 1.0, 2.0, 4.0]
    backend.state = "starting"
    with pytest.raises(RuntimeError, match="cannot start"):
        supervisor.died(backend, now=0.0, why="process b0 exited with code 1")


def test_the_launcher_stops_and_says_so_when_a_process_cannot_start_at_all():
    done = subprocess.run(
        [
            sys.executable,
            "deploy/serve_class.py",
            "--procs",
            "1",
            "--no-nginx",
            "--port",
            "8798",
            "--script",
            "nope.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "cannot start" in done.stderr and "stopping the class" in done.stderr


def test_ci_installs_nginx_so_the_class_recipe_tests_run_there():
    script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"command -v nginx .*missing\+=\(nginx\)", script)
    assert 'apt-get install -y -qq "${missing[@]}"' in script
    for test in ("test_serve_class.py", "test_fault.py"):  # under CI=true they fail without nginx, never skip
        source = (ROOT / "tests" / "e2e" / test).read_text()
        assert 'os.environ.get("CI") != "true"' in source


# ------------------------------------------------------------------ the live class on several machines (issue 26)

import ipaddress  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import yaml  # noqa: E402

from classroom.open_store import ROOMS_ENV  # noqa: E402

DEPLOY = ROOT / "deploy"
TEMPLATE_COOKIE = re.search(r"\$\$cookie_(\w+)", (DEPLOY / "nginx.conf.template").read_text())[1]  # ae_backend


def image_port() -> int:
    """The port the image serves and checks its health on (the Dockerfile's EXPOSE)."""
    return int(next(args for kind, args in dockerfile() if kind == "EXPOSE"))


def image_health_path() -> str:
    return re.search(r"127\.0\.0\.1:\d+(/[\w/]+)", next(args for kind, args in dockerfile() if kind == "HEALTHCHECK"))[
        1
    ]


def locations(config: str) -> dict[str, list[str]]:
    """{location header: its directives, comments and blank space dropped} of an nginx config."""
    found = {}
    for header, body in re.findall(r"location ([^{]+?) \{(.*?)\}", config, re.S):
        lines = [line.split("#", 1)[0].strip() for line in body.splitlines()]
        found[header] = [line for line in lines if line]
    return found


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_two_app_containers_of_the_image_behind_nginx_with_the_rooms_in_redis():
    services = compose()["services"]
    apps = {name: s for name, s in services.items() if "build" in s}
    assert sorted(apps) == ["app1", "app2"]
    for app in apps.values():
        assert (DEPLOY / app["build"]["context"] / app["build"]["dockerfile"]).resolve() == ROOT / "Dockerfile"
        rooms = urlsplit(app["environment"][ROOMS_ENV])
        assert rooms.scheme == "redis" and rooms.hostname in services and (rooms.port or 6379) == 6379
        assert "--port" not in services[rooms.hostname]["command"]  # Redis on its default port, 6379
        assert app["depends_on"]["redis"]["condition"] == "service_healthy"
        # the containers sign cookies alike, with a secret the admin must give (no default in the file)
        assert re.fullmatch(r"\$\{AE_COOKIE_SECRET:\?[^}]+\}", app["environment"]["STREAMLIT_SERVER_COOKIE_SECRET"])
        assert app["restart"] == "unless-stopped" and app["expose"] == [str(image_port())]
    nginx = services["nginx"]
    assert nginx["ports"] == [f"{image_port()}:{image_port()}"]
    assert "./compose-nginx.conf:/etc/nginx/nginx.conf:ro" in nginx["volumes"]


def test_the_compose_nginx_routes_by_the_class_recipes_cookie_to_the_app_containers():
    config = (DEPLOY / "compose-nginx.conf").read_text()
    subnet = ipaddress.ip_network(compose()["networks"]["class"]["ipam"]["config"][0]["subnet"])
    services = compose()["services"]
    app = [f"{services[name]['networks']['class']['ipv4_address']}:{image_port()}" for name in ("app1", "app2")]
    assert all(ipaddress.ip_address(a.split(":")[0]) in subnet for a in app)
    upstreams = routes_of(config)
    assert [line.split()[1] for line in upstreams["ae_new"]] == app
    assert [line.split()[1:3] for line in upstreams["ae_b0"]] == [[app[0], "max_fails=1"], [app[1], "backup"]]
    assert [line.split()[1:3] for line in upstreams["ae_b1"]] == [[app[1], "max_fails=1"], [app[0], "backup"]]
    # the cookie names the container that answered, as in the one-machine recipe
    for i, address in enumerate(app):
        served = re.escape(address).replace("\\:", ":")
        assert f'"~{served}$" "{TEMPLATE_COOKIE}=b{i}; Path=/; HttpOnly; SameSite=Lax";' in config
    assert f"map $cookie_{TEMPLATE_COOKIE} $ae_upstream" in config
    # the same locations as the generated recipe's (pages, websocket, metrics), less the static files
    routes = [serve_class.Route(9001, True, True), serve_class.Route(9002, True, True)]
    generated = locations(serve_class.nginx_config(ROOT, "0.0.0.0", image_port(), routes, "/static-files"))
    assert locations(config) == {k: v for k, v in generated.items() if k != "/static/"}
    assert f"listen {image_port()};" in config


def test_the_compose_nginx_config_is_valid(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        pytest.skip("nginx is not installed")
    conf = DEPLOY / "compose-nginx.conf"
    done = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def manifests() -> dict[tuple[str, str], dict]:
    """{(kind, name): manifest} of every file under deploy/k8s (the kustomization apart)."""
    found = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if "kind" in doc:
                found[doc["kind"], doc["metadata"]["name"]] = doc
    return found


def test_the_kubernetes_manifests_run_replicas_of_the_image_with_the_rooms_in_redis():
    found = manifests()
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    assert sorted(kustomization["resources"]) == sorted(
        p.name for p in (DEPLOY / "k8s").glob("*.yaml") if p.name != "kustomization.yaml"
    )
    app = found["Deployment", "attention-explorer"]
    assert app["spec"]["replicas"] >= 2
    pod = app["spec"]["template"]
    assert pod["metadata"]["labels"] == app["spec"]["selector"]["matchLabels"]
    (container,) = pod["spec"]["containers"]
    assert container["ports"][0]["containerPort"] == image_port()
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": image_health_path(), "port": image_port()}
    env = {e["name"]: e for e in container["env"]}
    rooms = urlsplit(env[ROOMS_ENV]["value"])
    redis_service = found["Service", rooms.hostname]  # the URL's host is the Redis Service
    assert rooms.scheme == "redis" and redis_service["spec"]["ports"][0]["port"] == (rooms.port or 6379)
    redis_pods = found["Deployment", "redis"]["spec"]["template"]["metadata"]["labels"]
    assert redis_service["spec"]["selector"] == redis_pods
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]  # every replica signs alike
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    useradd = next(args for kind, args in dockerfile() if kind == "RUN" and "useradd" in args)
    assert pod["spec"]["securityContext"]["runAsUser"] == int(re.search(r"--uid (\d+)", useradd)[1])  # the image's user
    service = found["Service", "attention-explorer"]
    assert service["spec"]["selector"] == pod["metadata"]["labels"]
    assert service["spec"]["ports"][0]["targetPort"] == image_port()


def test_the_ingress_keeps_a_browser_on_its_pod_by_the_class_recipes_cookie_and_lets_websockets_idle():
    found = manifests()
    ingress = found["Ingress", "attention-explorer"]
    notes = {k.removeprefix("nginx.ingress.kubernetes.io/"): v for k, v in ingress["metadata"]["annotations"].items()}
    assert notes["affinity"] == "cookie" and notes["session-cookie-name"] == TEMPLATE_COOKIE
    assert notes["session-cookie-change-on-failure"] == "true"  # a failed pod's browsers move, as with serve_class
    # the websocket may idle as long as through the one-machine recipe (proxy_read_timeout 1h)
    assert "proxy_read_timeout 1h;" in (DEPLOY / "nginx.conf.template").read_text()
    assert int(notes["proxy-read-timeout"]) >= 3600 and int(notes["proxy-send-timeout"]) >= 3600
    assert notes["proxy-body-size"] == "64m"
    (rule,) = ingress["spec"]["rules"]
    backend = rule["http"]["paths"][0]["backend"]["service"]
    service = found["Service", backend["name"]]
    assert backend["port"]["number"] == service["spec"]["ports"][0]["port"]


def test_the_class_recipe_gives_every_process_the_rooms_it_opened_first(tmp_path, monkeypatch):
    monkeypatch.delenv(ROOMS_ENV, raising=False)
    assert serve_class.class_env(1, "secret", "redis://redis:6379/0")[ROOMS_ENV] == "redis://redis:6379/0"
    rooms = f"sqlite://{tmp_path}/rooms.sqlite3"
    assert serve_class.class_rooms(rooms, procs=2) == rooms and (tmp_path / "rooms.sqlite3").exists()
    with pytest.raises(ValueError, match="one process only"):
        serve_class.class_rooms("memory", procs=2)  # students on the other process would not find the room
    assert serve_class.class_rooms("memory", procs=1) == "memory"
    with pytest.raises(ValueError, match="is not one this server can use"):
        serve_class.class_rooms("mysql://db", procs=2)
    monkeypatch.setenv(ROOMS_ENV, rooms)
    assert serve_class.class_rooms(None, procs=2) == rooms  # the environment's, when no --rooms


def test_ci_installs_redis_server_so_the_redis_store_tests_run_there():
    script = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"command -v redis-server .*missing\+=\(redis-server\)", script)
    fixture = (ROOT / "tests" / "classroom" / "conftest.py").read_text()
    assert 'os.environ.get("CI", "").lower() == "true"' in fixture and "pytest.fail(" in fixture
    assert "tests/classroom" in (ROOT / "Makefile").read_text().split("\ntest:")[1].split("\n\n")[0]
