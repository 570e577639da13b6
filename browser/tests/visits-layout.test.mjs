// The call view as people see it, at 390 × 844 (a phone) and on a desktop: the other person
// large and this side small in a corner, the controls on screen without scrolling, the
// page's navigation out of the way while the crisis link stays, the chat a panel to open,
// the clinician's waiting-room panel gone once the patient is in, and both previews moving.
// Screenshots are written to browser/screenshots/ for a person to look at.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo, launch, expectNoAxeViolations } from './support.mjs';
import { startVisit, remoteVideoPlaying, waitFor } from './visit-support.mjs';

const shots = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');
let browser;

before(async () => {
  browser = await launch();
  mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
});

/** Where an element is on screen, or null when it isn't drawn. */
const box = (page, selector) => page.locator(selector).boundingBox();

for (const [label, viewport] of [['390 px', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 800 }]]) {
  test(`the call view (${label})`, { timeout: 90_000 }, async () => {
    const haven = await startDemo();
    try {
      const v = await startVisit(haven, { patientBrowser: browser, clinicianBrowser: browser, options: { viewport } });
      await remoteVideoPlaying(v.patient, 'patient sees the clinician');
      await remoteVideoPlaying(v.clinician, 'clinician sees the patient');
      for (const [who, page, leave] of [['patient', v.patient, '#leave'], ['clinician', v.clinician, '#end-ask']]) {
        await page.evaluate(() => window.scrollTo(0, 0));
        const remote = await box(page, '#remote-video');
        const local = await box(page, '#local-video');
        assert.ok(local.width < remote.width / 2, `${who}: own picture small (${local.width} vs ${remote.width})`);
        assert.ok(local.x >= remote.x && local.y >= remote.y && local.x + local.width <= remote.x + remote.width + 1, `${who}: own picture inside the other's`);
        for (const control of ['#mute', leave]) {
          const b = await box(page, control);
          assert.ok(b && b.y + b.height <= viewport.height, `${who}: ${control} is on screen without scrolling (bottom ${b && b.y + b.height})`);
        }
        assert.equal(await page.locator('.site-header nav').isVisible(), false, `${who}: the navigation steps back`);
        assert.equal(await page.locator('.lang-switch').isVisible(), false, `${who}: the language switch steps back`);
        assert.equal(await page.getByRole('link', { name: 'Need help now?' }).first().isVisible(), true, `${who}: the crisis link stays`);
        assert.equal(await page.locator('#chat').evaluate((d) => d.open), false, `${who}: the chat is a closed panel`);
        // Own preview moves (it froze after Admit once).
        const t0 = await page.locator('#local-video').evaluate((e) => e.currentTime);
        await waitFor(() => page.locator('#local-video').evaluate((e) => e.currentTime), (t) => t > t0, `${who}: own preview moves`);
        await page.screenshot({ path: path.join(shots, `call-${who}-${label.replace(' ', '')}.png`) });
        await expectNoAxeViolations(page, `call view (${who}, ${label})`);
      }
      assert.equal(await v.clinician.locator('#lobby').isVisible(), false, 'no waiting-room panel during the call');
      assert.equal(await v.clinician.locator('#admit').isVisible(), false, 'no Admit button during the call');
      await v.close();
    } finally {
      await haven.stop();
    }
  });
}
