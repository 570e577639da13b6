// Booking in a real browser: a patient in Chicago finds the clinician licensed in Illinois
// (who works in Los Angeles time), books a video visit, gets the confirmation mail with an
// .ics file (parsed here), moves the visit and cancels it; a clinician books a weekly
// series for another patient. Every page passes axe.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDemo, launch, context, expectNoAxeViolations, signIn, nextMail, mailCount } from './support.mjs';

let haven;
let browser;

before(async () => {
  haven = await startDemo();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await haven?.stop();
});

const account = (email) => haven.accounts.find((a) => a.email === email);

/** RFC 5545 parsing: unfold, split into properties, check the structure. */
function parseIcs(text) {
  assert.ok(text.includes('\r\n'), 'lines end in CRLF');
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l.length > 0);
  const stack = [];
  const events = [];
  let current = null;
  for (const line of lines) {
    const colon = line.indexOf(':');
    assert.ok(colon > 0, `a property line: ${line}`);
    const name = line.slice(0, colon).split(';')[0].toUpperCase();
    const value = line.slice(colon + 1);
    if (name === 'BEGIN') {
      stack.push(value);
      if (value === 'VEVENT') current = {};
    } else if (name === 'END') {
      assert.equal(stack.pop(), value, 'components nest');
      if (value === 'VEVENT') events.push(current);
    } else if (current) {
      current[name] = value;
    }
  }
  assert.equal(stack.length, 0, 'every component ends');
  assert.match(text, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:/);
  const instant = (v) => new Date(v.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  return events.map((e) => {
    for (const required of ['UID', 'DTSTAMP', 'DTSTART', 'DTEND']) assert.ok(e[required], `VEVENT has ${required}`);
    return { ...e, start: instant(e.DTSTART), end: instant(e.DTEND) };
  });
}

// Times as Haven writes them (CLDR en-US, as the browser's own ICU does): "11:00 AM".
const hourIn = (iso, timeZone) => new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
// A calendar day's heading: "Monday, December 8".
const dayName = (date) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric' }).format(new Date(`${date}T12:00:00Z`));

test('a patient in another time zone books, moves and cancels a video visit', async () => {
  const casey = await context(browser, haven.url, { locale: 'en-US' });
  const page = await casey.ctx.newPage();
  await signIn(page, haven.url, account('casey@patients.example'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Appointments' }).click();
  await expectNoAxeViolations(page, 'my appointments');
  await page.getByRole('link', { name: 'Book an appointment' }).first().click();
  await page.getByLabel('Where will you be during the visit?').selectOption('US-IL');
  await page.getByLabel('How would you like to meet?').selectOption('video');
  await page.getByRole('button', { name: 'Find clinicians' }).click();
  const results = page.getByRole('region', { name: 'Clinicians' });
  await results.getByRole('heading', { name: /Dr\. Maya Lee/ }).waitFor();
  assert.equal(await results.getByText('Dr. Samuel Ortiz').count(), 0, 'not licensed in Illinois');
  await expectNoAxeViolations(page, 'find a clinician');

  await page.getByRole('link', { name: 'See times with Dr. Maya Lee' }).click();
  assert.match(await page.getByText(/Times are shown in/).innerText(), /America\/Chicago/);
  await expectNoAxeViolations(page, 'choose a time');
  const first = page.getByRole('radio').first();
  const chosen = await first.getAttribute('value');
  const label = (await page.locator('label.slot').first().innerText()).trim();
  assert.equal(label, hourIn(chosen, 'America/Chicago'), 'times show in the patient\'s zone');
  assert.notEqual(label, hourIn(chosen, 'America/Los_Angeles'), 'not in the clinician\'s');
  const before = mailCount(haven.outbox);
  await first.check();
  await page.getByRole('button', { name: 'Book this time' }).click();
  assert.match(await page.getByRole('status').innerText(), /Your appointment is booked/);
  assert.match(await page.locator('dl.facts').innerText(), new RegExp(`${label} C[SD]T`));
  await expectNoAxeViolations(page, 'appointment booked');

  const mail = await nextMail(haven.outbox, before);
  assert.match(mail.head, /Subject: Your appointment is booked/);
  assert.match(mail.body, /Dr\. Maya Lee/);
  assert.doesNotMatch(mail.body, /Therapy/, 'no clinical detail in mail');
  const [event] = parseIcs(mail.parts['text/calendar']);
  assert.equal(event.start.toISOString(), new Date(chosen).toISOString());
  assert.equal(event.end - event.start, 53 * 60 * 1000);
  assert.equal(event.STATUS, 'CONFIRMED');

  await page.getByRole('link', { name: 'Choose another time' }).click();
  await expectNoAxeViolations(page, 'reschedule');
  const second = page.getByRole('radio').nth(1);
  const moved = await second.getAttribute('value');
  await second.check();
  await page.getByRole('button', { name: 'Move to this time' }).click();
  assert.match(await page.getByRole('status').innerText(), /Your appointment has moved/);
  const change = await nextMail(haven.outbox, before + 1);
  assert.match(change.head, /Subject: Your appointment has moved/);
  const [movedEvent] = parseIcs(change.parts['text/calendar']);
  assert.equal(movedEvent.UID, event.UID, 'the calendar app updates the same event');
  assert.equal(movedEvent.start.toISOString(), new Date(moved).toISOString());
  assert.ok(Number(movedEvent.SEQUENCE) > Number(event.SEQUENCE));

  // Cancelling asks first (no script needed: a disclosure), naming who and when.
  await page.getByText('Cancel this appointment', { exact: true }).click();
  assert.match(await page.locator('details.confirm').innerText(), /Cancel your visit with Dr\. Maya Lee on /);
  assert.match(await page.locator('dl.facts').innerText(), /Booked/, 'opening the question changes nothing');
  await expectNoAxeViolations(page, 'cancel: confirm');
  await page.getByRole('button', { name: 'Yes, cancel it' }).click();
  assert.match(await page.getByRole('status').innerText(), /The appointment is cancelled/);
  assert.match(await page.locator('dl.facts').innerText(), /Cancelled/);
  await expectNoAxeViolations(page, 'appointment cancelled');
  const cancelled = await nextMail(haven.outbox, before + 2);
  assert.equal(parseIcs(cancelled.parts['text/calendar'])[0].STATUS, 'CANCELLED');
  await page.getByRole('link', { name: 'Back to appointments' }).click();
  assert.match(await page.getByRole('region', { name: 'Past and cancelled' }).innerText(), /Dr\. Maya Lee/);
  assert.deepEqual(casey.foreign, []);
  await casey.ctx.close();
});

test('a clinician books a weekly series for a patient, with the times checked first', async () => {
  const lee = await context(browser, haven.url, { locale: 'en-US' });
  const page = await lee.ctx.newPage();
  await signIn(page, haven.url, account('maya.lee@riverbend.example'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedule' }).click();
  await page.getByRole('heading', { level: 1, name: 'Schedule' }).waitFor();
  await expectNoAxeViolations(page, 'schedule (week)');
  await page.getByRole('link', { name: 'Day', exact: true }).click();
  await expectNoAxeViolations(page, 'schedule (day)');

  // A Monday at least a week away, in the practice's zone (Los Angeles).
  const day = new Date(Date.now() + 8 * 86400000);
  while (day.getUTCDay() !== 1) day.setUTCDate(day.getUTCDate() + 1);
  const date = day.toISOString().slice(0, 10);
  await page.getByRole('link', { name: 'Book for a patient' }).click();
  await expectNoAxeViolations(page, 'book for a patient');
  await page.getByLabel('Patient', { exact: true }).selectOption({ label: 'Jordan Rivera' });
  await page.getByLabel('Kind of visit').selectOption({ label: 'Dr. Maya Lee — Therapy (53 min)' });
  await page.getByLabel('How would you like to meet?').selectOption('video');
  await page.getByLabel('Where will the patient be during the visit?').selectOption('US-IL');
  await page.getByLabel('First date').fill(date);
  await page.getByLabel(/^Time/).fill('15:00');
  await page.getByLabel('Every week').check();
  await page.getByLabel('How many visits').fill('4');
  await page.getByRole('button', { name: 'Check the times' }).click();
  const checked = page.getByRole('region', { name: 'The times, checked' });
  assert.equal(await checked.getByRole('listitem').count(), 4);
  assert.equal(await checked.getByText('free', { exact: true }).count(), 4);
  await expectNoAxeViolations(page, 'series checked');
  await page.getByRole('button', { name: 'Book the 4 free times' }).click();
  assert.match(await page.getByRole('status').innerText(), /booked/);

  await page.goto(`${haven.url}/schedule?view=week&date=${date}`);
  const monday = page.getByRole('region', { name: dayName(date) });
  assert.match(await monday.innerText(), /3:00\sPM–3:53\sPM\s+Jordan Rivera/);
  await page.goto(`${haven.url}/schedule/book`);
  // The same series again: every week now conflicts, and says so before anything is booked.
  await page.getByLabel('Patient', { exact: true }).selectOption({ label: 'Jordan Rivera' });
  await page.getByLabel('Kind of visit').selectOption({ label: 'Dr. Maya Lee — Therapy (53 min)' });
  await page.getByLabel('Where will the patient be during the visit?').selectOption('US-IL');
  await page.getByLabel('First date').fill(date);
  await page.getByLabel(/^Time/).fill('15:00');
  await page.getByLabel('Every other week').check();
  await page.getByLabel('How many visits').fill('2');
  await page.getByRole('button', { name: 'Check the times' }).click();
  assert.match(await page.getByRole('alert').innerText(), /None of these times is free/);
  assert.equal(await page.getByText('Another visit is booked at this time.').count(), 2);
  await expectNoAxeViolations(page, 'series with conflicts');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedule' }).click();
  await page.getByRole('link', { name: 'My scheduling settings' }).click();
  await expectNoAxeViolations(page, 'scheduling settings');
  await page.getByRole('button', { name: 'Create a feed address' }).click();
  const feedUrl = await page.locator('#feed-url').innerText();
  const feed = await page.request.get(feedUrl);
  assert.equal(feed.status(), 200);
  const ics = await feed.text();
  const events = parseIcs(ics);
  assert.ok(events.length >= 4, 'the series is in the feed');
  assert.doesNotMatch(ics, /Jordan|Rivera|Casey/, 'no patient names leave for a calendar cloud');
  await page.getByRole('button', { name: 'Turn the feed off' }).click();
  assert.equal((await page.request.get(feedUrl)).status(), 404, 'a revoked feed is gone');
  assert.deepEqual(lee.foreign, []);
  await lee.ctx.close();
});
