"""Forged, stale and malformed session tokens are all 401 on GET /api/me (SPEC 5, Auth)."""

import base64
import json
import time

import jwt
import pytest

TEST_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"  # the session's JWT_SECRET
OTHER_SECRET = "another-secret-that-is-long-enough-for-hs256-987654"
ADMIN = "admin@example.com"


def claims(**changes) -> dict:
    now = int(time.time())
    valid = {
        "sub": ADMIN,
        "role": "admin",
        "iss": "shipcaptaincrew",
        "aud": "shipcaptaincrew-app",
        "iat": now,
        "exp": now + 3600,
    }
    return {key: value for key, value in {**valid, **changes}.items() if value is not None}


def segment(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_token_signed_with_the_real_secret_is_accepted(api, admin_token):
    # GIVEN the bootstrap admin exists WHEN we sign valid claims ourselves THEN /api/me accepts them,
    # which shows that each refusal below is caused by the one thing changed
    forged_but_valid = jwt.encode(claims(), TEST_SECRET, algorithm="HS256")
    assert api.call("GET", "/api/me", token=forged_but_valid)[0] == 200


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(lambda: f"{segment({'alg': 'none', 'typ': 'JWT'})}.{segment(claims())}.", id="alg-none"),
        pytest.param(lambda: jwt.encode(claims(), OTHER_SECRET, algorithm="HS256"), id="other-secret"),
        pytest.param(
            lambda: jwt.encode(claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600), TEST_SECRET),
            id="expired",
        ),
        pytest.param(lambda: jwt.encode(claims(aud="someone-else"), TEST_SECRET), id="wrong-audience"),
        pytest.param(lambda: jwt.encode(claims(iss="evil"), TEST_SECRET), id="wrong-issuer"),
        *[
            pytest.param(lambda name=name: jwt.encode(claims(**{name: None}), TEST_SECRET), id=f"no-{name}")
            for name in ("exp", "iat", "aud", "iss", "sub", "role")
        ],
        pytest.param(lambda: "", id="empty"),
        pytest.param(lambda: "garbage", id="garbage"),
        pytest.param(lambda: "a.b.c", id="three-garbage-segments"),
        pytest.param(lambda: "é.é.é", id="non-ascii"),
        pytest.param(lambda: "x" * 10_000, id="very-long"),
    ],
)
def test_forged_or_stale_tokens_are_refused(api, admin_token, make_token):
    status, data, _ = api.call("GET", "/api/me", headers={"authorization": f"Bearer {make_token()}"})
    assert status == 401
    assert data["error"]["code"] == "unauthorized"


def test_a_tampered_payload_keeps_no_power(api, add_user):
    # GIVEN a real crew session token
    crew_token = add_user("deckhand@example.com", "crew")
    header, payload, signature = crew_token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert decoded["role"] == "crew"
    # WHEN the role is rewritten to admin and the original signature kept
    tampered = f"{header}.{segment({**decoded, 'role': 'admin'})}.{signature}"
    # THEN the token is refused outright
    assert api.call("GET", "/api/me", token=tampered)[0] == 401
    assert api.call("GET", "/api/users", token=tampered)[0] == 401


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Token abc", "JWT abc"],
)
def test_a_missing_or_ill_formed_authorization_header_is_401(api, admin_token, authorization):
    headers = {} if authorization is None else {"authorization": authorization}
    status, data, _ = api.call("GET", "/api/me", headers=headers)
    assert status == 401
    assert data["error"]["code"] == "unauthorized"


def test_a_deleted_users_still_valid_token_is_refused(api, admin_token, add_user):
    # GIVEN a crew member signed in
    crew_token = add_user("deckhand@example.com", "crew")
    assert api.call("GET", "/api/me", token=crew_token)[0] == 200
    # WHEN the admin removes them
    assert api.call("DELETE", "/api/users/deckhand@example.com", token=admin_token)[0] == 204
    # THEN their unexpired token no longer works
    status, data, _ = api.call("GET", "/api/me", token=crew_token)
    assert status == 401
    assert "no longer exists" in data["error"]["message"]


def test_a_session_carries_the_role_the_user_has_when_it_is_used(api, admin_token, add_user):
    # GIVEN a crew member's token WHEN the admin promotes them to captain
    crew_token = add_user("deckhand@example.com", "crew")
    api.call("PATCH", "/api/users/deckhand@example.com", {"role": "captain"}, token=admin_token)
    # THEN the token issued before the change is revoked, and a new session shows the stored role
    assert api.call("GET", "/api/me", token=crew_token)[0] == 401
    assert api.call("GET", "/api/me", token=api.sign_in("deckhand@example.com"))[1]["role"] == "captain"
