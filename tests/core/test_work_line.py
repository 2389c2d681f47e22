"""The line for the model: at most ``capacity`` transcriptions at once, first come first served, places told."""

from __future__ import annotations

import threading
import time

import pytest

from attention_core.work_line import Line


def test_one_at_a_time_in_the_order_they_came_with_each_place_told():
    line, running, most, order, places = Line(1), [0], [0], [], {}
    lock = threading.Lock()
    first_in = threading.Event()

    def student(i: int) -> None:
        with line.turn(lambda place: places.setdefault(i, []).append(place)):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
                order.append(i)
            first_in.set()
            time.sleep(0.05)
            with lock:
                running[0] -= 1

    threads = [threading.Thread(target=student, args=(0,))]
    threads[0].start()
    first_in.wait(5)
    for i in range(1, 5):  # they arrive one after another while student 0 runs
        threads.append(threading.Thread(target=student, args=(i,)))
        threads[-1].start()
        while line.waiting() < i:
            time.sleep(0.001)
    for thread in threads:
        thread.join(10)
    assert most[0] == 1
    assert order == [0, 1, 2, 3, 4]
    assert 0 not in places  # the first one never waited
    assert places[4][0] == 4 and places[4] == sorted(places[4], reverse=True)  # then closer
    assert line.waiting() == 0


def test_two_places_run_two_at_once():
    line, running, most = Line(2), [0], [0]
    lock = threading.Lock()

    def student() -> None:
        with line.turn():
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
            time.sleep(0.05)
            with lock:
                running[0] -= 1

    threads = [threading.Thread(target=student) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most[0] == 2


def test_one_who_leaves_the_line_gives_up_the_place():
    line, holding, release = Line(1), threading.Event(), threading.Event()

    def holder() -> None:
        with line.turn():
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    holding.wait(5)

    def leave(place: int) -> None:
        raise KeyboardInterrupt  # the session went away while waiting (Streamlit stops its script)

    with pytest.raises(KeyboardInterrupt):
        with line.turn(leave):
            pass
    assert line.waiting() == 0
    release.set()
    thread.join(5)
    with line.turn():  # and the next one gets in
        pass


def test_the_block_runs_at_a_lower_priority_in_its_own_thread():
    import os

    from attention_core.work_line import lower_priority

    seen, main = {}, threading.get_native_id()

    def work() -> None:
        tid = threading.get_native_id()
        seen["before"] = os.getpriority(os.PRIO_PROCESS, tid)
        with lower_priority(5):
            seen["inside"] = os.getpriority(os.PRIO_PROCESS, tid)
            seen["main"] = os.getpriority(os.PRIO_PROCESS, main)  # the other threads are untouched

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(5)
    assert seen["inside"] == min(19, seen["before"] + 5)
    assert seen["main"] == seen["before"]
