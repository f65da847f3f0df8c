# SPDX-License-Identifier: MIT
"""A monkey-patcher that is neither eventlet nor gevent: it removes
select.epoll and selectors.EpollSelector and replaces select.select with a
wrapper of its own, the way a home-grown green-thread library might."""

import select
import selectors

_real_select = select.select


def _select(rlist, wlist, xlist, timeout=None):
    return _real_select(rlist, wlist, xlist, timeout)


def patch():
    del select.epoll
    del selectors.EpollSelector
    select.select = _select
