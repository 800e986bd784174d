"""Compiled policies: freed by reference counting alone, and kept by text only when seen again."""

from __future__ import annotations

import gc
import json
import threading
import weakref

from gluesim.simulator.iam import PolicyType, Request, compile_policy, evaluate
from gluesim.simulator.iam.policy import clear_caches, compile_careful


def _text(n: int) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": f"S{n}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Sid": f"D{n}", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}]})


def test_a_policy_nobody_uses_is_freed_without_the_garbage_collector() -> None:
    gc.disable()
    try:
        policy = compile_careful(_text(1), "p", PolicyType.IDENTITY, "p")
        result = evaluate(Request("s3:GetObject", "arn:aws:s3:::b/k", principal_arn="arn:aws:iam::111122223333:user/a",
                                  principal_type="User"), [policy])
        assert result.allowed and result.deciding[0].start_line == 1
        assert policy.statements[1].ref.sid == "D1"
        gone = weakref.ref(policy)
        del policy, result
        assert gone() is None  # no reference cycle kept it alive
    finally:
        gc.enable()


def test_one_shot_texts_are_not_kept_but_a_text_compiled_again_is() -> None:
    clear_caches()
    account = compile_policy(_text(0), "account", PolicyType.IDENTITY)
    assert compile_policy(_text(0), "account", PolicyType.IDENTITY) is account
    once = compile_policy(_text(1), "once", PolicyType.IDENTITY)
    for n in range(2, 6000):  # one-shot requests, each text new
        compile_policy(_text(n), "once", PolicyType.IDENTITY)
    assert compile_policy(_text(0), "account", PolicyType.IDENTITY) is account
    again = compile_policy(_text(1), "once", PolicyType.IDENTITY)
    assert again is not once  # forgotten among the one-shot texts ...
    for n in range(6000, 6200):
        compile_policy(_text(n), "once", PolicyType.IDENTITY)
    assert compile_policy(_text(1), "once", PolicyType.IDENTITY) is again  # ... but kept once seen again


def test_threads_may_compile_at_the_same_time() -> None:
    clear_caches()
    failures: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(offset, offset + 400):
                policy = compile_policy(_text(n % 150), "p", PolicyType.IDENTITY)  # texts shared by the threads
                assert policy.statements[0].sid == f"S{n % 150}"
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(i * 37,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
