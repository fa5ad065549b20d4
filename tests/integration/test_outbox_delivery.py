"""The outbox delivered to a stand-in receiver over real sockets: at least once, one idempotency key per item,
retries with backoff on the engine's clock, dead letters an administrator sends again; staff e-mail over SMTP."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_string, policy
from pathlib import Path
from typing import Any

import pytest

from tests.integration.standins import StandInReceiver, StandInSmtp, running
from tests.web.conftest import make_app
from tests.web.portal import Api, issue_body, pay_fee
from tests.web.test_ui_workspace import Browser
from web.scheduler import TimerWaker, courier_from


@pytest.fixture
def receiver() -> Iterator[StandInReceiver]:
    with running(StandInReceiver()) as server:
        yield server


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    application = make_app(f"sqlite:///{tmp_path / 'app.db'}", tmp_path / "keys")
    yield application
    application.extensions["licensing"].wiring.db.dispose()


def courier(app: Any, receiver: StandInReceiver, **config: Any) -> Any:
    settings = {"OUTBOX_MONITORING_URL": f"{receiver.url}/monitoring", "OUTBOX_CABINET_URL": f"{receiver.url}/cabinet",
                "OUTBOX_TOKEN": "hook-secret", "OUTBOX_TIMEOUT_SECONDS": 2, **config}
    return courier_from(settings, app.extensions["licensing"].engine)


def submitted(api: Api) -> dict[str, Any]:
    api.set_clock("2025-06-05T10:00:00+05:00")
    body = issue_body(api, "II")
    pay_fee(api, body, "2025-06-02T12:00:00+05:00")
    r = api.submit(body)
    assert r.status_code == 201, r.get_json()
    return r.get_json()  # type: ignore[no-any-return]


def test_every_feed_event_and_cabinet_notice_arrives_once_with_its_idempotency_key(app, receiver):
    api = Api(app.test_client())
    application = submitted(api)

    counts = courier(app, receiver).run()
    received = receiver.received()
    monitoring = [r for r in received if r["path"] == "/monitoring"]
    cabinet = [r for r in received if r["path"] == "/cabinet"]
    assert counts["delivered"] == len(received) and counts["failed"] == 0
    keys = [r["headers"]["Idempotency-Key"] for r in monitoring]
    assert keys == [f"monitoring:{r['body']['id']}" for r in monitoring]
    assert {r["body"]["kind"] for r in monitoring} >= {"stage", "cabinet_notice", "task_created"}
    assert all(r["headers"]["Authorization"] == "Bearer hook-secret" for r in received)
    [receipt] = [r["body"] for r in cabinet]
    assert receipt["kind"] == "receipt" and receipt["application_id"] == application["id"]
    assert application["number"] in receipt["text_ru"] and receipt["text_kk"]
    assert cabinet[0]["headers"]["Idempotency-Key"] == f"cabinet:{receipt['id']}"

    assert courier(app, receiver).run()["delivered"] == 0  # nothing is sent twice once delivered
    assert len(receiver.received()) == len(received)


def test_a_failing_receiver_is_retried_after_a_growing_wait_with_the_same_key(app, receiver):
    api = Api(app.test_client())
    submitted(api)
    receiver.fail_next = 10_000
    post = courier(app, receiver, OUTBOX_CABINET_URL=None)
    first = post.run()
    assert first["delivered"] == 0 and first["failed"] > 0
    assert post.run()["failed"] == 0  # not due again yet: the first wait is 30 seconds

    api.set_clock("2025-06-05T10:00:31+05:00")
    receiver.fail_next = 1  # the first item fails once more; the rest arrive
    second = post.run()
    assert second["delivered"] == first["failed"] - 1 and second["failed"] == 1

    api.set_clock("2025-06-05T10:01:00+05:00")
    assert post.run()["failed"] == 0  # its second wait is a minute, from 10:00:31
    api.set_clock("2025-06-05T10:01:32+05:00")
    assert post.run()["delivered"] == 1
    keys = [r["headers"]["Idempotency-Key"] for r in receiver.received()]
    assert len(keys) == len(set(keys)) == first["failed"]


def test_a_delivery_that_keeps_failing_is_dead_until_the_administrator_sends_it_again(app, receiver):
    api = Api(app.test_client())
    application = submitted(api)
    receiver.fail_next = 10_000
    post = courier(app, receiver, OUTBOX_MONITORING_URL=None, OUTBOX_MAX_ATTEMPTS=2)
    assert post.run()["failed"] == 1
    api.set_clock("2025-06-05T10:00:31+05:00")
    assert post.run()["dead"] == 1
    engine = app.extensions["licensing"].engine
    [dead], counts = engine.admin.list_deliveries(status="dead")
    assert dead["channel"] == "cabinet" and dead["attempts"] == 2
    assert dead["last_error"] == "the receiver answered 500"
    assert counts == {"dead": 1}

    browser = Browser(app)
    browser.login("admin")
    page = browser.get("/admin/deliveries").data.decode()
    assert f'id="delivery-{dead["id"]}"' in page and "the receiver answered 500" in page
    browser.login("auditor")
    instance_page = browser.get(f"/audit/instances/{application['instance_id']}").data.decode()
    assert "Доставка: не доставлено ×2" in instance_page

    browser.login("admin")
    page = browser.get("/admin/deliveries").data.decode()
    r = browser.post(f"/admin/deliveries/{dead['id']}/requeue", {}, page=page)
    assert r.status_code == 302
    receiver.fail_next = 0
    assert post.run()["delivered"] == 1
    assert engine.admin.list_deliveries(status="delivered")[1] == {"delivered": 1}
    assert receiver.received()[0]["headers"]["Idempotency-Key"] == dead["idempotency_key"]


def test_staff_are_emailed_about_overdue_tasks_and_nothing_else_when_smtp_is_configured(app):
    api = Api(app.test_client())
    submitted(api)
    with running(StandInSmtp()) as smtp:
        mail = courier_from({"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port, "SMTP_FROM": "licensing@example.kz",
                             "SMTP_TO": "unit@example.kz, head@example.kz"}, app.extensions["licensing"].engine)
        assert mail.run()["mailed"] == 0  # new-task notices stay in the workspace
        api.set_clock("2025-06-11T09:00:00+05:00")  # the completeness check (R7: 2 working days; 6 June is a
        # holiday) was due on 10 June at 18:30
        assert mail.run()["mailed"] >= 1
        assert mail.run()["mailed"] == 0
    [message, *_] = smtp.messages
    assert message["from"] == "licensing@example.kz"
    assert message["to"] == ["unit@example.kz", "head@example.kz"]
    mail_message = message_from_string(message["data"], policy=policy.default)
    assert str(mail_message["Subject"]).startswith("Просрочена задача")
    assert "overdue" in mail_message.get_body().get_content()  # type: ignore[union-attr]


def test_nothing_is_configured_by_default():
    assert courier_from({"OUTBOX_MONITORING_URL": None, "SMTP_HOST": None}, engine=None) is None


class NoScheduler:
    """Takes the waker's next wake-up and keeps it, instead of an APScheduler."""

    def add_job(self, *args: Any, **kwargs: Any) -> None:
        self.next_run = kwargs["run_date"]


def test_one_scheduler_pass_fires_timers_and_delivers_the_outbox(app, receiver):
    api = Api(app.test_client())
    submitted(api)
    engine = app.extensions["licensing"].engine
    waker = TimerWaker(engine, NoScheduler(), poll_seconds=30, courier=courier(app, receiver, OUTBOX_CABINET_URL=None))
    waker.run()
    kinds = [r["body"]["kind"] for r in receiver.received()]
    assert "task_created" in kinds and "stage" in kinds
    assert waker.scheduler.next_run is not None  # type: ignore[attr-defined]
