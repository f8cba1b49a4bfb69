FROM python:3.12-slim-bookworm

# Every setting is an environment variable (OPENCRM_EMULATOR_<NAME>); these are the image's
# defaults: listen on all interfaces inside the container, keep the database on the volume.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OPENCRM_EMULATOR_HOST=0.0.0.0 \
    OPENCRM_EMULATOR_PORT=8080 \
    OPENCRM_EMULATOR_DATABASE=/data/opencrm.db

WORKDIR /src
COPY pyproject.toml README.md ./
COPY emulator ./emulator
COPY fixtures ./fixtures
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir '.[tls,postgres]' \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin emulator \
    && mkdir /data \
    && chown emulator /data
ENV PATH=/opt/venv/bin:$PATH

USER 10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_emulator/health' % os.environ.get('OPENCRM_EMULATOR_PORT', '8080'), timeout=2)"]
CMD ["opencrm-emulator", "serve"]
