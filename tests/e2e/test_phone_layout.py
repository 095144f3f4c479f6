"""Every page fits a 390 px phone: no sideways scrolling of the page, tap targets of 44 px.

The pages are the permission matrix's own list (tests/lms/test_permission_matrix.py: every GET
case and every page of the tree that the role may open), walked as a visitor, a pupil, a teacher,
a school admin and a methodologist, each in one phone-sized browser context with mobile
emulation. With mobile emulation Chrome widens the layout viewport to the content, so the page's
width is compared with the device's (390), not with innerWidth.

A failure names the page and the elements that stick out (the innermost ones, with their path),
and keeps a screenshot of the page in test-artifacts/screenshots/phone-overflow-*.png.
"""

from __future__ import annotations

import os
import re
import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.conftest import E2E_MARKS, screenshot
from tests.e2e.matrix_pages import ROLES, build_world, new_context, targets

pytestmark = E2E_MARKS

WIDTH = int(os.environ.get("PHONE_WIDTH", "390"))  # PHONE_WIDTH=360 checks a smaller phone
PHONE = {
    "viewport": {"width": WIDTH, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 1,
}
MIN_TAP = 44  # px: buttons, button-like links, the menu's links and form fields

# The page's width and, when it is too wide, the innermost elements that stick out on the
# right (an element inside a scrolling or clipping box that itself fits does not count).
MEASURE = """(width) => {
  const doc = document.documentElement;
  const result = {scrollWidth: doc.scrollWidth, culprits: []};
  if (doc.scrollWidth <= width) return result;
  const describe = (el) => {
    const parts = [];
    for (let node = el; node && node !== document.body && parts.length < 5;
         node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) part += "#" + node.id;
      const classes = [...node.classList].slice(0, 3);
      if (classes.length) part += "." + classes.join(".");
      parts.unshift(part);
    }
    return parts.join(" > ");
  };
  const clipped = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") {
        return box.getBoundingClientRect().right <= width + 0.5;
      }
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const rect = el.getBoundingClientRect();
    if (rect.right <= width + 0.5 || (rect.width === 0 && rect.height === 0)) continue;
    if (getComputedStyle(el).position === "fixed" || clipped(el)) continue;
    out.push(el);
  }
  // Text wider than its own box (a long word) sticks out while the box itself fits.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || out.includes(el)) continue;
    range.selectNodeContents(node);
    const right = Math.max(0, ...[...range.getClientRects()].map((rect) => rect.right));
    if (right > width + 0.5 && !clipped(node) && getComputedStyle(el).position !== "fixed") {
      el.dataset.phoneTextRight = Math.round(right);
      out.push(el);
    }
  }
  const innermost = out.filter((el) => !out.some((other) => other !== el && el.contains(other)));
  const rightOf = (el) => Number(el.dataset.phoneTextRight || el.getBoundingClientRect().right);
  innermost.sort((a, b) => rightOf(b) - rightOf(a));
  result.culprits = innermost.slice(0, 4).map((el) => {
    const rect = el.getBoundingClientRect();
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    const what = el.dataset.phoneTextRight ? "its text" : `${Math.round(rect.width)}px wide`;
    return `${describe(el)} (right edge ${Math.round(rightOf(el))}px, ${what}` +
      `${text ? `, "${text}"` : ""})`;
  });
  return result;
}"""

# Visible controls smaller than a fingertip: buttons, links styled as buttons, the menu's
# links, the menu button, fields (not checkboxes and radios: their label is the target).
TAP_TARGETS = """(min) => {
  const selector = "button, .btn, .site-header a, .site-header summary, select, textarea, " +
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file])";
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest("[hidden], .visually-hidden, .wagtail-userbar, template")) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;  // not shown (a closed menu, say)
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.opacity === "0") continue;
    if (rect.height < min - 0.5 || rect.width < min - 0.5) {
      const name = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "")
        .trim().replace(/\\s+/g, " ").slice(0, 30);
      const classes = [...el.classList].slice(0, 2).join(".");
      small.push(`${el.tagName.toLowerCase()}${classes ? "." + classes : ""} "${name}" ` +
        `${Math.round(rect.width)}x${Math.round(rect.height)}`);
    }
  }
  return [...new Set(small)].slice(0, 6);
}"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def check_menu(page, role: str) -> list[str]:
    """The header's menu is folded behind its button, opens from the keyboard, fits the phone
    when open (a screenshot is kept), and Escape folds it again with the focus on the button."""
    toggle, nav = page.locator("[data-menu-toggle]"), page.locator("#site-menu .main-nav")
    problems = []

    def expect(condition: bool, what: str) -> None:
        if not condition:
            problems.append(f"{role}: the menu {what} ({page.url})")

    expect(toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false", "has a button")
    expect(not nav.is_visible(), "starts folded")
    if problems:
        return problems
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle.get_attribute("aria-expanded") == "true" and nav.is_visible(), "opens")
    measured = page.evaluate(MEASURE, WIDTH)
    expect(measured["scrollWidth"] <= WIDTH, "fits when open: " + "; ".join(measured["culprits"]))
    small = page.evaluate(TAP_TARGETS, MIN_TAP)
    expect(not small, "has tap targets of 44px: " + "; ".join(small))
    screenshot(page, f"phone-menu-open-{role}")
    page.keyboard.press("Escape")
    expect(toggle.get_attribute("aria-expanded") == "false" and not nav.is_visible(), "folds")
    expect(page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')"), "refocuses")
    return problems


def test_every_page_fits_a_phone(browser, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    started = time.monotonic()
    users, ids = build_world(tmp_path)
    print(f"world built in {time.monotonic() - started:.1f} s")
    started, visited, overflows, small_targets, menus = time.monotonic(), 0, [], [], []
    for role in ROLES:
        context = new_context(browser, live_server.url, users[role], **PHONE)
        page = context.new_page()
        try:
            for number, target in enumerate(targets(role, ids)):
                try:
                    response = page.goto(target.url)
                except PlaywrightError as exc:  # a download (CSV, XLSX, ZIP, PDF)
                    if "Download is starting" in str(exc):
                        continue
                    raise
                kind = response.headers.get("content-type", "") if response else ""
                if not kind.startswith("text/html"):
                    continue  # a file, JSON, a feed or a calendar: not a page
                visited += 1
                where = f"{role}: {target.url} ({target.label}, {response.status})"
                assert response.status == target.status, f"{where}: not what the matrix says"
                measured = page.evaluate(MEASURE, WIDTH)
                if measured["scrollWidth"] > WIDTH:
                    name = f"phone-overflow-{role}-{_slug(target.label)}"
                    screenshot(page, name)
                    culprits = measured["culprits"] or ["(no element sticks out: a margin?)"]
                    overflows.append(
                        f"{where} is {measured['scrollWidth']}px wide:\n    "
                        + "\n    ".join(culprits)
                    )
                small = page.evaluate(TAP_TARGETS, MIN_TAP)
                if small:
                    small_targets.append(f"{where}: " + "; ".join(small))
                if number == 0:
                    menus += check_menu(page, role)
        finally:
            context.close()
    elapsed = time.monotonic() - started
    print(f"{visited} pages at {WIDTH}px for {len(ROLES)} roles in {elapsed:.1f} s")
    assert visited > 80, visited  # the list really was walked
    problems = list(menus)
    if overflows:
        problems.append(f"Wider than {WIDTH}px:\n" + "\n".join(overflows))
    if small_targets:
        problems.append(f"Tap targets under {MIN_TAP}px:\n" + "\n".join(small_targets))
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
