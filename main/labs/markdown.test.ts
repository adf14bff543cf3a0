import { describe, expect, it } from 'vitest';
import { defaultLabsDir, loadAllLabs } from './loader.js';
import { codeBlocks } from './markdown.js';

describe('codeBlocks', () => {
  it.each([
    { md: 'Run:\n\n```bash\nkubectl get pods\n```\n', want: [{ lang: 'bash', code: 'kubectl get pods', runnable: true, needsEdit: false }] },
    { md: '```yaml\nkind: Pod\n```', want: [{ lang: 'yaml', code: 'kind: Pod', runnable: false, needsEdit: false }] },
    { md: '```sh\nkubectl delete pod <name>\n```', want: [{ lang: 'sh', code: 'kubectl delete pod <name>', runnable: true, needsEdit: true }] },
    { md: 'no code here', want: [] },
  ])('$md', ({ md, want }) => {
    expect(codeBlocks(md)).toEqual(want);
  });

  it('every step of the shipped labs offers the same number of commands in en and ko', async () => {
    const { labs } = await loadAllLabs(defaultLabsDir());
    for (const l of labs)
      for (const s of l.steps) {
        const en = codeBlocks(s.instructions.en).map((b) => b.code);
        expect(codeBlocks(s.instructions.ko).map((b) => b.code).length, `${l.id}/${s.id}`).toBe(en.length);
        expect(en.length, `${l.id}/${s.id}`).toBeGreaterThan(0);
      }
  });
});
