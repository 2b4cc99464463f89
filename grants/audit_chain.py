"""The audit trail as a hash chain: each event carries the hash of the one before it in its
fund's chain, so an event edited or removed in the database breaks every link after it."""

import hashlib
import json

GENESIS = "0" * 64


def chain_key(fund_id: int | None) -> str:
    """One chain per fund; events that belong to no fund (an organisation's details) share one."""
    return f"fund:{fund_id}" if fund_id else "installation"


def event_hash(previous: str, event) -> str:
    """The hash of an event's content together with the hash of the event before it."""
    content = {
        "actor": event.actor_id,
        "at": event.at.isoformat(),
        "action": event.action,
        "application": event.application_id,
        "fund": event.fund_id,
        "object": [event.object_type, event.object_id],
        "before": event.before,
        "after": event.after,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{previous}:{canonical}".encode()).hexdigest()


def first_broken_link(events) -> int | None:
    """The id of the first event of one chain (in order) whose hash or link does not hold, if any."""
    previous = GENESIS
    for event in events:
        if event.previous_hash != previous or event.hash != event_hash(previous, event):
            return event.pk
        previous = event.hash
    return None
