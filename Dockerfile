# syntax=docker/dockerfile:1
# hip-pelvic-screener: build a wheel and a virtual environment in one stage, ship only the
# virtual environment in a slim runtime stage that runs as an unprivileged numeric user.
#
#   docker build -t hip-pelvic-screener .
#   docker run --rm -p 8000:8000 --read-only --tmpfs /tmp --cap-drop ALL \
#       --security-opt no-new-privileges hip-pelvic-screener
#
# Base image: a patch release of Python 3.11 on Debian 12 (bookworm), never a floating tag.
# The digest is NOT pinned: it was written on a machine that cannot reach a container registry,
# and an invented digest would only break the build. Pin it where a registry is reachable:
#   docker buildx imagetools inspect python:3.11.14-slim-bookworm   # -> sha256:...
#   FROM python:3.11.14-slim-bookworm@sha256:<digest> AS build   (and the same in the runtime stage)
# Both stages must use the same image: /opt/venv/bin/python is a symlink to that image's interpreter.

FROM python:3.11.14-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore

WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app

# 1. A wheel of the project (its build dependencies come from pyproject's [build-system]).
# 2. A virtual environment holding the wheel and its runtime dependencies only. They resolve
#    within pyproject's ranges at build time (the project has no lock file yet): rebuilds can
#    differ, so audit the image, or add a constraints/lock file and install with -c.
# 3. pip and setuptools removed from the venv: nothing installs at runtime, and they are the
#    usual source of scanner findings.
# 4. Every module compiled now, with hashes that are not re-checked (the image is immutable),
#    so a read-only root filesystem and PYTHONDONTWRITEBYTECODE cost nothing at start-up.
RUN python -m pip wheel --no-cache-dir --no-deps --wheel-dir /dist . \
    && python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir /dist/*.whl \
    && /opt/venv/bin/pip uninstall --yes pip setuptools \
    && /opt/venv/bin/python -m compileall -q -f -j 0 --invalidation-mode unchecked-hash /opt/venv/lib


FROM python:3.11.14-slim-bookworm AS runtime

# Set by the build: --build-arg VERSION="$(python -c 'import app; print(app.__version__)')"
#   --build-arg REVISION="$(git rev-parse HEAD)" --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
#   --build-arg SOURCE=<repository URL>
ARG VERSION=unknown
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.title="hip-pelvic-screener" \
      org.opencontainers.image.description="Non-diagnostic self-screening service for hip, pelvic and pelvic floor symptoms" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.base.name="docker.io/library/python:3.11.14-slim-bookworm"

# FORWARDED_ALLOW_IPS is read by uvicorn itself (no shell needed to expand it in CMD): the
# addresses whose X-Forwarded-For / X-Forwarded-Proto headers are believed. The default trusts
# only the loopback; set it to the ingress or load balancer addresses (CIDRs allowed) when
# deployed behind one, or the per-client rate limit sees every client as the proxy.
# Any other uvicorn option not given in CMD can be set as UVICORN_<OPTION>, e.g.
# UVICORN_TIMEOUT_KEEP_ALIVE=65.
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONFAULTHANDLER=1 \
    FORWARDED_ALLOW_IPS="127.0.0.1,::1"

# The base image's own pip, setuptools and wheel are not needed at runtime; its standard library
# ships without bytecode, so compile it here for the same reason as the venv. The account
# exists only so that tools show a name; USER below is numeric, so Kubernetes' runAsNonRoot
# can verify it without reading /etc/passwd.
RUN python -m pip uninstall --yes --no-cache-dir pip setuptools wheel \
    && python -m compileall -q -f -j 0 --invalidation-mode unchecked-hash /usr/local/lib/python3.11 \
    && groupadd --system --gid 10001 screener \
    && useradd --system --no-log-init --uid 10001 --gid 10001 --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin screener

# Root-owned and read-only for the service user; the rule sets are package data inside it.
COPY --from=build /opt/venv /opt/venv

# An empty working directory, so nothing in the current directory can shadow the `app` package.
WORKDIR /srv/screener
USER 10001:10001
EXPOSE 8000
STOPSIGNAL SIGTERM

HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]

# Exec form: uvicorn is PID 1 and receives SIGTERM itself; in-flight requests get up to 10 s.
# --loop asyncio: under uvloop, the connections of a burst (200 at once through nginx) kept new
# ones waiting about 3 s to be accepted, probes included (make hostile); asyncio's loop does not.
CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000", "--no-server-header", "--proxy-headers", "--timeout-graceful-shutdown", "10", "--loop", "asyncio"]
