/**
 * The layering of docs/architecture.md, enforced in `npm run lint` (relative imports included).
 * Dependencies point inward: app → bots, jobs → src/flow, src/assistant → ports, stores → algorithms → model.
 */
const ALGORITHMS = '^src/(detect|logs|alerts|rca|sim)/';
const ADAPTERS_AND_FLOW = '^src/(graph|server|ingest|metrics|flow|ports|incidents|assistant|config[.]ts)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes load order matter and hides which module depends on which.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-stays-inside',
      severity: 'error',
      comment:
        'src/ is the core: it never imports the composition root (app/), the runners (jobs/) or the bots (bots/).',
      from: { path: '^src/' },
      to: { path: '^(app|jobs|bots)/' },
    },
    {
      name: 'runners-and-bots-below-app',
      severity: 'error',
      comment: 'jobs/ and bots/ are adapters; only app/ puts them together.',
      from: { path: '^(jobs|bots)/' },
      to: { path: '^app/' },
    },
    {
      name: 'runners-and-bots-apart',
      severity: 'error',
      comment: 'The job runners and the chat transports know nothing of each other; they meet in app/.',
      from: { path: '^jobs/' },
      to: { path: '^bots/' },
    },
    {
      name: 'bots-do-not-run-jobs',
      severity: 'error',
      from: { path: '^bots/' },
      to: { path: '^jobs/' },
    },
    {
      name: 'algorithms-are-pure',
      severity: 'error',
      comment: 'Algorithms take plain data and return plain data: no stores, servers, ports or flow.',
      from: { path: ALGORITHMS },
      to: { path: ADAPTERS_AND_FLOW },
    },
    {
      name: 'model-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^(src/(?!model/)|app/|jobs/|bots/)' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|var|dist|services)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
