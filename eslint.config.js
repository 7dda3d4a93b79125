import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// The core must stay pure: no React, no DOM, no global randomness, no clock.
// Randomness comes from the scenario's seeded generator; time is simulated, never read.
const coreRestrictions = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: 'd3',
          importNames: [
            'select',
            'selectAll',
            'create',
            'timer',
            'timeout',
            'interval',
            'now',
            'transition',
            'zoom',
            'drag',
            'brush',
            'axisBottom',
            'axisLeft',
            'axisTop',
            'axisRight',
          ],
          message:
            'src/core is pure: d3 computes here (format, scale, array); DOM, timers and axes belong to charts.',
        },
      ],
      patterns: [
        {
          group: ['react', 'react-dom', 'react-dom/*', 'zustand', 'zustand/*'],
          message: 'src/core is pure: no UI libraries.',
        },
        {
          group: ['d3-selection', 'd3-transition', 'd3-timer'],
          message: 'src/core is pure: no DOM or timer modules.',
        },
        {
          group: ['../state/*', '../../state/*', '../panels/*', '../charts/*', '../cli/*', '../../cli/*'],
          message: 'Dependencies point one way: nothing in core imports from outside core.',
        },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'window', message: 'src/core has no DOM.' },
    { name: 'document', message: 'src/core has no DOM.' },
    { name: 'navigator', message: 'src/core has no DOM.' },
    { name: 'localStorage', message: 'src/core has no DOM.' },
    { name: 'performance', message: 'src/core reads no clock.' },
    { name: 'setTimeout', message: 'src/core reads no clock.' },
    { name: 'setInterval', message: 'src/core reads no clock.' },
    { name: 'requestAnimationFrame', message: 'src/core reads no clock.' },
  ],
  'no-restricted-properties': [
    'error',
    {
      object: 'Math',
      property: 'random',
      message: 'Use the scenario seeded generator (src/core/random.ts).',
    },
    { object: 'Date', property: 'now', message: 'src/core reads no clock.' },
    ...[
      'exp',
      'log',
      'pow',
      'sin',
      'cos',
      'tan',
      'atan',
      'atan2',
      'asin',
      'acos',
      'log2',
      'log10',
      'log1p',
      'expm1',
      'cbrt',
      'hypot',
      'sinh',
      'cosh',
      'tanh',
    ].map((property) => ({
      object: 'Math',
      property,
      message:
        'Math.' +
        property +
        ' differs in the last bit between engines: use src/core/portableMath.ts so the browser and the CLI agree.',
    })),
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date']", message: 'src/core reads no clock.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/core/**/*.ts'], languageOptions: { globals: {} }, rules: coreRestrictions },
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: { ...globals.node } } },
);
