// Browser E2E of the labs in browser mode: a learner opens lab 02 in the lab picker, types each
// step's solution into the terminal (never through the API), presses Check and sees every check
// pass; a failed check shows its reason; progress survives a reload; Korean shows the Korean lesson;
// an exam ends on a score page with per-check reasons. Screenshots: test-results/ui/labs-*.png.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium, SHOTS, startWeb, stopWeb, waitForScreen } from './helpers/web.js';


/** Types lines into the terminal like a learner, Enter after each. */
async function type(page: Page, ...lines: string[]): Promise<void> {
  await page.locator('.view.active .xterm-screen').click();
  for (const l of lines) {
    await page.keyboard.type(l);
    await page.keyboard.press('Enter');
  }
}

async function clear(page: Page): Promise<void> {
  await type(page, 'clear');
  await page.waitForTimeout(300);
}

const stepBody = (page: Page, step: string) => page.locator(`[data-testid="lab"] article[data-step="${step}"]`);

/** Presses Check until the step passes, as a learner would while the cluster converges. */
async function checkUntilPassed(page: Page, step: string, tries = 6): Promise<void> {
  const body = stepBody(page, step);
  for (let i = 0; i < tries; i++) {
    await body.getByTestId('check').click();
    await expect.poll(() => body.getByTestId('check').isEnabled(), { timeout: 60_000 }).toBe(true);
    if ((await body.getAttribute('data-status')) === 'passed') return;
    await page.waitForTimeout(1500);
  }
  throw new Error(`step ${step} never passed: ${await body.locator('.checks').textContent()}`);
}

async function checkStates(page: Page, step: string): Promise<string[]> {
  return stepBody(page, step).locator('li[data-check]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-check')}=${e.getAttribute('data-passed')}`));
}

async function fast(page: Page): Promise<void> {
  const b = page.getByRole('button', { name: '600×' });
  if (await b.isVisible()) await b.click();
}

describe('labs in the browser (npm run web + chromium)', () => {
  let dataDir: string;
  let web: Awaited<ReturnType<typeof startWeb>>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    requireChromium();
    mkdirSync(SHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'kubelab-ui-labs-'));
    web = await startWeb(dataDir);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(web.url);
    await page.waitForSelector('.view.active .xterm-rows');
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    if (web) await stopWeb(web.proc);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('lists the labs with level, length and status, in the picker', async () => {
    const card = page.locator('[data-lab="02-pods"]');
    await card.waitFor({ timeout: 60_000 });
    expect(await card.locator('h4').textContent()).toBe('Pods: run, inspect, fix, delete, and create from YAML');
    expect(await card.textContent()).toMatch(/Beginner.*20 min.*5 steps.*Not started/s);
    await expect.poll(() => page.locator('[data-testid="lab-picker"] li[data-lab]').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(SHOTS, 'labs-catalog.png') });
  }, 90_000);

  it('starts lab 02 and passes "run a pod" by typing the command, then runs a block from the lesson', async () => {
    await page.locator('[data-lab="02-pods"]').getByRole('button', { name: 'Start' }).click();
    await page.waitForSelector('[data-testid="lab"][data-lab="02-pods"]', { timeout: 60_000 });
    await fast(page);
    const body = stepBody(page, 'run');
    expect(await body.locator('h3').textContent()).toBe('Run a pod');
    // the instructions' commands come with copy and run buttons; HTML-looking text stays text
    expect(await body.locator('pre code').first().textContent()).toBe('kubectl run web --image=nginx:1.27');
    expect(await body.getByRole('button', { name: /Run in terminal/ }).count()).toBe(2);
    expect(await checkStates(page, 'run')).toEqual(['web-exists=unknown', 'web-image=unknown', 'web-ready=unknown']);

    // a hint, revealed on request
    await body.getByRole('button', { name: /Hint \(1\/2\)/ }).click();
    await expect.poll(() => body.getByTestId('hint').count()).toBe(1);
    expect(await body.getByTestId('hint').textContent()).toContain('kubectl run NAME --image=IMAGE');

    await type(page, 'kubectl run web --image=nginx:1.27');
    await waitForScreen(page, /pod\/web created/);
    await checkUntilPassed(page, 'run');
    expect(await checkStates(page, 'run')).toEqual(['web-exists=true', 'web-image=true', 'web-ready=true']);
    expect(await body.getByTestId('step-verdict').textContent()).toBe('Step passed.');
    expect(await page.locator('nav .pill').first().getAttribute('data-step-status')).toBe('passed');

    // "run in terminal" pastes the block into the shell and presses Enter
    await clear(page);
    await body.getByRole('button', { name: /Run in terminal/ }).nth(1).click();
    await waitForScreen(page, /kubectl get pods[\s\S]*NAME\s+READY\s+STATUS[\s\S]*web\s+1\/1\s+Running/);
    await page.screenshot({ path: join(SHOTS, 'labs-step-passed.png') });
    await body.getByRole('button', { name: /Next/ }).click();
  }, 180_000);

  it('passes "where did it land?" with a file the learner wrote in the terminal workspace', async () => {
    await clear(page);
    await type(page, 'kubectl get pod web -o wide > web-wide.txt', 'cat web-wide.txt; echo end-of-$((6*7))');
    // the wide table wraps in the narrow terminal pane: wait for a marker instead of the header
    await waitForScreen(page, /end-of-42/);
    await checkUntilPassed(page, 'wide');
    expect(readFileSync(join(dataDir, 'workspace', 'web-wide.txt'), 'utf8')).toContain('web');
    await stepBody(page, 'wide').getByRole('button', { name: /Next/ }).click();
  }, 120_000);

  it('shows why "fix the broken pod" fails before the fix, and passes after it', async () => {
    const body = stepBody(page, 'describe');
    await body.getByTestId('check').click();
    await expect.poll(() => body.getByTestId('step-verdict').textContent(), { timeout: 60_000 }).toMatch(/^Not yet: 2 of 2 checks failed\.$/);
    const reason = await body.locator('li[data-check="shop-image"] .reason').textContent();
    expect(reason).toMatch(/^pod shop should run nginx:1\.27, but it runs /);
    expect(await body.locator('li[data-check="shop-ready"] .reason').textContent()).toMatch(/shop/);
    await page.screenshot({ path: join(SHOTS, 'labs-check-failed.png') });

    await type(page, 'kubectl set image pod/shop shop=nginx:1.27');
    await waitForScreen(page, /pod\/shop image updated/);
    await checkUntilPassed(page, 'describe');
  }, 180_000);

  it('keeps the progress (current step, passed steps) across a reload', async () => {
    await page.reload();
    await page.waitForSelector('[data-testid="lab"][data-lab="02-pods"]', { timeout: 60_000 });
    const pills = page.locator('nav .pill');
    expect(await pills.evaluateAll((els) => els.map((e) => e.getAttribute('data-step-status')))).toEqual(['passed', 'passed', 'passed', 'pending', 'pending']);
    expect(await pills.nth(3).getAttribute('aria-current')).toBe('step');
    expect(await stepBody(page, 'delete').locator('h3').textContent()).toBe('Delete a pod');
    await page.waitForSelector('.view.active .xterm-rows');
    await waitForScreen(page, /\S/, 30_000);
  }, 90_000);

  it('finishes the lab: delete a pod, then write and create a manifest with a heredoc', async () => {
    await fast(page);
    await type(page, 'kubectl delete pod web');
    await waitForScreen(page, /pod "web" deleted/, 60_000);
    await checkUntilPassed(page, 'delete');
    await stepBody(page, 'delete').getByRole('button', { name: /Next/ }).click();

    await clear(page);
    await type(page, "cat > pod.yaml <<'YAML'", 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: api', '  labels:', '    app: api', 'spec:', '  containers:', '    - name: api', '      image: nginx:1.27', 'YAML', 'kubectl create -f pod.yaml');
    await waitForScreen(page, /pod\/api created/);
    await checkUntilPassed(page, 'yaml');
    await page.getByTestId('lab-complete').waitFor();
    expect(await page.getByTestId('lab-complete').textContent()).toMatch(/Lab complete!.*You scored (\d+) of \1 points \(100%\)\./s);
    await page.screenshot({ path: join(SHOTS, 'labs-complete.png') });
  }, 180_000);

  it('shows the lesson in Korean', async () => {
    await page.getByTestId('language').selectOption('ko');
    await expect.poll(() => page.locator('[data-testid="lab"] h2').textContent()).toBe('파드: 실행하고, 살펴보고, 고치고, 지우고, YAML로 만들기');
    const body = stepBody(page, 'yaml');
    expect(await body.locator('h3').textContent()).toBe('YAML 매니페스트로 파드 만들기');
    expect(await body.locator('.md p').first().textContent()).toContain('작업 폴더에 pod.yaml을 만들어');
    expect(await body.getByTestId('check').textContent()).toContain('채점');
    expect(await body.locator('li[data-check="api-label"] .ctitle').textContent()).toContain('api 파드에 app=api 레이블이 있음');
    expect(await page.getByTestId('lab-complete').textContent()).toContain('실습 완료!');
    await page.screenshot({ path: join(SHOTS, 'labs-korean.png') });
    await page.getByTestId('language').selectOption('en');
    // system → light → dark, a look at the lab in the dark theme, then back to system
    await page.locator('header button.theme').click();
    await page.locator('header button.theme').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'labs-dark.png') });
    await page.locator('header button.theme').click();
  }, 60_000);

  it('back in the catalog the lab shows completed with its score', async () => {
    await page.getByRole('button', { name: /All labs/ }).click();
    const card = page.locator('[data-lab="02-pods"]');
    await expect.poll(() => card.getAttribute('data-status')).toBe('completed');
    expect(await card.locator('.score').textContent()).toMatch(/^Score (\d+)\/\1$/);
  }, 30_000);

  it('takes lab 01 as an exam: timer, no hints, finish → score page with per-check reasons', async () => {
    await page.locator('[data-lab="01-cluster-architecture"]').getByRole('button', { name: /Exam/ }).click();
    await page.waitForSelector('[data-testid="lab"][data-mode="exam"]', { timeout: 60_000 });
    expect(await page.getByTestId('exam-timer').textContent()).toMatch(/^Time left (10:00|9:\d\d)$/);
    expect(await page.getByTestId('check').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Hint|Skip|solution/ }).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'labs-exam.png') });
    await page.getByTestId('finish-exam').click();
    await page.locator('dialog').getByRole('button', { name: 'Finish exam' }).click();
    const report = page.getByTestId('exam-report');
    await report.waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('exam-score').textContent()).toMatch(/^0 of \d+ points \(0%\)$/);
    const reasons = await report.locator('.reason').allTextContents();
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.every((r) => r.trim().length > 0)).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'labs-exam-report.png') });
    // the score page survives a reload
    await page.reload();
    await page.getByTestId('exam-report').waitFor({ timeout: 60_000 });
  }, 240_000);

  it('produced no console errors', () => {
    expect(problems).toEqual([]);
  });
});
