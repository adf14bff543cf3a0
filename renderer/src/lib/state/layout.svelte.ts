// Pane widths of the three-column layout as fractions of the window, so the layout scales with it;
// each pane keeps at least MIN_PANE pixels. Remembered per browser profile.
const KEY = 'kubelab.layout.v2';
export const MIN_PANE = 180;

export class LayoutStore {
  left = $state(0.24);
  right = $state(0.34);

  constructor() {
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as { left?: number; right?: number } | null;
      if (typeof saved?.left === 'number' && typeof saved.right === 'number' && saved.left + saved.right < 0.9) {
        this.left = saved.left;
        this.right = saved.right;
      }
    } catch {
      /* a corrupt entry just means default widths */
    }
  }

  /** Moves one splitter by dx pixels within a container `total` pixels wide; the terminal keeps MIN_PANE. */
  resize(which: 'left' | 'right', dx: number, total: number): void {
    if (total <= 0) return;
    const min = MIN_PANE / total;
    const max = (other: number) => Math.max(min, 1 - other - min - 12 / total);
    if (which === 'left') this.left = clamp(this.left + dx / total, min, max(this.right));
    else this.right = clamp(this.right - dx / total, min, max(this.left));
    localStorage.setItem(KEY, JSON.stringify({ left: this.left, right: this.right }));
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
