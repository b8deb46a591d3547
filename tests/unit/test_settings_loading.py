"""Configuration: read once from the environment (and repos.env), refused loudly when unsafe."""

from pathlib import Path

import pytest

from shipcaptaincrew import config
from shipcaptaincrew.errors import ConfigError

GOOD_SECRET = "s" * 32  # exactly the 32-byte minimum


def test_outside_local_mode_a_missing_secret_names_jwt_secret_arn():
    # GIVEN neither JWT_SECRET nor JWT_SECRET_ARN WHEN loading for the Lambda THEN the error names the ARN
    with pytest.raises(ConfigError, match="JWT_SECRET_ARN"):
        config.load({})


def test_local_mode_needs_no_secret():
    assert config.load({"SCC_LOCAL": "1"}).local is True


@pytest.mark.parametrize("secret", ["0123456789", "s" * 31])
def test_a_secret_shorter_than_32_bytes_is_refused(secret):
    with pytest.raises(ConfigError, match="JWT_SECRET must be at least 32 bytes"):
        config.load({"JWT_SECRET": secret})


def test_an_arn_alone_is_enough_at_load_time():
    settings = config.load({"JWT_SECRET_ARN": "arn:aws:secretsmanager:us-west-2:123456789012:secret:jwt"})
    assert settings.jwt_secret is None


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("APP_BASE_URL", "app.example.com", "APP_BASE_URL"),
        ("SES_FROM_ADDRESS", "reports", "SES_FROM_ADDRESS"),
        ("BUSINESS_TIMEZONE", "Mars/Olympus_Mons", "BUSINESS_TIMEZONE"),
        ("SESSION_HOURS", "0", "SESSION_HOURS"),
        ("NUDGE_AFTER_DAYS", "three", "NUDGE_AFTER_DAYS"),
        ("NUDGE_INTERVAL_DAYS", "-7", "NUDGE_INTERVAL_DAYS"),
    ],
)
def test_each_invalid_setting_is_refused_by_name(variable, value, named):
    with pytest.raises(ConfigError, match=named):
        config.load({"JWT_SECRET": GOOD_SECRET, variable: value})


def test_values_are_converted_to_their_types():
    settings = config.load(
        {
            "JWT_SECRET": GOOD_SECRET,
            "ADMIN_EMAILS": " Admin@Example.com, ,second@example.com ",
            "NUDGE_AFTER_DAYS": "5",
            "MAGIC_LINK_MIN_SECONDS": "0.5",
            "MAIL_OUTBOX_DIR": "outbox",
            "UNRELATED": "ignored",
        }
    )
    assert settings.admin_emails == ("admin@example.com", "second@example.com")
    assert settings.nudge_after_days == 5
    assert settings.magic_link_min_seconds == 0.5
    assert settings.mail_outbox_dir == Path("outbox")


def test_the_environment_beats_repos_env_and_overrides_beat_both(tmp_path):
    env_file = tmp_path / "repos.env"
    env_file.write_text("# settings\nexport APP_BASE_URL='https://file.example.com'\n\nSESSION_HOURS=3\n")
    settings = config.load(
        {"JWT_SECRET": GOOD_SECRET, "SESSION_HOURS": "4"}, env_file=env_file, nudge_after_days=9
    )
    assert settings.app_base_url == "https://file.example.com"
    assert settings.session_hours == 4
    assert settings.nudge_after_days == 9


def test_a_malformed_env_file_line_is_reported_with_its_line_number(tmp_path):
    env_file = tmp_path / "repos.env"
    env_file.write_text("APP_BASE_URL=https://app.example.com\nthis line has no equals sign\n")
    with pytest.raises(ConfigError, match=r"repos.env:2: expected KEY=VALUE"):
        config.load({"JWT_SECRET": GOOD_SECRET}, env_file=env_file)


def test_the_secret_is_kept_out_of_the_settings_repr():
    assert GOOD_SECRET not in repr(config.load({"JWT_SECRET": GOOD_SECRET}))
