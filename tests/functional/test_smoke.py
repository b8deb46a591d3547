"""GIVEN a fresh account WHEN the admin signs in through the emailed link THEN they can list charters."""


def test_admin_signs_in_through_emailed_link_and_lists_charters(api, admin_token):
    status, data, _ = api.call("GET", "/api/events", token=admin_token)
    assert status == 200
    assert data == {"events": [], "next_cursor": None}
