# Attention Explorer in a container, for any host (README, "Deploying"):
#   docker build -t attention-explorer . && docker run -p 8501:8501 attention-explorer
# CPU-only torch (PyTorch's CPU index, via deploy/cloud/requirements.txt: the same pins as Community Cloud),
# a non-root user that can write nowhere but /tmp, and Streamlit's own health endpoint as the healthcheck.
FROM python:3.11-slim

# Every cache the app or its libraries may write (pip, Hugging Face for a hub model, Streamlit) lives
# under /tmp; no bytecode is written next to the sources (/app is read-only for the app's user).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOME=/tmp/home \
    XDG_CACHE_HOME=/tmp/cache \
    HF_HOME=/tmp/huggingface

WORKDIR /app
COPY deploy/cloud/requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt

COPY . /app
RUN useradd --no-create-home --shell /usr/sbin/nologin --uid 10001 explorer
USER explorer

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
# Streamlit's command line through deploy/streamlit_main.py: /_stcore/metrics answers only inside the container.
# Memory: run it with a limit, e.g. `docker run --memory 3g --cpus 1 --restart unless-stopped ...` (README,
# "A container"): one Streamlit process peaks around 2 GB under a class's heaviest settings.
CMD ["python", "deploy/streamlit_main.py", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
