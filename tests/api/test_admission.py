"""Admission on its own: the queue's capacity, first-come-first-served turns, and queue wait inside the deadline."""
from __future__ import annotations

import asyncio
import threading
import time

import pytest

from xapp.api.limits import Admission
from xapp.errors import ExtractionTimeout


def test_capacity_is_workers_plus_queue_and_leaving_frees_a_place():
    admission = Admission(workers=2, queue=3, timeout=5.0)
    deadlines = [admission.try_enter() for _ in range(5)]
    assert all(d is not None and d > time.monotonic() for d in deadlines)
    assert admission.try_enter() is None            # the sixth: queue full
    admission.leave()
    assert admission.try_enter() is not None
    admission.close()


def test_queued_requests_get_their_turn_in_arrival_order():
    admission = Admission(workers=1, queue=10, timeout=10.0)
    assert admission.workers == 2               # two turns per parser: one parses while one predicts
    release = threading.Event()
    order: list[int] = []

    async def scenario() -> None:
        holders = [asyncio.create_task(admission.run(admission.try_enter(), lambda _d: release.wait(10)))
                   for _ in range(admission.workers)]      # every turn taken
        await asyncio.sleep(0.05)
        waiting = []
        for n in range(5):
            waiting.append(asyncio.create_task(admission.run(admission.try_enter(), lambda _d, n=n: order.append(n))))
            await asyncio.sleep(0)                 # each one queues before the next arrives
        assert admission.queued == 5
        release.set()
        await asyncio.gather(*holders, *waiting)

    asyncio.run(scenario())
    admission.close()
    assert order == [0, 1, 2, 3, 4]


def test_time_spent_queued_counts_in_the_deadline():
    admission = Admission(workers=1, queue=2, timeout=0.3)
    release = threading.Event()
    ran = []

    async def scenario() -> None:
        holders = [asyncio.create_task(admission.run(admission.try_enter(), lambda _d: release.wait(10)))
                   for _ in range(admission.workers)]      # every turn taken
        await asyncio.sleep(0.05)
        with pytest.raises(ExtractionTimeout, match="no parser came free"):
            await admission.run(admission.try_enter(), lambda _d: ran.append(1))
        release.set()
        for holder in holders:                      # the holders themselves ran past their time
            with pytest.raises(ExtractionTimeout):
                await holder

    asyncio.run(scenario())
    admission.close()
    assert ran == []                                # the queued work never started


def test_one_client_holds_at_most_its_share_of_the_places():
    admission = Admission(workers=1, queue=3, timeout=5.0, client_share=0.75)
    assert admission.per_client == 3
    assert all(admission.try_enter("10.0.0.1") is not None for _ in range(3))
    assert admission.try_enter("10.0.0.1") is None                     # its share is taken
    assert "its share of the 4 places" in str(admission.refusal("10.0.0.1"))
    assert admission.try_enter("10.0.0.2") is not None                 # another client takes the last place
    assert admission.full and "the most it takes" in str(admission.refusal("10.0.0.3"))
    admission.leave("10.0.0.1")
    assert admission.clients == {"10.0.0.1": 2, "10.0.0.2": 1}
    assert admission.try_enter("10.0.0.1") is not None
    admission.close()
