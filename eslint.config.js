import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const TRANSPORTS = ['neo4j-driver', 'bullmq', 'ioredis', '@slack/*', 'fastify', '@fastify/*', '@langchain/*'];
const transportBan = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: TRANSPORTS, message: 'Algorithms and the model stay transport-free (see shared DESIGN.md).' },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.cache/**', 'var/**', 'services/**/target/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Core never imports transports: algorithms and domain model are plain data in, plain data out.
    files: ['src/model/**', 'src/detect/**', 'src/logs/**', 'src/alerts/**', 'src/rca/**', 'src/sim/**'],
    rules: transportBan,
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', '*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable' } },
  },
  // Layout is Prettier's job (`npm run format`); eslint keeps to correctness.
  prettier,
);
