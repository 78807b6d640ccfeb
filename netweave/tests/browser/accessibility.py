"""A basic, axe-like accessibility check for every page a browser test visits.

Not a full audit: it checks what a screen-reader or keyboard user most often trips over, and what
our templates promise everywhere — a page language, one main landmark, a first-level heading, a
title, a label on every form control, an accessible name on every link and button, alt text on
every image, and unique ids (labels point at ids).
"""

from __future__ import annotations

from typing import Any

# Runs in the page; returns a list of problems, each a short sentence naming the element.
_CHECK = r"""
() => {
  const problems = [];
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (el.getAttribute('name')) text += '[name="' + el.getAttribute('name') + '"]';
    const content = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    if (content) text += ' "' + content + '"';
    return text;
  };
  const visible = (el) => {
    const style = getComputedStyle(el);
    return style.display !== 'none' && style.visibility !== 'hidden' && el.getClientRects().length > 0;
  };
  const textOf = (id) => { const el = document.getElementById(id); return el ? el.textContent.trim() : ''; };
  const accessibleName = (el) => {
    if ((el.getAttribute('aria-label') || '').trim()) return true;
    const labelledby = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    if (labelledby.some((id) => textOf(id))) return true;
    if (el.labels && Array.from(el.labels).some((label) => label.textContent.trim())) return true;
    if ((el.getAttribute('title') || '').trim()) return true;
    return false;
  };

  const lang = document.documentElement.getAttribute('lang');
  if (!lang || !lang.trim()) problems.push('<html> has no lang attribute');
  if (!document.title.trim()) problems.push('the page has no <title>');
  const mains = document.querySelectorAll('main, [role="main"]');
  if (mains.length !== 1) problems.push(`the page has ${mains.length} main landmarks, not 1`);
  const h1s = Array.from(document.querySelectorAll('h1')).filter(visible);
  if (h1s.length === 0) problems.push('the page has no visible <h1>');
  if (h1s.some((h) => !h.textContent.trim())) problems.push('an <h1> is empty');

  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
    if (!accessibleName(el)) problems.push(`form field without a label: ${describe(el)}`);
  }
  for (const el of document.querySelectorAll('button, [role="button"], input[type="submit"], input[type="button"]')) {
    const name = (el.textContent || '').trim() || el.getAttribute('value') || '';
    if (!name.trim() && !accessibleName(el)) problems.push(`button without a name: ${describe(el)}`);
  }
  for (const el of document.querySelectorAll('a[href]')) {
    const name = (el.textContent || '').trim()
      || Array.from(el.querySelectorAll('img[alt]')).map((img) => img.alt).join('').trim();
    if (!name && !accessibleName(el)) problems.push(`link without text: a[href="${el.getAttribute('href')}"]`);
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`image without alt: ${img.getAttribute('src')}`);
  }
  const seen = new Map();
  for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  for (const [id, n] of seen) if (n > 1) problems.push(`id "${id}" is used ${n} times`);
  return problems;
}
"""


def accessibility_problems(page: Any) -> list[str]:
    return list(page.evaluate(_CHECK))


def assert_accessible(page: Any) -> None:
    """Fail the test with every basic accessibility problem found on the page now shown."""
    problems = accessibility_problems(page)
    assert not problems, f"accessibility problems on {page.url}:\n- " + "\n- ".join(problems)
