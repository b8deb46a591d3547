"""The 30-second clock-skew leeway of session tokens, at both ends: a token is still accepted 29
seconds past its expiry and refused at 30; one stamped 30 seconds ahead of the server's clock (a
signing host slightly fast) is accepted, 31 seconds ahead refused. The clock is frozen."""

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from freezegun import freeze_time

from shipcaptaincrew.auth.secret import SigningSecret
from shipcaptaincrew.auth.sessions import Sessions
from shipcaptaincrew.errors import Unauthorized

NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=UTC)
LIFETIME = timedelta(hours=12)
SECRET = "unit-test-secret-that-is-at-least-32-bytes"


def sessions() -> Sessions:
    signing = SigningSecret(
        value="unit-test-secret-that-is-at-least-32-bytes", arn=None, secretsmanager=lambda: None
    )
    return Sessions(signing, issuer="scc", audience="scc-app", lifetime=LIFETIME)


def token_issued(seconds_from_now: int) -> str:
    return sessions().issue("a@example.com", "crew", now=NOW + timedelta(seconds=seconds_from_now))


@pytest.mark.parametrize("past_expiry", [0, 29])
def test_a_token_up_to_29_seconds_past_its_expiry_is_still_accepted(past_expiry):
    # GIVEN a token issued 12 h + `past_expiry` s ago: exp = now - past_expiry
    token = token_issued(-int(LIFETIME.total_seconds()) - past_expiry)
    with freeze_time(NOW):
        assert sessions().verify(token)["sub"] == "a@example.com"


@pytest.mark.parametrize("past_expiry", [30, 31])
def test_a_token_30_seconds_or_more_past_its_expiry_is_refused_as_expired(past_expiry):
    # exp = now - 30: at the end of the leeway (exp <= now - 30) it is expired
    token = token_issued(-int(LIFETIME.total_seconds()) - past_expiry)
    with freeze_time(NOW), pytest.raises(Unauthorized) as refused:
        sessions().verify(token)
    assert refused.value.message == "your session has expired; please sign in again"


def test_a_token_stamped_up_to_30_seconds_ahead_of_the_clock_is_accepted():
    # iat = now + 30: not later than now + the 30 s leeway
    with freeze_time(NOW):
        assert sessions().verify(token_issued(30))["iat"] == int(NOW.timestamp()) + 30


def test_a_token_stamped_31_seconds_ahead_of_the_clock_is_refused():
    with freeze_time(NOW), pytest.raises(Unauthorized) as refused:
        sessions().verify(token_issued(31))
    assert refused.value.message == "invalid session token"


@pytest.mark.parametrize("claims", [{"role": "owner"}, {"sub": 42}])
def test_a_signed_token_with_an_unknown_role_or_a_subject_that_is_not_text_is_refused(claims):
    # GIVEN a well-signed, current token whose role is not one of admin, captain, crew, or whose
    # subject is a number
    token = jwt.encode(
        {"sub": "a@example.com", "role": "crew", "iss": "scc", "aud": "scc-app"}
        | {"iat": int(NOW.timestamp()), "exp": int(NOW.timestamp()) + 60}
        | claims,
        SECRET,
        algorithm="HS256",
    )
    with freeze_time(NOW), pytest.raises(Unauthorized) as refused:
        sessions().verify(token)
    assert refused.value.message == "invalid session token"
