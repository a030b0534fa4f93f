import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'var/**', 'web/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a const object and a type of the same name (STYLE.md).' },
      ],
    },
  },
  {
    // No wall clock inside the kernel, compute (features) or core: a Clock is passed in.
    files: ['src/core/**/*.ts', 'src/compute/**/*.ts', 'src/kernel/**/*.ts', 'src/ml/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/kernel/clock/live-clock.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Read time from the Clock passed in.' },
        { object: 'performance', property: 'now', message: 'Read time from the Clock passed in.' },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use Clock timers.' }, { name: 'setInterval', message: 'Use Clock timers.' }],
    },
  },
);
