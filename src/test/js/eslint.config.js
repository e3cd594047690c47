// ESLint for the browser modules (webroot/js) and their unit tests; paths are relative to the
// repository root, where the lint script runs.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    rules: {
      eqeqeq: 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      'no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['webroot/js/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      // EventBus comes from the vendored vertx-eventbus.js script tag (browser-globals.d.ts).
      globals: { ...globals.browser, EventBus: 'readonly' },
    },
  },
  {
    files: ['src/test/js/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.node },
  },
];
