// Check-ins between visits in a real browser: a Spanish-speaking clinician sends PHQ-9s,
// a Spanish-speaking patient answers one keyboard-only on a 390 px phone and another with
// JavaScript off (a question-9 answer above "never" brings the calm page with the crisis
// lines, and the clinician's start page names her at the top), and Dr. Lee reads Jordan's
// twelve weeks as trends with their tables. Every page passes axe.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { startDemo, launch, context, expectNoAxeViolations, expectNoHorizontalScroll, signIn } from './support.mjs';
import { startVisit, remoteVideoPlaying } from './visit-support.mjs';
import fhirPackage from 'fhir';

const { Fhir, ParseConformance, Versions } = fhirPackage;

let haven;
let browser;
const shots = process.env.SCREENSHOTS_DIR;

before(async () => {
  haven = await startDemo();
  browser = await launch();
  if (shots) mkdirSync(shots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await haven?.stop();
});

const account = (email) => haven.accounts.find((a) => a.email === email);
const shot = async (page, name) => shots && page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

async function anaId(page) {
  // Dr. Ortiz's start page links his patients' charts.
  const href = await page.getByRole('link', { name: 'Ana García', exact: true }).first().getAttribute('href');
  return href.replace('/patients/', '');
}

test('Dr. Ortiz sends PHQ-9s from the chart, in Spanish', async () => {
  const ortiz = await context(browser, haven.url, { locale: 'es-US' });
  const page = await ortiz.ctx.newPage();
  await signIn(page, haven.url, account('samuel.ortiz@riverbend.example'));
  const ana = await anaId(page);
  await page.goto(`${haven.url}/patients/${ana}`);
  await page.getByRole('heading', { level: 2, name: 'Medidas' }).waitFor();
  await page.getByText('Enviar un cuestionario').click();
  await expectNoAxeViolations(page, 'chart with the send form open');
  for (let i = 0; i < 2; i++) {
    if (i > 0) await page.getByText('Enviar un cuestionario').click();
    await page.getByLabel('Cuestionario').selectOption('phq9');
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();
    await page.waitForURL(/\/patients\//);
  }
  assert.deepEqual(ortiz.foreign, []);
  await ortiz.ctx.close();
});

test('Ana answers a PHQ-9 keyboard-only on a 390 px phone, in Spanish', async () => {
  const ana = await context(browser, haven.url, { locale: 'es-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await ana.ctx.newPage();
  await signIn(page, haven.url, account('ana@patients.example'));
  const checkIns = page.getByRole('region', { name: 'Cuestionarios por contestar' });
  assert.equal(await checkIns.getByRole('link').count(), 2, 'two PHQ-9s from Dr. Ortiz');
  assert.match(await checkIns.innerText(), /PHQ-9 \(lo envió: Dr\. Samuel Ortiz\) · unos 3 minutos/);
  await expectNoAxeViolations(page, 'start page with check-ins (390 px, Spanish)');
  await checkIns.getByRole('link').first().click();
  await page.getByRole('heading', { level: 1 }).waitFor();
  assert.match(await page.locator('legend').first().innerText(), /Poco interés o placer en hacer cosas/);
  await expectNoAxeViolations(page, 'PHQ-9 form (390 px, Spanish)');
  await expectNoHorizontalScroll(page, 'PHQ-9 form at 390 px');
  await shot(page, 'phq9-es-390');

  // Sending nothing names every question still to answer.
  let tabs = 0;
  while ((await page.evaluate(() => document.activeElement?.name)) !== 'item-1') {
    await page.keyboard.press('Tab');
    assert.ok(++tabs < 60, 'the first question is reachable by Tab');
  }
  // Questions 1–8: the second answer ("Varios días"), by arrow key; question 9: the first ("Ningún día").
  for (let item = 1; item <= 9; item++) {
    assert.equal(await page.evaluate(() => document.activeElement?.name), `item-${item}`);
    await page.keyboard.press(item === 9 ? 'Space' : 'ArrowDown');
    await page.keyboard.press('Tab');
  }
  // The difficulty question may be skipped; Tab on to the send button.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Enviar mis respuestas');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Gracias' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Sus respuestas ya las tiene su profesional \(Dr\. Samuel Ortiz\)/);
  await expectNoAxeViolations(page, 'thank-you page (Spanish)');
  assert.deepEqual(ana.foreign, []);
  await ana.ctx.close();
});

test('without JavaScript: incomplete answers are named, and question 9 brings help at once', async () => {
  // Dr. Ortiz's start page is open already: the signal appears on it without a reload.
  const ortiz = await context(browser, haven.url, { locale: 'es-US' });
  const clinician = await ortiz.ctx.newPage();
  await signIn(clinician, haven.url, account('samuel.ortiz@riverbend.example'));
  assert.equal(await clinician.getByRole('region', { name: 'Requiere atención hoy' }).count(), 0, 'nothing to look at yet');
  await clinician.waitForFunction(() => document.getElementById('signals-slot') !== null);

  const ana = await context(browser, haven.url, { locale: 'es-US', viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  const page = await ana.ctx.newPage();
  await signIn(page, haven.url, account('ana@patients.example'));
  const checkIns = page.getByRole('region', { name: 'Cuestionarios por contestar' });
  assert.equal(await checkIns.getByRole('link').count(), 1, 'the one still open');
  await checkIns.getByRole('link').first().click();
  const questions = page.locator('fieldset.question');
  await questions.nth(0).getByLabel('Más de la mitad de los días').check();
  await page.getByRole('button', { name: 'Enviar mis respuestas' }).click();
  const summary = page.getByRole('alert');
  assert.match(await summary.innerText(), /Conteste la pregunta 2\./);
  assert.match(await summary.innerText(), /Conteste la pregunta 9\./);
  assert.ok(await questions.nth(0).getByLabel('Más de la mitad de los días').isChecked(), 'the answer given stays chosen');
  await shot(page, 'phq9-es-errors');
  for (let i = 1; i < 8; i++) await questions.nth(i).getByLabel('Varios días').check();
  await questions.nth(8).getByLabel('Varios días').check();
  await page.getByRole('button', { name: 'Enviar mis respuestas' }).click();
  await page.getByRole('heading', { level: 1, name: 'Gracias por contárnoslo' }).waitFor();
  const text = await page.locator('main').innerText();
  assert.match(text, /Su profesional \(Dr\. Samuel Ortiz\) y su equipo de atención lo sabrán hoy/);
  assert.match(text, /988/);
  await shot(page, 'phq9-es-risk');
  assert.deepEqual(ana.foreign, []);
  await ana.ctx.close();

  const signals = clinician.getByRole('region', { name: 'Requiere atención hoy' });
  await signals.waitFor({ timeout: 5000 });
  assert.match(await signals.innerText(), /Ana García · PHQ-9: pensamientos de hacerse daño/);
  assert.match(await clinician.locator('#signals-announce').innerText(), /Nuevo: las respuestas de un paciente/);
  assert.deepEqual(ortiz.foreign, []);
  await expectNoAxeViolations(clinician, 'start page with a risk signal (Spanish)');
  await ortiz.ctx.close();
});

test('Dr. Lee reads Jordan\'s weeks as trends with their tables, at desktop and 390 px', async () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
    const lee = await context(browser, haven.url, { locale: 'en-US', viewport });
    const page = await lee.ctx.newPage();
    await signIn(page, haven.url, account('maya.lee@riverbend.example'));
    const signals = page.getByRole('region', { name: 'Needs a look today' });
    assert.match(await signals.innerText(), /Casey Kim · PHQ-9: thoughts of self-harm/);
    await shot(page, `home-clinician-${viewport.width}`);
    await page.getByRole('link', { name: 'Jordan Rivera', exact: true }).first().click();
    await page.getByRole('heading', { level: 2, name: 'Measures' }).waitFor();
    assert.equal(await page.locator('svg.trend').count(), 2);
    assert.equal(await page.getByRole('img', { name: /PHQ-9 scores over time/ }).count(), 1);
    const table = page.getByRole('table', { name: 'PHQ-9 scores' });
    assert.equal(await table.getByRole('row').count(), 13, 'a header and twelve weeks');
    assert.match(await table.innerText(), /Reliably worse/);
    await expectNoAxeViolations(page, `chart with trends (${viewport.width} px)`);
    await expectNoHorizontalScroll(page, `chart at ${viewport.width} px`);
    await shot(page, `chart-trends-${viewport.width}`);
    await lee.ctx.close();
  }
});

test('in a video visit Dr. Lee sends a GAD-7 and sees the score as soon as Jordan sends it', async () => {
  const v = await startVisit(haven, { patientBrowser: browser, clinicianBrowser: browser });
  await remoteVideoPlaying(v.patient, 'patient sees the clinician');
  await v.clinician.getByText('Questionnaires', { exact: true }).click();
  await v.clinician.getByLabel('Questionnaire').selectOption('gad7');
  await v.clinician.getByRole('button', { name: 'Send to Jordan Rivera' }).click();
  const panel = v.patient.getByRole('region', { name: 'Dr. Maya Lee sent you a questionnaire' });
  await panel.waitFor({ timeout: 5000 });
  await expectNoAxeViolations(v.patient, 'questionnaire in the call (patient)');
  const questions = panel.locator('fieldset.question');
  for (let i = 0; i < 7; i++) await questions.nth(i).getByLabel('Several days').check();
  await shot(v.patient, 'visit-gad7-patient');
  const sent = Date.now();
  await panel.getByRole('button', { name: 'Send my answers' }).click();
  const result = v.clinician.locator('#measure-results li').first();
  await result.waitFor({ timeout: 5000 });
  const took = Date.now() - sent;
  console.log(`in-visit GAD-7: score on the clinician's side ${took} ms after the patient's send`);
  assert.equal(await result.innerText(), 'GAD-7: 7 (Mild)');
  assert.ok(took < 1000, `within a second (${took} ms)`);
  await panel.getByRole('heading', { name: 'Thank you' }).waitFor();
  assert.ok(await v.patient.locator('#remote-video').isVisible(), 'still in the call');
  await expectNoAxeViolations(v.clinician, 'call with a questionnaire result (clinician)');
  await shot(v.clinician, 'visit-gad7-clinician');
  await v.close();
});

test('the FHIR resources Haven serves validate against the R4 definitions', async () => {
  // The package's bundled R4 core definitions (types and value sets), offline.
  const validator = new Fhir(new ParseConformance(true, Versions.R4));
  const lee = await context(browser, haven.url, { locale: 'en-US' });
  const page = await lee.ctx.newPage();
  await signIn(page, haven.url, account('maya.lee@riverbend.example'));
  const jordan = (await page.getByRole('link', { name: 'Jordan Rivera', exact: true }).first().getAttribute('href')).replace('/patients/', '');
  const resources = [];
  for (const path of ['/fhir/R4/Questionnaire', `/fhir/R4/QuestionnaireResponse?patient=${jordan}`, `/fhir/R4/Observation?patient=${jordan}`]) {
    const response = await page.request.get(`${haven.url}${path}`);
    assert.equal(response.status(), 200, path);
    assert.match(response.headers()['content-type'], /^application\/fhir\+json/);
    const bundle = await response.json();
    assert.ok(bundle.entry.length > 0, `${path} has entries`);
    resources.push(bundle, ...bundle.entry.map((e) => e.resource));
  }
  const questionnaire = await (await page.request.get(`${haven.url}/fhir/R4/Questionnaire/cssrs`)).json();
  resources.push(questionnaire);
  let checked = 0;
  for (const resource of resources) {
    const result = validator.validate(resource);
    const errors = result.messages.filter((m) => m.severity === 'error');
    assert.deepEqual(errors, [], `${resource.resourceType}/${resource.id ?? ''} is valid R4`);
    checked += 1;
  }
  // The validator can say no: the same Observation with a broken value is refused.
  const observation = resources.find((r) => r.resourceType === 'Observation');
  const broken = validator.validate({ ...observation, valueInteger: 'seven', status: 'done' });
  assert.ok(broken.messages.filter((m) => m.severity === 'error').length >= 2, 'a broken resource is refused');
  console.log(`FHIR: ${checked} resources validated against R4`);
  await lee.ctx.close();
});

test('the outcomes page at 390 px: groups under ten hidden, no page-wide sideways scroll', async () => {
  const admin = await context(browser, haven.url, { locale: 'en-US', viewport: { width: 390, height: 844 } });
  const page = await admin.ctx.newPage();
  await signIn(page, haven.url, account('admin@riverbend.example'));
  await page.getByRole('link', { name: 'Outcomes of care' }).click();
  const table = page.getByRole('table', { name: /Patient Health Questionnaire.*change from the first score/ });
  assert.match(await table.getByRole('row', { name: /Video visits only/ }).innerText(), /12\s+67 %/);
  assert.match(await table.getByRole('row', { name: /Dr\. Maya Lee/ }).innerText(), /fewer than 10/);
  await expectNoAxeViolations(page, 'outcomes (390 px)');
  await expectNoHorizontalScroll(page, 'outcomes at 390 px');
  await shot(page, 'outcomes-390');
  await admin.ctx.close();
});
