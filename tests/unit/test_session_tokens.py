"""Session tokens and their signing secret, without AWS: a stub secret and a stub Secrets Manager."""

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from shipcaptaincrew.auth.secret import SigningSecret
from shipcaptaincrew.auth.sessions import Sessions
from shipcaptaincrew.errors import ConfigError, Unauthorized

SECRET = "unit-test-secret-that-is-at-least-32-bytes"


def sessions(secret: str = SECRET) -> Sessions:
    signing = SigningSecret(value=secret, arn=None, secretsmanager=lambda: None)
    return Sessions(signing, issuer="scc", audience="scc-app", lifetime=timedelta(hours=12))


def test_an_issued_token_verifies_with_its_claims():
    now = datetime.now(UTC)
    claims = sessions().verify(sessions().issue("skipper@example.com", "captain", now=now))
    assert (claims["sub"], claims["role"], claims["iss"], claims["aud"]) == (
        "skipper@example.com",
        "captain",
        "scc",
        "scc-app",
    )
    assert claims["exp"] - claims["iat"] == 12 * 3600


def test_a_token_older_than_its_lifetime_is_refused_as_expired():
    # GIVEN a token issued 13 hours ago with a 12-hour lifetime
    token = sessions().issue("a@example.com", "crew", now=datetime.now(UTC) - timedelta(hours=13))
    with pytest.raises(Unauthorized) as refused:
        sessions().verify(token)
    assert "expired" in refused.value.message


@pytest.mark.filterwarnings("ignore:The HMAC key")  # the short key is the point: same key, other algorithm
def test_the_algorithm_is_pinned_to_hs256():
    # GIVEN a token with otherwise perfect claims signed with HS512 and the right secret
    now = datetime.now(UTC)
    claims = {"sub": "a@example.com", "role": "admin", "iss": "scc", "aud": "scc-app"}
    claims |= {"iat": int(now.timestamp()), "exp": int((now + timedelta(hours=1)).timestamp())}
    token = jwt.encode(claims, SECRET, algorithm="HS512")
    with pytest.raises(Unauthorized):
        sessions().verify(token)


def test_a_role_outside_the_known_roles_is_refused():
    token = sessions().issue("a@example.com", "owner", now=datetime.now(UTC))
    with pytest.raises(Unauthorized):
        sessions().verify(token)


class StubSecretsManager:
    def __init__(self, response: dict):
        self.response = response
        self.calls = 0

    def get_secret_value(self, SecretId):
        self.calls += 1
        return self.response


def test_the_secret_is_fetched_once_and_then_cached():
    manager = StubSecretsManager({"SecretString": SECRET})
    secret = SigningSecret(value=None, arn="arn:aws:secretsmanager:x", secretsmanager=lambda: manager)
    assert secret.get() == secret.get() == SECRET.encode()
    assert manager.calls == 1


def test_a_binary_secret_is_used_when_there_is_no_string():
    manager = StubSecretsManager({"SecretBinary": b"b" * 32})
    secret = SigningSecret(value=None, arn="arn:aws:secretsmanager:x", secretsmanager=lambda: manager)
    assert secret.get() == b"b" * 32


@pytest.mark.parametrize(("arn", "response"), [("arn:x", {"SecretString": "short"}), (None, {})])
def test_a_short_or_missing_secret_is_a_configuration_error(arn, response):
    secret = SigningSecret(value=None, arn=arn, secretsmanager=lambda: StubSecretsManager(response))
    with pytest.raises(ConfigError):
        secret.get()
