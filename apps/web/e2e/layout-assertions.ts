/**
 * Geometry assertions shared by the layout browser tests: the four widths, no sideways document scroll,
 * controls on screen and not covered, text that stays inside its box.
 */
import type { Locator, Page } from 'playwright-core';

export const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
  { width: 390, height: 844 },
] as const;
export type Viewport = (typeof VIEWPORTS)[number];

export const isPhone = (viewport: { width: number }) => viewport.width < 600;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export async function box(locator: Locator): Promise<Box> {
  const value = await locator.boundingBox();
  if (!value) throw new Error(`not rendered: ${locator.toString()}`);
  return value;
}

/** The document never scrolls sideways, and screen-reader-only text takes no room on screen. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const visibleHiddenText = await page.evaluate(() =>
    [...document.querySelectorAll('.cdk-visually-hidden')]
      .filter((element) => element.getBoundingClientRect().width > 1)
      .map((element) => element.textContent?.trim()),
  );
  expect(visibleHiddenText).toEqual([]);
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

/** Nothing inside the element sticks out sideways (clipped controls, overflowing headers). */
export async function expectNoInnerOverflow(locator: Locator): Promise<void> {
  const { scrollWidth, clientWidth } = await locator.evaluate((element) => ({ scrollWidth: element.scrollWidth, clientWidth: element.clientWidth }));
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
}

export async function expectInViewport(page: Page, locator: Locator): Promise<void> {
  const viewport = page.viewportSize()!;
  const b = await box(locator);
  expect(b.x).toBeGreaterThanOrEqual(0);
  expect(b.y).toBeGreaterThanOrEqual(0);
  expect(b.x + b.width).toBeLessThanOrEqual(viewport.width);
  expect(b.y + b.height).toBeLessThanOrEqual(viewport.height);
}

/**
 * Each control, scrolled into view, lies inside the viewport and is the element hit at its centre (no
 * other element covers it). Returns nothing; fails with the names of the controls that do not.
 */
export async function expectControlsUsable(page: Page, controls: Locator): Promise<void> {
  const viewport = page.viewportSize()!;
  const problems: string[] = [];
  for (const control of await controls.all()) {
    if (!(await control.isVisible())) continue;
    await control.scrollIntoViewIfNeeded();
    const b = await box(control);
    const name = await describe(control);
    if (b.x < 0 || b.y < 0 || b.x + b.width > viewport.width + 0.5 || b.y + b.height > viewport.height + 0.5) {
      problems.push(
        `${name}: outside the ${viewport.width}x${viewport.height} viewport at ${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}`,
      );
      continue;
    }
    const covered = await control.evaluate(
      (element, point) => {
        // A form field's own floating label over its empty input is part of the control.
        const owner = element.closest('mat-form-field') ?? element;
        const hit = document.elementFromPoint(point.x, point.y);
        return hit && !owner.contains(hit) && !hit.contains(element) ? `${hit.tagName.toLowerCase()}.${[...hit.classList].join('.')}` : null;
      },
      { x: b.x + b.width / 2, y: b.y + b.height / 2 },
    );
    if (covered) problems.push(`${name}: covered by ${covered}`);
  }
  expect(problems).toEqual([]);
}

/** The element lies inside the viewport (dialogs, menus, pickers). */
export async function expectFitsViewport(page: Page, locator: Locator): Promise<void> {
  const viewport = page.viewportSize()!;
  const b = await box(locator);
  expect({ left: b.x >= 0, right: b.x + b.width <= viewport.width + 0.5, top: b.y >= 0, bottom: b.y + b.height <= viewport.height + 0.5 }).toEqual({
    left: true,
    right: true,
    top: true,
    bottom: true,
  });
}

/** The element's box lies inside its container's box, sideways (charts in their cards). */
export async function expectFitsContainer(element: Locator, container: Locator): Promise<void> {
  const inner = await box(element);
  const outer = await box(container);
  expect(inner.x).toBeGreaterThanOrEqual(outer.x - 0.5);
  expect(inner.x + inner.width).toBeLessThanOrEqual(outer.x + outer.width + 0.5);
}

/**
 * A wide table stays in its own sideways-scrolling wrapper: the wrapper is no wider than the viewport
 * and scrolls (`overflow-x: auto|scroll`) when the table is wider than it.
 */
export async function expectTableScrollsInside(page: Page, table: Locator): Promise<void> {
  const viewport = page.viewportSize()!;
  const result = await table.evaluate((element) => {
    // Its own wrapper: found before the card (section) around the table, not the page's scrolling main area.
    let wrapper: HTMLElement | null = element.parentElement;
    while (wrapper && wrapper.tagName !== 'SECTION' && !['auto', 'scroll'].includes(getComputedStyle(wrapper).overflowX)) wrapper = wrapper.parentElement;
    if (!wrapper || wrapper.tagName === 'SECTION') return null;
    const rect = wrapper.getBoundingClientRect();
    return { left: rect.left, right: rect.right };
  });
  expect(result).not.toBeNull();
  expect(result!.left).toBeGreaterThanOrEqual(0);
  expect(result!.right).toBeLessThanOrEqual(viewport.width + 0.5);
}

/**
 * Elements under `root` whose text sticks out of their box sideways (scrollWidth > clientWidth + 1).
 * Allowed: scroll containers (they scroll on purpose), form fields (their text scrolls inside), and text
 * explicitly cut with `text-overflow: ellipsis` that carries a `title` with the whole text.
 */
export async function overflowingText(root: Locator): Promise<string[]> {
  const found: string[] = [];
  for (const element of await root.all()) {
    found.push(
      ...(await element.evaluate((start) => {
        const problems: string[] = [];
        const candidates = [start, ...start.querySelectorAll('*')];
        for (const node of candidates) {
          if (!(node instanceof HTMLElement)) continue;
          if (['INPUT', 'TEXTAREA', 'SELECT', 'CANVAS', 'svg'].includes(node.tagName)) continue;
          const style = getComputedStyle(node);
          if (style.display === 'inline' || style.display === 'none' || style.display === 'contents') continue;
          // Visually hidden text (a 1 px clipped box for screen readers) is meant to be cut.
          if (node.clientWidth <= 1 || node.classList.contains('cdk-visually-hidden')) continue;
          if (['auto', 'scroll'].includes(style.overflowX)) continue;
          if (node.scrollWidth <= node.clientWidth + 1) continue;
          // Only boxes that hold text themselves (not a parent of an overflowing child: that child is reported).
          const ownText = [...node.childNodes].some((child) => child.nodeType === Node.TEXT_NODE && child.textContent!.trim() !== '');
          if (!ownText) continue;
          if (style.textOverflow === 'ellipsis' && node.title.trim() !== '') continue;
          const id = node.getAttribute('data-testid');
          problems.push(
            `${node.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}.${[...node.classList].join('.')} ` +
              `(${node.scrollWidth} > ${node.clientWidth}): ${node.textContent!.trim().slice(0, 40)}`,
          );
        }
        return problems;
      })),
    );
  }
  return [...new Set(found)];
}

export async function expectTextFits(root: Locator): Promise<void> {
  expect(await overflowingText(root)).toEqual([]);
}

async function describe(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const id = element.getAttribute('data-testid');
    const label = element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 30) ?? '';
    return `${element.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''} "${label}"`;
  });
}

/**
 * No box that clips its overflow was scrolled sideways (focus or scrollIntoView moves a clipped box when
 * its content is too wide: the document stays put, but a column slides out of view).
 */
export async function expectNoClippedSidewaysScroll(page: Page): Promise<void> {
  const scrolled = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((element) => element.scrollLeft > 0 && !['auto', 'scroll'].includes(getComputedStyle(element).overflowX))
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} scrolled ${element.scrollLeft}px`),
  );
  expect(scrolled).toEqual([]);
}
