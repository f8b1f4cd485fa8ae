# xapp prediction service: `xapp serve` on port 8000 with the shipped default model.
#   docker build -t xapp-gpu .
#   docker run --rm -p 8000:8000 xapp-gpu
# The image is named after the distribution, xapp-gpu (pyproject.toml); the command in it is `xapp`.
# Settings come from XAPP_* variables (XAPP_WORKERS, XAPP_TIMEOUT, XAPP_MAX_BYTES, XAPP_QUEUE,
# XAPP_WORKER_MEMORY, XAPP_WORKER_CPU, XAPP_MODEL), e.g. docker run -e XAPP_WORKERS=4 ...
FROM python:3.11.11-slim-bookworm
LABEL org.opencontainers.image.title="xapp-gpu" \
      org.opencontainers.image.description="Static GPU speed-up predictor: the xapp prediction service"

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The same steps as a local install: `pip install .` of the project (wheels of libclang and xgboost-cpu
# carry their native libraries), then the sources are dropped.
WORKDIR /build
COPY pyproject.toml README.md ./
COPY xapp ./xapp
RUN pip install . && pip show --quiet xapp-gpu && rm -rf /build

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin xapp
USER xapp
WORKDIR /home/xapp

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/v1/health', timeout=4).status == 200 else 1)"]
CMD ["xapp", "serve", "--host", "0.0.0.0", "--port", "8000"]
