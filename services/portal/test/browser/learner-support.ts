// What the learner and programme journeys share: consumers that start at the broker's current end (the
// shared test broker holds every other test's events: a fresh group reading them all would take
// minutes, and these journeys are about the events they cause), pressing Tab until a control has the
// focus (keyboard-only passes), and reading a page's download.
import { readFile } from "node:fs/promises";
import { topics } from "@lto/contracts";
import { consumerGroupAtEnd } from "@lto/testkit";
import type { Download, Locator, Page } from "playwright-core";

/** A consumer group positioned at the current end of every service topic. */
export const groupAtEnd = (name: string): Promise<string> => consumerGroupAtEnd(name, Object.values(topics));

/** Tab (forward) until `target` has the focus: fails after `max` presses, as a keyboard user would. */
export async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    // Runs in the page: its `document`, not this Node process's.
    if (await target.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement))
      return;
  }
  throw new Error(`${max} presses of Tab never reached ${target.toString()}`);
}

export async function downloadedText(download: Download): Promise<string> {
  const path = await download.path();
  return readFile(path, "utf8");
}
