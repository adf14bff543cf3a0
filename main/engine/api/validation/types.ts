// The per-kind rule set the registry holds. Metadata checks are generic (index.ts runs them first,
// as upstream's Validate* functions do); a kind adds only what is specific to it.

import type { FieldError } from '../errors.js';
import type { KObj } from '../../store/types.js';
import type { NameRule } from './names.js';
import type { UserInfo } from '../context.js';

export interface PrepareOptions {
  /** five characters for a Pod's `kube-api-access-xxxxx` volume; defaults to a random suffix */
  tokenVolumeSuffix?: string;
  /** who makes the request, for strategies that record it (a CSR's spec.username) */
  user?: UserInfo;
}

export interface KindRules {
  namespaced: boolean;
  /** the metadata.name format (upstream ValidateXName) */
  nameRule: NameRule;
  /** whether the kind has a status that main-resource writes may not touch */
  hasStatus: boolean;
  /** whether the strategy maintains metadata.generation */
  generation?: 'spec' | 'spec+annotations';
  defaults?(obj: KObj): void;
  /**
   * whether defaults() fills in status: only then does a status write run them (it keeps the stored
   * spec whatever the body says, so defaulting the body's spec would be thrown away)
   */
  defaultsStatus?: boolean;
  prepareForCreate?(obj: KObj, opts: PrepareOptions): void;
  prepareForUpdate?(newObj: KObj, oldObj: KObj): void;
  /** spec-level create validation (metadata already checked) */
  validate?(obj: KObj): FieldError[];
  /** spec-level update validation; defaults to validate(newObj) */
  validateUpdate?(newObj: KObj, oldObj: KObj): FieldError[];
  /** metadata a status write may change (the Deployment status strategy keeps only spec and labels: the controller writes its revision annotation there) */
  statusWritableMeta?: ReadonlyArray<'annotations'>;
  /** the status subresource's validation (for update) */
  validateStatusUpdate?(newObj: KObj, oldObj: KObj): FieldError[];
}
