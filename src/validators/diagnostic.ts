// Moved to src/diagnostic.ts, below both the model and the validators. Kept only for the files in
// src/local/ that still import this path; delete it once they import ../diagnostic.js.
export * from '../diagnostic.js';
