"""Session tokens: HS256 JWTs with every security-relevant claim required and checked."""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt

from ..errors import Unauthorized

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "aud", "iss", "sub", "role"]
ROLES = frozenset({"admin", "captain", "crew"})


class Sessions:
    """Issue and verify session tokens; the algorithm is pinned, never read from the token."""

    def __init__(self, secret, *, issuer: str, audience: str, lifetime: timedelta):
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self._lifetime = lifetime

    def check_key(self) -> None:
        """Fetch the signing key now (once per container); raise if it cannot be had."""
        self._secret.get()

    def issue(self, email: str, role: str, *, now: datetime, not_before: int = 0) -> str:
        """Return a signed session token for this user.

        `not_before` is the user's `sessions_valid_after`: a token issued in the same second as a
        sign-out is stamped with it, so the new session is valid and the revoked ones are not.
        """
        issued = max(int(now.timestamp()), int(not_before or 0))
        claims = {
            "sub": email,
            "role": role,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": issued,
            "exp": issued + int(self._lifetime.total_seconds()),
        }
        return jwt.encode(claims, self._secret.get(), algorithm=ALGORITHM)

    def verify(self, token: str) -> dict:
        """Return the claims of a valid token; raise Unauthorized for anything else."""
        try:
            claims = jwt.decode(
                token,
                self._secret.get(),
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                options={"require": REQUIRED_CLAIMS},
                leeway=30,
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("your session has expired; please sign in again") from None
        except jwt.InvalidTokenError:
            raise Unauthorized("invalid session token") from None
        if claims["role"] not in ROLES or not isinstance(claims["sub"], str):
            raise Unauthorized("invalid session token")
        return claims


def is_revoked(claims: dict, user: dict) -> bool:
    """Tell whether the session was issued before the user's `sessions_valid_after`
    (a sign-out, a role change, or the user being removed and added back)."""
    return int(claims["iat"]) < int(user.get("sessions_valid_after", 0) or 0)
