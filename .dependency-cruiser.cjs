/**
 * The layer rule of Coach Hub, checked by `npm run lint` (dependency-cruiser). From the bottom up:
 *
 *   shared → config → db → platform → providers → features → app.ts → main.ts, cli/, seed/
 *   web → shared (the browser sees the server only through the shared contracts)
 *
 * A module may import its own layer and the layers below it, never above; no import cycles.
 * See ARCHITECTURE.md for what each layer holds.
 */
const layer = (name, path, mayNotImport) => ({
  name: `layer-${name}`,
  comment: `${name} (${path}) must not import ${mayNotImport}: that is an upward import (ARCHITECTURE.md, "Layers").`,
  severity: 'error',
  from: { path },
  to: { path: mayNotImport },
});

const ABOVE_APP = '^src/(main\\.ts|cli/|seed/)';
const WEB = '^src/web/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles hide the real order of the layers: break the cycle (move the shared part down).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-is-pure',
      comment: 'src/shared/ is the contract both the server and the browser compile: no other src/ code, no Node or browser APIs, only zod (and type-only openai SDK types).',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { pathNot: ['^src/shared/', '^node_modules/(zod|openai)/'] },
    },
    layer('config', '^src/config/', `^src/(db|platform|providers|features|app\\.ts)|${ABOVE_APP}|${WEB}`),
    layer('db', '^src/db/', `^src/(platform|providers|features|app\\.ts)|${ABOVE_APP}|${WEB}`),
    layer('platform', '^src/platform/', `^src/(providers|features|app\\.ts)|${ABOVE_APP}|${WEB}`),
    layer('providers', '^src/providers/', `^src/(features|app\\.ts)|${ABOVE_APP}|${WEB}`),
    layer('features', '^src/features/', `^src/app\\.ts|${ABOVE_APP}|${WEB}`),
    layer('app', '^src/app\\.ts$', `${ABOVE_APP}|${WEB}`),
    layer('entry points', ABOVE_APP, WEB),
    {
      name: 'web-through-shared',
      comment: 'The web app imports from the server only through src/shared/ (contracts), never server modules.',
      severity: 'error',
      from: { path: WEB },
      to: { path: '^src/', pathNot: ['^src/web/', '^src/shared/'] },
    },
    {
      name: 'web-no-node',
      comment: 'Browser code cannot use Node built-ins.',
      severity: 'error',
      from: { path: WEB, pathNot: '\\.test\\.tsx?$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'server-not-into-web',
      comment: 'Server code never imports the web app.',
      severity: 'error',
      from: { path: '^src/', pathNot: WEB },
      to: { path: WEB },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing (Vite query imports such as `?worker&url` excepted).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '\\?' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports count: a cycle through types is still a cycle of the design.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.(test|e2e)\\.tsx?$|/contract\\.ts$' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.d.ts', '.d.mts'], conditionNames: ['import', 'require', 'node', 'default', 'types'], exportsFields: ['exports'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
