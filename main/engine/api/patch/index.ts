// The patch engines the API server's PATCH/PUT/POST handlers use. All pure: objects in, objects out,
// StatusErrors worded as upstream on failure. See each module's header for semantics.
export { applyJsonPatch, type JsonPatchOptions } from './jsonpatch.js';
export { applyMergePatch, type MergePatchOptions } from './mergepatch.js';
export { applyStrategicMergePatch } from './strategic.js';
export { fieldSetOf, updateManagedFields, type UpdateOptions } from './managedfields.js';
export { serverSideApply, LAST_APPLIED, type ApplyOptions } from './apply.js';
export { PatchApplyError } from './util.js';
