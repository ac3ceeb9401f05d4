import type { Linter } from 'eslint';

/** The import boundaries (eslint.boundaries.js). */
export declare const boundaries: Linter.Config[];
