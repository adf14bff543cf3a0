// Test helpers: objects and the one-line rendering kubectl shows for each cause.
import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';

export const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
export const mk = (o: Partial<KObj> & Record<string, unknown>): KObj => ({ metadata: { name: 'x', namespace: 'default' }, ...o }) as KObj;
