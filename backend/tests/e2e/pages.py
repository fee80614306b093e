"""What the browser tests share: signing in, formatting like the web app, axe, screenshots."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.workspace import PASSWORD

ROOT = Path(__file__).resolve().parents[3]
AXE_SCRIPT = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"


def signed_in(
    browser: Browser, base: str, email: str, *, dark: bool = False, axe: bool = False
) -> tuple[BrowserContext, Page]:
    """A fresh browser session signed in as `email`. `axe` lets the test inject axe-core past
    the app's Content Security Policy (which rightly refuses injected scripts)."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        color_scheme="dark" if dark else "light",
        bypass_csp=axe,
    )
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    return context, page


def format_duration(seconds: float) -> str:
    """The web app's formatDuration: the two largest non-zero units."""
    rest = max(0, math.floor(seconds))
    parts: list[str] = []
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60), ("s", 1)):
        amount, rest = divmod(rest, size)
        if amount:
            parts.append(f"{amount} {unit}")
    return " ".join(parts[:2]) or "0 s"


def _one_decimal(value: float) -> str:
    text = f"{math.floor(value * 10 + 0.5) / 10:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_metric(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "seconds":
        return format_duration(value)
    if unit == "ratio":
        return f"{_one_decimal(value * 100)} %"
    if unit == "per_week":
        return f"{_one_decimal(value)} / week"
    if unit == "count":
        return f"{round(value):,}"
    return _one_decimal(value)


def serious_accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe-core in the page; returns serious and critical violations."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result: dict[str, Any] = page.evaluate(
        """async () => await axe.run(document, {
              runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
