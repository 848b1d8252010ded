"""gunicorn settings for the production stack (Dockerfile, docker-compose, .ci/run).

Threaded workers (``gthread``): a worker's main loop keeps telling the arbiter it is alive while a
thread streams a long CSV export, so ``timeout`` bounds a stuck worker, not a slow download. With the
default sync workers a 30 s timeout cut large exports off mid-file with status 200 already sent.
Every value can be overridden from the environment (GUNICORN_CMD_ARGS or the variables below).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Heartbeat timeout for a worker that stops answering the arbiter (not a per-request limit with gthread).
# A gthread worker's main loop reports once a second, so anything under ~3 s kills healthy workers.
# Verified by tests/test_gunicorn.py: with the timeout at 3 s, a status-history export streaming for 6-9 s
# arrives whole (20,018 of 20,018 rows); sync workers cut the same download off at 10,000 rows.
timeout = max(int(os.environ.get("GUNICORN_TIMEOUT", "60")), 3)
graceful_timeout = 30
keepalive = 5
accesslog = "-"
# Workers are recycled now and then so no process grows for ever. Each new worker spends ~1-1.5 s of
# CPU loading Django and compiling templates before it serves at full speed: every 2,000 requests that
# was ~0.6 ms per request (2% of the analysts' mix); every 10,000 it is a fifth of that.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
