# SPDX-License-Identifier: MIT
"""A gunicorn configuration that asks loopprobe, in every worker, whether
the event mechanism the application depends on really works there.

    gunicorn -c gunicorn.conf.py --worker-class eventlet app:app

The check runs in post_worker_init, after the worker class has done its
monkey-patching (gunicorn's eventlet and gevent workers patch in
init_process, after post_fork), so it sees the select module the
application will see.  When the check fails the worker logs the reason and
the whole matrix with its findings, then exits with gunicorn's "worker
failed to boot" status, which stops the arbiter instead of letting it
restart workers that cannot work.

LOOPPROBE_REQUIRE overrides the SPEC (default: epoll@python, what asyncio
with its default selector and trio rely on under Linux).
"""

import os
import sys

import loopprobe

REQUIRE = os.environ.get("LOOPPROBE_REQUIRE", "epoll@python")
WORKER_BOOT_ERROR = 3  # gunicorn.arbiter.Arbiter.WORKER_BOOT_ERROR


def post_worker_init(worker):
    ok, why = loopprobe.check(REQUIRE)
    if ok:
        worker.log.info("loopprobe: %s ok", REQUIRE)
        return
    worker.log.error("loopprobe: refusing to start this worker: %s", why)
    with loopprobe.run(require=REQUIRE) as report:
        for line in report.format("text").splitlines():
            worker.log.error("loopprobe: %s", line)
    sys.exit(WORKER_BOOT_ERROR)
