/** One write through the port (defined beside the port, `../GraphStore.ts`). */
export type { WriteRecord } from '../GraphStore.js';
