/** 2026-12-01 (a Tuesday) 09:00 in Shanghai: where every test app's clock starts. */
export const START = Date.parse('2026-12-01T09:00:00+08:00');
