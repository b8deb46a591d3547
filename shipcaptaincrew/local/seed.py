"""Sample people and charters for a local run, so the dashboard has something to show at once."""

from __future__ import annotations

from datetime import timedelta

SAMPLE_USERS = (
    ("admin@example.com", "admin", "Alex Admin"),
    ("captain@example.com", "captain", "Casey Captain"),
    ("crew@example.com", "crew", "Jordan Deckhand"),
)
STANDARD_CHECKLIST = ["Fuel topped up", "Safety briefing", "Guest list confirmed", "Provisions aboard"]
# (days from today, entity, title, status, start, end, guests, price, deposit, items done)
SAMPLE_CHARTERS = (
    (-21, "jada", "Sunset sail for the Rivera family", "completed", "17:00", "20:00", 6, 1450, 500, 4),
    (-9, "queenofsandiego", "Corporate harbor cruise", "completed", "11:00", "15:00", 24, 3200, 1000, 4),
    (-2, "jada", "Whale watching morning", "cancelled", "08:00", "11:00", 4, 900, 0, 0),
    (3, "jada", "Birthday sail to Point Loma", "booked", "14:00", "17:00", 8, 1600, 600, 2),
    (6, "queenofsandiego", "Wedding rehearsal dinner cruise", "booked", "18:00", "22:00", 40, 5200, 2000, 1),
    (12, "jada", "Couples sunset charter", "hold", "17:30", "19:30", 2, 850, 0, 0),
    (19, "queenofsandiego", "Concert cruise inquiry", "inquiry", "19:00", "23:00", 60, 7800, 0, 0),
    (27, "jada", "Fishing trip for four", "inquiry", "06:00", "12:00", 4, 1200, 0, 0),
)


def seed(app, admin_emails=()) -> dict[str, int]:
    """Add the sample users, plus the sample charters when there are no charters yet."""
    now, today = app.now(), app.today()
    for email, role, name in SAMPLE_USERS:
        app.users.ensure(email, role, now=now, name=name)
    for email in admin_emails:
        app.users.ensure(email, "admin", now=now)
    existing, _ = app.events.list(limit=1)
    if existing:
        return {"users": len(SAMPLE_USERS), "charters": 0}
    for offset, entity, title, status, start, end, guests, price, deposit, done in SAMPLE_CHARTERS:
        slug = title.lower().split()[0]
        app.events.create(
            {
                "title": title,
                "entity": entity,
                "date": (today + timedelta(days=offset)).isoformat(),
                "start_time": start,
                "end_time": end,
                "status": status,
                "contact_email": f"{slug}.guest@example.com",
                "guests": guests,
                "price": price,
                "deposit": deposit,
                "checklist": [{"text": text, "done": i < done} for i, text in enumerate(STANDARD_CHECKLIST)],
            },
            actor="admin@example.com",
            now=now - timedelta(days=5),
        )
    return {"users": len(SAMPLE_USERS), "charters": len(SAMPLE_CHARTERS)}
