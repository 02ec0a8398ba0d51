"""Drafts kept on the server, per account and purpose, on each backend."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from accord.platform import drafts as drafts_module
from accord.platform.drafts import KEY_MAX, drafts
from accord.platform.records import aware
from accord.services import Services

AMA, KOFI = "account-ama", "account-kofi"
PLAN, CLAIM = "plan-update:AP_GHA01", "claim:GH0001"


def test_a_saved_draft_loads_back_as_it_was_saved(services: Services) -> None:
    # Ama's answers, with nested rows, text in several scripts and a long note
    payload = {"period_start": "2024-01-01", "period_end": "2024-06-30",
               "rows": {"c1": {"status": "limited", "note": "Fait à Accra.\n\n" + "x" * 20_000}},
               "flags": [True, None, 3]}
    services.drafts.save(AMA, PLAN, payload)
    # they come back equal, as a new dict
    assert services.drafts.load(AMA, PLAN) == payload


def test_there_is_no_draft_until_one_is_saved(services: Services) -> None:
    assert services.drafts.load(AMA, PLAN) is None
    assert services.drafts.delete(AMA, PLAN) is False


def test_saving_again_replaces_the_draft_and_moves_its_time(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    morning, evening = datetime(2024, 5, 1, 9, tzinfo=UTC), datetime(2024, 5, 1, 18, tzinfo=UTC)
    # a first save in the morning, then one with other answers in the evening
    monkeypatch.setattr(drafts_module, "now", lambda: morning)
    services.drafts.save(AMA, PLAN, {"rows": {"c1": {"status": "limited"}}})
    monkeypatch.setattr(drafts_module, "now", lambda: evening)
    services.drafts.save(AMA, PLAN, {"rows": {}})
    # only the second is kept, in one row, with the evening's time
    assert services.drafts.load(AMA, PLAN) == {"rows": {}}
    assert _count(services) == 1
    assert aware(_updated_at(services, AMA, PLAN)) == evening


def test_drafts_are_kept_per_account_and_per_purpose(services: Services) -> None:
    # Ama has two drafts for two purposes; Kofi has one for the same purpose as hers
    services.drafts.save(AMA, PLAN, {"who": "ama", "what": "plan"})
    services.drafts.save(AMA, CLAIM, {"who": "ama", "what": "claim"})
    services.drafts.save(KOFI, PLAN, {"who": "kofi", "what": "plan"})
    # each loads its own
    assert services.drafts.load(AMA, PLAN) == {"who": "ama", "what": "plan"}
    assert services.drafts.load(AMA, CLAIM) == {"who": "ama", "what": "claim"}
    assert services.drafts.load(KOFI, PLAN) == {"who": "kofi", "what": "plan"}
    assert services.drafts.load(KOFI, CLAIM) is None
    # deleting Ama's plan draft leaves her other draft and Kofi's
    assert services.drafts.delete(AMA, PLAN) is True
    assert services.drafts.load(AMA, PLAN) is None
    assert services.drafts.load(AMA, CLAIM) == {"who": "ama", "what": "claim"}
    assert services.drafts.load(KOFI, PLAN) == {"who": "kofi", "what": "plan"}


def test_every_draft_of_an_account_can_be_deleted_at_once(services: Services) -> None:
    services.drafts.save(AMA, PLAN, {"a": 1})
    services.drafts.save(AMA, CLAIM, {"b": 2})
    services.drafts.save(KOFI, PLAN, {"c": 3})
    # erasing Ama's data deletes both her drafts, and nobody else's
    assert services.drafts.delete_all(AMA) == 2
    assert services.drafts.load(AMA, CLAIM) is None
    assert services.drafts.load(KOFI, PLAN) == {"c": 3}


@pytest.mark.parametrize("key", ["", "k" * (KEY_MAX + 1)])
def test_a_draft_key_is_never_empty_nor_too_long(services: Services, key: str) -> None:
    with pytest.raises(ValueError, match="draft key"):
        services.drafts.save(AMA, key, {})
    assert _count(services) == 0


def _count(services: Services) -> int:
    with services.database.reader.connect() as connection:
        return len(connection.execute(select(drafts)).all())


def _updated_at(services: Services, account_id: str, key: str) -> datetime:
    with services.database.reader.connect() as connection:
        return connection.execute(select(drafts.c.updated_at).where(
            (drafts.c.account_id == account_id) & (drafts.c.key == key))).scalar_one()
