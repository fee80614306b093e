"""A lead installs Veelocity, creates the admin account, signs in and connects GitHub."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "a long enough passphrase"
GITHUB_TOKEN = "ghp_browserTest0123456789abcdefghij9KQZ"


def _collect_console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_first_run_setup_login_and_github_token_masked(server: str, browser: Browser) -> None:
    page = browser.new_page()
    errors = _collect_console_errors(page)

    page.goto(server + "/")
    expect(page.get_by_role("heading", name="Create the admin account")).to_be_visible()
    page.get_by_label("Email").fill("lead@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("lead@example.com")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill("lead@example.com")
    page.get_by_label("Password").fill("wrong password here")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Incorrect email or password.")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="GitHub", exact=True)).to_be_visible()
    page.get_by_label("GitHub token", exact=True).fill(GITHUB_TOKEN)
    page.get_by_label("Organizations").fill("acme")
    page.get_by_role("button", name="Save GitHub").click()
    expect(page.get_by_text("Saved").first).to_be_visible()
    expect(page.get_by_text("••••9KQZ")).to_be_visible()

    # After a reload the token is still masked and never in the page.
    page.reload()
    expect(page.get_by_text("••••9KQZ")).to_be_visible()
    assert GITHUB_TOKEN not in page.content()
    assert page.get_by_label("GitHub token", exact=True).input_value() == ""
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_viewer_cannot_change_settings(server: str, browser: Browser) -> None:
    import httpx

    setup = httpx.post(
        f"{server}/api/v1/auth/setup", json={"email": "admin@example.com", "password": PASSWORD}
    )
    admin = {"Authorization": f"Bearer {setup.json()['access_token']}"}
    created = httpx.post(
        f"{server}/api/v1/users",
        json={"email": "viewer@example.com", "password": PASSWORD, "role": "viewer"},
        headers=admin,
    )
    assert created.status_code == 201

    page = browser.new_page()
    page.goto(server + "/settings")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill("viewer@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Settings", exact=True)).to_be_visible()
    expect(page.get_by_text("Only admins can change settings").first).to_be_visible()
    expect(page.get_by_label("GitHub token", exact=True)).to_be_disabled()
    expect(page.get_by_role("button", name="Save GitHub")).to_have_count(0)
    expect(page.get_by_role("tab", name=re.compile("Users"))).to_have_count(0)


def test_admin_adds_a_user_in_settings(server: str, browser: Browser) -> None:
    import httpx

    httpx.post(
        f"{server}/api/v1/auth/setup", json={"email": "admin@example.com", "password": PASSWORD}
    )
    page = browser.new_page()
    page.goto(server + "/login")
    page.get_by_label("Email").fill("admin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Settings", exact=True).click()
    page.get_by_role("tab", name="Users").click()
    page.get_by_label("New user email").fill("teammate@example.com")
    page.get_by_label("New user password").fill(PASSWORD)
    page.get_by_label("Role").select_option("viewer")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("Added teammate@example.com.")).to_be_visible()
    expect(page.get_by_role("cell", name="teammate@example.com")).to_be_visible()
